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
        self._extent: tuple[float, float, float, float] | None = None
        """The nodes' (left, top, right, bottom), kept as nodes change: every paint of a fitted view and every
        edit asks for it, and reading 50,000 boxes each time cost ~14 ms (None: read them again when asked)."""

    def clear(self) -> None:
        """Forget everything (in place: the scene hands these dicts out)."""
        for kept in (self.flows_of, self.flow_ends, self.node_boxes, self.recorded_boxes, self.node_orgs):
            kept.clear()
        self._extent = None

    def set_node(self, node: Node) -> None:
        box = (node.x, node.y, node.x + node.w, node.y + node.h)
        old = self.node_boxes.get(node.id)
        self.node_boxes[node.id] = box
        self.recorded_boxes[node.id] = Box(node.x, node.y, node.w, node.h)
        extent = self._extent
        if extent is None or old == box:
            return
        if old is not None and _on_edge(old, extent):
            self._extent = None  # the node that made an edge moved: read the boxes again when asked
        else:
            left, top, right, bottom = extent
            self._extent = (min(left, box[0]), min(top, box[1]), max(right, box[2]), max(bottom, box[3]))

    def drop_node(self, node_id: str) -> None:
        old = self.node_boxes.pop(node_id, None)
        if old is not None and self._extent is not None and _on_edge(old, self._extent):
            self._extent = None
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

    def extent(self) -> tuple[float, float, float, float] | None:
        """The nodes' (left, top, right, bottom), None without nodes (kept; read again only after an edge moved)."""
        if self._extent is None and self.node_boxes:
            boxes = self.node_boxes.values()
            self._extent = (
                min(map(itemgetter(0), boxes)),
                min(map(itemgetter(1), boxes)),
                max(map(itemgetter(2), boxes)),
                max(map(itemgetter(3), boxes)),
            )
        return self._extent if self.node_boxes else None

    def nodes_right(self) -> float:
        """Where the model's nodes end on the right (0 without nodes)."""
        extent = self.extent()
        return extent[2] if extent is not None else 0.0

    def nodes_rect(self) -> QRectF:
        """The nodes' extent, with room below for rework loops (null without nodes).

        Flows stay within their nodes' extent but for rework loops, which run
        :data:`~workshop.domain.model.geometry.ROUTE_CLEARANCE` below them.
        """
        extent = self.extent()
        if extent is None:
            return QRectF()
        left, top, right, bottom = extent
        return QRectF(left, top, right - left, bottom - top + ROUTE_CLEARANCE)


def _on_edge(box: tuple[float, float, float, float], extent: tuple[float, float, float, float]) -> bool:
    """True if ``box`` touches an edge of ``extent`` (moving or removing it may shrink the extent)."""
    return box[0] <= extent[0] or box[1] <= extent[1] or box[2] >= extent[2] or box[3] >= extent[3]


def _discard(items: list[str], item: str) -> None:
    if item in items:
        items.remove(item)
