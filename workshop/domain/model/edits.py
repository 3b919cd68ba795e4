"""Compound edits: one user gesture built from several operations.

These functions only *build* operations (a :class:`BatchOp`) from the
current state; applying them is the document's job, so each gesture is one
log entry and one undo step.
"""

from __future__ import annotations

from typing import Any

from workshop.domain.model.entity import KINDS, Entity, Ref
from workshop.domain.model.errors import OperationError
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import AddOp, BatchOp, Operation, RemoveOp, UpdateOp, add, batch
from workshop.domain.model.process import OWNED_KINDS, Flow, Node, NodeKind, ProcessState, ancestors
from workshop.domain.model.session import Session, SessionState

NODE_SIZES: dict[str, tuple[float, float]] = {
    NodeKind.START: (50, 50),
    NodeKind.END: (50, 50),
    NodeKind.DECISION: (110, 90),
    NodeKind.WAIT: (120, 60),
}
"""Width and height of a new node by kind; any other kind is 150 × 74."""


def _detach(entity: Entity, changes: dict[str, Any], target: Ref) -> bool:
    """Record in ``changes`` how ``entity`` lets go of ``target``; False if it cannot and must go too."""
    kind, target_id = target
    stands_on: frozenset[str] = getattr(entity, "stands_on", frozenset())
    for field, ref_kind in entity.refs.items():
        if ref_kind != kind:
            continue
        value = changes.get(field, getattr(entity, field))
        if field in stands_on and value == target_id:
            return False  # a sub-process's step goes with it
        if isinstance(value, list):
            if target_id in value:
                changes[field] = [v for v in value if v != target_id]
        elif value == target_id:
            if type(entity).model_fields[field].is_required():
                return False
            changes[field] = None
    meanings = getattr(entity, "meanings", None)
    if kind == "organization" and isinstance(meanings, dict):
        current = changes.get("meanings", meanings)
        if target_id in current:
            changes["meanings"] = {k: v for k, v in current.items() if k != target_id}
    # polymorphic targets (annotation on a node, walk move on a flow): the referrer goes
    for kind_field, id_field in (("target_kind", "target_id"), ("element_kind", "element_id")):
        if getattr(entity, kind_field, None) == kind and getattr(entity, id_field, None) == target_id:
            return False
    return True


def cascade_remove(state: SessionState, targets: list[Ref], *, label: str = "") -> BatchOp:
    """Remove ``targets`` and whatever cannot exist without them, in one batch.

    Elements that merely mention a target (an optional owner, a list of
    covered flows, a glossary meaning) are updated to let go; elements that
    stand on it (flows of a removed node, annotations on it) are removed
    first. Undoing the batch restores all of it.
    """
    doomed: list[Ref] = []
    seen: set[Ref] = set()
    pending: dict[Ref, dict[str, Any]] = {}

    def visit(ref: Ref) -> None:
        if ref in seen:
            return
        seen.add(ref)
        if not state.exists(ref):
            raise OperationError(f"no {ref[0]} with id {ref[1]!r}")
        for holder in sorted(state.referrers(*ref)):
            entity = state.get(*holder)
            assert entity is not None
            changes = pending.setdefault(holder, {})
            if not _detach(entity, changes, ref):
                visit(holder)
        doomed.append(ref)

    for target in targets:
        visit(target)
    ops: list[Operation] = [
        UpdateOp(kind=k, id=i, changes=changes) for (k, i), changes in pending.items() if changes and (k, i) not in seen
    ]
    ops += [RemoveOp(kind=k, id=i) for k, i in doomed]
    return BatchOp(label=label or f"Remove {len(targets)} element(s)", ops=ops)


def copy_model(
    state: SessionState, model_id: str, *, name: str, process_state: ProcessState, index: int | None = None
) -> tuple[str, BatchOp]:
    """A new process model that starts as a copy of ``model_id`` (lanes, nodes, flows).

    Returns the new model's id and the batch that creates it. Annotations and
    boundaries stay with the original: they were said about that model.
    """
    session = state.session
    source = session.models.get(model_id)
    if source is None:
        raise OperationError(f"no model with id {model_id!r}")
    new_model = new_id("model")
    ids: dict[str, str] = {}
    ops: list[Operation] = [
        AddOp(
            kind="model",
            data={
                **source.model_dump(mode="json"),
                "id": new_model,
                "name": name,
                "state": str(process_state),
                "index": index if index is not None else len(session.models),
            },
        )
    ]
    for kind in ("lane", "node", "flow"):
        prefix = kind
        entities = [e for e in getattr(session, KINDS[kind].collection).values() if e.model_id == model_id]
        ids.update({entity.id: new_id(prefix) for entity in entities})
        if kind == "node":
            entities.sort(key=lambda node: len(ancestors(node, session.nodes)))  # a sub-process before what it holds
        for entity in entities:
            data = entity.model_dump(mode="json")
            data["id"] = ids[entity.id]
            data["model_id"] = new_model
            for field in ("lane_id", "source_id", "target_id", "parent_id", "attached_to"):
                if data.get(field) is not None:
                    data[field] = ids.get(data[field], data[field])
            ops.append(AddOp(kind=kind, data=data))
    return new_model, BatchOp(label=f"New {process_state} model {name!r}", ops=ops)


def add_node_op(
    session: Session,
    model_id: str,
    kind: str,
    centre: tuple[float, float],
    *,
    lane_id: str | None,
    connect_from: str | None = None,
    label: str,
) -> tuple[str, BatchOp]:
    """A new node of ``kind`` centred at ``centre`` (snapped to 10) in ``lane_id``, and a flow from ``connect_from``.

    An activity or decision placed in a lane is owned by the lane's organization. Returns the
    node's id and the batch labelled ``label``.
    """
    w, h = NODE_SIZES.get(kind, (150.0, 74.0))
    owner = session.lanes[lane_id].organization_id if lane_id and kind in OWNED_KINDS else None
    node = Node(
        id=new_id("node"),
        model_id=model_id,
        node_kind=kind,
        label="",
        lane_id=lane_id,
        owner_org_id=owner,
        x=round((centre[0] - w / 2) / 10) * 10,
        y=round((centre[1] - h / 2) / 10) * 10,
        w=w,
        h=h,
    )
    ops: list[Operation] = [add(node)]
    if connect_from:
        ops.append(add(Flow(id=new_id("flow"), model_id=model_id, source_id=connect_from, target_id=node.id)))
    return node.id, batch(label, ops)


def remove_lane_op(state: SessionState, lane_id: str) -> BatchOp:
    """Remove a lane with the nodes drawn in it (and their flows), as one step."""
    held = [n for n in state.session.nodes.values() if n.lane_id == lane_id]
    targets: list[Ref] = [("node", n.id) for n in held] + [("lane", lane_id)]
    return cascade_remove(state, targets, label="Remove lane")


def state_name(name: str, old_state: str, new_state: str) -> str:
    """'Current process' → 'Ideal process'; a name without its state word gets the state added."""
    for old, new in ((old_state.capitalize(), new_state.capitalize()), (old_state, new_state)):
        if old in name:
            return name.replace(old, new, 1)
    return f"{name} ({new_state})"


def default_flow_op(session: Session, flow_id: str, on: bool) -> BatchOp:
    """Make ``flow_id`` its source's default flow (the one taken when no condition holds), or stop it being one.

    A step has at most one default flow (BPMN's ``default`` names one), so marking one unmarks the others of
    the same source in the same gesture: one log entry, one undo.
    """
    flow = session.flows.get(flow_id)
    if flow is None:
        raise OperationError(f"no flow {flow_id!r}")
    ops: list[Operation] = []
    if on:
        ops += [
            UpdateOp(kind="flow", id=other.id, changes={"default_flow": False})
            for other in session.flows.values()
            if other.source_id == flow.source_id and other.id != flow_id and other.default_flow
        ]
    if flow.default_flow != on:
        ops.append(UpdateOp(kind="flow", id=flow_id, changes={"default_flow": on}))
    return batch("Mark the default flow" if on else "Unmark the default flow", ops)
