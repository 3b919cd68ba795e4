"""The graphics item of one process node. It shows the document; it never holds the truth.

Moving and resizing change only the item while the mouse is down; the
scene turns the gesture into one operation on release, and the document's
event then sets the item to what was recorded.
"""

from __future__ import annotations

from typing import Protocol, cast

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem, QWidget

from workshop.domain.drawing.notation import PLAIN, notation_of
from workshop.domain.drawing.shapes import label_below, longest_word, node_drawing
from workshop.domain.model.process import Node
from workshop.ui.canvas.projection import on_projector, text_shown
from workshop.ui.canvas.shapes import PreparedShape, box_of, draw, prepared
from workshop.ui.themes import FONT_FAMILY, Theme
from workshop.ui.widgets import literal


class NodeScene(Protocol):
    """What a node item asks of the scene it is in: a CanvasScene, which imports this module (so no import back)."""

    @property
    def selection_size(self) -> int: ...

    def snap_dragged(self) -> None: ...

    def reroute_node(self, node_id: str) -> None: ...

    def commit_resize(self, node_id: str, w: float, h: float) -> None: ...


GRID = 10.0
RESIZE_GRIP = 14.0
LOD_TEXT = 0.3
"""Below this zoom the labels are not drawn: a model of thousands of nodes stays fluid."""
LOD_SHAPE = 0.15
"""Below this zoom a node is a filled box in its organization's colour: shape details would be sub-pixel."""


def snap(value: float) -> float:
    return round(value / GRID) * GRID


NODE_FLAGS = (
    QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
    | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
    | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
)


class NodeItem(QGraphicsItem):
    # slots: a 10,000-node model has 10,000 of these; attributes in a dict cost 3.6 MB more
    __slots__ = (
        "_bounds",
        "_drawing_cache",
        "_font_cache",
        "_gateway_kind",
        "_notation",
        "_rect",
        "_word",
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
        self._drawing_cache: tuple[Theme, list[PreparedShape], QRectF] | None = None
        self._gateway_kind = ""
        self._notation = PLAIN
        self._word = 0
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
        self._gateway_kind = str(node.gateway_kind)
        self._notation = notation_of(node)
        self._word = longest_word(node.label)
        self._drawing_cache = None  # made when first drawn up close or hit-tested
        self._bounds = self._outer_bounds()
        self.setPos(node.x, node.y)  # the recorded position is shown as it is; only drags snap to the grid
        self.setToolTip(literal(node.label))
        self.update()

    def _drawn(self) -> tuple[Theme, list[PreparedShape], QRectF]:
        """The node as the domain draws it (:func:`~workshop.domain.drawing.shapes.node_drawing`), in Qt: its shapes
        and its label's box; made when first drawn up close or hit-tested, kept until the node or theme changes."""
        cache = self._drawing_cache
        if cache is None or cache[0] is not self.theme:
            drawing = node_drawing(
                self.kind,
                box_of(self._rect),
                self.colour,
                self.theme.style,
                self._gateway_kind,
                self._notation,
                self._word,
            )
            lb = drawing.label_box
            cache = self._drawing_cache = (self.theme, prepared(drawing.shapes), QRectF(lb.x, lb.y, lb.w, lb.h))
        return cache

    @property
    def _drawing(self) -> list[PreparedShape]:
        return self._drawn()[1]

    @property
    def _label_box(self) -> QRectF:
        return self._drawn()[2]

    @property
    def _path(self) -> QPainterPath:
        return self._drawing[0][0]

    @property
    def rect(self) -> QRectF:
        return self._rect

    def scene_rect(self) -> QRectF:
        return self._rect.translated(self.pos())

    def _outer_bounds(self) -> QRectF:
        below = label_below(self.kind, box_of(self._rect), self._notation, self._word)
        return QRectF(-50, -4, self._rect.width() + 100, self._rect.height() + (68 if below else 8))

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
        shapes = self._drawing
        if selected:  # the outline in the selection colour, twice as thick; the rest as drawn
            outline, outline_pen, outline_brush, rectangle = shapes[0]
            selected_pen = QPen(QColor(theme.selection), outline_pen.widthF() * 2)
            shapes = [(outline, selected_pen, outline_brush, rectangle), *shapes[1:]]
        draw(painter, shapes)
        if self.label:
            flags = self._label_flags()
            font = self._fitted_font(self._label_box, flags)
            if text_shown(widget, font.pixelSize(), lod, LOD_TEXT):
                painter.setFont(font)
                painter.setPen(QColor(theme.text))
                painter.drawText(self._label_box, flags, self.label)
        scene = self.canvas_scene() if selected else None
        if scene is not None and scene.selection_size == 1:  # not selectedItems(): O(n) for each selected node
            grip = QRectF(self._rect.right() - RESIZE_GRIP, self._rect.bottom() - RESIZE_GRIP, RESIZE_GRIP, RESIZE_GRIP)
            painter.fillRect(grip, QColor(theme.selection))

    def _label_flags(self) -> int:
        """Centred in the shape; below a small event, hanging from its top."""
        if label_below(self.kind, box_of(self._rect), self._notation, self._word):
            return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        return int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)

    def label_font(self) -> QFont:
        """The font the label is drawn in (the theme's size, shrunk until the label fits)."""
        return self._fitted_font(self._label_box, self._label_flags())

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
            self._drawing_cache = None
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

    def canvas_scene(self) -> NodeScene | None:
        """The scene the item is in: node items are made only by a CanvasScene (so no import back to it)."""
        return cast("NodeScene | None", self.scene())
