"""A swimlane band: the organization's colour, its name (and role) in a title strip on the left."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workshop.domain.geometry import Box
from workshop.domain.process import LANE_HEADER_WIDTH
from workshop.domain.style import NO_ORGANIZATION, ON_COLOUR
from workshop.ui.canvas.projection import text_shown
from workshop.ui.themes import FONT_FAMILY, Theme


class LaneItem(QGraphicsItem):
    def __init__(self, lane_id: str, theme: Theme) -> None:
        super().__init__()
        self.lane_id = lane_id
        self.theme = theme
        self.title = ""
        self.subtitle = ""
        self.colour = NO_ORGANIZATION
        self._rect = QRectF()
        self.setZValue(-10)
        self.setAcceptedMouseButtons(Qt.MouseButton.RightButton)

    def sync(self, box: Box, title: str, subtitle: str, colour: str) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(box.x, box.y, box.w, box.h)
        self.title, self.subtitle, self.colour = title, subtitle, colour
        self.update()

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        theme = self.theme
        band = QColor(self.colour)
        band.setAlpha(theme.lane_fill_alpha)
        painter.fillRect(self._rect, band)
        header = QRectF(self._rect.x(), self._rect.y(), LANE_HEADER_WIDTH, self._rect.height())
        painter.fillRect(header, QColor(self.colour))
        painter.setPen(QPen(QColor(theme.node_border), theme.line_width / 2))
        painter.drawLine(self._rect.bottomLeft(), self._rect.bottomRight())
        painter.drawLine(self._rect.topLeft(), self._rect.topRight())
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if not text_shown(widget, theme.lane_font_px, lod, 0.0):
            return  # on the projector, too small to read: the projector's lane strip names the lanes
        font = QFont(FONT_FAMILY)
        font.setPixelSize(round(theme.lane_font_px))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(ON_COLOUR))
        text = self.title + (f"\n{self.subtitle}" if self.subtitle else "")
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(header.adjusted(8, 6, -8, -6), int(flags), text)
