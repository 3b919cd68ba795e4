"""The canvas at overview zoom: whole kinds of element drawn as cached pictures instead of item by item.

Split out of :mod:`canvas_scene`. Below :data:`OVERVIEW_ZOOM` thousands of
nodes and flows are a few pixels each, and one Python ``paint`` call per item
is most of the cost of a frame. :class:`OverviewPictures` switches the scene
between the two ways of drawing and keeps the cached pictures invalidated
when what they show changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workshop.domain.drawing.shapes import flow_stroke
from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.node_item import NodeItem
from workshop.ui.canvas.projection import on_projector

if TYPE_CHECKING:
    from workshop.ui.themes import Theme


class OverviewScene(Protocol):
    """What the overview pictures read of the canvas scene (a protocol: this module does not import the scene)."""

    theme: Theme
    node_items: dict[str, NodeItem]
    flow_items: dict[str, FlowItem]

    @property
    def selection_size(self) -> int: ...

    def addItem(self, item: QGraphicsItem) -> None: ...

    def selected_node_ids(self) -> list[str]: ...

    def node_boxes(self) -> dict[str, tuple[float, float, float, float]]: ...


NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
OVERVIEW_ZOOM = 0.05
"""Below this zoom (thousands of nodes on one screen) flows are drawn by one :class:`FlowOverview` item from
cached paths, not item by item: one Python paint call per flow is most of the cost of fitting a huge model."""


class Layer(QGraphicsItem):
    """The parent of every node item (or every flow item): the kind is switched at overview zoom in one call.

    Flipping 50,000 items one by one (a flag or the visibility of each) cost a quarter of a second each
    time the zoom crossed :data:`OVERVIEW_ZOOM`; the layer's own visibility or opacity switches its
    children in C++. It draws nothing and has no extent of its own.
    """

    def __init__(self, z: float) -> None:
        super().__init__()
        self.setFlag(NO_CONTENTS, True)
        self.setZValue(z)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """Nothing: the layer only groups its children."""


Paths = TypeVar("Paths")


class _Overview(QGraphicsItem, Generic[Paths]):
    """One item drawing a whole kind of element at overview zoom from paths cached until they change."""

    def __init__(self, scene: OverviewScene, z: float) -> None:
        super().__init__()
        self._scene = scene
        self._paths: Paths | None = None
        self._bounds = QRectF()
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        # drawn once into a picture at the view's zoom, then blitted: a frame that changes nothing (an
        # expose, a repaint) costs a copy of pixels, not a fill of 50,000 boxes and a stroke of 57,000 lines
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setVisible(False)

    def invalidate(self, bounds: QRectF) -> None:
        """The elements, their bounds or the theme changed: build the paths again when next drawn."""
        self._paths = None
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(bounds)
        self.update()

    def mark_stale(self) -> None:
        """The elements changed while the items draw themselves: build the paths again once shown."""
        if self._paths is not None:
            self._paths = None
            self.update()  # drops the cached picture too (a hidden item's cache is still dropped)

    def set_bounds(self, bounds: QRectF) -> None:
        """The scene's extent changed: the paths stay (they are in scene coordinates), the picture is redrawn."""
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(bounds)

    def boundingRect(self) -> QRectF:
        return self._bounds


class FlowOverview(_Overview[list[tuple[QColor, float, QPainterPath]]]):
    """Every flow of the model at overview zoom, drawn from one cached path per colour.

    Below :data:`OVERVIEW_ZOOM` thousands of flows are each a pixel or two;
    one Python ``paint`` call per flow would cost more than the rest of the
    frame, so the flow items are hidden and this one item draws them all. The
    paths are built again only after a flow changed, and only when drawn.
    """

    def __init__(self, scene: OverviewScene) -> None:
        super().__init__(scene, 5)

    def _build(self) -> list[tuple[QColor, float, QPainterPath]]:
        paths: dict[tuple[str, bool], QPainterPath] = {}
        style = self._scene.theme.style
        colours = {handoff: flow_stroke(style, handoff=handoff).colour for handoff in (False, True)}
        for item in self._scene.flow_items.values():
            points = item.route
            if len(points) < 2:
                continue
            colour = item.colour_override or colours[item.handoff]
            path = paths.get((colour, item.handoff))
            if path is None:
                path = paths[(colour, item.handoff)] = QPainterPath()
            path.moveTo(*points[0])
            for x, y in points[1:]:
                path.lineTo(x, y)
        ordered = sorted(paths.items(), key=lambda entry: entry[0][1])  # ordinary flows first, handoffs on top
        return [(QColor(colour), 2.0 if handoff else 0.0, path) for (colour, handoff), path in ordered]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._paths is None:
            self._paths = self._build()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # hairlines a pixel wide: crisp and cheap
        for colour, width, path in self._paths:  # ordinary flows first, handoffs on top
            pen = QPen(colour, width)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPath(path)


class NodeOverview(_Overview[list[tuple[QColor, QPainterPath]]]):
    """Every node of the model at overview zoom: one cached filled path per organization colour.

    Below :data:`OVERVIEW_ZOOM` a node is a box of a few pixels in its
    colour; the node items stay (hit-testing, rubber-band selection) but are
    flagged as having no contents, so Qt makes no Python ``paint`` call for
    each. Selected nodes are drawn over in the selection colour.
    """

    def __init__(self, scene: OverviewScene) -> None:
        super().__init__(scene, 10)
        self._selected: QPainterPath | None = None
        """The selected nodes' boxes (None: made again when drawn; the whole picture when all are selected)."""

    def selection_changed(self) -> None:
        self._selected = None
        self.update()

    def mark_stale_selection(self) -> None:
        if self._selected is not None:
            self._selected = None
            self.update()

    def mark_stale(self) -> None:
        super().mark_stale()
        self.mark_stale_selection()

    def invalidate(self, bounds: QRectF) -> None:
        self._selected = None
        super().invalidate(bounds)

    def _selection(self) -> QPainterPath:
        """The selected nodes' boxes as one path: every node's when all are (select all: no walk)."""
        ids = self._scene.selected_node_ids()
        paths = self._paths or []
        if len(ids) == len(self._scene.node_items) and len(paths) == 1:
            return paths[0][1]
        path = QPainterPath()
        if len(ids) == len(self._scene.node_items):
            for _colour, each in paths:
                path.addPath(each)
            return path
        boxes = self._scene.node_boxes()
        for node_id in ids:
            left, top, right, bottom = boxes[node_id]
            path.addRect(left, top, right - left, bottom - top)
        return path

    def _build(self) -> list[tuple[QColor, QPainterPath]]:
        boxes = self._scene.node_boxes()
        paths: dict[str, QPainterPath] = {}
        for node_id, item in self._scene.node_items.items():
            left, top, right, bottom = boxes[node_id]
            path = paths.get(item.colour)
            if path is None:
                path = paths[item.colour] = QPainterPath()
            path.addRect(left, top, right - left, bottom - top)
        return [(QColor(colour), path) for colour, path in paths.items()]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._paths is None:
            self._paths = self._build()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # boxes of a few pixels: edges need none
        for colour, path in self._paths:
            painter.fillPath(path, colour)
        if self._scene.selection_size and not on_projector(widget):
            if self._selected is None:
                self._selected = self._selection()
            painter.fillPath(self._selected, QColor(self._scene.theme.selection))


class OverviewPictures:
    """The two overview items of a scene, the two layers holding the items, and which of them draws the model.

    Node items are children of :attr:`node_layer` and flow items of :attr:`flow_layer`, so switching to
    the pictures is a call on each layer, not one per item (see :class:`Layer`).
    """

    def __init__(self, scene: OverviewScene) -> None:
        self.active = False
        """True while the view is zoomed out past OVERVIEW_ZOOM."""
        self._scene = scene
        self.flow_layer = Layer(5)
        self.node_layer = Layer(10)
        self.clear_layers()
        self.flows = FlowOverview(scene)
        scene.addItem(self.flows)
        self.nodes = NodeOverview(scene)
        scene.addItem(self.nodes)

    def clear_layers(self) -> None:
        """Take the layers out of the scene with every item in them; new, empty ones take their place."""
        for layer in (self.flow_layer, self.node_layer):
            if layer.scene() is not None:
                layer.scene().removeItem(layer)
        self.flow_layer, self.node_layer = Layer(5), Layer(10)
        self.flow_layer.setVisible(not self.active)
        self.node_layer.setOpacity(0.0 if self.active else 1.0)
        self._scene.addItem(self.flow_layer)
        self._scene.addItem(self.node_layer)

    def set_active(self, active: bool, rect: QRectF) -> None:
        """Draw flows and nodes as cached pictures (True) or item by item (False).

        The flows are hidden meanwhile (as before: a hidden flow is not selected). The nodes stay
        visible, for hit-testing and rubber-band selection, but see-through: Qt skips painting the
        whole layer in one step rather than asking 50,000 items.
        """
        if active == self.active:
            return
        self.active = active
        self.flow_layer.setVisible(not active)
        self.node_layer.setOpacity(0.0 if active else 1.0)
        if active:
            self.flows.set_bounds(rect)
            self.nodes.set_bounds(rect)
        self.flows.setVisible(active)
        self.nodes.setVisible(active)

    def nodes_changed(self, rect: QRectF) -> None:
        if self.active:
            self.nodes.invalidate(rect)
        else:
            self.nodes.mark_stale()

    def flows_changed(self, rect: QRectF) -> None:
        if self.active:
            self.flows.invalidate(rect)
        else:
            self.flows.mark_stale()

    def extent_changed(self, rect: QRectF) -> None:
        if self.active:
            self.flows.set_bounds(rect)
            self.nodes.set_bounds(rect)

    def selection_changed(self) -> None:
        if self.active:
            self.nodes.selection_changed()  # selected nodes are drawn over in the selection colour
        else:
            self.nodes.mark_stale_selection()


def node_at(boxes: dict[str, tuple[float, float, float, float]], x: float, y: float) -> str | None:
    """The node whose box holds (x, y), the last one drawn if several: hit-testing while the nodes' layer
    is see-through (Qt's own hit-testing skips see-through items) at overview zoom, where a node is a box."""
    found = None
    for node_id, (left, top, right, bottom) in boxes.items():
        if left <= x <= right and top <= y <= bottom:
            found = node_id
    return found


def nodes_in(boxes: dict[str, tuple[float, float, float, float]], rect: QRectF) -> list[str]:
    """The nodes whose box meets ``rect`` (a rubber band at overview zoom, see :func:`node_at`)."""
    x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
    return [
        node_id
        for node_id, (left, top, right, bottom) in boxes.items()
        if left <= x1 and right >= x0 and top <= y1 and bottom >= y0
    ]
