"""Joining over HTTP: the code, a name and an organization become a participant and a token.

``/api/session`` checks the code and names the session's organizations;
``/api/join`` gives a token; ``/api/join/status`` is where a phone whose join
waits for the facilitator collects the answer. A name is not proof of who
someone is: a join naming an existing participant — or a name a reader cannot
tell from one, or from a removed person's — gets that identity only from the
phone that still holds their token, a device they joined from in this
opening, or the facilitator's answer (:mod:`workshop.live.rejoin_questions`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from workshop.domain.model.document import LogRecord, participant_actor
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import Operation
from workshop.domain.model.person_names import comparable_name, look_alike_key, shown_name
from workshop.live.broadcasting import Broadcaster
from workshop.live.contributions import ContributionRefused, join_operation
from workshop.live.identity import Decision
from workshop.live.join_limits import JoinLimited, JoinLimits
from workshop.live.protocol import CodeRequest, JoinRequest, RejoinStatusRequest, message_text
from workshop.live.rejoin_questions import AlreadyAsked, RejoinQuestions
from workshop.live.security import Secrets, SecurityPolicy

Submitted = Callable[[Operation, str], Awaitable[LogRecord]]

REMOVED = "The facilitator has removed this participant."


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=message_text)


class Joining:
    """The join endpoints and what they remember: the devices each participant joined from."""

    def __init__(
        self,
        copy: Broadcaster,
        secrets: Secrets,
        policy: SecurityPolicy,
        limits: JoinLimits,
        questions: RejoinQuestions,
        submitted: Submitted,
    ) -> None:
        self._copy = copy
        self._secrets = secrets
        self._policy = policy
        self.limits = limits
        self.questions = questions
        self._submitted = submitted
        self.locked = False
        """Set by the facilitator: nobody new may join (people already in the session may reconnect)."""
        self.devices: dict[str, set[str]] = {}
        """The devices each participant joined from in this opening."""

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/api/session", self._session_info)
        app.router.add_post("/api/join", self._join)
        app.router.add_post("/api/join/status", self._join_status)

    async def _check_code(self, request: web.Request, code: str, device: str) -> None:
        try:
            right = await self.limits.check_code(
                request.remote or "?", device, lambda: self._secrets.code_matches(code)
            )
        except JoinLimited as error:
            raise web.HTTPTooManyRequests(text=str(error)) from None
        if not right:
            raise web.HTTPForbidden(text="That join code is not valid for this session.")

    @staticmethod
    async def _body(
        request: web.Request, model: type[CodeRequest] | type[JoinRequest] | type[RejoinStatusRequest]
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
        await self._check_code(request, body.code, body.device)
        session = self._copy.session
        organizations = [{"id": o.id, "name": o.name, "colour": o.colour} for o in session.organizations.values()]
        return _json({"title": session.title, "organizations": organizations})

    async def _join(self, request: web.Request) -> web.Response:
        body: JoinRequest = await self._body(request, JoinRequest)
        await self._check_code(request, body.code, body.device)
        session = self._copy.session
        address = request.remote or "?"
        if (body.device and body.device in self._secrets.removed_devices) or (
            comparable_name(body.name) in self._secrets.removed_names
        ):
            raise web.HTTPGone(text=REMOVED)
        try:
            participant_id, op = join_operation(session, body.name, body.organization_id)
        except ContributionRefused as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        if participant_id in self._secrets.revoked:
            raise web.HTTPGone(text=REMOVED)
        if op is None:  # the name of someone already in the session: only their phone, or the facilitator, says so
            if self._secrets.participant_for(body.token) == participant_id or (
                body.device and body.device in self.devices.get(participant_id, set())
            ):
                return self._joined(participant_id, body.device)
            return self._ask_facilitator(address, participant_id, body.device)
        like = self._look_alike_of(body.name, participant_id)
        if like is not None:  # "Аnna Berg" (Cyrillic А) is not a new person until the facilitator says so
            return self._ask_facilitator(address, like, body.device, typed=shown_name(body.name))
        if self.locked:
            raise web.HTTPForbidden(text="Joining is closed. Please ask the facilitator.")
        if len(session.participants) >= self._policy.max_participants:
            raise web.HTTPServiceUnavailable(text="The session is full.")
        if not self.limits.allow_new_participant(address, body.device):
            raise web.HTTPTooManyRequests(text="Too many people joined from this device; wait a minute.")
        try:
            await self._submitted(op, participant_actor(participant_id))
        except OperationError as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        return self._joined(participant_id, body.device)

    def _look_alike_of(self, name: str, new_id: str) -> str | None:
        """The participant, present or removed, whose name a reader could not tell from ``name``."""
        key = look_alike_key(name)
        for person in self._copy.session.participants.values():
            if person.id != new_id and look_alike_key(person.name) == key:
                return person.id
        return None

    def _joined(self, participant_id: str, device: str) -> web.Response:
        if device:
            self.devices.setdefault(participant_id, set()).add(device)
        token = self._secrets.token_for(participant_id)
        return _json({"token": token, "participant_id": participant_id})

    def _ask_facilitator(self, address: str, participant_id: str, device: str, typed: str = "") -> web.Response:
        if not self.limits.allow_question(address):
            raise web.HTTPTooManyRequests(text="Too many requests to rejoin from this device; wait a minute.")
        try:
            question = self.questions.ask(participant_id, device, typed)
        except AlreadyAsked as error:
            raise web.HTTPConflict(text=str(error)) from None
        message = (
            "Someone with this name has joined already. The facilitator will confirm it is you: "
            f"show them the number {question.check}."
        )
        return _json({"pending": question.id, "check": question.check, "message": message}, status=202)

    async def _join_status(self, request: web.Request) -> web.Response:
        body: RejoinStatusRequest = await self._body(request, RejoinStatusRequest)
        await self._check_code(request, body.code, body.device)
        question = self.questions.get(body.request)
        if question is None:
            raise web.HTTPNotFound(text="This request to rejoin has expired; please join again.")
        if question.decision == Decision.PENDING:
            return _json({"pending": question.id}, status=202)
        self.questions.collected(question)
        if question.participant_id in self._secrets.revoked:
            raise web.HTTPGone(text=REMOVED)
        if question.decision == Decision.SOMEONE_ELSE:
            raise web.HTTPForbidden(
                text="The facilitator could not confirm it is you. Join with your full name, or ask the facilitator."
            )
        return self._joined(question.participant_id, question.device)
