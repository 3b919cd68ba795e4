"""The graphics item of one process node. It shows the document; it never holds the truth.

Moving and resizing change only the item while the mouse is down; the
scene turns the gesture into one operation on release, and the document's
event then sets the item to what was recorded.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem, QWidget

from workshop.domain.process import OWNED_KINDS, Node, NodeKind
from workshop.ui.canvas.projection import on_projector, text_shown
from workshop.ui.canvas.shapes import gateway_marker, node_path, text_rect
from workshop.ui.themes import FONT_FAMILY, Theme
from workshop.ui.widgets import literal

if TYPE_CHECKING:
    from workshop.ui.canvas.canvas_scene import CanvasScene

GRID = 10.0
RESIZE_GRIP = 14.0
LOD_TEXT = 0.3
"""Below this zoom the labels are not drawn: a model of thousands of nodes stays fluid."""
LOD_SHAPE = 0.15
"""Below this zoom a node is a filled box in its organization's colour: shape details would be sub-pixel."""


def snap(value: float) -> float:
    return round(value / GRID) * GRID


TINT_ALPHA = 40
"""How strongly an activity's fill takes its organization's colour (of 255)."""


@functools.cache
def tinted(fill: str, colour: str) -> QColor:
    """``fill`` with ``colour`` laid over it at :data:`TINT_ALPHA`: one opaque colour, so a node is one
    antialiased path to draw, not a fill and a tint over it (paths are most of a frame's cost)."""
    base, tint = QColor(fill), QColor(colour)
    share = TINT_ALPHA / 255
    return QColor(
        round(base.red() + (tint.red() - base.red()) * share),
        round(base.green() + (tint.green() - base.green()) * share),
        round(base.blue() + (tint.blue() - base.blue()) * share),
    )


NODE_FLAGS = (
    QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
    | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
    | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
)


class NodeItem(QGraphicsItem):
    # slots: a 10,000-node model has 10,000 of these; attributes in a dict cost 3.6 MB more
    __slots__ = (
        "_bounds",
        "_font_cache",
        "_gateway_kind",
        "_marker_cache",
        "_path_cache",
        "_rect",
        "colour",
        "handoff_marker",
        "kind",
        "label",
        "node_id",
        "resizing",
        "theme",
    )

    def __init__(self, node: Node, theme: Theme, colour: str) -> None:
        super().__init__()
        self.node_id = node.id
        self.kind = str(node.node_kind)
        self.label = node.label
        self.theme = theme
        self.colour = colour
        self.handoff_marker = False
        self._rect = QRectF(0, 0, node.w, node.h)
        self._path_cache: QPainterPath | None = None
        self._gateway_kind = ""
        self._marker_cache: QPainterPath | None = None
        self._bounds = QRectF()
        self.resizing = False
        self._font_cache: tuple[tuple[str, float, float, float], QFont] | None = None
        # no ItemSendsGeometryChanges and no itemChange override: each would cost a Python call per
        # change of every item (ten per node while a 10,000-node scene is built); a drag snaps and
        # reroutes in mouseMoveEvent instead
        self.setFlags(NODE_FLAGS)
        self.setAcceptHoverEvents(True)
        self.setZValue(10)
        self.sync(node, colour)

    def sync(self, node: Node, colour: str) -> None:
        """Show ``node`` as the document has it now."""
        self.prepareGeometryChange()
        self.kind = str(node.node_kind)
        self.label = node.label
        self.colour = colour
        self._rect = QRectF(0, 0, node.w, node.h)
        self._path_cache = self._marker_cache = None  # made when first drawn up close or hit-tested
        self._gateway_kind = str(node.gateway_kind)
        self._bounds = self._outer_bounds()
        self.setPos(node.x, node.y)  # the recorded position is shown as it is; only drags snap to the grid
        self.setToolTip(literal(node.label))
        self.update()

    @property
    def _path(self) -> QPainterPath:
        if self._path_cache is None:
            self._path_cache = node_path(self.kind, self._rect)
        return self._path_cache

    @property
    def _marker(self) -> QPainterPath:
        if self._marker_cache is None:
            decision = self.kind == NodeKind.DECISION
            self._marker_cache = gateway_marker(self._gateway_kind, self._rect) if decision else QPainterPath()
        return self._marker_cache

    @property
    def rect(self) -> QRectF:
        return self._rect

    def scene_rect(self) -> QRectF:
        return self._rect.translated(self.pos())

    def _outer_bounds(self) -> QRectF:
        extra = 64 if self.kind in (NodeKind.START, NodeKind.END) else 4
        return QRectF(-50, -4, self._rect.width() + 100, self._rect.height() + 4 + extra)

    def boundingRect(self) -> QRectF:
        return self._bounds  # kept, not computed: Qt asks for it many times per frame and per index update

    def shape(self) -> QPainterPath:
        return self._path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        theme = self.theme
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < LOD_SHAPE:
            painter.fillRect(self._rect, QColor(self.colour))
            return
        selected = self.isSelected() and not on_projector(widget)
        pen = QPen(
            QColor(theme.selection if selected else theme.node_border), theme.line_width * (2 if selected else 1)
        )
        fill = (
            QColor(self.colour) if self.kind in (NodeKind.START, NodeKind.END) else tinted(theme.node_fill, self.colour)
        )
        if self.kind == NodeKind.END:
            pen.setWidthF(theme.style.end_line_width)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawPath(self._path)
        if not self._marker.isEmpty():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(theme.node_border), theme.line_width * 2))
            painter.drawPath(self._marker)
        if self.kind in OWNED_KINDS:
            painter.fillRect(QRectF(0, 0, 8, self._rect.height()).intersected(self._rect), QColor(self.colour))
        if self.label and lod >= LOD_SHAPE:
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            if self.kind in (NodeKind.START, NodeKind.END):
                flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            box = text_rect(self.kind, self._rect)
            font = self._fitted_font(box, int(flags))
            if text_shown(widget, font.pixelSize(), lod, LOD_TEXT):
                painter.setFont(font)
                painter.setPen(QColor(theme.text))
                painter.drawText(box, int(flags), self.label)
        scene = self.canvas_scene() if selected else None
        if scene is not None and scene.selection_size == 1:  # not selectedItems(): O(n) for each selected node
            grip = QRectF(self._rect.right() - RESIZE_GRIP, self._rect.bottom() - RESIZE_GRIP, RESIZE_GRIP, RESIZE_GRIP)
            painter.fillRect(grip, QColor(theme.selection))

    def label_font(self) -> QFont:
        """The font the label is drawn in (the theme's size, shrunk until the label fits)."""
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        if self.kind in (NodeKind.START, NodeKind.END):
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        return self._fitted_font(text_rect(self.kind, self._rect), int(flags))

    def _fitted_font(self, box: QRectF, flags: int) -> QFont:
        """The theme's label size, made smaller (down to 70 %) until the whole label fits its box."""
        key = (self.label, box.width(), box.height(), self.theme.node_font_px)
        if self._font_cache is not None and self._font_cache[0] == key:
            return self._font_cache[1]
        font = QFont(FONT_FAMILY)
        size = self.theme.node_font_px
        while True:
            font.setPixelSize(round(size))
            needed = QFontMetricsF(font).boundingRect(box, flags, self.label)
            if (
                needed.height() <= box.height() and needed.width() <= box.width()
            ) or size <= self.theme.node_font_px * 0.7:
                break
            size -= 1
        self._font_cache = (key, font)
        return font

    # -- interaction -----------------------------------------------------------
    def on_resize_grip(self, pos: QPointF) -> bool:
        return (
            self.isSelected()
            and pos.x() >= self._rect.right() - RESIZE_GRIP
            and pos.y() >= self._rect.bottom() - RESIZE_GRIP
        )

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.on_resize_grip(event.pos()):
            self.resizing = True
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.resizing:
            self.prepareGeometryChange()
            self._rect.setWidth(max(40.0, snap(event.pos().x())))
            self._rect.setHeight(max(30.0, snap(event.pos().y())))
            self._path_cache = self._marker_cache = None
            self._bounds = self._outer_bounds()
            scene = self.canvas_scene()
            if scene is not None:
                scene.reroute_node(self.node_id)
            return
        super().mouseMoveEvent(event)  # Qt moves every selected item with the pointer
        scene = self.canvas_scene()
        if scene is not None:
            scene.snap_dragged()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.resizing:
            self.resizing = False
            scene = self.canvas_scene()
            if scene is not None:
                scene.commit_resize(self.node_id, self._rect.width(), self._rect.height())
            return
        super().mouseReleaseEvent(event)

    def canvas_scene(self) -> CanvasScene | None:
        """The scene the item is in: node items are made only by a CanvasScene (so no import back to it)."""
        return cast("CanvasScene | None", self.scene())
