"""The participant server: HTTP + WebSocket (aiohttp) in its own asyncio loop and thread.

The server knows nothing of Qt. The app hands it two things:

* ``submit(op, actor) -> concurrent.futures.Future[LogRecord]``, thread-safe,
  which applies an operation on the thread that owns the document and
  resolves once it is committed; a contribution is acknowledged only then;
* every applied record, from any front, through :meth:`LiveServer.broadcast`
  (thread-safe), which the server replays on its own copy of the session and
  sends to every page.

Pages talk JSON over one WebSocket (``/ws``) after joining over HTTP. This
module holds the life cycle and the WebSocket (who a connection is, what it
sends); each other job has a module of its own: joining and identity
(:mod:`~workshop.live.joining`), its limits (:mod:`~workshop.live.join_limits`),
the facilitator's rejoin questions (:mod:`~workshop.live.rejoin_questions`),
the copy of the session and what pages are sent
(:mod:`~workshop.live.broadcasting`), the page's files and headers
(:mod:`~workshop.live.static_files`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from workshop.domain.model.document import LogRecord, participant_actor
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import Operation, element_id
from workshop.domain.model.person_names import comparable_name
from workshop.domain.model.session import Session
from workshop.live.broadcasting import CLOSE_REMOVED, Broadcaster, Page, PresenceListener
from workshop.live.contributions import (
    ContributionRefused,
    contribution_operation,
    existing_contribution,
)
from workshop.live.identity import Decision
from workshop.live.join_limits import AlertListener, JoinLimits
from workshop.live.joining import Joining
from workshop.live.protocol import (
    AgreementAnswer,
    Contribution,
    DotVote,
    Hello,
    Ping,
    ProtocolError,
    SurveyAnswer,
    message_text,
    parse_client_message,
)
from workshop.live.rejoin_questions import RejoinListener, RejoinQuestions
from workshop.live.security import Secrets, SecurityPolicy, TokenBucket
from workshop.live.static_files import PageFiles

log = logging.getLogger(__name__)

Submit = Callable[[Operation, str], "concurrent.futures.Future[LogRecord]"]

MAX_BAD_MESSAGES = 20
"""Malformed messages one connection may send before it is closed."""

CONTROL_BURST = 20
"""Hello/ping messages one connection may send at once before the rate applies."""

CLOSE_UNAUTHORIZED = 4001
CLOSE_TOO_MANY_PAGES = 4008
CLOSE_NO_HELLO = 4002

LIMITED = (DotVote, AgreementAnswer, SurveyAnswer)
"""Contributions bounded per person (a dot budget, one answer): taken one at a time per participant."""

__all__ = ["CLOSE_REMOVED", "LiveServer", "LiveServerError", "PresenceListener", "Submit"]

LISTEN_BACKLOG = 1024
"""Connections the system holds for the server while its loop is busy. A room scanning the code together
opens hundreds at once (a page, a join, a socket each); past aiohttp's default of 128 the system drops them
and each phone retries after one second, then three: the slowest joins took 3 s on a quiet machine."""

class LiveServerError(RuntimeError):
    """The server could not start (address in use, interface not present)."""


class LiveServer:
    """One opening of the session to participants."""

    def __init__(
        self,
        session: Session,
        submit: Submit,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        policy: SecurityPolicy | None = None,
        on_presence: PresenceListener | None = None,
        page_dir: Path | None = None,
        step_started: datetime | None = None,
        secrets: Secrets | None = None,
        on_rejoin: RejoinListener | None = None,
        on_alert: AlertListener | None = None,
    ) -> None:
        self._submit = submit
        self._host = host
        self.policy = policy or SecurityPolicy()
        self.secrets = secrets or Secrets()
        self._requested_port = port or self.secrets.port
        self._copy = Broadcaster(session, step_started, on_presence)
        self._files = PageFiles(page_dir)
        self._joining = Joining(
            self._copy,
            self.secrets,
            self.policy,
            JoinLimits(self.policy, on_alert),
            RejoinQuestions(on_rejoin),
            self._submitted,
        )
        self._keys: dict[str, OrderedDict[str, asyncio.Future[dict[str, Any]]]] = {}
        self._turns: dict[str, asyncio.Lock] = {}
        """One contribution at a time per participant: each is checked against a copy that has their last one."""
        self._buckets: dict[str, TokenBucket] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # -- life cycle (any thread) ------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        """Start listening; returns once the port is bound, or raises :class:`LiveServerError`."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = self._copy.loop = loop
            try:
                loop.run_until_complete(self._startup())
            except Exception as error:  # reported to the caller of start()
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._cleanup())
                loop.close()

        self._thread = threading.Thread(target=run, name="participant-server", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise LiveServerError("the participant server did not start in time")
        if failure:
            raise LiveServerError(f"cannot listen on {self._host}: {failure[0]}") from failure[0]

    def stop(self, timeout: float = 5.0) -> None:
        """Disconnect every page and stop listening. Safe to call twice."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}/"

    @property
    def join_code(self) -> str:
        return self.secrets.join_code

    @property
    def join_url(self) -> str:
        """The address with the code, for the QR code."""
        return f"{self.url}?code={self.join_code}"

    @property
    def joining_locked(self) -> bool:
        """Set by the facilitator: nobody new may join (people already in the session may reconnect)."""
        return self._joining.locked

    @joining_locked.setter
    def joining_locked(self, locked: bool) -> None:
        self._joining.locked = locked

    @property
    def on_rejoin(self) -> RejoinListener | None:
        """Told (on the server's thread) each new or changed question for the facilitator."""
        return self._joining.questions.on_rejoin

    @on_rejoin.setter
    def on_rejoin(self, listener: RejoinListener | None) -> None:
        self._joining.questions.on_rejoin = listener

    @property
    def on_alert(self) -> AlertListener | None:
        """Told (on the server's thread) what the facilitator should know, such as a flood of wrong codes."""
        return self._joining.limits.on_alert

    @on_alert.setter
    def on_alert(self, listener: AlertListener | None) -> None:
        self._joining.limits.on_alert = listener

    def active_participants(self) -> frozenset[str]:
        """Participants with a page connected right now."""
        return self._copy.active_participants()

    # -- from the document's thread ---------------------------------------------------------

    def broadcast(self, record: LogRecord) -> None:
        """Send an applied record to every page (thread-safe, returns at once)."""
        if self.running:
            self._copy.broadcast(record)

    async def _submitted(self, op: Operation, actor: str) -> LogRecord:
        """``submit`` awaited on the loop: the answers of one committed group wake the loop once, not each."""
        waiter: asyncio.Future[LogRecord] = asyncio.get_running_loop().create_future()

        def settle(done: concurrent.futures.Future[LogRecord]) -> None:
            if waiter.done():
                return
            if done.cancelled():
                waiter.cancel()
                return
            error = done.exception()
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(done.result())

        self._submit(op, actor).add_done_callback(lambda done: self._copy.post(lambda: settle(done)))
        return await waiter

    def revoke(self, participant_id: str) -> None:
        """Remove a participant: their token, devices and name stop working and their pages are told so."""
        person = self._copy.session.participants.get(participant_id)
        if person is not None:
            self.secrets.removed_names.add(comparable_name(person.name))
        # refused from now on, as lift_removal lets back in at once: a removal queued behind the loop could
        # land after a "Let back in" clicked just after it, and the panel would show the wrong state meanwhile
        self.secrets.revoked.add(participant_id)
        if self._loop is not None and self.running:
            self._loop.call_soon_threadsafe(self._disconnect, participant_id)

    def lift_removal(self, participant_id: str) -> None:
        """Let a removed participant join again (from any device, under their name)."""
        person = self._copy.session.participants.get(participant_id)
        self.secrets.revoked.discard(participant_id)
        if person is not None:
            self.secrets.removed_names.discard(comparable_name(person.name))
        self.secrets.removed_devices -= self._joining.devices.get(participant_id, set())

    def decide_rejoin(self, request_id: str, same_person: bool) -> None:
        """The facilitator's answer to a :class:`~workshop.live.identity.RejoinRequest` (thread-safe)."""
        decision = Decision.SAME_PERSON if same_person else Decision.SOMEONE_ELSE
        if self._loop is not None and self.running:
            self._loop.call_soon_threadsafe(self._joining.questions.decide, request_id, decision)

    # -- the loop thread --------------------------------------------------------------------

    async def _startup(self) -> None:
        app = web.Application(client_max_size=self.policy.max_message_bytes, middlewares=[PageFiles.headers])
        self._files.add_routes(app)
        self._joining.add_routes(app)
        app.router.add_get("/ws", self._socket)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self._host, self._requested_port, backlog=LISTEN_BACKLOG).start()
        except OSError:
            if not self._requested_port:
                raise
            # The remembered port is taken: any free one (phones rejoin through the new address).
            await web.TCPSite(self._runner, self._host, 0, backlog=LISTEN_BACKLOG).start()
        self._port = int(self._runner.addresses[0][1])
        self.secrets.port = self._port

    async def _cleanup(self) -> None:
        for page in list(self._copy.pages.values()):
            with contextlib.suppress(Exception):
                await page.socket.close(code=1001, message=b"session closed")
        if self._runner is not None:
            await self._runner.cleanup()

    def _disconnect(self, participant_id: str) -> None:
        """On the loop: refuse the removed participant's devices too and tell their pages."""
        if participant_id not in self.secrets.revoked:
            return  # let back in before the loop came to it
        self.secrets.removed_devices |= self._joining.devices.get(participant_id, set())
        self._copy.close_pages_of(participant_id, CLOSE_REMOVED)

    # -- the WebSocket -----------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            raise web.HTTPForbidden(text="cross-origin connection refused")
        pages = self._copy.pages
        if len(pages) >= self.policy.max_connections:
            raise web.HTTPServiceUnavailable(text="The session has as many pages open as it can take.")
        socket = web.WebSocketResponse(max_msg_size=self.policy.max_message_bytes, heartbeat=20.0)
        await socket.prepare(request)
        participant_id = await self._hello(socket)
        if participant_id is None:
            return socket
        if sum(p.participant_id == participant_id for p in pages.values()) >= (
            self.policy.max_connections_per_participant
        ):
            await socket.send_str(message_text({"type": "error", "error": "this person has too many pages open"}))
            await socket.close(code=CLOSE_TOO_MANY_PAGES, message=b"too many pages")
            return socket
        page = Page(participant_id, socket, asyncio.Queue())
        writer = asyncio.create_task(self._write(page))
        pages[socket] = page
        self._copy.presence_changed()
        self._copy.welcome(page)
        try:
            await self._read(page)
        finally:
            pages.pop(socket, None)
            self._copy.presence_changed()
            page.outbox.put_nowait(None)
            await writer
        return socket

    async def _hello(self, socket: web.WebSocketResponse) -> str | None:
        try:
            message = await socket.receive(timeout=15.0)
        except TimeoutError:
            await socket.close(code=CLOSE_NO_HELLO, message=b"no hello")  # a slow line, not a bad token: retry
            return None
        holder = None
        if message.type == WSMsgType.TEXT:
            try:
                hello = parse_client_message(message.data)
            except ProtocolError:
                hello = None
            if isinstance(hello, Hello):
                holder = self.secrets.holder(hello.token)
        if holder is not None and holder in self.secrets.revoked:  # the page says so and offers no form
            await socket.send_str(message_text({"type": "removed"}))
            await socket.close(code=CLOSE_REMOVED, message=b"removed")
            return None
        if holder is None or holder not in self._copy.session.participants:
            await socket.send_str(
                message_text({"type": "error", "error": "unknown or expired token; please join again"})
            )
            await socket.close(code=CLOSE_UNAUTHORIZED, message=b"unauthorized")
            return None
        return holder

    async def _write(self, page: Page) -> None:
        while True:
            message = await page.outbox.get()
            if message is None or page.socket.closed:
                break
            try:
                await page.socket.send_str(message)
            except (ConnectionError, RuntimeError):
                break
        with contextlib.suppress(Exception):
            await page.socket.close(code=page.close_code)

    async def _read(self, client: Page) -> None:
        bad = 0
        tasks: set[asyncio.Task[None]] = set()
        control = TokenBucket(CONTROL_BURST, self.policy.control_messages_per_second)
        async for message in client.socket:
            if message.type != WSMsgType.TEXT:
                bad += 1
                self._copy.send(client, message_text({"type": "error", "error": "send JSON text messages"}))
            else:
                try:
                    parsed = parse_client_message(message.data)
                except ProtocolError as error:
                    bad += 1
                    self._copy.send(client, message_text({"type": "error", "error": str(error)}))
                else:
                    if isinstance(parsed, Ping | Hello) and not control.take():
                        bad += 1  # a flood of control messages is abuse like malformed ones
                    elif isinstance(parsed, Ping):
                        self._copy.send(client, message_text({"type": "pong"}))
                    elif isinstance(parsed, Hello):
                        bad += 1
                        self._copy.send(client, message_text({"type": "error", "error": "already connected"}))
                    else:
                        task = asyncio.create_task(self._contribute(client, parsed))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
            if bad > MAX_BAD_MESSAGES:
                await client.socket.close(code=1008, message=b"too many malformed messages")
                break

    async def _contribute(self, client: Page, message: Contribution) -> None:
        participant_id = client.participant_id
        if participant_id in self.secrets.revoked:
            client.close_code = CLOSE_REMOVED
            client.outbox.put_nowait(None)
            return
        keys = self._keys.setdefault(participant_id, OrderedDict())
        known = keys.get(message.key)
        if known is None:
            bucket = self._buckets.setdefault(
                participant_id,
                TokenBucket(self.policy.contribution_burst, self.policy.contributions_per_second),
            )
            if not bucket.take():
                self._copy.send(
                    client, message_text({"type": "nack", "key": message.key, "retry": True, "error": "slow down"})
                )
                return
            known = asyncio.get_running_loop().create_future()
            keys[message.key] = known
            while len(keys) > self.policy.max_idempotency_keys:
                keys.popitem(last=False)
            result = await self._apply(participant_id, message)
            known.set_result(result)
            if result.get("retry"):
                keys.pop(message.key, None)  # not recorded: a resend must try again
        reply = await asyncio.shield(known)
        if not client.socket.closed:
            self._copy.send(client, message_text(reply))

    async def _apply(self, participant_id: str, message: Contribution) -> dict[str, Any]:
        if not isinstance(message, LIMITED):
            return await self._apply_one(participant_id, message)
        turn = self._turns.setdefault(participant_id, asyncio.Lock())
        async with turn:  # a burst is checked one by one, each against a copy holding the one before
            return await self._apply_one(participant_id, message)

    async def _apply_one(self, participant_id: str, message: Contribution) -> dict[str, Any]:
        done = existing_contribution(self._copy.session, participant_id, message)
        if done is not None:  # resent after its acknowledgement was lost, maybe in an earlier opening
            return {"type": "ack", "key": message.key, "seq": None, "id": done}
        try:
            op = contribution_operation(self._copy.session, participant_id, message)
            record = await self._submitted(op, participant_actor(participant_id))
        except (ContributionRefused, OperationError) as error:
            done = existing_contribution(self._copy.session, participant_id, message)
            if done is not None:  # a resend that raced its first copy to the document
                return {"type": "ack", "key": message.key, "seq": None, "id": done}
            return {"type": "nack", "key": message.key, "retry": False, "error": str(error)}
        except Exception:
            log.exception("contribution %s of %s failed", message.key, participant_id)
            return {"type": "nack", "key": message.key, "retry": True, "error": "not saved; will retry"}
        with contextlib.suppress(TimeoutError):
            await self._copy.until_copy_has(record.seq)
        element = next(iter(record.op.primitives()))
        return {"type": "ack", "key": message.key, "seq": record.seq, "id": element_id(element)}
