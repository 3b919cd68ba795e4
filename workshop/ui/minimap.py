"""The overview: the whole model small, with a frame where the main view is; click to go there."""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from workshop.ui.canvas_view import CanvasView


class Minimap(QGraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setInteractive(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumHeight(140)
        self.main: CanvasView | None = None

    def follow(self, view: CanvasView | None) -> None:
        if self.main is not None:
            for bar in (self.main.horizontalScrollBar(), self.main.verticalScrollBar()):
                bar.valueChanged.disconnect(self._refresh)
        self.main = view
        self.setScene(view.scene() if view else None)
        if view is not None:
            for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
                bar.valueChanged.connect(self._refresh)
        self.fit()

    def fit(self) -> None:
        if self.scene() is not None:
            self.fitInView(self.scene().itemsBoundingRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def _refresh(self, *_: object) -> None:
        self.viewport().update()

    def visible_area(self) -> QRectF:
        if self.main is None:
            return QRectF()
        return self.main.mapToScene(self.main.viewport().rect()).boundingRect()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        area = self.visible_area()
        if not area.isEmpty():
            painter.setPen(QPen(QColor("#1565c0"), 0))
            painter.setBrush(QColor(21, 101, 192, 40))
            painter.drawRect(area)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.main is not None:
            self.main.centerOn(self.mapToScene(event.position().toPoint()))
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()
