"""The graphics item of one sequence flow: an orthogonal route with an arrowhead and a label.

Handoffs (flows between organizations) are drawn thicker, in the theme's
handoff colour, with a marker at the midpoint, so the places where work
passes between organizations stand out on the projection.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workshop.domain.drawing.shapes import flow_drawing, flow_stroke, label_point
from workshop.domain.model.geometry import Point
from workshop.ui.canvas.projection import on_projector, text_shown
from workshop.ui.canvas.shapes import PreparedShape, draw, prepared
from workshop.ui.themes import FONT_FAMILY, Theme
from workshop.ui.widgets import literal

FLOW_FLAGS = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable


class FlowItem(QGraphicsItem):
    """One flow. The route is kept as plain numbers; the Qt points and path are made when first needed
    (most of a 10,000-node model is never drawn at a zoom that needs them)."""

    __slots__ = (
        "_bounds",
        "_drawn",
        "_path",
        "_points",
        "_tip",
        "colour_override",
        "flow_id",
        "handoff",
        "label",
        "mark",
        "route",
        "theme",
    )

    def __init__(self, flow_id: str, theme: Theme) -> None:
        super().__init__()
        self.flow_id = flow_id
        self.theme = theme
        self.label = ""
        self.handoff = False
        self.mark = ""
        self.colour_override: str | None = None
        self.route: list[Point] = []
        """The waypoints in scene coordinates."""
        self._points: list[QPointF] | None = []
        self._path: QPainterPath | None = QPainterPath()
        self._bounds = QRectF()
        self._drawn: tuple[tuple[Theme, str | None], list[PreparedShape]] | None = None
        self._tip = ""
        self.setFlags(FLOW_FLAGS)
        self.setZValue(5)

    def set_route(self, points: list[Point], label: str, handoff: bool, mark: str | None = None) -> None:
        """Show the flow along ``points``; ``mark`` is its start's mark (None: keep the one it has)."""
        self.prepareGeometryChange()
        if mark is not None:
            self.mark = mark
        self.route = points
        self._points = None
        self._path = None
        self._drawn = None
        self.label = label
        self.handoff = handoff
        if points:
            xs, ys = [x for x, _ in points], [y for _, y in points]
            left, top = min(xs), min(ys)
            self._bounds = QRectF(left - 20, top - 20, max(xs) - left + 40, max(ys) - top + 40)
            if label:
                self._bounds = self._bounds.united(self.label_rect())
        else:
            self._bounds = QRectF()
        tip = ("Handoff: " if handoff else "") + label
        if tip != self._tip:  # most flows have none; setting one is a call into Qt per flow while building
            self._tip = tip
            self.setToolTip(literal(tip))
        self.update()

    def show_tip(self, text: str) -> None:
        """Show ``text`` as the tooltip (until the route is set again); shown literally."""
        self._tip = text
        self.setToolTip(literal(text))

    @property
    def points(self) -> list[QPointF]:
        """The waypoints as Qt points."""
        if self._points is None:
            self._points = [QPointF(x, y) for x, y in self.route]
        return self._points

    def _route_path(self) -> QPainterPath:
        if self._path is None:
            points = self.points
            path = QPainterPath(points[0]) if points else QPainterPath()
            for point in points[1:]:
                path.lineTo(point)
            self._path = path
        return self._path

    def path(self) -> QPainterPath:
        """The route in scene coordinates (overlays colour handoffs along it)."""
        return QPainterPath(self._route_path())

    def label_rect(self) -> QRectF:
        if len(self.points) < 2 or not self.label:
            return QRectF()
        x, y = label_point(self.route, self.label)
        return QRectF(x - 80, y - 30, 160, 26)

    def _shapes(self, colour: str | None) -> list[PreparedShape]:
        """The flow as the domain draws it (:func:`~workshop.domain.drawing.shapes.flow_drawing`), in ``colour`` if
        given."""
        key = (self.theme, colour)
        if self._drawn is None or self._drawn[0] != key:
            style = self.theme.style
            if colour is not None:  # an overlay's or the selection's colour, for the line and its marks alike
                style = dataclasses.replace(style, flow=colour, handoff=colour)
            self._drawn = (key, prepared(flow_drawing(self.route, style, handoff=self.handoff, mark=self.mark).shapes))
        return self._drawn[1]

    def boundingRect(self) -> QRectF:
        return self._bounds  # kept from set_route: Qt asks for it many times per frame

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(14)
        return stroker.createStroke(self._route_path())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if len(self.points) < 2:
            return
        theme = self.theme
        colour = QColor(self.colour_override or flow_stroke(theme.style, handoff=self.handoff).colour)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.15:  # far out: the line alone, one cosmetic pixel wide
            painter.setPen(QPen(colour, 0))
            painter.drawPath(self._route_path())
            return
        selected = self.isSelected() and not on_projector(widget)
        draw(painter, self._shapes(theme.selection if selected else self.colour_override))
        if self.label and text_shown(widget, theme.flow_font_px, lod, 0.3):
            font = QFont(FONT_FAMILY)
            font.setPixelSize(round(theme.flow_font_px))
            painter.setFont(font)
            rect = self.label_rect()
            metrics_width = painter.fontMetrics().horizontalAdvance(self.label) + 10
            box = QRectF(rect.center().x() - metrics_width / 2, rect.y(), metrics_width, rect.height())
            background = QColor(theme.canvas)
            background.setAlpha(220)
            painter.fillRect(box, background)
            painter.setPen(QColor(theme.text))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), self.label)
