"""What a canvas scene keeps about its model so that an edit touches only the items it names.

Split out of :mod:`canvas_scene`: the flows at each node (so a moved node's
flows follow), each node's box (so the model's extent and the lanes' width
follow without reading every item), each node's box as recorded (for
routes, made once per change) and each node's organization (for its flows'
handoff marks).
"""

from __future__ import annotations

from operator import itemgetter

from PySide6.QtCore import QRectF

from workshop.domain.model.geometry import ROUTE_CLEARANCE, Box
from workshop.domain.model.process import Flow, Node


class SceneIndex:
    """The model's bookkeeping for one scene: flows by node, node boxes and organizations."""

    def __init__(self) -> None:
        self.flows_of: dict[str, list[str]] = {}
        """The flows at each node (a list: a few per node, and a set costs 200 bytes each at 10,000 nodes)."""
        self.flow_ends: dict[str, tuple[str, str]] = {}
        self.node_boxes: dict[str, tuple[float, float, float, float]] = {}
        """Each node's (left, top, right, bottom): the model's extent without asking every item."""
        self.node_orgs: dict[str, str | None] = {}
        """Each node's organization (as its colour was chosen), for its flows' handoff marks."""
        self.recorded_boxes: dict[str, Box] = {}
        """Each node's box as recorded, for routes (made once per change, not twice per flow)."""

    def clear(self) -> None:
        """Forget everything (in place: the scene hands these dicts out)."""
        for kept in (self.flows_of, self.flow_ends, self.node_boxes, self.recorded_boxes, self.node_orgs):
            kept.clear()

    def set_node(self, node: Node) -> None:
        self.node_boxes[node.id] = (node.x, node.y, node.x + node.w, node.y + node.h)
        self.recorded_boxes[node.id] = Box(node.x, node.y, node.w, node.h)

    def drop_node(self, node_id: str) -> None:
        self.node_boxes.pop(node_id, None)
        self.recorded_boxes.pop(node_id, None)
        self.node_orgs.pop(node_id, None)

    def set_flow(self, flow: Flow) -> None:
        """Note the flow at both its ends (moving it off the ends it had, if they changed)."""
        ends = self.flow_ends.get(flow.id)
        if ends == (flow.source_id, flow.target_id):
            return
        if ends is not None:
            for end in ends:
                _discard(self.flows_of.get(end, []), flow.id)
        for end in (flow.source_id, flow.target_id):
            at = self.flows_of.setdefault(end, [])
            if flow.id not in at:
                at.append(flow.id)
        self.flow_ends[flow.id] = (flow.source_id, flow.target_id)

    def drop_flow(self, flow_id: str) -> None:
        for end in self.flow_ends.pop(flow_id, ()):
            _discard(self.flows_of.get(end, []), flow_id)

    def flows_at(self, node_id: str) -> list[str]:
        return self.flows_of.get(node_id, [])

    def nodes_right(self) -> float:
        """Where the model's nodes end on the right (0 without nodes)."""
        return max(map(itemgetter(2), self.node_boxes.values()), default=0.0)

    def nodes_rect(self) -> QRectF:
        """The nodes' extent, with room below for rework loops (null without nodes).

        Flows stay within their nodes' extent but for rework loops, which run
        :data:`~workshop.domain.model.geometry.ROUTE_CLEARANCE` below them.
        """
        boxes = self.node_boxes.values()
        if not boxes:
            return QRectF()
        left, top = min(map(itemgetter(0), boxes)), min(map(itemgetter(1), boxes))
        right, bottom = max(map(itemgetter(2), boxes)), max(map(itemgetter(3), boxes))
        return QRectF(left, top, right - left, bottom - top + ROUTE_CLEARANCE)


def _discard(items: list[str], item: str) -> None:
    if item in items:
        items.remove(item)
