"""The canvas at overview zoom: a view draws the model from an image made once at its zoom, not item by item.

Split out of :mod:`canvas_scene`. Below :data:`OVERVIEW_ZOOM` thousands of
nodes and flows are a few pixels each, and asking Qt to draw the scene costs
what the model costs, not what the screen shows: its index walks every item
(~30 ms at 50,000 nodes even for items that draw nothing) and each Python
``paint`` call costs ~15 µs. So there a view draws the scene itself
(:func:`paint_overview`, from its ``paintEvent``): an image of the background,
lanes, group frames, flows (one path per colour), nodes (one filled path per
organization colour) and the selection, made once for this zoom and the area
around what is in sight, then the few items above the model (overlays) and
the foreground. A repaint or a scroll within that area copies pixels.

The items stay as they are: Qt's hit-testing, clicks, rubber band and menus
work unchanged, and crossing the threshold flips one flag, not one per item
(flipping 50,000 items cost a quarter of a second at each crossing).
"""

from __future__ import annotations

import math
import weakref
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPaintEvent, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsView,
    QRubberBand,
    QStyle,
    QStyleOptionGraphicsItem,
    QStyleOptionRubberBand,
    QWidget,
)

from workshop.domain.drawing.shapes import flow_stroke
from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.node_item import NodeItem
from workshop.ui.canvas.projection import on_projector

if TYPE_CHECKING:
    from workshop.ui.themes import Theme


class OverviewScene(Protocol):
    """What the overview reads of the canvas scene (a protocol: this module does not import the scene)."""

    theme: Theme
    node_items: dict[str, NodeItem]
    flow_items: dict[str, FlowItem]

    def views(self) -> list[QGraphicsView]: ...

    def sceneRect(self) -> QRectF: ...

    def selected_node_ids(self) -> list[str]: ...

    def node_boxes(self) -> dict[str, tuple[float, float, float, float]]: ...


OVERVIEW_ZOOM = 0.05
"""Below this zoom (thousands of nodes on one screen) a view draws the model as one picture (see the module)."""
MODEL_Z = 5.0
"""Items stacked below this (lanes, group frames) are in the picture; items above the model (overlays) are not."""


class OverviewPictures:
    """The scene's model as one picture per view at overview zoom, and whether it is drawn that way now.

    The paths are made when first drawn after a change (Python, once per change); the picture of each
    view when its zoom, the model or the selection changed, or the view left the area it covers.
    """

    def __init__(self, scene: OverviewScene) -> None:
        self._scene = scene
        self.active = False
        """True while every view of the scene is zoomed out past OVERVIEW_ZOOM."""
        self.others: dict[QGraphicsItem, None] = {}
        """The scene's items that are neither nodes nor flows, in the order added (the scene keeps it)."""
        self.generation = 0
        """Counts the changes of what the picture shows: a view's picture made for another count is made again."""
        self._flows: list[tuple[QColor, float, QPainterPath]] | None = None
        self._nodes: list[tuple[QColor, QPainterPath]] | None = None
        self._selected: QPainterPath | None = None
        self._frames: weakref.WeakKeyDictionary[QGraphicsView, _Frame] = weakref.WeakKeyDictionary()

    # -- following the scene ---------------------------------------------------------------
    def set_active(self, active: bool) -> None:
        """Draw the model as a picture (True) or let Qt draw it item by item (False): one flag, no item touched."""
        if active == self.active:
            return
        self.active = active
        for view in self._scene.views():
            # the picture is redrawn whole anyway; Qt's minimal updates would ask where items were last
            # painted (before the zoom changed) and leave stale pixels
            mode = QGraphicsView.ViewportUpdateMode
            view.setViewportUpdateMode(mode.FullViewportUpdate if active else mode.MinimalViewportUpdate)
            view.viewport().update()

    def nodes_changed(self) -> None:
        self._nodes = None
        self._selected = None
        self.changed()

    def flows_changed(self) -> None:
        self._flows = None
        self.changed()

    def selection_changed(self) -> None:
        self._selected = None
        self.changed()

    def theme_changed(self) -> None:
        self._flows = self._nodes = self._selected = None
        self.changed()

    def changed(self) -> None:
        """Something the picture shows changed (a lane, a group, the extent): made again when next drawn."""
        self.generation += 1
        if self.active:
            for view in self._scene.views():
                view.viewport().update()

    # -- the paths ---------------------------------------------------------------------------
    def flow_paths(self) -> list[tuple[QColor, float, QPainterPath]]:
        """Every flow as one path per colour (ordinary flows first, handoffs on top, 2 px)."""
        if self._flows is None:
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
            ordered = sorted(paths.items(), key=lambda entry: entry[0][1])
            self._flows = [(QColor(colour), 2.0 if handoff else 0.0, path) for (colour, handoff), path in ordered]
        return self._flows

    def node_paths(self) -> list[tuple[QColor, QPainterPath]]:
        """Every node's box, one filled path per organization colour."""
        if self._nodes is None:
            boxes = self._scene.node_boxes()
            paths: dict[str, QPainterPath] = {}
            for node_id, item in self._scene.node_items.items():
                left, top, right, bottom = boxes[node_id]
                path = paths.get(item.colour)
                if path is None:
                    path = paths[item.colour] = QPainterPath()
                path.addRect(left, top, right - left, bottom - top)
            self._nodes = [(QColor(colour), path) for colour, path in paths.items()]
        return self._nodes

    def selected_path(self) -> QPainterPath:
        """The selected nodes' boxes as one path (all of them selected: the node paths, no walk)."""
        if self._selected is None:
            ids = self._scene.selected_node_ids()
            path = QPainterPath()
            if ids and len(ids) == len(self._scene.node_items):
                for _colour, each in self.node_paths():
                    path.addPath(each)
            else:
                boxes = self._scene.node_boxes()
                for node_id in ids:
                    left, top, right, bottom = boxes[node_id]
                    path.addRect(left, top, right - left, bottom - top)
            self._selected = path
        return self._selected

    # -- drawing -------------------------------------------------------------------------------
    def draw(self, painter: QPainter, view: QGraphicsView) -> None:
        """Copy ``view``'s picture to the painter (in viewport pixels), made again first if it is out of date."""
        zoom = view.transform()
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        frame = self._frames.get(view)
        key = (zoom.m11(), zoom.m22(), self.generation)
        if frame is None or frame.key != key or not frame.covers.contains(visible.intersected(frame.extent)):
            frame = self._frames[view] = _Frame(key, self, view, visible)
        painter.drawImage(view.mapFromScene(frame.covers.topLeft()), frame.image)


class _Frame:
    """One view's picture of the model at one zoom: the area in sight and a quarter screen around it.

    Kept while the view zooms in (at most 1.5 × 1.5 screens of pixels per view): zooming back out to the
    same zoom with nothing changed is a copy. A scroll within the margin is a copy too.
    """

    def __init__(self, key: tuple[float, float, int], pictures: OverviewPictures, view: QGraphicsView, visible: QRectF):
        self.key = key
        sx, sy = key[0], key[1]
        self.extent = pictures._scene.sceneRect()
        w, h = visible.width() / 4, visible.height() / 4
        self.covers = visible.adjusted(-w, -h, w, h).intersected(self.extent)
        size = QSize(max(1, math.ceil(self.covers.width() * sx) + 1), max(1, math.ceil(self.covers.height() * sy) + 1))
        self.image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        self.image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(self.image)
        painter.setTransform(QTransform(sx, 0, 0, sy, -self.covers.left() * sx, -self.covers.top() * sy))
        view.drawBackground(painter, self.covers)
        below = [item for item in pictures.others if item.zValue() < MODEL_Z]
        _paint_items(painter, below, view, self.covers)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # boxes and hairlines of a pixel: crisp
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, width, path in pictures.flow_paths():
            pen = QPen(colour, width)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        for colour, path in pictures.node_paths():
            painter.fillPath(path, colour)
        if pictures._scene.selected_node_ids() and not on_projector(view.viewport()):
            painter.fillPath(pictures.selected_path(), QColor(pictures._scene.theme.selection))
        painter.end()


def _paint_items(painter: QPainter, items: list[QGraphicsItem], view: QGraphicsView, exposed: QRectF) -> None:
    """Paint ``items`` (and their children) as Qt would, lowest first: a handful of lanes, frames and overlays."""
    base = painter.worldTransform()
    widget = view.viewport()
    for item in sorted(items, key=lambda each: each.zValue()):
        _paint_tree(painter, item, base, widget, exposed)
    painter.setWorldTransform(base)


def _paint_tree(painter: QPainter, item: QGraphicsItem, base: QTransform, widget: QWidget, exposed: QRectF) -> None:
    try:
        if not item.isVisible() or item.effectiveOpacity() <= 0.0:
            return
        if (
            item.sceneBoundingRect().intersects(exposed)
            and not item.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        ):
            painter.save()
            painter.setWorldTransform(item.sceneTransform() * base)
            painter.setOpacity(item.effectiveOpacity())
            option = QStyleOptionGraphicsItem()
            option.exposedRect = item.boundingRect()
            if item.isSelected():
                option.state |= QStyle.StateFlag.State_Selected
            item.paint(painter, option, widget)
            painter.restore()
        for child in sorted(item.childItems(), key=lambda each: each.zValue()):
            _paint_tree(painter, child, base, widget, exposed)
    except RuntimeError:  # removed and deleted by Qt (a scene cleared): nothing to draw
        return


def paint_overview(view: QGraphicsView, event: QPaintEvent) -> bool:
    """Draw ``view`` at overview zoom (see the module); False if its scene is drawn item by item now."""
    scene = view.scene()
    pictures = getattr(scene, "pictures", None)
    if not isinstance(pictures, OverviewPictures) or not pictures.active:
        return False
    painter = QPainter(view.viewport())
    painter.setRenderHints(view.renderHints())
    exposed = view.mapToScene(event.rect()).boundingRect()
    painter.setWorldTransform(view.viewportTransform())
    view.drawBackground(painter, exposed)
    painter.resetTransform()
    pictures.draw(painter, view)
    painter.setWorldTransform(view.viewportTransform())
    _paint_items(painter, [item for item in pictures.others if item.zValue() >= MODEL_Z], view, exposed)
    view.drawForeground(painter, exposed)
    band = view.rubberBandRect()
    if not band.isEmpty():
        painter.resetTransform()
        option = QStyleOptionRubberBand()
        option.initFrom(view.viewport())
        option.rect = band
        option.shape = QRubberBand.Shape.Rectangle
        view.style().drawControl(QStyle.ControlElement.CE_RubberBand, option, painter, view.viewport())
    painter.end()
    return True
