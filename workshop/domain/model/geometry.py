"""The picture of a process model in scene units: lane bands and orthogonal flow routes.

The canvas, the projector, the PDF report, pictures and BPMN diagram
interchange all draw the same model; computing the geometry once, here,
keeps them identical (and testable without a screen).
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.domain.model.process import LANE_HEADER_WIDTH, Lane, Node
from workshop.domain.model.session import Session

Point = tuple[float, float]

MIN_MODEL_WIDTH = 600.0
RIGHT_MARGIN = 80.0
ROUTE_CLEARANCE = 24.0
"""How far a rework (backwards) flow runs below the lowest of its two nodes."""


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.right and self.y <= y <= self.bottom


def node_box(node: Node) -> Box:
    return Box(node.x, node.y, node.w, node.h)


def model_lanes(session: Session, model_id: str) -> list[Lane]:
    """The model's lanes, top to bottom."""
    lanes = [lane for lane in session.lanes.values() if lane.model_id == model_id]
    return sorted(lanes, key=lambda ln: (ln.index, ln.id))


def lane_boxes(session: Session, model_id: str) -> dict[str, Box]:
    """Each lane's band: stacked by index from y=0, the title strip left of x=0, as wide as the model."""
    nodes_right = max((n.x + n.w for n in session.nodes.values() if n.model_id == model_id), default=0.0)
    return lane_bands(model_lanes(session, model_id), nodes_right)


def lane_bands(lanes: list[Lane], nodes_right: float) -> dict[str, Box]:
    """The bands of ``lanes`` (top to bottom) for a model whose nodes end at ``nodes_right``.

    The canvas keeps ``nodes_right`` up to date as nodes change, so an edit
    re-lays the lanes without reading every node of the model again.
    """
    right = band_right(nodes_right)
    boxes: dict[str, Box] = {}
    top = 0.0
    for lane in lanes:
        boxes[lane.id] = Box(-LANE_HEADER_WIDTH, top, right + LANE_HEADER_WIDTH, lane.height)
        top += lane.height
    return boxes


def band_right(nodes_right: float) -> float:
    """Where every band of a model ends: a margin past its rightmost node, and never narrower than a screen."""
    return max(nodes_right + RIGHT_MARGIN, MIN_MODEL_WIDTH)


def lane_at(boxes: dict[str, Box], y: float) -> str | None:
    """The lane whose band holds the vertical position ``y`` (a node belongs to the lane it sits in)."""
    for lane_id, box in boxes.items():
        if box.y <= y < box.bottom:
            return lane_id
    return None


def route(source: Box, target: Box) -> list[Point]:
    """Orthogonal waypoints from ``source`` to ``target`` that never cut through either node.

    Forward flows leave right and enter left with one vertical jog in the
    gap between them; flows between stacked nodes leave bottom or top;
    backward flows (rework loops) run below both nodes and come back up.
    """
    if target.x >= source.right + 8:
        sy, ty = source.cy, target.cy
        if abs(sy - ty) < 0.5:
            return [(source.right, sy), (target.x, ty)]
        mid = (source.right + target.x) / 2
        return [(source.right, sy), (mid, sy), (mid, ty), (target.x, ty)]
    if target.right > source.x - 8 and (target.y >= source.bottom + 8 or target.bottom <= source.y - 8):
        down = target.y >= source.bottom
        start = (source.cx, source.bottom if down else source.y)
        end = (target.cx, target.y if down else target.bottom)
        if abs(start[0] - end[0]) < 0.5:
            return [start, end]
        mid = (start[1] + end[1]) / 2
        return [start, (start[0], mid), (end[0], mid), end]
    low = max(source.bottom, target.bottom) + ROUTE_CLEARANCE
    return [(source.cx, source.bottom), (source.cx, low), (target.cx, low), (target.cx, target.bottom)]


def flow_route(session: Session, flow_id: str) -> list[Point]:
    flow = session.flows[flow_id]
    return route(node_box(session.nodes[flow.source_id]), node_box(session.nodes[flow.target_id]))
