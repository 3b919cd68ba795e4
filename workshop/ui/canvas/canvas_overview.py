"""The canvas at overview zoom: whole kinds of element drawn as cached pictures instead of item by item.

Split out of :mod:`canvas_scene`. Below :data:`OVERVIEW_ZOOM` thousands of
nodes and flows are a few pixels each, and one Python ``paint`` call per item
is most of the cost of a frame. :class:`OverviewPictures` switches the scene
between the two ways of drawing and keeps the cached pictures invalidated
when what they show changes.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    selection_size: int

    def addItem(self, item: QGraphicsItem) -> None: ...

    def selectedItems(self) -> list[QGraphicsItem]: ...

    def node_boxes(self) -> dict[str, tuple[float, float, float, float]]: ...


NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
OVERVIEW_ZOOM = 0.05
"""Below this zoom (thousands of nodes on one screen) flows are drawn by one :class:`FlowOverview` item from
cached paths, not item by item: one Python paint call per flow is most of the cost of fitting a huge model."""


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
        self.setVisible(False)

    def invalidate(self, bounds: QRectF) -> None:
        """The elements, their bounds or the theme changed: build the paths again when next drawn."""
        self._paths = None
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(bounds)
        self.update()

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
            selected = QColor(self._scene.theme.selection)
            for item in self._scene.selectedItems():
                if isinstance(item, NodeItem):
                    painter.fillRect(item.scene_rect(), selected)


class OverviewPictures:
    """The two overview items of a scene, and whether they (True) or the items themselves draw the model."""

    def __init__(self, scene: OverviewScene) -> None:
        self.active = False
        """True while the view is zoomed out past OVERVIEW_ZOOM."""
        self.flows = FlowOverview(scene)
        scene.addItem(self.flows)
        self.nodes = NodeOverview(scene)
        scene.addItem(self.nodes)

    def set_active(
        self, active: bool, node_items: Iterable[NodeItem], flow_items: Iterable[FlowItem], rect: QRectF
    ) -> None:
        """Draw flows and nodes as cached pictures (True) or item by item (False).

        Node items stay visible, for hit-testing and rubber-band selection,
        but paint nothing meanwhile.
        """
        if active == self.active:
            return
        self.active = active
        for item in flow_items:
            item.setVisible(not active)
        for node_item in node_items:
            node_item.setFlag(NO_CONTENTS, active)
        if active:
            self.flows.invalidate(rect)
            self.nodes.invalidate(rect)
        self.flows.setVisible(active)
        self.nodes.setVisible(active)

    def nodes_changed(self, rect: QRectF) -> None:
        if self.active:
            self.nodes.invalidate(rect)

    def flows_changed(self, rect: QRectF) -> None:
        if self.active:
            self.flows.invalidate(rect)

    def extent_changed(self, rect: QRectF) -> None:
        if self.active:
            self.flows.invalidate(rect)
            self.nodes.invalidate(rect)

    def selection_changed(self) -> None:
        if self.active:
            self.nodes.update()  # selected nodes are drawn over in the selection colour
