"""The graphics item of one sequence flow: an orthogonal route with an arrowhead and a label.

Handoffs (flows between organizations) are drawn thicker, in the theme's
handoff colour, with a marker at the midpoint, so the places where work
passes between organizations stand out on the projection.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workshop.domain.geometry import Point
from workshop.ui.projection import on_projector, text_shown
from workshop.ui.themes import FONT_FAMILY, Theme
from workshop.ui.widgets import literal

ARROW = 12.0


class FlowItem(QGraphicsItem):
    def __init__(self, flow_id: str, theme: Theme) -> None:
        super().__init__()
        self.flow_id = flow_id
        self.theme = theme
        self.label = ""
        self.handoff = False
        self.colour_override: str | None = None
        self.points: list[QPointF] = []
        self._path = QPainterPath()
        self._bounds = QRectF()
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(5)

    def set_route(self, points: list[Point], label: str, handoff: bool) -> None:
        self.prepareGeometryChange()
        self.points = [QPointF(x, y) for x, y in points]
        self.label = label
        self.handoff = handoff
        path = QPainterPath(self.points[0]) if self.points else QPainterPath()
        for point in self.points[1:]:
            path.lineTo(point)
        self._path = path
        self._bounds = path.boundingRect().adjusted(-20, -20, 20, 20).united(self.label_rect())
        self.setToolTip(literal(("Handoff: " if handoff else "") + label))
        self.update()

    def path(self) -> QPainterPath:
        """The route in scene coordinates (overlays colour handoffs along it)."""
        return QPainterPath(self._path)

    def label_rect(self) -> QRectF:
        if len(self.points) < 2 or not self.label:
            return QRectF()
        a, b = self._label_segment()
        mid = (a + b) / 2
        return QRectF(mid.x() - 80, mid.y() - 30, 160, 26)

    def _label_segment(self) -> tuple[QPointF, QPointF]:
        segments = list(zip(self.points, self.points[1:], strict=False))
        return max(segments, key=lambda s: (s[1] - s[0]).manhattanLength())

    def boundingRect(self) -> QRectF:
        return self._bounds  # kept from set_route: Qt asks for it many times per frame

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(14)
        return stroker.createStroke(self._path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if len(self.points) < 2:
            return
        theme = self.theme
        colour = QColor(self.colour_override or (theme.handoff if self.handoff else theme.flow))
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.15:  # far out: the line alone, one cosmetic pixel wide
            painter.setPen(QPen(colour, 0))
            painter.drawPath(self._path)
            return
        if self.isSelected() and not on_projector(widget):
            colour = QColor(theme.selection)
        width = theme.handoff_width if self.handoff else theme.line_width
        pen = QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap, Qt.PenJoinStyle.MiterJoin)
        if self.handoff:
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setDashPattern([3.0, 1.5])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        end, before = self.points[-1], self.points[-2]
        angle = math.atan2(end.y() - before.y(), end.x() - before.x())
        size = ARROW + width
        head = QPolygonF(
            [
                end,
                end - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size),
                end - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size),
            ]
        )
        painter.setPen(QPen(colour, 1))
        painter.setBrush(colour)
        painter.drawPolygon(head)
        if self.handoff:
            a, b = self._label_segment()
            mid = (a + b) / 2
            painter.setBrush(QColor(theme.canvas))
            painter.setPen(QPen(colour, width))
            painter.drawEllipse(mid, 9, 9)
            painter.setBrush(colour)
            painter.drawEllipse(mid, 3.5, 3.5)
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
