"""What the group decides: coordination mechanisms, commitments, agreement checks, votes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from workshop.domain.model.entity import Entity, register


class MechanismKind(StrEnum):
    PLANS_AND_RULES = "plans_and_rules"
    ROLES = "roles"
    ROUTINES = "routines"
    BOUNDARY_OBJECTS = "boundary_objects"
    MEETINGS_AND_GROUPS = "meetings_and_groups"
    PROXIMITY = "proximity"


class CoordinationMode(StrEnum):
    STANDARDIZATION = "standardization"
    PLANNING = "planning"
    MUTUAL_ADJUSTMENT = "mutual_adjustment"


class MechanismStatus(StrEnum):
    KEEP = "existing_keep"
    CHANGE = "existing_change"
    RETIRE = "existing_retire"
    NEW = "new"


@register
class CoordinationMechanism(Entity):
    """A plan, rule, role, routine, boundary object, meeting or group that keeps organizations coordinated."""

    kind: ClassVar[str] = "mechanism"
    collection: ClassVar[str] = "mechanisms"
    refs: ClassVar[dict[str, str]] = {
        "owner_org_id": "organization",
        "flow_ids": "flow",
        "boundary_ids": "boundary",
    }

    name: str = Field(min_length=1)
    mechanism_kind: MechanismKind = MechanismKind.MEETINGS_AND_GROUPS
    mode: CoordinationMode = CoordinationMode.MUTUAL_ADJUSTMENT
    owner_org_id: str | None = None
    cadence: str = ""
    coordinates: str = ""
    status: MechanismStatus = MechanismStatus.NEW
    flow_ids: list[str] = Field(default_factory=list)
    """Handoffs this mechanism covers."""
    boundary_ids: list[str] = Field(default_factory=list)


class ContractState(StrEnum):
    """Where a line of the collaboration contract stands in its negotiation
    (:mod:`workshop.domain.facilitation.contract`)."""

    REQUESTED = "requested"
    """Asked for by the receiving organization (``to_org_id``); not yet answered."""
    CAN_DO = "can_do"
    CANNOT = "cannot"
    COUNTER_PROPOSAL = "counter_proposal"
    """The answering organization offers something else (``what`` is the offer, ``requested`` the request)."""
    AGREED = "agreed"
    """A commitment both sides agreed (what a line typed straight into the contract is)."""


@register
class Commitment(Entity):
    """One line of the collaboration contract: who delivers what to whom, in what form, by when.

    A line can be negotiated (:mod:`workshop.domain.facilitation.contract`): the
    organization that needs something (``to_org_id``) requests it, the one
    asked (``from_org_id``) answers can do, cannot or with a counter-proposal,
    and the line becomes an agreed commitment. ``flow_id`` is the handoff it
    serves. The log keeps every step, so its history can be followed.
    """

    kind: ClassVar[str] = "commitment"
    collection: ClassVar[str] = "commitments"
    refs: ClassVar[dict[str, str]] = {
        "from_org_id": "organization",
        "to_org_id": "organization",
        "mechanism_id": "mechanism",
        "flow_id": "flow",
        "agreed_by": "organization",
    }

    from_org_id: str
    to_org_id: str
    what: str = Field(min_length=1)
    form: str = ""
    by_when: str = ""
    mechanism_id: str | None = None
    done: bool = False
    state: ContractState = ContractState.AGREED
    flow_id: str | None = None
    requested: str = ""
    """What was asked for, when the answer changed ``what`` (a counter-proposal)."""
    answer: str = ""
    """The answering organization's reason or conditions, in their words."""
    agreed_by: list[str] = Field(default_factory=list)
    """The organizations that agreed to the line (both, for an agreed line; one while the other has not yet)."""


@register
class JointCommitment(Entity):
    """The organizations commit to the collaboration contract together, in one working session.

    The method's point: parties review, revise and commit *together*, not one
    after another. ``line_ids`` are the agreed lines committed to;
    ``organization_ids`` every organization that committed.
    """

    kind: ClassVar[str] = "joint_commitment"
    collection: ClassVar[str] = "joint_commitments"
    refs: ClassVar[dict[str, str]] = {"organization_ids": "organization", "line_ids": "commitment"}

    organization_ids: list[str] = Field(min_length=2)
    line_ids: list[str] = Field(min_length=1)
    note: str = ""
    created: datetime | None = None


@register
class AgreementRating(Entity):
    """One organization's (or participant's) rating of how well it understands the shown process."""

    kind: ClassVar[str] = "agreement"
    collection: ClassVar[str] = "agreements"
    refs: ClassVar[dict[str, str]] = {
        "organization_id": "organization",
        "participant_id": "participant",
        "model_id": "model",
    }

    check_id: str
    """Groups the ratings of one agreement check (usually the step's id)."""
    organization_id: str
    participant_id: str | None = None
    model_id: str | None = None
    rating: int = Field(ge=1, le=5)
    """Common understanding: how well the organization understands the shown process."""
    predictability: int | None = Field(default=None, ge=1, le=5)
    """Predictability, when the check asks it: how well the organization can foresee what the others
    will do and when, at the handoffs of the shown process (1-5). One of the method's three
    integrating conditions, with accountability (owners) and common understanding (``rating``)."""
    comment: str = ""
    created: datetime | None = None


@register
class Vote(Entity):
    """Dots a participant puts on an idea or problem in one round of dot voting."""

    kind: ClassVar[str] = "vote"
    collection: ClassVar[str] = "votes"
    refs: ClassVar[dict[str, str]] = {
        "participant_id": "participant",
        "annotation_id": "annotation",
        "organization_id": "organization",
    }

    round_id: str
    participant_id: str | None = None
    """Who placed the dots; None when the facilitator places them for an organization or the room."""
    organization_id: str | None = None
    """The organization the dots are for, when the facilitator records them per organization (no phones)."""
    annotation_id: str
    dots: int = Field(default=1, ge=1)
