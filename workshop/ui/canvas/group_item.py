"""BPMN groups on the canvas: a dashed frame around part of the model with its name along the top.

A group is no step and no part of the process's order: its frame is drawn
above the lanes and below everything else, takes no clicks, and follows the
document (:class:`GroupFrames` keeps one :class:`GroupItem` per group of the
scene's model).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from workshop.domain.drawing.shapes import group_drawing
from workshop.domain.model.document import Document
from workshop.domain.model.geometry import Box
from workshop.domain.model.process import Group
from workshop.ui.canvas.projection import text_shown
from workshop.ui.canvas.shapes import PreparedShape, box_of, draw, prepared
from workshop.ui.themes import FONT_FAMILY, Theme


class GroupItem(QGraphicsItem):
    """One group's frame, drawn as the domain draws it (:func:`~workshop.domain.drawing.shapes.group_drawing`)."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme
        self.label = ""
        self._rect = QRectF()
        self._drawn: tuple[Theme, list[PreparedShape], QRectF] | None = None
        self.setZValue(-5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def sync(self, group: Group) -> None:
        self.prepareGeometryChange()
        self._rect = QRectF(group.x, group.y, group.w, group.h)
        self.label = group.label
        self._drawn = None
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def _drawing(self) -> tuple[list[PreparedShape], QRectF]:
        if self._drawn is None or self._drawn[0] is not self.theme:
            drawing = group_drawing(box_of(self._rect), self.theme.style)
            box = drawing.label_box
            self._drawn = (self.theme, prepared(drawing.shapes), QRectF(box.x, box.y, box.w, box.h))
        return self._drawn[1], self._drawn[2]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        shapes, label_box = self._drawing()
        draw(painter, shapes)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if not self.label or not text_shown(widget, self.theme.flow_font_px, lod, 0.3):
            return
        font = QFont(FONT_FAMILY)
        font.setPixelSize(round(self.theme.flow_font_px))
        painter.setFont(font)
        painter.setPen(QColor(self.theme.text))
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextSingleLine
        painter.drawText(
            label_box,
            int(flags),
            painter.fontMetrics().elidedText(self.label, Qt.TextElideMode.ElideRight, round(label_box.width())),
        )


class _Scene(Protocol):
    """What the frames ask of the canvas scene (which imports this module: no import back)."""

    document: Document
    model_id: str
    theme: Theme


class GroupFrames:
    """The group items of one canvas scene, kept in step with the document."""

    def __init__(self, scene: QGraphicsScene, owner: _Scene) -> None:
        self.scene, self.owner = scene, owner
        self.items: dict[str, GroupItem] = {}

    def sync(self, group_ids: set[str] | None = None) -> None:
        """Bring the frames of ``group_ids`` (all of the model's when None) up to date."""
        session = self.owner.document.session
        ids = set(self.items) | {g.id for g in session.groups.values()} if group_ids is None else group_ids
        for group_id in ids:
            group = session.groups.get(group_id)
            item = self.items.get(group_id)
            if group is None or group.model_id != self.owner.model_id:
                if item is not None:
                    self.scene.removeItem(self.items.pop(group_id))
                continue
            if item is None:
                item = self.items[group_id] = GroupItem(self.owner.theme)
                self.scene.addItem(item)
            item.sync(group)

    def set_theme(self, theme: Theme) -> None:
        for item in self.items.values():
            item.theme = theme
            item.update()

    def boxes(self) -> list[Box]:
        return [box_of(item.boundingRect()) for item in self.items.values()]
