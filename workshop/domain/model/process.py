"""Organizations, participants and the swimlane process models they share."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar

from pydantic import Field, field_validator

from workshop.domain.model.entity import Entity, register


class OrganizationKind(StrEnum):
    IT_PROVIDER = "it_provider"
    CUSTOMER_NETWORK = "customer_network"
    PARTNER_ORGANIZATION = "partner_organization"
    END_USERS = "end_users"
    OTHER = "other"


def organization_type(kind: str) -> str:
    """How the method's texts name an organization type: "IT provider", "customer network", ..."""
    return "IT provider" if kind == OrganizationKind.IT_PROVIDER else str(kind).replace("_", " ")


class ParticipantLevel(StrEnum):
    MIDDLE_MANAGER = "middle_manager"
    PRODUCT_MANAGER = "product_manager"
    PROJECT_MANAGER = "project_manager"
    DOMAIN_EXPERT = "domain_expert"
    CLERICAL_EMPLOYEE = "clerical_employee"
    OTHER = "other"


class ProcessState(StrEnum):
    """The method's three process states a model can show."""

    CURRENT = "current"
    IDEAL = "ideal"
    FUTURE = "future"


class NodeKind(StrEnum):
    START = "start"
    END = "end"
    ACTIVITY = "activity"
    DECISION = "decision"
    DOCUMENT = "document"
    IT_SYSTEM = "it_system"
    WAIT = "wait"


class GatewayKind(StrEnum):
    """How a decision splits or joins; BPMN's gateway types, drawn as its marker inside the diamond."""

    EXCLUSIVE = "exclusive"
    PARALLEL = "parallel"
    INCLUSIVE = "inclusive"
    EVENT_BASED = "event_based"
    COMPLEX = "complex"


class EventDefinition(StrEnum):
    """What an event waits for or sends (BPMN's event definitions); NONE is a plain event."""

    NONE = "none"
    MESSAGE = "message"
    TIMER = "timer"
    SIGNAL = "signal"
    ERROR = "error"
    ESCALATION = "escalation"
    CONDITIONAL = "conditional"
    LINK = "link"
    COMPENSATION = "compensation"
    TERMINATE = "terminate"
    CANCEL = "cancel"
    MULTIPLE = "multiple"
    PARALLEL_MULTIPLE = "parallel_multiple"


LOOPS = frozenset({"", "standard", "parallel", "sequential"})
"""An activity's repetition (BPMN's loop characteristics): none, a loop, parallel or sequential multi-instance."""

TIMERS = frozenset({"timeDate", "timeDuration", "timeCycle"})
"""How a timer event says its time (BPMN's timer definition elements)."""


BPMN_ACTIVITIES = frozenset(
    {
        "task",
        "userTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "manualTask",
        "businessRuleTask",
        "scriptTask",
        "callActivity",
        "subProcess",
        "transaction",
        "adHocSubProcess",
    }
)
"""BPMN's activity elements: each becomes an activity here and goes back out as itself."""

SUB_PROCESS_ELEMENTS = frozenset({"subProcess", "transaction", "adHocSubProcess"})
"""BPMN's sub-processes: activities that hold steps of their own (nodes whose ``parent_id`` names them)."""

BPMN_ELEMENTS = frozenset(
    {
        "",
        *BPMN_ACTIVITIES,
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "dataObjectReference",
        "dataStoreReference",
        "participant",
    }
)
"""BPMN element names a node may keep from an import, so an export writes the same element back.
Empty: the plain element for the node's kind. The facilitator's palette never offers these. ``participant``
is a pool without a process (a black box): the external party its message flows go to, drawn across its band."""

FLOW_ELEMENTS = frozenset({"", "sequenceFlow", "association", "dataInputAssociation", "dataOutputAssociation"})
"""BPMN connections a flow may keep; empty is a sequence flow (a message flow between organizations);
``sequenceFlow`` one that crossed pools in the file it came from (it goes back out as one).
The others connect data or notes and are no part of the process's order (see ``is_sequence``)."""


OWNED_KINDS = frozenset({NodeKind.ACTIVITY, NodeKind.DECISION})
"""Node kinds that carry accountability: an owner is expected on these."""


def _colour(value: str) -> str:
    text = value.strip()
    if len(text) != 7 or text[0] != "#" or any(c not in "0123456789abcdefABCDEF" for c in text[1:]):
        raise ValueError(f"colour must be #rrggbb, got {value!r}")
    return text.lower()


@register
class Organization(Entity):
    """An organization taking part: IT provider, customer network, partner, end-users."""

    kind: ClassVar[str] = "organization"
    collection: ClassVar[str] = "organizations"

    name: str = Field(min_length=1)
    org_kind: OrganizationKind = OrganizationKind.OTHER
    colour: str = "#4c78a8"

    @field_validator("colour")
    @classmethod
    def _check_colour(cls, value: str) -> str:
        return _colour(value)


@register
class Participant(Entity):
    """A representative of an organization in the room (or on a phone)."""

    kind: ClassVar[str] = "participant"
    collection: ClassVar[str] = "participants"
    refs: ClassVar[dict[str, str]] = {"organization_id": "organization"}

    name: str = Field(min_length=1)
    organization_id: str
    role: str = ""
    level: ParticipantLevel = ParticipantLevel.OTHER


@register
class ProcessModel(Entity):
    """One process model of the session, in one of the method's states."""

    kind: ClassVar[str] = "model"
    collection: ClassVar[str] = "models"

    name: str = Field(min_length=1)
    state: ProcessState = ProcessState.CURRENT
    description: str = ""
    index: int = 0
    """Order of the tabs."""


COORDINATE_LIMIT = 1e7
"""Largest scene coordinate or size, far beyond any drawable model: a stray value (a pasted
timestamp, an overflow) is refused instead of breaking layout, geometry and exports."""

LANE_HEADER_WIDTH = 160.0
"""Scene units left of x=0 where the lane titles sit."""


@register
class Lane(Entity):
    """A horizontal band for one organization (optionally one role in it).

    Lanes stack top to bottom by ``index``; a lane's vertical extent follows
    from the heights of the lanes above it (see :func:`lane_extents`).
    """

    kind: ClassVar[str] = "lane"
    collection: ClassVar[str] = "lanes"
    refs: ClassVar[dict[str, str]] = {"model_id": "model", "organization_id": "organization"}

    model_id: str
    organization_id: str
    role: str = ""
    index: int = 0
    height: float = Field(default=180.0, gt=0, le=COORDINATE_LIMIT)


@register
class Node(Entity):
    """A step of the process: event, activity, decision, document, IT system or wait.

    ``x``/``y`` are the top-left corner in scene units. Owner fields say who is
    accountable (organization, role, optionally a named participant). The
    optional durations feed the walkthrough's what-if calculation.
    """

    kind: ClassVar[str] = "node"
    collection: ClassVar[str] = "nodes"
    refs: ClassVar[dict[str, str]] = {
        "model_id": "model",
        "lane_id": "lane",
        "owner_org_id": "organization",
        "owner_participant_id": "participant",
        "attached_to": "node",
        "parent_id": "node",
    }
    stands_on: ClassVar[frozenset[str]] = frozenset({"parent_id"})
    """Fields naming what the node cannot exist without: removing a sub-process removes what it holds."""

    model_id: str
    node_kind: NodeKind = NodeKind.ACTIVITY
    label: str = ""
    lane_id: str | None = None
    owner_org_id: str | None = None
    owner_role: str = ""
    owner_participant_id: str | None = None
    x: float = Field(default=0.0, ge=-COORDINATE_LIMIT, le=COORDINATE_LIMIT)
    y: float = Field(default=0.0, ge=-COORDINATE_LIMIT, le=COORDINATE_LIMIT)
    w: float = Field(default=140.0, gt=0, le=COORDINATE_LIMIT)
    h: float = Field(default=70.0, gt=0, le=COORDINATE_LIMIT)
    duration_minutes: float | None = Field(default=None, ge=0)
    wait_minutes: float | None = Field(default=None, ge=0)
    gateway_kind: GatewayKind = GatewayKind.EXCLUSIVE
    """For decisions: how the flows split or join."""
    event_definition: EventDefinition = EventDefinition.NONE
    """For events (start, end, wait): what the event is about."""
    bpmn_element: str = ""
    """The BPMN element the node came from (one of :data:`BPMN_ELEMENTS`), written back on export."""
    attached_to: str | None = None
    """A boundary event's activity: the event can happen while that activity runs."""
    interrupting: bool = True
    """A boundary event that cancels its activity (BPMN ``cancelActivity``)."""
    loop: str = ""
    """An activity's repetition, one of :data:`LOOPS` (drawn as BPMN's marker at its bottom)."""
    for_compensation: bool = False
    """An activity that undoes another's work (BPMN ``isForCompensation``; drawn with the rewind marker)."""
    timer: str = ""
    """A timer event's time as ``kind=expression`` (kind one of :data:`TIMERS`), e.g. ``timeDuration=PT5M``."""
    ref_name: str = ""
    """The message, signal, error or escalation an event or task names (BPMN's root element, kept by its name)."""
    bpmn_inside: str = ""
    """What a sub-process held, as XML, in sessions imported before its contents became nodes (exported back;
    see :mod:`workshop.interchange.bpmn_sub_processes`). New imports leave it empty."""
    parent_id: str | None = None
    """The sub-process this node is a step of (None: a step of the process itself). Its flows are those
    between nodes of the same parent; a sub-process removed removes its contents (undo restores them)."""
    expanded: bool = False
    """A sub-process drawn open in place, its contents inside its frame (BPMN ``isExpanded``); else collapsed
    with its + marker, its contents on a view of their own."""

    @property
    def is_sub_process(self) -> bool:
        return self.bpmn_element in SUB_PROCESS_ELEMENTS

    @field_validator("loop")
    @classmethod
    def _check_loop(cls, value: str) -> str:
        if value not in LOOPS:
            raise ValueError(f"unknown loop {value!r}: one of standard, parallel, sequential")
        return value

    @field_validator("timer")
    @classmethod
    def _check_timer(cls, value: str) -> str:
        if value and value.partition("=")[0] not in TIMERS:
            raise ValueError(f"a timer is timeDate=..., timeDuration=... or timeCycle=..., got {value!r}")
        return value

    @field_validator("bpmn_element")
    @classmethod
    def _check_bpmn_element(cls, value: str) -> str:
        if value not in BPMN_ELEMENTS:
            raise ValueError(f"unknown BPMN element {value!r}")
        return value


@register
class Flow(Entity):
    """A sequence flow; when its ends lie in different organizations it is a handoff."""

    kind: ClassVar[str] = "flow"
    collection: ClassVar[str] = "flows"
    refs: ClassVar[dict[str, str]] = {"model_id": "model", "source_id": "node", "target_id": "node"}

    model_id: str
    source_id: str
    target_id: str
    label: str = ""
    condition: str = ""
    """The condition under which the flow is taken (BPMN ``conditionExpression``), as the file wrote it."""
    default_flow: bool = False
    """The flow taken when no other flow's condition holds (its source's BPMN ``default``; drawn with a slash)."""
    probability: float | None = Field(default=None, ge=0, le=1)
    """Branch probability out of a decision, for the what-if calculation."""
    bpmn_element: str = ""
    """Empty for the process's flows; an association or data association kept from BPMN (:data:`FLOW_ELEMENTS`)."""

    @field_validator("bpmn_element")
    @classmethod
    def _check_bpmn_element(cls, value: str) -> str:
        if value not in FLOW_ELEMENTS:
            raise ValueError(f"unknown BPMN connection {value!r}")
        return value

    @property
    def is_sequence(self) -> bool:
        """A flow of the process's order (not a data or note connection): walks, layout and analysis follow these."""
        return self.bpmn_element in ("", "sequenceFlow")


@register
class Group(Entity):
    """A frame around part of a model (BPMN's group): what is drawn inside belongs together. It has no part in the
    process's order and owns nothing; ``x``/``y`` are its top-left corner in scene units."""

    kind: ClassVar[str] = "group"
    collection: ClassVar[str] = "groups"
    refs: ClassVar[dict[str, str]] = {"model_id": "model"}

    model_id: str
    label: str = ""
    x: float = Field(default=0.0, ge=-COORDINATE_LIMIT, le=COORDINATE_LIMIT)
    y: float = Field(default=0.0, ge=-COORDINATE_LIMIT, le=COORDINATE_LIMIT)
    w: float = Field(default=300.0, gt=0, le=COORDINATE_LIMIT)
    h: float = Field(default=200.0, gt=0, le=COORDINATE_LIMIT)


def node_organization(node: Node, lanes: dict[str, Lane]) -> str | None:
    """The organization a node belongs to: its owner, else its lane's organization."""
    if node.owner_org_id:
        return node.owner_org_id
    lane = lanes.get(node.lane_id) if node.lane_id else None
    return lane.organization_id if lane else None


def ancestors(node: Node, nodes: Mapping[str, Node]) -> list[Node]:
    """The sub-processes holding ``node``, innermost first (empty for a step of the process itself)."""
    found: list[Node] = []
    seen = {node.id}
    while node.parent_id and node.parent_id in nodes and node.parent_id not in seen:
        node = nodes[node.parent_id]
        seen.add(node.id)
        found.append(node)
    return found


def flow_parent(flow: Flow, nodes: Mapping[str, Node]) -> str | None:
    """The sub-process a flow is drawn and written in: its ends' own when they share one, else None (the process's)."""
    source, target = nodes.get(flow.source_id), nodes.get(flow.target_id)
    if source is None or target is None or source.parent_id != target.parent_id:
        return None
    return source.parent_id
