"""A node belongs to the lane it is drawn in: one rule for every way a node moves.

Dragging, nudging, aligning and distributing all move nodes; wherever the
node's vertical centre lands decides its lane, and an activity or decision
that lands in another organization's lane changes owner with it — so what
the canvas shows, the record, the handoffs and every export agree.
"""

from __future__ import annotations

from typing import Any

from workshop.domain.geometry import lane_at, lane_boxes
from workshop.domain.process import OWNED_KINDS, Node
from workshop.domain.session import Session


def move_changes(session: Session, node: Node, x: float, y: float) -> dict[str, Any]:
    """The fields a move to (x, y) sets: the position, and lane and owner when it lands in another lane."""
    changes: dict[str, Any] = {"x": x, "y": y}
    lane_id = lane_at(lane_boxes(session, node.model_id), y + node.h / 2)
    if lane_id is not None and lane_id != node.lane_id:
        changes["lane_id"] = lane_id
        lane_org = session.lanes[lane_id].organization_id
        if node.node_kind in OWNED_KINDS and node.owner_org_id not in (None, lane_org):
            changes["owner_org_id"] = lane_org
            changes["owner_participant_id"] = None
    return changes
