"""A node belongs to the lane it is drawn in: one rule for every way a node moves.

Dragging, nudging, aligning, distributing, laying out and ``workshop apply``
all move nodes; wherever the node's vertical centre lands decides its lane,
and an activity or decision that lands in another organization's lane
changes owner with it — so what the canvas shows, the record, the handoffs
and every export agree.

The canvas and the arrange commands ask :func:`move_changes` for the fields
a move sets. Any other change that moves a node without saying its lane (a
JSON-lines file, a script) is completed by the document with
:func:`lane_follow_ups`, in the same record, so no front can leave a node
drawn in one lane and recorded in another.

The other way round, a lane's nodes travel with their lane: when lanes are
reordered, removed, added or resized, the nodes of every lane whose band
moved are moved by as much (:func:`band_follow_ups`), so a node stays drawn
in the lane it belongs to.
"""

from __future__ import annotations

from typing import Any

from workshop.domain.model.geometry import Box, lane_at, lane_bands, model_lanes
from workshop.domain.model.operations import AddOp, Operation, RemoveOp, UpdateOp
from workshop.domain.model.process import OWNED_KINDS, Node
from workshop.domain.model.session import Session

MOVING_FIELDS = frozenset({"y", "h"})
"""The fields whose change can carry a node's vertical centre into another lane."""


def _bands(session: Session, model_id: str) -> dict[str, Box]:
    """The model's lane bands by their tops: only the vertical position decides a lane, so no node is read."""
    return lane_bands(model_lanes(session, model_id), 0.0)


def _tops(session: Session, model_ids: set[str]) -> dict[str, float]:
    """Each lane's top, for every lane of ``model_ids``."""
    return {lane_id: band.y for model_id in model_ids for lane_id, band in _bands(session, model_id).items()}


def _lane_changes(
    session: Session, node: Node, y: float, h: float, bands: dict[str, Box] | None = None
) -> dict[str, Any]:
    """Lane and owner for a node whose box spans ``y``..``y + h``: nothing when it stays in its lane.

    ``bands``: the node's model's lane bands, when the caller has them (a layout moves thousands of nodes).
    """
    if bands is None:
        bands = _bands(session, node.model_id)
    lane_id = lane_at(bands, y + h / 2)
    if lane_id is None or lane_id == node.lane_id:
        return {}
    changes: dict[str, Any] = {"lane_id": lane_id}
    lane_org = session.lanes[lane_id].organization_id
    if node.node_kind in OWNED_KINDS and node.owner_org_id not in (None, lane_org):
        changes["owner_org_id"] = lane_org
        changes["owner_participant_id"] = None
    return changes


def move_changes(session: Session, node: Node, x: float, y: float) -> dict[str, Any]:
    """The fields a move to (x, y) sets: the position, and lane and owner when it lands in another lane."""
    return {"x": x, "y": y, **_lane_changes(session, node, y, node.h)}


def lane_follow_ups(session: Session, requested: Operation) -> list[UpdateOp]:
    """The lane (and owner) changes that the node moves of a requested operation imply but do not make.

    ``session`` is the state after the operation ran. Taken as meant, and not completed: an operation that
    sets the node's lane itself, and a recorded change applied again — an undo, a redo or a replay, whose
    updates carry their ``old`` values — so that undoing a move restores exactly what was there.
    """
    moved: dict[str, None] = {}
    named: set[str] = set()
    for op in requested.primitives():
        if isinstance(op, UpdateOp) and op.kind == "node":
            if "lane_id" in op.changes or op.old is not None:
                named.add(op.id)
            elif MOVING_FIELDS & set(op.changes):
                moved[op.id] = None
    follow_ups = []
    bands: dict[str, dict[str, Box]] = {}
    for node_id in moved:
        node = session.nodes.get(node_id) if node_id not in named else None
        if node is not None:
            if node.model_id not in bands:
                bands[node.model_id] = _bands(session, node.model_id)
            changes = _lane_changes(session, node, node.y, node.h, bands[node.model_id])
            if changes:
                follow_ups.append(UpdateOp(kind="node", id=node_id, changes=changes))
    return follow_ups


LANE_LAYOUT_FIELDS = frozenset({"index", "height", "model_id"})
"""The lane fields whose change moves the bands of the lanes below."""


def lane_tops(session: Session, requested: Operation) -> dict[str, float]:
    """Before ``requested`` runs: the tops of the bands of every model whose lanes it adds, removes,
    reorders or resizes (empty for any other operation, and for a recorded change applied again)."""
    models: set[str] = set()
    for op in requested.primitives():
        if getattr(op, "kind", None) != "lane":
            continue
        if isinstance(op, UpdateOp) and op.old is None and LANE_LAYOUT_FIELDS & set(op.changes):
            lane = session.lanes.get(op.id)
            models |= {lane.model_id} if lane is not None else set()
            models |= {str(op.changes["model_id"])} if "model_id" in op.changes else set()
        elif isinstance(op, AddOp) and "model_id" in op.data:
            models.add(str(op.data["model_id"]))
        elif isinstance(op, RemoveOp) and op.data is None and op.id in session.lanes:
            models.add(session.lanes[op.id].model_id)
    return _tops(session, models)


def band_follow_ups(session: Session, requested: Operation, tops_before: dict[str, float]) -> list[UpdateOp]:
    """After ``requested`` ran: the moves that keep each node in its lane's band where the band moved.

    Nodes the operation adds, removes or moves itself are left as it says.
    """
    if not tops_before:
        return []
    models = {session.lanes[lane_id].model_id for lane_id in tops_before if lane_id in session.lanes}
    tops_after = _tops(session, models)
    shift = {
        lane_id: top - tops_before[lane_id]
        for lane_id, top in tops_after.items()
        if lane_id in tops_before and top != tops_before[lane_id]
    }
    if not shift:
        return []
    handled = {
        str(op.id) if not isinstance(op, AddOp) else str(op.data.get("id"))
        for op in requested.primitives()
        if getattr(op, "kind", None) == "node" and isinstance(op, AddOp | UpdateOp | RemoveOp)
    }
    return [
        UpdateOp(kind="node", id=node.id, changes={"y": node.y + shift[node.lane_id]})
        for node in session.nodes.values()
        if node.lane_id in shift and node.id not in handled
    ]
