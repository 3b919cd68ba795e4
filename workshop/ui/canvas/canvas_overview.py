"""The canvas at overview zoom: a view draws the model from an image made once at its zoom, not item by item.

Split out of :mod:`canvas_scene`. Below :data:`OVERVIEW_ZOOM` thousands of
nodes and flows are a few pixels each, and asking Qt to draw the scene costs
what the model costs, not what the screen shows: its index walks every item
(~30 ms at 50,000 nodes even for items that draw nothing) and each Python
``paint`` call costs ~15 µs. So there a view draws the scene itself
(:func:`paint_overview`, from its ``paintEvent``): an image of the background,
lanes, group frames, flows (hairlines, one batch per colour), nodes (boxes
in their organization's colour, one batch each) and the selection, made once
for this zoom and the area around what is in sight, then the few items above
the model (overlays) and the foreground. A repaint or a scroll within that
area copies pixels.

The items stay as they are: Qt's hit-testing, clicks, rubber band and menus
work unchanged, and crossing the threshold flips one flag, not one per item
(flipping 50,000 items cost a quarter of a second at each crossing).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable
from itertools import pairwise
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QLineF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QTransform
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
OVERVIEW_MIN_NODES = 1000
"""Fewer nodes than this are drawn item by item at any zoom: a small model in a canvas squeezed by panels is
cheap to draw, and its picture was made again after every edit (a tenth of the main thread in a crowd)."""
FRAME_BUDGET = 3.0
"""A view's picture covers the whole model when that is at most this many screens of pixels."""
MODEL_Z = 5.0
"""Items stacked below this (lanes, group frames) are in the picture; items above the model (overlays) are not."""


class OverviewPictures:
    """The scene's model as one picture per view at overview zoom, and whether it is drawn that way now.

    Each node's box and each flow's segments are kept and read again only for the elements a change
    names (when next drawn); the picture of each view is made again when its zoom, the model or the
    selection changed, or the view left the area it covers.
    """

    def __init__(self, scene: OverviewScene) -> None:
        self._scene = scene
        self.active = False
        """True while every view of the scene is zoomed out past OVERVIEW_ZOOM."""
        self.others: dict[QGraphicsItem, None] = {}
        """The scene's items that are neither nodes nor flows, in the order added (the scene keeps it)."""
        self.generation = 0
        """Counts the changes of what the picture shows: a view's picture made for another count is made again."""
        self._node_rects: dict[str, tuple[str, QRectF]] = {}
        """Each node's colour and box as last drawn; only the nodes in ``_dirty_nodes`` are read again."""
        self._dirty_nodes: set[str] | None = None
        """The nodes changed since last drawn (None: all of them)."""
        self._flow_lines: dict[str, tuple[tuple[str, bool], list[QLineF]]] = {}
        """Each flow's (colour, handoff) and segments as last drawn; only ``_dirty_flows`` are read again."""
        self._dirty_flows: set[str] | None = None
        self._grouped_nodes: list[tuple[QColor, list[QRectF]]] | None = None
        self._grouped_flows: list[tuple[QColor, bool, list[QLineF]]] | None = None
        self._selected: list[QRectF] | None = None
        self._frames: weakref.WeakKeyDictionary[QGraphicsView, _Frame] = weakref.WeakKeyDictionary()

    # -- following the scene ---------------------------------------------------------------
    def follow_zoom(self) -> None:
        """A picture only while every view of the scene is below :data:`OVERVIEW_ZOOM` (and the model is big)."""
        views = self._scene.views()
        big = len(self._scene.node_items) >= OVERVIEW_MIN_NODES
        self.set_active(big and bool(views) and all(view.transform().m11() < OVERVIEW_ZOOM for view in views))

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

    def nodes_changed(self, node_id: str | None = None) -> None:
        """The node ``node_id`` (None: every node) changed, was added or removed."""
        if node_id is None or self._dirty_nodes is None:
            self._dirty_nodes = None
        else:
            self._dirty_nodes.add(node_id)
        self._grouped_nodes = self._selected = None
        self.changed()

    def flows_changed(self, flow_ids: Iterable[str] | None = None) -> None:
        """The flows ``flow_ids`` (None: every flow) changed, were added or removed."""
        if flow_ids is None or self._dirty_flows is None:
            self._dirty_flows = None
        else:
            self._dirty_flows.update(flow_ids)
        self._grouped_flows = None
        self.changed()

    def selection_changed(self) -> None:
        self._selected = None
        self.changed()

    def theme_changed(self) -> None:
        self.nodes_changed()
        self.flows_changed()

    def changed(self) -> None:
        """Something the picture shows changed (a lane, a group, the extent): made again when next drawn."""
        self.generation += 1
        if self.active:
            for view in self._scene.views():
                view.viewport().update()

    # -- what the picture is drawn from (brought up to date when drawn, only for what changed) --------
    def flow_lines(self) -> list[tuple[QColor, bool, list[QLineF]]]:
        """Every flow's segments, one list per colour: ordinary flows first, handoffs (drawn thicker) last."""
        if self._grouped_flows is None:
            lines = self._flow_lines
            flows = self._scene.flow_items
            style = self._scene.theme.style
            colours = {handoff: flow_stroke(style, handoff=handoff).colour for handoff in (False, True)}
            for flow_id in list(flows) if self._dirty_flows is None else self._dirty_flows:
                item = flows.get(flow_id)
                if item is None or len(item.route) < 2:
                    lines.pop(flow_id, None)
                    continue
                segments = [QLineF(x0, y0, x1, y1) for (x0, y0), (x1, y1) in pairwise(item.route)]
                lines[flow_id] = ((item.colour_override or colours[item.handoff], item.handoff), segments)
            if self._dirty_flows is None:
                for gone in set(lines) - set(flows):
                    del lines[gone]
            self._dirty_flows = set()
            grouped: dict[tuple[str, bool], list[QLineF]] = {}
            for key, segments in lines.values():
                grouped.setdefault(key, []).extend(segments)
            ordered = sorted(grouped.items(), key=lambda entry: entry[0][1])
            self._grouped_flows = [(QColor(colour), handoff, each) for (colour, handoff), each in ordered]
        return self._grouped_flows

    def node_rects(self) -> list[tuple[QColor, list[QRectF]]]:
        """Every node's box, one list per organization colour."""
        if self._grouped_nodes is None:
            rects = self._node_rects
            items = self._scene.node_items
            boxes = self._scene.node_boxes()
            for node_id in list(items) if self._dirty_nodes is None else self._dirty_nodes:
                item, box = items.get(node_id), boxes.get(node_id)
                if item is None or box is None:
                    rects.pop(node_id, None)
                    continue
                left, top, right, bottom = box
                rects[node_id] = (item.colour, QRectF(left, top, right - left, bottom - top))
            if self._dirty_nodes is None:
                for gone in set(rects) - set(items):
                    del rects[gone]
            self._dirty_nodes = set()
            grouped: dict[str, list[QRectF]] = {}
            for colour, rect in rects.values():
                grouped.setdefault(colour, []).append(rect)
            self._grouped_nodes = [(QColor(colour), each) for colour, each in grouped.items()]
        return self._grouped_nodes

    def selected_rects(self) -> list[QRectF]:
        """The selected nodes' boxes (all of them selected: every node's, no lookup)."""
        if self._selected is None:
            ids = self._scene.selected_node_ids()
            if ids and len(ids) == len(self._scene.node_items):
                self._selected = [rect for _colour, each in self.node_rects() for rect in each]
            else:
                self.node_rects()
                rects = self._node_rects
                self._selected = [rects[node_id][1] for node_id in ids if node_id in rects]
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
    """One view's picture of the model at one zoom: the whole model if it is at most :data:`FRAME_BUDGET`
    screens of pixels, else the area in sight and a quarter screen around it.

    Kept while the view zooms in (a few screens of pixels per view): zooming back out to the same zoom
    with nothing changed is a copy. A scroll within what it covers is a copy too.
    """

    def __init__(self, key: tuple[float, float, int], pictures: OverviewPictures, view: QGraphicsView, visible: QRectF):
        self.key = key
        sx, sy = key[0], key[1]
        self.extent = pictures._scene.sceneRect()
        w, h = visible.width() / 4, visible.height() / 4
        self.covers = visible.adjusted(-w, -h, w, h).intersected(self.extent)
        if (
            self.extent.width() * sx * self.extent.height() * sy
            <= FRAME_BUDGET * visible.width() * sx * visible.height() * sy
        ):
            self.covers = QRectF(self.extent)  # the whole model fits in the budget: no scroll draws it again
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
        for colour, handoff, lines in pictures.flow_lines():
            # hairlines (a wider cosmetic pen is stroked as an outline: 60 times slower); a handoff twice,
            # a pixel apart
            painter.setPen(_hairline(colour))
            painter.drawLines(lines)
            if handoff:
                painter.translate(0, 1 / sy)
                painter.drawLines(lines)
                painter.translate(0, -1 / sy)
        for colour, rects in pictures.node_rects():  # filled, with a hairline edge: at least a pixel each
            painter.setPen(_hairline(colour))
            painter.setBrush(colour)
            painter.drawRects(rects)
        if pictures._scene.selected_node_ids() and not on_projector(view.viewport()):
            selection = QColor(pictures._scene.theme.selection)
            painter.setPen(_hairline(selection))
            painter.setBrush(selection)
            painter.drawRects(pictures.selected_rects())
        painter.end()


def _hairline(colour: QColor) -> QPen:
    pen = QPen(colour, 0)
    pen.setCosmetic(True)
    return pen


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
