"""Rules an element must satisfy beyond its own fields and plain references.

Field types and ranges are pydantic's job, existence of referenced ids is
checked generically by the operations; what is left are rules that relate
elements to each other, such as a flow joining nodes of its own model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import ValidationError

from workshop.domain.model.annotations import Annotation, KnowledgeBoundary
from workshop.domain.model.entity import Entity
from workshop.domain.model.errors import OperationError
from workshop.domain.model.handoffs import crossing
from workshop.domain.model.process import Flow, Node, node_organization
from workshop.domain.research.sources import SurveyResponse, SurveyRound
from workshop.domain.research.survey import Instrument, check_answers
from workshop.domain.walkthrough.moves import WalkMove

if TYPE_CHECKING:
    from workshop.domain.model.session import SessionState

IMMUTABLE_FIELDS = frozenset({"id", "model_id"})
"""Fields an update may not change: an element does not move between models."""


def _check_node(state: SessionState, node: Entity) -> None:
    assert isinstance(node, Node)
    if node.lane_id is not None:
        lane = state.session.lanes[node.lane_id]
        if lane.model_id != node.model_id:
            raise OperationError(f"{node.describe()}: lane {node.lane_id} belongs to another model ({lane.model_id})")
    if node.parent_id is not None:
        _check_parent(state, node)
    if node.owner_participant_id is not None and node.owner_org_id is not None:
        person = state.session.participants[node.owner_participant_id]
        if person.organization_id != node.owner_org_id:
            raise OperationError(
                f"{node.describe()}: owner participant {person.name!r} is not from organization {node.owner_org_id}"
            )


def _check_parent(state: SessionState, node: Node) -> None:
    """A step inside a sub-process: its parent is a sub-process of the same model, and no node holds itself."""
    parent = state.session.nodes[node.parent_id or ""]
    if parent.model_id != node.model_id:
        raise OperationError(f"{node.describe()}: its sub-process belongs to another model ({parent.model_id})")
    if not parent.is_sub_process:
        raise OperationError(f"{node.describe()}: {parent.describe()} is not a sub-process, it holds no steps")
    seen = {node.id}
    current: Node | None = parent
    while current is not None:
        if current.id in seen:
            raise OperationError(f"{node.describe()}: a sub-process cannot hold itself")
        seen.add(current.id)
        current = state.session.nodes.get(current.parent_id) if current.parent_id else None


def _check_flow(state: SessionState, flow: Entity) -> None:
    assert isinstance(flow, Flow)
    for end in (flow.source_id, flow.target_id):
        node = state.session.nodes[end]
        if node.model_id != flow.model_id:
            raise OperationError(f"flow {flow.id}: node {end} belongs to another model ({node.model_id})")
    source, target = state.session.nodes[flow.source_id], state.session.nodes[flow.target_id]
    lanes = state.session.lanes
    if (
        flow.is_sequence
        and source.parent_id != target.parent_id
        and crossing(flow, node_organization(source, lanes), node_organization(target, lanes)) is None
    ):  # a handoff between organizations is a message flow, which may reach inside a sub-process
        raise OperationError(
            f"flow {flow.id}: a sequence flow does not cross a sub-process's border "
            f"({source.describe()} and {target.describe()} are not steps of the same process or sub-process)"
        )


def _check_boundary(state: SessionState, boundary: Entity) -> None:
    assert isinstance(boundary, KnowledgeBoundary)
    if boundary.org_a == boundary.org_b:
        raise OperationError(f"boundary {boundary.id}: org_a and org_b must be two different organizations")
    if boundary.target_kind != "organizations" and not boundary.target_id:
        raise OperationError(
            f"boundary {boundary.id}: target_id is required when target_kind is {boundary.target_kind}"
        )


def _check_annotation(state: SessionState, annotation: Entity) -> None:
    assert isinstance(annotation, Annotation)
    if annotation.anonymous and annotation.author_id is not None:
        raise OperationError(f"annotation {annotation.id}: an anonymous contribution names no author (author_id)")


def _check_walk_move(state: SessionState, move: Entity) -> None:
    assert isinstance(move, WalkMove)
    if move.element_kind not in ("node", "flow"):
        raise OperationError(f"walk_step {move.id}: element_kind must be 'node' or 'flow'")


def _instrument_of(survey_round: SurveyRound) -> Instrument:
    """The round's embedded instrument, or an OperationError naming the field that is wrong."""
    try:
        return Instrument.model_validate(survey_round.instrument)
    except ValidationError as error:
        problems = "; ".join(
            f"instrument.{'.'.join(str(p) for p in problem['loc'])}: {problem['msg']}".rstrip(".: ")
            for problem in error.errors()
        )
        raise OperationError(f"survey_round {survey_round.id}: {problems}") from None


def _check_survey_round(state: SessionState, survey_round: Entity) -> None:
    assert isinstance(survey_round, SurveyRound)
    _instrument_of(survey_round)


def _check_survey_response(state: SessionState, response: Entity) -> None:
    assert isinstance(response, SurveyResponse)
    if response.organization_id == response.about_org_id:
        raise OperationError(f"survey_response {response.id}: rate ties with *other* organizations only")
    for org_id, role in ((response.organization_id, response.role), (response.about_org_id, response.about_role)):
        if role and not any(
            lane.organization_id == org_id and lane.role == role for lane in state.session.lanes.values()
        ):
            roles = sorted({lane.role for lane in state.session.lanes.values() if lane.organization_id == org_id})
            raise OperationError(
                f"survey_response {response.id}: no lane of organization {org_id} carries the role {role!r} "
                f"(roles: {', '.join(r for r in roles if r) or 'none'})"
            )
    instrument = _instrument_of(state.session.survey_rounds[response.round_id])
    try:
        check_answers(instrument, response.answers)
    except ValueError as error:
        raise OperationError(f"survey_response {response.id}: {error}") from None


RULES: dict[str, Callable[[SessionState, Entity], None]] = {
    "node": _check_node,
    "flow": _check_flow,
    "boundary": _check_boundary,
    "walk_step": _check_walk_move,
    "annotation": _check_annotation,
    "survey_round": _check_survey_round,
    "survey_response": _check_survey_response,
}


def check_entity(state: SessionState, entity: Entity) -> None:
    """Refuse an element whose references are missing or that breaks a cross-element rule."""
    for ref in entity.references():
        if not state.exists(ref):
            raise OperationError(f"{entity.describe()} refers to {ref[0]} {ref[1]!r}, which does not exist")
    rule = RULES.get(entity.kind)
    if rule is not None:
        rule(state, entity)
