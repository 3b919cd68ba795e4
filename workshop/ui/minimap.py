"""The overview: the whole model small, with a frame where the main view is; click to go there.

It draws a cached picture of the model and, on top, the frame. Scrolling the
main view only moves the frame (it used to repaint the whole scene on every
scroll: 340–550 ms a frame at 10,000 nodes); the picture is redrawn when the
model changes, at most twice a second, and when the overview is resized.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QGraphicsScene, QWidget

from workshop.ui.canvas_view import CanvasView

REDRAW_MS = 500
"""The model's picture is redrawn at most this often while it changes."""


class Minimap(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(140)
        self.main: CanvasView | None = None
        self._scene: QGraphicsScene | None = None
        self._picture: QPixmap | None = None
        self._source = QRectF()
        """The part of the scene the picture shows (the model's bounding box)."""
        self._target = QRectF()
        """Where in this widget the picture is drawn."""
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self._render)

    def follow(self, view: CanvasView | None) -> None:
        if self.main is not None:
            for bar in (self.main.horizontalScrollBar(), self.main.verticalScrollBar()):
                bar.valueChanged.disconnect(self.update)
        if self._scene is not None:
            self._scene.changed.disconnect(self._scene_changed)
        self.main = view
        self._scene = view.scene() if view else None
        if view is not None:
            for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
                bar.valueChanged.connect(self.update)
        if self._scene is not None:
            self._scene.changed.connect(self._scene_changed)
        self._render()

    def _scene_changed(self, *_: object) -> None:
        if not self._redraw.isActive():
            self._redraw.start()

    def _render(self) -> None:
        """Draw the model into the cached picture, fitted to this widget."""
        scene = self._scene
        if scene is None or self.width() <= 0 or self.height() <= 0:
            self._picture = None
            self.update()
            return
        source = scene.itemsBoundingRect()
        if source.isEmpty():
            self._picture = None
            self.update()
            return
        scale = min(self.width() / source.width(), self.height() / source.height())
        size = QRectF(0, 0, source.width() * scale, source.height() * scale)
        target = size.translated((self.width() - size.width()) / 2, (self.height() - size.height()) / 2)
        ratio = self.devicePixelRatioF()
        picture = QPixmap(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)))
        picture.setDevicePixelRatio(ratio)
        picture.fill(QColor("#ffffff"))
        painter = QPainter(picture)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scene.render(painter, size, source, Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
        self._picture, self._source, self._target = picture, source, target
        self.update()

    def visible_area(self) -> QRectF:
        if self.main is None:
            return QRectF()
        return self.main.mapToScene(self.main.viewport().rect()).boundingRect()

    def _to_widget(self, rect: QRectF) -> QRectF:
        scale = self._target.width() / self._source.width()
        return QRectF(
            self._target.x() + (rect.x() - self._source.x()) * scale,
            self._target.y() + (rect.y() - self._source.y()) * scale,
            rect.width() * scale,
            rect.height() * scale,
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if self._picture is None:
            return
        painter.drawPixmap(self._target.topLeft(), self._picture)
        area = self.visible_area()
        if not area.isEmpty():
            painter.setPen(QPen(QColor("#1565c0"), 1))
            painter.setBrush(QColor(21, 101, 192, 40))
            painter.drawRect(self._to_widget(area))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.main is not None and self._picture is not None:
            scale = self._source.width() / self._target.width()
            point = event.position() - self._target.topLeft()
            self.main.centerOn(QPointF(self._source.x() + point.x() * scale, self._source.y() + point.y() * scale))
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._render()
