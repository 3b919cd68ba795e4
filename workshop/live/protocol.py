"""The messages between the participant page and the server, validated by pydantic.

Everything a page sends is parsed into one of these models before anything
else happens; unknown fields are refused (``extra="forbid"``), so a page
cannot slip in an ``actor``, ``author_id`` or ``participant_id``: who acts is
decided by the server from the token, never by the message. Text fields are
bounded so one message cannot grow the record without limit.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from workshop.domain.model.json_text import JsonTextError, loads_strict

MAX_TEXT = 2000
"""Characters in one contribution's text."""

Key = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
"""Idempotency key chosen by the page; a resent contribution carries the same key."""

ContributionKind = Literal["comment", "problem", "idea", "question", "requirement"]
"""What a participant may add on a node, a flow or the model."""


class Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


Device = Annotated[str, Field(default="", max_length=64)]
"""A random id the page keeps in the browser: the device a participant joined from (limits count per device)."""


class CodeRequest(Message):
    """``POST /api/session``: the join code, answered with the title and organizations."""

    code: str = Field(min_length=1, max_length=32)
    device: Device = ""


class JoinRequest(Message):
    """``POST /api/join``: become a participant of this session."""

    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=80)
    organization_id: str = Field(min_length=1, max_length=80)
    device: Device = ""
    token: str = Field(default="", max_length=200)
    """The token the page still holds, if any: its holder rejoins under that name without a question."""


class RejoinStatusRequest(Message):
    """``POST /api/join/status``: has the facilitator confirmed a rejoin yet?"""

    code: str = Field(min_length=1, max_length=32)
    request: str = Field(min_length=1, max_length=64)
    device: Device = ""


class Hello(Message):
    """First WebSocket message: who is connecting."""

    type: Literal["hello"]
    token: str = Field(min_length=1, max_length=200)


class Annotate(Message):
    """A comment, problem, idea, question or requirement on a node, a flow or the shown model."""

    type: Literal["annotate"]
    key: Key
    target_kind: Literal["node", "flow", "model"]
    target_id: str = Field(min_length=1, max_length=80)
    annotation_kind: ContributionKind
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class MarkBoundary(Message):
    """A knowledge boundary on a handoff (a flow between two organizations)."""

    type: Literal["boundary"]
    key: Key
    flow_id: str = Field(min_length=1, max_length=80)
    boundary_type: Literal["syntactic", "semantic", "pragmatic"] = "semantic"
    not_shared: str = Field(default="", max_length=MAX_TEXT)


class DotVote(Message):
    """Dots on an idea or a problem."""

    type: Literal["vote"]
    key: Key
    annotation_id: str = Field(min_length=1, max_length=80)
    dots: int = Field(default=1, ge=1, le=5)


class AgreementAnswer(Message):
    """How well the participant's organization understands the shown process (1-5).

    ``predictability`` (1-5) answers the check's second question when the
    facilitator asks it; left out, an earlier answer to it stands.
    """

    type: Literal["agreement"]
    key: Key
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=MAX_TEXT)
    predictability: int | None = Field(default=None, ge=1, le=5)


class SurveyAnswer(Message):
    """One questionnaire: how the participant rates their organization's tie with one other organization."""

    type: Literal["survey"]
    key: Key
    round_id: str = Field(min_length=1, max_length=80)
    about_org_id: str = Field(min_length=1, max_length=80)
    answers: dict[Annotated[str, Field(max_length=64)], Annotated[int, Field(ge=0, le=100)]] = Field(max_length=60)


class Capture(Message):
    """A remark on where the walkthrough stands right now."""

    type: Literal["capture"]
    key: Key
    annotation_kind: ContributionKind
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class Ping(Message):
    type: Literal["ping"]


Contribution = Annotate | MarkBoundary | DotVote | AgreementAnswer | Capture | SurveyAnswer

ClientMessage = Annotated[
    Hello | Annotate | MarkBoundary | DotVote | AgreementAnswer | Capture | SurveyAnswer | Ping,
    Field(discriminator="type"),
]

CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


class ProtocolError(ValueError):
    """A message the server refuses; the text is safe to send back to the page."""


def parse_client_message(raw: str | bytes) -> ClientMessage:
    """Parse one WebSocket message, or raise :class:`ProtocolError` naming the bad field."""
    try:
        # the domain's strict reader: NaN, Infinity and overflowing numbers never reach a model
        return CLIENT_MESSAGE.validate_python(loads_strict(raw))
    except JsonTextError as error:
        raise ProtocolError(str(error)) from None
    except ValidationError as error:
        problems = []
        for problem in error.errors()[:3]:
            where = ".".join(str(p) for p in problem["loc"]) or "(message)"
            problems.append(f"{where}: {problem['msg']}")
        raise ProtocolError("; ".join(problems)) from None


def message_text(data: Any) -> str:
    """A message to a page as JSON text: compact, and people's text as it is (not ``\\u`` escapes)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
