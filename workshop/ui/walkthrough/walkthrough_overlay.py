"""Where the walk stands, drawn on the canvas scene: the current node and its owner's lane lit, the rest dimmed.

The items live in the window's scene, so every view of that scene (the
facilitator's canvas and the presenter/projector view) shows them. They are
drawn from the domain model (node and lane geometry), above the canvas's own
items, and take no mouse input, so editing underneath keeps working. At a
handoff a banner says "from X to Y" with the knowledge boundaries on it; the
banner ignores zoom so it stays readable on the projector.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
)

from workshop.domain.drawing.style import WALK_TOKEN
from workshop.domain.model.geometry import lane_boxes
from workshop.domain.model.process import Lane, Node, node_organization
from workshop.domain.model.session import Session
from workshop.domain.walkthrough.walk import Walk

OVERLAY_Z = 10_000.0
DIM = QColor(0, 0, 0, 150)
ACCENT = QColor(WALK_TOKEN)
BANNER_BACKGROUND = QColor(20, 20, 20, 235)


def lane_rects(session: Session, model_id: str) -> dict[str, QRectF]:
    """Each lane's band as the canvas draws it (:func:`workshop.domain.model.geometry.lane_boxes`), as Qt rectangles."""
    return {lane_id: QRectF(b.x, b.y, b.w, b.h) for lane_id, b in lane_boxes(session, model_id).items()}


def node_rect(node: Node) -> QRectF:
    return QRectF(node.x, node.y, node.w, node.h)


def _org_lanes(lanes: dict[str, Lane], rects: dict[str, QRectF], org_id: str | None) -> list[QRectF]:
    return [rect for lane_id, rect in rects.items() if org_id and lanes[lane_id].organization_id == org_id]


class BannerItem(QGraphicsRectItem):
    """A dark box with large light text, sized in scene units.

    Its type is about twice the canvas's node labels, so it stays readable
    when the projector shows the whole model, and it shrinks with the rest of
    the picture in the overview (an item ignoring the zoom would cover the
    overview).
    """

    def __init__(self, title: str, lines: list[str], pixel_size: int = 44) -> None:
        super().__init__()
        self.setBrush(QBrush(BANNER_BACKGROUND))
        self.setPen(QPen(ACCENT, 5))
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        margin = pixel_size * 0.5
        y = margin
        width = 0.0
        self.texts: list[QGraphicsSimpleTextItem] = []
        for number, line in enumerate([title, *lines]):
            text = QGraphicsSimpleTextItem(line, self)
            font = QFont("DejaVu Sans")
            font.setPixelSize(pixel_size if number == 0 else round(pixel_size * 0.72))
            font.setBold(number == 0)
            text.setFont(font)
            text.setBrush(QBrush(ACCENT if number == 0 else QColor("#f2f2f2")))
            text.setPos(margin, y)
            y += text.boundingRect().height() + 4
            width = max(width, text.boundingRect().width())
            self.texts.append(text)
        # anchored at its bottom centre, so it sits above the point it is placed at
        full_width, full_height = width + 2 * margin, y + margin - 4
        self.setRect(QRectF(-full_width / 2, -full_height, full_width, full_height))
        for text in self.texts:
            text.moveBy(-full_width / 2, -full_height)

    def text(self) -> str:
        return "\n".join(t.text() for t in self.texts)


class WalkthroughOverlay:
    """Adds, updates and removes the walk's highlight items on one scene."""

    def __init__(self, scene: QGraphicsScene | None) -> None:
        self.items: list[QGraphicsItem] = []
        self.banner: BannerItem | None = None
        self.highlight_rects: list[QRectF] = []
        self._scene: QGraphicsScene | None = None
        self.scene = scene

    @property
    def scene(self) -> QGraphicsScene | None:
        """The scene drawn on; may be swapped when the window shows another model. None draws nothing."""
        return self._scene

    @scene.setter
    def scene(self, scene: QGraphicsScene | None) -> None:
        if scene is self._scene:
            return
        self.clear()
        self._scene = scene
        if scene is not None:
            # graphics items are not QObjects: once their scene is gone, never touch them again
            scene.destroyed.connect(self._scene_destroyed)

    def _scene_destroyed(self, *_args: object) -> None:
        self._scene = None
        self.items = []
        self.banner = None
        self.highlight_rects = []

    def clear(self) -> None:
        if self._scene is not None:
            for item in self.items:
                self._scene.removeItem(item)
        self.items = []
        self.banner = None
        self.highlight_rects = []

    def _add(self, item: QGraphicsItem, z: float = OVERLAY_Z) -> None:
        item.setZValue(z)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        item.setAcceptHoverEvents(False)
        if self.scene is not None:
            self.scene.addItem(item)
            self.items.append(item)

    def show(self, walk: Walk | None) -> None:
        """Redraw for ``walk`` (None clears)."""
        self.clear()
        if walk is None or walk.finished or self.scene is None:
            return
        session = walk.session
        model_id = walk.walkthrough.model_id
        rects = lane_rects(session, model_id)
        if not rects:
            return
        lit_lanes: list[QRectF] = []
        lit_nodes: list[Node] = []
        node = walk.current_node()
        handoff = walk.handoff()
        flow = walk.current_flow()
        if node is not None:
            lit_nodes = [node]
            lit_lanes = _org_lanes(session.lanes, rects, node_organization(node, session.lanes))
        elif flow is not None and handoff is not None:
            lit_nodes = [n for n in (session.nodes.get(flow.source_id), session.nodes.get(flow.target_id)) if n]
            lit_lanes = _org_lanes(session.lanes, rects, handoff.from_org)
            lit_lanes += _org_lanes(session.lanes, rects, handoff.to_org)
        area = QRectF()
        for rect in rects.values():
            area = area.united(rect)
        area = area.adjusted(-40, -40, 40, 40)
        dim = QPainterPath()
        dim.setFillRule(Qt.FillRule.OddEvenFill)
        dim.addRect(area)
        hole = QPainterPath()
        hole.setFillRule(Qt.FillRule.WindingFill)  # a lit node inside a lit lane stays lit
        for rect in lit_lanes:
            hole.addRect(rect)
        for lit in lit_nodes:
            hole.addRect(node_rect(lit).adjusted(-14, -14, 14, 14))
        dim_item = QGraphicsPathItem(dim.subtracted(hole.simplified()))
        dim_item.setBrush(QBrush(DIM))
        dim_item.setPen(QPen(Qt.PenStyle.NoPen))
        self._add(dim_item)
        for rect in lit_lanes:
            lane_item = QGraphicsRectItem(rect)
            lane_item.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            lane_item.setPen(QPen(ACCENT, 4, Qt.PenStyle.DashLine))
            self._add(lane_item, OVERLAY_Z + 1)
        for lit in lit_nodes:
            rect = node_rect(lit).adjusted(-8, -8, 8, 8)
            ring = QGraphicsRectItem(rect)
            ring.setPen(QPen(ACCENT, 8))
            ring.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            self._add(ring, OVERLAY_Z + 2)
            self.highlight_rects.append(rect)
        if flow is not None and len(lit_nodes) == 2:
            source, target = (node_rect(n).adjusted(-8, -8, 8, 8) for n in lit_nodes)
            line = QPainterPath(_edge_point(source, target.center()))
            line.lineTo(_edge_point(target, source.center()))
            arrow = QGraphicsPathItem(line)
            arrow.setPen(QPen(ACCENT, 6, Qt.PenStyle.DotLine, Qt.PenCapStyle.RoundCap))
            self._add(arrow, OVERLAY_Z + 2)
        if handoff is not None and flow is not None:
            lines = [
                f"{b.boundary_type} knowledge boundary: {b.not_shared or '(not described)'}" for b in handoff.boundaries
            ]
            if not lines:
                lines = ["no knowledge boundary marked on this handoff"]
            banner = BannerItem(handoff.banner(), [_wrap(line) for line in lines])
            ends = [node_rect(n) for n in lit_nodes]
            anchor = QPointF(
                sum(r.center().x() for r in ends) / max(len(ends), 1),
                min((r.top() for r in ends), default=0.0) - 30,
            )
            banner.setPos(anchor)
            self._add(banner, OVERLAY_Z + 3)
            self.banner = banner
        elif node is not None and (notice := walk.notice()) is not None:
            title, text = notice
            banner = BannerItem(title, [_wrap(text)], pixel_size=36)
            banner.setPos(QPointF(node_rect(node).center().x(), node.y - 30))
            self._add(banner, OVERLAY_Z + 3)
            self.banner = banner


def _edge_point(rect: QRectF, toward: QPointF) -> QPointF:
    """Where the line from the rect's centre toward ``toward`` leaves the rect (keeps labels readable)."""
    centre = rect.center()
    dx, dy = toward.x() - centre.x(), toward.y() - centre.y()
    scales = [rect.width() / 2 / abs(dx) if dx else float("inf"), rect.height() / 2 / abs(dy) if dy else float("inf")]
    t = min(1.0, *scales)
    return QPointF(centre.x() + dx * t, centre.y() + dy * t)


def _wrap(text: str, width: int = 60) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines)
