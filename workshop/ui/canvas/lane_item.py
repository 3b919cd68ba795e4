"""A swimlane band: the organization's colour, its name (and role) in a title strip on the left."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workshop.domain.drawing.shapes import lane_drawing
from workshop.domain.drawing.style import NO_ORGANIZATION
from workshop.domain.model.geometry import Box
from workshop.ui.canvas.projection import text_shown
from workshop.ui.canvas.shapes import PreparedShape, box_of, draw, prepared
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
        self._drawn: tuple[Theme, list[PreparedShape], QRectF] | None = None
        self.setZValue(-10)
        self.setAcceptedMouseButtons(Qt.MouseButton.RightButton)

    def sync(self, box: Box, title: str, subtitle: str, colour: str) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(box.x, box.y, box.w, box.h)
        self.title, self.subtitle, self.colour = title, subtitle, colour
        self._drawn = None
        self.update()

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def _drawing(self) -> tuple[list[PreparedShape], QRectF]:
        """The band as the domain draws it (:func:`~workshop.domain.drawing.shapes.lane_drawing`), and its title's
        box."""
        if self._drawn is None or self._drawn[0] is not self.theme:
            drawing = lane_drawing(box_of(self._rect), self.colour, self.theme.style)
            title = drawing.title_box
            self._drawn = (self.theme, prepared(drawing.shapes), QRectF(title.x, title.y, title.w, title.h))
        return self._drawn[1], self._drawn[2]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        theme = self.theme
        shapes, title_box = self._drawing()
        draw(painter, shapes)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if not text_shown(widget, theme.lane_font_px, lod, 0.0):
            return  # on the projector, too small to read: the projector's lane strip names the lanes
        font = QFont(FONT_FAMILY)
        font.setPixelSize(round(theme.lane_font_px))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(theme.style.on_colour))
        text = self.title + (f"\n{self.subtitle}" if self.subtitle else "")
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(title_box, int(flags), text)
