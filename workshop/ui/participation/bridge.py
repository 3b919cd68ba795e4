"""Live participation's thread bridge: the participant server's glue to the Qt main thread.

The server runs in its own thread and never touches the document. It hands
each operation to :meth:`ParticipationBridge.submit`, which travels to the
main thread through a queued signal; there ``document.apply`` runs exactly as
for the facilitator's own edits, and the future the server waits on is
resolved with the committed record (or the error). Every applied record, from
any front, goes back out through the server's ``broadcast``.

The widgets that show and steer it (the Participants panel, the open dialog)
are in ``workshop.ui.participation.panel``.
"""

from __future__ import annotations

import collections
import concurrent.futures
import io
import sys
from collections.abc import Callable
from datetime import datetime

import segno
from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QNetworkInterface

from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import Operation, SetSessionOp
from workshop.live.identity import RejoinRequest
from workshop.live.network import default_route_address, default_route_interface
from workshop.live.security import Secrets, SecurityPolicy
from workshop.live.server import LiveServer
from workshop.ui.settings import participation_secrets, remember_participation_secrets

LOOPBACK = "127.0.0.1"


def qr_png(text: str, scale: int = 8) -> bytes:
    """A QR code for ``text`` as PNG bytes, made in memory."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


LOOPBACK_LABEL = "This computer only (127.0.0.1) — phones cannot join"


def network_addresses() -> list[tuple[str, str]]:
    """(label, address) of each interface the server may listen on.

    The interface with the default route comes first, marked as the one phones
    in the room reach; other networks follow; loopback, which no phone can
    reach, comes last and says so.
    """
    route_interface = default_route_interface()
    route_address = default_route_address() if route_interface is None else None
    recommended: list[tuple[str, str]] = []
    others: list[tuple[str, str]] = []
    for interface in QNetworkInterface.allInterfaces():
        flags = interface.flags()
        if not flags & QNetworkInterface.InterfaceFlag.IsUp or flags & QNetworkInterface.InterfaceFlag.IsLoopBack:
            continue
        for entry in interface.addressEntries():
            address: QHostAddress = entry.ip()
            if address.protocol() != QAbstractSocket.NetworkLayerProtocol.IPv4Protocol:
                continue
            text, name = address.toString(), interface.humanReadableName()
            if interface.name() == route_interface or text == route_address:
                recommended.append((f"{name} ({text}) — phones in the room join here", text))
            else:
                others.append((f"{name} ({text}) — people on this network", text))
    return [*recommended, *others, (LOOPBACK_LABEL, LOOPBACK)]


SWITCH_INTERVAL = 0.0005
"""Seconds a Python thread runs before another may take the interpreter lock, once the server is open."""


class ParticipationBridge(QObject):
    """Owns the participant server of one document; the only object that talks to it from Qt."""

    presence_changed = Signal(object)
    """frozenset of participant ids with a page connected (emitted on the main thread)."""
    opened = Signal()
    closed = Signal()
    rejoin_requested = Signal(object)
    """A :class:`RejoinRequest` for the facilitator to answer (emitted on the main thread)."""
    alert = Signal(str)
    """Something the facilitator should know now, such as joining being paused (main thread)."""
    _submitted = Signal()
    _presence_from_server = Signal(object)
    _rejoin_from_server = Signal(object)
    _alert_from_server = Signal(str)

    def __init__(self, document: Document, parent: QObject | None = None, policy: SecurityPolicy | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._policy = policy
        self._server: LiveServer | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._step_started: datetime | None = None
        document.subscribe(self._note_step)
        self._pending: collections.deque[tuple[Operation, str, concurrent.futures.Future[LogRecord]]] = (
            collections.deque()
        )  # appended by the server's thread, taken by the main thread (deque's append and popleft are atomic)
        self._submitted.connect(self._apply_pending, Qt.ConnectionType.QueuedConnection)
        self._presence_from_server.connect(self.presence_changed, Qt.ConnectionType.QueuedConnection)
        self._rejoin_from_server.connect(self.rejoin_requested, Qt.ConnectionType.QueuedConnection)
        self._alert_from_server.connect(self.alert, Qt.ConnectionType.QueuedConnection)

    def _note_step(self, record: LogRecord) -> None:
        """Remember when the current step began, so pages opened later still show its timer."""
        if any(isinstance(op, SetSessionOp) and "current_step" in op.changes for op in record.op.primitives()):
            self._step_started = record.time

    @property
    def server(self) -> LiveServer | None:
        return self._server

    @property
    def is_open(self) -> bool:
        return self._server is not None and self._server.running

    def submit(self, op: Operation, actor: str) -> concurrent.futures.Future[LogRecord]:
        """Thread-safe: apply ``op`` as ``actor`` on the main thread; the future resolves once committed."""
        future: concurrent.futures.Future[LogRecord] = concurrent.futures.Future()
        self._pending.append((op, actor, future))
        self._submitted.emit()
        return future

    @Slot()
    def _apply_pending(self) -> None:
        """Apply every contribution waiting so far, committed together (one durable commit, not one each)."""
        jobs: list[tuple[Operation, str, concurrent.futures.Future[LogRecord]]] = []
        while self._pending:
            job = self._pending.popleft()
            if job[2].set_running_or_notify_cancel():
                jobs.append(job)
        if not jobs:
            return  # an earlier call took these along

        def answer(results: list[LogRecord | OperationError]) -> None:
            """Once the group is on disk and handed to the server, before the views redraw: phones wait for this."""
            for (_op, _actor, future), result in zip(jobs, results, strict=True):
                if isinstance(result, LogRecord):
                    future.set_result(result)
                else:
                    future.set_exception(result)

        try:
            self.document.apply_all([(op, actor) for op, actor, _future in jobs], committed=answer)
        except Exception as error:  # the store failed: nothing of the group was kept, and every page is told
            for _op, _actor, future in jobs:
                if not future.done():
                    future.set_exception(error)

    def open(self, host: str = LOOPBACK, port: int = 0) -> LiveServer:
        """Start a server for this document with the session's kept secrets: same code, port and tokens."""
        self.close()
        # Two busy Python threads share one interpreter lock from here on. A thread that gives the lock up
        # for a system call (a commit's fsync, most Qt calls) waits out the other's whole switch interval to
        # get it back: 5 ms by default, paid by the main thread at every commit and every paint while phones
        # are sending. 0.5 ms keeps that wait below what a person notices at the cost of a few more switches.
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        kept = participation_secrets(self.document.session.id)
        server = LiveServer(
            self.document.session,
            self.submit,
            host=host,
            port=port,
            policy=self._policy,
            on_presence=self._presence_from_server.emit,
            step_started=self._step_started,
            secrets=Secrets.from_json(kept) if kept else None,
            on_rejoin=self._rejoin_from_server.emit,
            on_alert=self._alert_from_server.emit,
        )
        server.start()
        self.keep_secrets(server)
        self._server = server
        self._unsubscribe = self.document.subscribe(server.broadcast, hand_off=True)
        self.opened.emit()
        return server

    def close(self) -> None:
        """Stop the server; pages are disconnected. The code and tokens are kept for the next opening."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        server, self._server = self._server, None
        if server is not None:
            server.stop()
            self.presence_changed.emit(frozenset())
            self.closed.emit()

    def keep_secrets(self, server: LiveServer | None = None) -> None:
        """Remember the session's code, token key, port and removals for its next opening."""
        server = server or self._server
        if server is not None:
            remember_participation_secrets(self.document.session.id, server.secrets.to_json())

    def remove_participant(self, participant_id: str) -> None:
        if self._server is not None:
            self._server.revoke(participant_id)
            self.keep_secrets()

    def lift_removal(self, participant_id: str) -> None:
        if self._server is not None:
            self._server.lift_removal(participant_id)
            self.keep_secrets()

    def is_removed(self, participant_id: str) -> bool:
        return self._server is not None and participant_id in self._server.secrets.revoked

    def answer_rejoin(self, request: RejoinRequest, same_person: bool) -> None:
        if self._server is not None:
            self._server.decide_rejoin(request.id, same_person)

    def set_joining_locked(self, locked: bool) -> None:
        if self._server is not None:
            self._server.joining_locked = locked

    def join_info(self) -> tuple[str, bytes] | None:
        """The text and QR code the projector shows, or None when closed."""
        if self._server is None:
            return None
        address = self._server.url.removeprefix("http://").rstrip("/")  # what people type, read off the wall
        text = f"Join at\n{address}\nCode: {self._server.join_code}"
        return text, qr_png(self._server.join_url)


class CloseWatcher(QObject):
    """Stops the participant server when the session's window closes, before the window closes its file."""

    def __init__(self, bridge: ParticipationBridge, window: QObject) -> None:
        super().__init__(window)
        self._bridge = bridge

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._bridge.close()
        return False
