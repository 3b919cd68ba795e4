"""The server's copy of the session and what every connected page is sent of it.

The app hands every applied record to :meth:`Broadcaster.broadcast` from its
own thread. The records queue up and the loop is woken once for all that
arrived before it ran; the loop replays them on its copy of the session (it
never reads the document across threads) and sends each page what it may see
(:mod:`workshop.live.public_view`), all the changes of one wake-up in one
message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from workshop.domain.model.document import LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import SetSessionOp
from workshop.domain.model.session import Session, SessionState
from workshop.live import public_view
from workshop.live.protocol import message_text

log = logging.getLogger(__name__)

PresenceListener = Callable[[frozenset[str]], None]

OUTBOX_LIMIT = 2000
"""Messages queued for one page before it is dropped (it reconnects and gets a fresh snapshot)."""

FLUSH_SPACING = 0.03
"""Seconds between two broadcasts of changes at the least; a quiet room's change goes out at once."""

CLOSE_REMOVED = 4003
"""Close code telling a page its person was removed: it says so and offers no form."""


@dataclass
class Page:
    """One connected page: whose it is and what waits to be written to it."""

    participant_id: str
    socket: web.WebSocketResponse
    outbox: asyncio.Queue[str | None]
    close_code: int = 1000
    """The code the writer closes with once it reads the end of the outbox (``None``)."""


class Broadcaster:
    """The server's copy of the session, the connected pages, and the loop's inbox from the app's thread."""

    def __init__(
        self, session: Session, step_started: datetime | None, on_presence: PresenceListener | None = None
    ) -> None:
        self.state = SessionState(session.model_copy(deep=True))
        self.seq = 0
        self.step_started: str | None = step_started.isoformat() if step_started else None
        """When the current step began, for the page's timer; follows the records from here on."""
        self.pages: dict[web.WebSocketResponse, Page] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self._on_presence = on_presence
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        """Contributions waiting for the copy to reach their record's seq."""
        self._pending: list[dict[str, object]] = []
        self._pending_own: set[str] = set()
        """Participants whose own view changed since the last flush."""
        self._flush_scheduled = False
        self._last_flush = 0.0
        """When the loop last sent the changes to every page (its clock)."""
        self._inbox: list[Callable[[], None]] = []
        """Calls from the document's thread not yet run by the loop (guarded by ``_inbox_lock``)."""
        self._inbox_lock = threading.Lock()
        self._active_lock = threading.Lock()
        self._active: frozenset[str] = frozenset()
        self._snapshot: tuple[tuple[int, str | None, int], str] | None = None
        """The public snapshot's JSON fields as of a (seq, step start, second), for welcoming pages."""
        self._elements: dict[str, dict[str, object]] | None = None
        """The public elements as every connected page holds them: made once, then kept by the records' changes."""
        self._elements_text: str | None = None
        """``_elements`` as JSON, until the next change to them."""

    @property
    def session(self) -> Session:
        return self.state.session

    # -- any thread -------------------------------------------------------------------------

    def post(self, call: Callable[[], None]) -> None:
        """Run ``call`` on the loop (thread-safe), in order; one wake-up for all posted before the loop runs.

        Waking the loop costs a write to its pipe each time, which a group of contributions need not pay per
        record.
        """
        loop = self.loop
        if loop is None:
            return
        with self._inbox_lock:
            self._inbox.append(call)
            wake = len(self._inbox) == 1
        if wake:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits any more
                loop.call_soon_threadsafe(self._take_inbox)

    def _take_inbox(self) -> None:
        with self._inbox_lock:
            calls, self._inbox = self._inbox, []
        for call in calls:
            call()

    def broadcast(self, record: LogRecord) -> None:
        """Send an applied record to every page (thread-safe, returns at once)."""
        self.post(lambda: self.on_record(record))

    def active_participants(self) -> frozenset[str]:
        with self._active_lock:
            return self._active

    # -- the loop ---------------------------------------------------------------------------

    def on_record(self, record: LogRecord) -> None:
        try:
            record.op.execute(self.state)
        except OperationError:
            log.exception("participant server copy diverged at seq %d", record.seq)
        self.seq = record.seq
        if self._waiting:
            still = []
            for seq, waiter in self._waiting:
                if seq <= self.seq:
                    if not waiter.done():
                        waiter.set_result(None)
                else:
                    still.append((seq, waiter))
            self._waiting = still
        if any(isinstance(op, SetSessionOp) and "current_step" in op.changes for op in record.op.primitives()):
            self.step_started = record.time.isoformat()
        found = public_view.changes(self.state, record)
        self._pending.extend(found)
        if self._elements is not None and found:
            for change in found:
                shown = self._elements.setdefault(str(change["kind"]), {})
                if change["data"] is None:
                    shown.pop(str(change["id"]), None)
                else:
                    shown[str(change["id"])] = change["data"]
            self._elements_text = None
        self._pending_own |= public_view.participants_touched(self.state, record)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._schedule_flush(asyncio.get_running_loop())

    def _schedule_flush(self, loop: asyncio.AbstractEventLoop) -> None:
        """Send what changed once the senders' acknowledgements are out, and at most every :data:`FLUSH_SPACING`.

        A flush writes one message to every page: a hundred writes. A contribution's acknowledgement needs two
        more turns of the loop (its task resumes, then its page's writer), so a flush made at once would put
        a hundred broadcasts ahead of every acknowledgement of the group; it waits those two turns. And a
        facilitator dragging a node makes a record every few milliseconds: one flush per record would be a
        hundred writes each time, so records that come within the spacing go out together.
        """
        wait = FLUSH_SPACING - (loop.time() - self._last_flush)
        if wait > 0:
            loop.call_later(wait, self._flush)
        else:
            loop.call_soon(loop.call_soon, self._flush)

    async def until_copy_has(self, seq: int) -> None:
        """Wait until the copy has applied record ``seq`` (its broadcast may trail the commit)."""
        if self.seq >= seq:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append((seq, waiter))
        await asyncio.wait_for(waiter, timeout=10.0)

    def _flush(self) -> None:
        self._flush_scheduled = False
        self._last_flush = asyncio.get_running_loop().time()
        message = message_text(
            {
                "type": "changes",
                "seq": self.seq,
                "changes": self._pending,
                "meta": public_view.meta(self.session, self.step_started),
            }
        )
        self._pending = []
        own, self._pending_own = self._pending_own, set()
        for page in list(self.pages.values()):
            self.send(page, message)
            if page.participant_id in own:
                self.send(page, self.own_message(page.participant_id))

    def own_message(self, participant_id: str) -> str:
        return message_text({"type": "mine", **public_view.own_view(self.session, participant_id)})

    def welcome(self, page: Page) -> None:
        """The first message of a page: the whole public session, and what its own person has done.

        The public part is the same for every page until the next record, so it is made and written as JSON
        once per record, not once per page: 300 phones connecting at once spent a third of the loop on it. Its
        elements (a room's model and ideas: hundreds of kilobytes) are kept by the records' changes, exactly as
        every connected page keeps them, and written again only when one changed: each of 300 joins is a record,
        and rebuilding them for each took 17 ms.
        """
        # the step clock's "remaining" moves with time (pages count down to "ends_at"): a second at most
        key = (self.seq, self.step_started, int(time.monotonic()))
        if self._snapshot is None or self._snapshot[0] != key:
            if self._elements is None:
                self._elements = public_view.snapshot(self.session, self.seq, self.step_started)["elements"]
            if self._elements_text is None:
                self._elements_text = message_text(self._elements)
            head = message_text({"seq": self.seq, "meta": public_view.meta(self.session, self.step_started)})
            self._snapshot = (key, f'{head[1:-1]},"elements":{self._elements_text}')  # its fields
        own = public_view.own_view(self.session, page.participant_id)
        head = message_text({"type": "welcome", "participant_id": page.participant_id, "own": own})
        fields = self._snapshot[1]
        self.send(page, f"{head[:-1]},{fields}}}" if fields else head)

    def send(self, page: Page, message: str) -> None:
        if page.outbox.qsize() >= OUTBOX_LIMIT:
            log.warning("page of %s fell behind; disconnecting it", page.participant_id)
            page.outbox.put_nowait(None)
            return
        page.outbox.put_nowait(message)

    def close_pages_of(self, participant_id: str, code: int) -> None:
        """Close every page of one participant, telling them why by the close code."""
        for page in list(self.pages.values()):
            if page.participant_id == participant_id:
                page.close_code = code
                page.outbox.put_nowait(None)

    def presence_changed(self) -> None:
        active = frozenset(p.participant_id for p in self.pages.values())
        with self._active_lock:
            changed = active != self._active
            self._active = active
        if changed and self._on_presence is not None:
            self._on_presence(active)
