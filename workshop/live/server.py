"""The participant server: HTTP + WebSocket (aiohttp) in its own asyncio loop and thread.

The server knows nothing of Qt. The app hands it two things:

* ``submit(op, actor) -> concurrent.futures.Future[LogRecord]``, thread-safe,
  which applies an operation on the thread that owns the document and
  resolves once it is committed; a contribution is acknowledged only then;
* every applied record, from any front, through :meth:`LiveServer.broadcast`
  (thread-safe), which the server replays on its own copy of the session and
  sends to every page.

Pages talk JSON over one WebSocket (``/ws``) after joining over HTTP
(``/api/session``, ``/api/join``). The server serves its three page assets
and the session, nothing else.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from secrets import token_urlsafe
from typing import Any

from aiohttp import WSMsgType, web
from pydantic import ValidationError

from workshop.domain.document import LogRecord, participant_actor
from workshop.domain.errors import OperationError
from workshop.domain.operations import Operation, SetSessionOp, element_id
from workshop.domain.session import Session, SessionState
from workshop.live import public_view
from workshop.live.contributions import (
    ContributionRefused,
    contribution_operation,
    existing_contribution,
    join_operation,
)
from workshop.live.identity import Decision, RejoinRequest, comparable_name
from workshop.live.page_style import diagram_css
from workshop.live.protocol import (
    AgreementAnswer,
    CodeRequest,
    Contribution,
    DotVote,
    Hello,
    JoinRequest,
    Ping,
    ProtocolError,
    RejoinStatusRequest,
    SurveyAnswer,
    parse_client_message,
)
from workshop.live.security import FailureLimiter, Secrets, SecurityPolicy, TokenBucket
from workshop.resources import assets_dir

log = logging.getLogger(__name__)

Submit = Callable[[Operation, str], "concurrent.futures.Future[LogRecord]"]
PresenceListener = Callable[[frozenset[str]], None]
RejoinListener = Callable[[RejoinRequest], None]
"""Told (on the server's thread) when a join names an existing participant: the facilitator decides."""
AlertListener = Callable[[str], None]
"""Told (on the server's thread) what the facilitator should know, such as joining being paused."""

PAGE_FILES = {
    "/": ("index.html", "text/html"),
    "/participant.css": ("participant.css", "text/css"),
    "/participant.js": ("participant.js", "text/javascript"),
}
"""The page's files, served as they are from ``assets/participant``; ``/diagram.css`` is generated (below)."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}

MAX_BAD_MESSAGES = 20
"""Malformed messages one connection may send before it is closed."""

CONTROL_BURST = 20
"""Hello/ping messages one connection may send at once before the rate applies."""

OUTBOX_LIMIT = 2000
"""Messages queued for one page before it is dropped (it reconnects and gets a fresh snapshot)."""

CLOSE_UNAUTHORIZED = 4001
CLOSE_TOO_MANY_PAGES = 4008
CLOSE_NO_HELLO = 4002

MAX_REJOIN_REQUESTS = 100
"""Unanswered rejoin requests kept; older ones expire."""

LIMITED = (DotVote, AgreementAnswer, SurveyAnswer)
"""Contributions bounded per person (a dot budget, one answer): taken one at a time per participant."""


class LiveServerError(RuntimeError):
    """The server could not start (address in use, interface not present)."""


@dataclass
class _Client:
    participant_id: str
    socket: web.WebSocketResponse
    outbox: asyncio.Queue[str | None]


def secrets_token() -> str:
    return token_urlsafe(12)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


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
        self._state = SessionState(session.model_copy(deep=True))
        self._submit = submit
        self._host = host
        self.policy = policy or SecurityPolicy()
        self.secrets = secrets or Secrets()
        self._requested_port = port or self.secrets.port
        self._on_rejoin = on_rejoin
        self._on_alert = on_alert
        self.joining_locked = False
        """Set by the facilitator: nobody new may join (people already in the session may reconnect)."""
        self._devices: dict[str, set[str]] = {}
        """The devices each participant joined from in this opening."""
        self._rejoins: dict[str, RejoinRequest] = {}
        self._on_presence = on_presence
        folder = page_dir or assets_dir() / "participant"
        self._pages = {route: ((folder / name).read_bytes(), kind) for route, (name, kind) in PAGE_FILES.items()}
        # the diagram's colours and widths come from the style table the canvas and the exports read
        self._pages["/diagram.css"] = (diagram_css().encode("utf-8"), "text/css")
        self._seq = 0
        self._step_started: str | None = step_started.isoformat() if step_started else None
        """When the current step began, for the page's timer; follows the records from here on."""
        self._clients: dict[web.WebSocketResponse, _Client] = {}
        self._keys: dict[str, OrderedDict[str, asyncio.Future[dict[str, Any]]]] = {}
        self._turns: dict[str, asyncio.Lock] = {}
        """One contribution at a time per participant: each is checked against a copy that has their last one."""
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        """Contributions waiting for the server's copy to reach their record's seq."""
        self._buckets: dict[str, TokenBucket] = {}
        self._join_failures = FailureLimiter(self.policy.failed_joins_per_window, self.policy.join_window_seconds)
        self._join_failures_all = FailureLimiter(self.policy.failed_joins_overall, self.policy.join_window_seconds)
        self._new_joins = FailureLimiter(self.policy.new_participants_per_window, self.policy.join_window_seconds)
        self._pending: list[dict[str, Any]] = []
        self._pending_own: set[str] = set()
        """Participants whose own view changed since the last flush."""
        self._flush_scheduled = False
        self._inbox: list[Callable[[], None]] = []
        """Calls from the document's thread not yet run by the loop (guarded by ``_inbox_lock``)."""
        self._inbox_lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._active_lock = threading.Lock()
        self._active: frozenset[str] = frozenset()

    # -- life cycle (any thread) ------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        """Start listening; returns once the port is bound, or raises :class:`LiveServerError`."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
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

    def active_participants(self) -> frozenset[str]:
        """Participants with a page connected right now."""
        with self._active_lock:
            return self._active

    # -- from the document's thread ---------------------------------------------------------

    def broadcast(self, record: LogRecord) -> None:
        """Send an applied record to every page (thread-safe, returns at once).

        Records queue up and the loop is woken once for all that arrived before it ran: waking it costs a
        write to its pipe each time, which a group of contributions need not pay per record.
        """
        if self._loop is not None and self.running:
            self._post(lambda: self._on_record(record))

    def _post(self, call: Callable[[], None]) -> None:
        """Run ``call`` on the loop (thread-safe), in order; one wake-up for all posted before the loop runs."""
        loop = self._loop
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

        self._submit(op, actor).add_done_callback(lambda done: self._post(lambda: settle(done)))
        return await waiter

    def revoke(self, participant_id: str) -> None:
        """Remove a participant: their token, devices and name stop working and their pages are disconnected."""
        person = self._state.session.participants.get(participant_id)
        if person is not None:
            self.secrets.removed_names.add(comparable_name(person.name))
        # refused from now on, as lift_removal lets back in at once: a removal queued behind the loop could
        # land after a "Let back in" clicked just after it, and the panel would show the wrong state meanwhile
        self.secrets.revoked.add(participant_id)
        if self._loop is not None and self.running:
            self._loop.call_soon_threadsafe(self._disconnect, participant_id)

    def lift_removal(self, participant_id: str) -> None:
        """Let a removed participant join again (from any device, under their name)."""
        person = self._state.session.participants.get(participant_id)
        self.secrets.revoked.discard(participant_id)
        if person is not None:
            self.secrets.removed_names.discard(comparable_name(person.name))
        self.secrets.removed_devices -= self._devices.get(participant_id, set())

    def decide_rejoin(self, request_id: str, same_person: bool) -> None:
        """The facilitator's answer to a :class:`RejoinRequest` (thread-safe)."""
        decision = Decision.SAME_PERSON if same_person else Decision.SOMEONE_ELSE
        if self._loop is not None and self.running:
            self._loop.call_soon_threadsafe(self._decide, request_id, decision)

    def _decide(self, request_id: str, decision: Decision) -> None:
        request = self._rejoins.get(request_id)
        if request is not None:
            request.decision = decision

    # -- the loop thread --------------------------------------------------------------------

    async def _startup(self) -> None:
        app = web.Application(client_max_size=self.policy.max_message_bytes, middlewares=[self._headers])
        app.router.add_get("/", self._page)
        app.router.add_get("/participant.css", self._page)
        app.router.add_get("/participant.js", self._page)
        app.router.add_get("/diagram.css", self._page)
        app.router.add_post("/api/session", self._session_info)
        app.router.add_post("/api/join", self._join)
        app.router.add_post("/api/join/status", self._join_status)
        app.router.add_get("/ws", self._socket)
        app.on_response_prepare.append(self._name_server)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self._host, self._requested_port).start()
        except OSError:
            if not self._requested_port:
                raise
            # The remembered port is taken: any free one (phones rejoin through the new address).
            await web.TCPSite(self._runner, self._host, 0).start()
        self._port = int(self._runner.addresses[0][1])
        self.secrets.port = self._port

    @staticmethod
    async def _name_server(_request: web.Request, response: web.StreamResponse) -> None:
        """No versions in the Server header: they only help someone looking for a known hole."""
        response.headers["Server"] = "Process Workshop"

    async def _cleanup(self) -> None:
        for client in list(self._clients.values()):
            with contextlib.suppress(Exception):
                await client.socket.close(code=1001, message=b"session closed")
        if self._runner is not None:
            await self._runner.cleanup()

    @web.middleware
    async def _headers(self, request: web.Request, handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPException as error:
            error.headers.update(SECURITY_HEADERS)
            raise
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    async def _page(self, request: web.Request) -> web.Response:
        body, kind = self._pages[request.path]
        return web.Response(body=body, content_type=kind, charset="utf-8")

    def _on_record(self, record: LogRecord) -> None:
        try:
            record.op.execute(self._state)
        except OperationError:
            log.exception("participant server copy diverged at seq %d", record.seq)
        self._seq = record.seq
        if self._waiting:
            still = []
            for seq, waiter in self._waiting:
                if seq <= self._seq:
                    if not waiter.done():
                        waiter.set_result(None)
                else:
                    still.append((seq, waiter))
            self._waiting = still
        if any(isinstance(op, SetSessionOp) and "current_step" in op.changes for op in record.op.primitives()):
            self._step_started = record.time.isoformat()
        self._pending.extend(public_view.changes(self._state, record))
        self._pending_own |= public_view.participants_touched(self._state, record)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    async def _until_copy_has(self, seq: int) -> None:
        """Wait until the server's copy has applied record ``seq`` (its broadcast may trail the commit)."""
        if self._seq >= seq:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append((seq, waiter))
        await asyncio.wait_for(waiter, timeout=10.0)

    def _flush(self) -> None:
        self._flush_scheduled = False
        message = _json(
            {
                "type": "changes",
                "seq": self._seq,
                "changes": self._pending,
                "meta": public_view.meta(self._state.session, self._step_started),
            }
        )
        self._pending = []
        own, self._pending_own = self._pending_own, set()
        for client in list(self._clients.values()):
            self._send(client, message)
            if client.participant_id in own:
                self._send(client, self._own_message(client.participant_id))

    def _own_message(self, participant_id: str) -> str:
        return _json({"type": "mine", **public_view.own_view(self._state.session, participant_id)})

    def _send(self, client: _Client, message: str) -> None:
        if client.outbox.qsize() >= OUTBOX_LIMIT:
            log.warning("page of %s fell behind; disconnecting it", client.participant_id)
            client.outbox.put_nowait(None)
            return
        client.outbox.put_nowait(message)

    def _disconnect(self, participant_id: str) -> None:
        """On the loop: refuse the removed participant's devices too and close their pages."""
        if participant_id not in self.secrets.revoked:
            return  # let back in before the loop came to it
        self.secrets.removed_devices |= self._devices.get(participant_id, set())
        for client in list(self._clients.values()):
            if client.participant_id == participant_id:
                client.outbox.put_nowait(None)

    def _presence_changed(self) -> None:
        active = frozenset(c.participant_id for c in self._clients.values())
        with self._active_lock:
            changed = active != self._active
            self._active = active
        if changed and self._on_presence is not None:
            self._on_presence(active)

    # -- joining -----------------------------------------------------------------------------

    def _check_code(self, request: web.Request, code: str) -> None:
        address = request.remote or "?"
        if self._join_failures.blocked(address):
            raise web.HTTPTooManyRequests(text="Too many wrong codes; wait a minute and try again.")
        if self._join_failures_all.blocked("*"):
            raise web.HTTPTooManyRequests(text="Joining is paused for a minute; please try again then.")
        if not self.secrets.code_matches(code):
            self._join_failures.fail(address)
            self._join_failures_all.fail("*")
            if self._join_failures_all.blocked("*") and self._on_alert is not None:
                self._on_alert("Joining is paused for a minute: too many wrong join codes were tried.")
            raise web.HTTPForbidden(text="That join code is not valid for this session.")

    async def _body(
        self, request: web.Request, model: type[CodeRequest] | type[JoinRequest] | type[RejoinStatusRequest]
    ) -> Any:
        if request.content_type != "application/json":  # a form on another site cannot post JSON without asking
            raise web.HTTPUnsupportedMediaType(text="send JSON")
        try:
            return model.model_validate_json(await request.read())
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(body)"
            raise web.HTTPBadRequest(text=f"{where}: {first['msg']}") from None

    async def _session_info(self, request: web.Request) -> web.Response:
        body: CodeRequest = await self._body(request, CodeRequest)
        self._check_code(request, body.code)
        session = self._state.session
        organizations = [{"id": o.id, "name": o.name, "colour": o.colour} for o in session.organizations.values()]
        return web.json_response({"title": session.title, "organizations": organizations}, dumps=_json)

    async def _join(self, request: web.Request) -> web.Response:
        body: JoinRequest = await self._body(request, JoinRequest)
        self._check_code(request, body.code)
        session = self._state.session
        if (body.device and body.device in self.secrets.removed_devices) or (
            comparable_name(body.name) in self.secrets.removed_names
        ):
            raise web.HTTPForbidden(text="The facilitator has removed this participant.")
        try:
            participant_id, op = join_operation(session, body.name, body.organization_id)
        except ContributionRefused as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        if participant_id in self.secrets.revoked:
            raise web.HTTPForbidden(text="The facilitator has removed this participant.")
        if op is None:  # the name of someone already in the session: only their device, or the facilitator, says so
            if body.device and body.device in self._devices.get(participant_id, set()):
                return self._joined(participant_id, body.device)
            return self._ask_facilitator(participant_id, body.device)
        if self.joining_locked:
            raise web.HTTPForbidden(text="Joining is closed. Please ask the facilitator.")
        if len(session.participants) >= self.policy.max_participants:
            raise web.HTTPServiceUnavailable(text="The session is full.")
        address = request.remote or "?"
        if self._new_joins.blocked(address):
            raise web.HTTPTooManyRequests(text="Too many people joined from this device; wait a minute.")
        self._new_joins.fail(address)
        try:
            await self._submitted(op, participant_actor(participant_id))
        except OperationError as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        return self._joined(participant_id, body.device)

    def _joined(self, participant_id: str, device: str) -> web.Response:
        if device:
            self._devices.setdefault(participant_id, set()).add(device)
        token = self.secrets.token_for(participant_id)
        return web.json_response({"token": token, "participant_id": participant_id}, dumps=_json)

    def _ask_facilitator(self, participant_id: str, device: str) -> web.Response:
        for request in self._rejoins.values():  # the same device asking again waits for the same answer
            if request.participant_id == participant_id and request.device == device and device:
                break
        else:
            request = RejoinRequest(id=secrets_token(), participant_id=participant_id, device=device)
            self._rejoins[request.id] = request
            while len(self._rejoins) > MAX_REJOIN_REQUESTS:
                self._rejoins.pop(next(iter(self._rejoins)))
            if self._on_rejoin is not None:
                self._on_rejoin(request)
        return web.json_response(
            {
                "pending": request.id,
                "message": "Someone with this name has joined already. The facilitator will confirm it is you.",
            },
            status=202,
            dumps=_json,
        )

    async def _join_status(self, request: web.Request) -> web.Response:
        body: RejoinStatusRequest = await self._body(request, RejoinStatusRequest)
        self._check_code(request, body.code)
        rejoin = self._rejoins.get(body.request)
        if rejoin is None:
            raise web.HTTPNotFound(text="This request to rejoin has expired; please join again.")
        if rejoin.decision == Decision.PENDING:
            return web.json_response({"pending": rejoin.id}, status=202, dumps=_json)
        del self._rejoins[rejoin.id]
        if rejoin.decision == Decision.SOMEONE_ELSE or rejoin.participant_id in self.secrets.revoked:
            raise web.HTTPForbidden(
                text="The facilitator could not confirm it is you. Join with your full name, or ask the facilitator."
            )
        return self._joined(rejoin.participant_id, rejoin.device)

    # -- the WebSocket -----------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            raise web.HTTPForbidden(text="cross-origin connection refused")
        if len(self._clients) >= self.policy.max_connections:
            raise web.HTTPServiceUnavailable(text="The session has as many pages open as it can take.")
        socket = web.WebSocketResponse(max_msg_size=self.policy.max_message_bytes, heartbeat=20.0)
        await socket.prepare(request)
        participant_id = await self._hello(socket)
        if participant_id is None:
            return socket
        if sum(c.participant_id == participant_id for c in self._clients.values()) >= (
            self.policy.max_connections_per_participant
        ):
            await socket.send_str(_json({"type": "error", "error": "this person has too many pages open"}))
            await socket.close(code=CLOSE_TOO_MANY_PAGES, message=b"too many pages")
            return socket
        client = _Client(participant_id, socket, asyncio.Queue())
        writer = asyncio.create_task(self._write(client))
        self._clients[socket] = client
        self._presence_changed()
        snapshot = public_view.snapshot(self._state.session, self._seq, self._step_started)
        own = public_view.own_view(self._state.session, participant_id)
        self._send(client, _json({"type": "welcome", "participant_id": participant_id, "own": own, **snapshot}))
        try:
            await self._read(client)
        finally:
            self._clients.pop(socket, None)
            self._presence_changed()
            client.outbox.put_nowait(None)
            await writer
        return socket

    async def _hello(self, socket: web.WebSocketResponse) -> str | None:
        try:
            message = await socket.receive(timeout=15.0)
        except TimeoutError:
            await socket.close(code=CLOSE_NO_HELLO, message=b"no hello")  # a slow line, not a bad token: retry
            return None
        participant_id = None
        if message.type == WSMsgType.TEXT:
            try:
                hello = parse_client_message(message.data)
            except ProtocolError:
                hello = None
            if isinstance(hello, Hello):
                participant_id = self.secrets.participant_for(hello.token)
        if participant_id is None or participant_id not in self._state.session.participants:
            await socket.send_str(_json({"type": "error", "error": "unknown or expired token; please join again"}))
            await socket.close(code=CLOSE_UNAUTHORIZED, message=b"unauthorized")
            return None
        return participant_id

    async def _write(self, client: _Client) -> None:
        while True:
            message = await client.outbox.get()
            if message is None or client.socket.closed:
                break
            try:
                await client.socket.send_str(message)
            except (ConnectionError, RuntimeError):
                break
        with contextlib.suppress(Exception):
            await client.socket.close()

    async def _read(self, client: _Client) -> None:
        bad = 0
        tasks: set[asyncio.Task[None]] = set()
        control = TokenBucket(CONTROL_BURST, self.policy.control_messages_per_second)
        async for message in client.socket:
            if message.type != WSMsgType.TEXT:
                bad += 1
                self._send(client, _json({"type": "error", "error": "send JSON text messages"}))
            else:
                try:
                    parsed = parse_client_message(message.data)
                except ProtocolError as error:
                    bad += 1
                    self._send(client, _json({"type": "error", "error": str(error)}))
                else:
                    if isinstance(parsed, Ping | Hello) and not control.take():
                        bad += 1  # a flood of control messages is abuse like malformed ones
                    elif isinstance(parsed, Ping):
                        self._send(client, _json({"type": "pong"}))
                    elif isinstance(parsed, Hello):
                        bad += 1
                        self._send(client, _json({"type": "error", "error": "already connected"}))
                    else:
                        task = asyncio.create_task(self._contribute(client, parsed))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
            if bad > MAX_BAD_MESSAGES:
                await client.socket.close(code=1008, message=b"too many malformed messages")
                break

    async def _contribute(self, client: _Client, message: Contribution) -> None:
        participant_id = client.participant_id
        if participant_id in self.secrets.revoked:
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
                self._send(client, _json({"type": "nack", "key": message.key, "retry": True, "error": "slow down"}))
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
            self._send(client, _json(reply))

    async def _apply(self, participant_id: str, message: Contribution) -> dict[str, Any]:
        if not isinstance(message, LIMITED):
            return await self._apply_one(participant_id, message)
        turn = self._turns.setdefault(participant_id, asyncio.Lock())
        async with turn:  # a burst is checked one by one, each against a copy holding the one before
            return await self._apply_one(participant_id, message)

    async def _apply_one(self, participant_id: str, message: Contribution) -> dict[str, Any]:
        done = existing_contribution(self._state.session, participant_id, message)
        if done is not None:  # resent after its acknowledgement was lost, maybe in an earlier opening
            return {"type": "ack", "key": message.key, "seq": None, "id": done}
        try:
            op = contribution_operation(self._state.session, participant_id, message)
            record = await self._submitted(op, participant_actor(participant_id))
        except (ContributionRefused, OperationError) as error:
            done = existing_contribution(self._state.session, participant_id, message)
            if done is not None:  # a resend that raced its first copy to the document
                return {"type": "ack", "key": message.key, "seq": None, "id": done}
            return {"type": "nack", "key": message.key, "retry": False, "error": str(error)}
        except Exception:
            log.exception("contribution %s of %s failed", message.key, participant_id)
            return {"type": "nack", "key": message.key, "retry": True, "error": "not saved; will retry"}
        with contextlib.suppress(TimeoutError):
            await self._until_copy_has(record.seq)
        element = next(iter(record.op.primitives()))
        return {"type": "ack", "key": message.key, "seq": record.seq, "id": element_id(element)}
