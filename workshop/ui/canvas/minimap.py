"""The overview: the whole model small, with a frame where the main view is; click to go there.

It draws a cached picture of the model and, on top, the frame. Scrolling the
main view only moves the frame (it used to repaint the whole scene on every
scroll: 340–550 ms a frame at 10,000 nodes). The picture is drawn from the
scene's kept extents — lane bands, one filled path per organization colour
for the nodes, one path for the handoffs — not by rendering the scene, which
costs one Python ``paint`` call per item (0.5 s at 10,000 nodes). It is
redrawn when the model changes, at most twice a second, and only while the
Overview is on screen; a hidden Overview redraws once it is shown.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from PySide6.QtCore import QPointF, QRectF, QTimer
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QWidget

from workshop.domain.drawing.style import PRINTED
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.canvas_view import CanvasView
from workshop.ui.throttle import track

REDRAW_MS = 500
"""The model's picture is redrawn at most this often while it changes."""
LANE_ALPHA = 60
SLICE = 1000
"""Nodes or flows drawn between two looks at the clock."""
SLICE_S = 0.012
"""How long one slice of drawing the picture may keep the event loop waiting."""


class Minimap(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(140)
        self.main: CanvasView | None = None
        self._scene: CanvasScene | None = None
        self._picture: QPixmap | None = None
        self._dirty = True
        """The picture no longer shows the model (drawn when next on screen)."""
        self._source = QRectF()
        """The part of the scene the picture shows (the model's bounding box)."""
        self._target = QRectF()
        """Where in this widget the picture is drawn."""
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self._render)
        self._job: Iterator[None] | None = None
        """The picture being drawn, a slice at a time (None: none is)."""
        track(self)

    def follow(self, view: CanvasView | None) -> None:
        if self.main is not None:
            for bar in (self.main.horizontalScrollBar(), self.main.verticalScrollBar()):
                bar.valueChanged.disconnect(self.update)
        if self._scene is not None:
            self._scene.model_changed.disconnect(self._scene_changed)
        self.main = view
        self._scene = view.canvas_scene() if view else None
        if view is not None:
            for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
                bar.valueChanged.connect(self.update)
        if self._scene is not None:
            self._scene.model_changed.connect(self._scene_changed)
        self._render()

    def _scene_changed(self) -> None:
        if not self._redraw.isActive():
            self._redraw.start()

    def _on_screen(self) -> bool:
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def busy(self) -> bool:
        """A picture is being drawn in slices (see :func:`~workshop.ui.throttle.views_settled`)."""
        return self._job is not None

    def _render(self) -> None:
        """Draw the model into the cached picture, fitted to this widget (later, if it is not on screen).

        In slices of a few milliseconds with the event loop answering between them (the old picture stays
        until the new one is done): at 50,000 nodes the whole picture is ~0.3 s of Python, a freeze after
        every edit. The first picture, with nothing to show meanwhile, is drawn at once.
        """
        self._dirty = True
        if not self._on_screen():
            return
        self._dirty = False
        self._job = self._draw()
        self._step(at_once=self._picture is None)

    def _step(self, at_once: bool = False) -> None:
        job = self._job
        if job is None:
            return
        deadline = time.perf_counter() + SLICE_S
        for _ in job:
            if not at_once and time.perf_counter() > deadline:
                # 1 ms, not 0: a zero timer posted while the loop runs events is run in that same pass, so
                # one processEvents() (a paint, an input event) would wait for every slice
                QTimer.singleShot(1, self._step)
                return
        if self._job is job:
            self._job = None

    def _draw(self) -> Iterator[None]:
        scene = self._scene
        source = scene.model_rect() if scene is not None else QRectF()
        if scene is None or self.width() <= 0 or self.height() <= 0 or source.isEmpty():
            self._picture = None
            self.update()
            return
        scale = min(self.width() / source.width(), self.height() / source.height())
        size = QRectF(0, 0, source.width() * scale, source.height() * scale)
        target = size.translated((self.width() - size.width()) / 2, (self.height() - size.height()) / 2)
        ratio = self.devicePixelRatioF()
        picture = QPixmap(max(1, round(size.width() * ratio)), max(1, round(size.height() * ratio)))
        picture.setDevicePixelRatio(ratio)
        picture.fill(QColor(scene.theme.canvas))
        painter = QPainter(picture)
        yield from _draw_model(painter, scene, source, scale)
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

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.update()  # drawn in paintEvent, once really on screen

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._dirty:
            self._render()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self._scene.theme.canvas if self._scene else PRINTED.background))
        if self._picture is None:
            return
        painter.drawPixmap(self._target.topLeft(), self._picture)
        area = self.visible_area()
        if not area.isEmpty():
            frame = QColor(self._scene.theme.selection if self._scene else PRINTED.selection)
            painter.setPen(QPen(frame, 1))
            frame.setAlpha(40)  # the part of the model the canvas shows, tinted
            painter.setBrush(frame)
            painter.drawRect(self._to_widget(area))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._dirty:
            self._render()
        if self.main is not None and self._picture is not None:
            scale = self._source.width() / self._target.width()
            point = event.position() - self._target.topLeft()
            self.main.centerOn(QPointF(self._source.x() + point.x() * scale, self._source.y() + point.y() * scale))
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._dirty = True  # drawn once, at the next paint, however many resizes a new window goes through
        self.update()


def _draw_model(painter: QPainter, scene: CanvasScene, source: QRectF, scale: float) -> Iterator[None]:
    """Lanes, nodes (at least a pixel each) and handoffs of ``scene`` in picture coordinates.

    Yields every :data:`SLICE` elements (the scene may change in between: it reads a copy of the lists).
    """

    def mapped(x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF((x - source.x()) * scale, (y - source.y()) * scale, max(1.0, w * scale), max(1.0, h * scale))

    for lane in scene.lane_items.values():
        band = QColor(lane.colour)
        band.setAlpha(LANE_ALPHA)
        rect = lane.rect()
        painter.fillRect(mapped(rect.x(), rect.y(), rect.width(), rect.height()), band)
    # whole pixels: thousands of nodes fall on the same few hundred pixels of a small picture, each drawn once
    by_colour: dict[str, set[tuple[int, int, int, int]]] = {}
    boxes = scene.node_boxes()
    x0, y0 = source.x(), source.y()
    for number, (node_id, item) in enumerate(list(scene.node_items.items())):
        if number % SLICE == SLICE - 1:
            yield
        box = boxes.get(node_id)
        if box is None:
            continue  # removed since the copy was made
        left, top, right, bottom = box
        x, y = int((left - x0) * scale), int((top - y0) * scale)
        cell = (x, y, max(1, int((right - x0) * scale) - x), max(1, int((bottom - y0) * scale) - y))
        by_colour.setdefault(item.colour, set()).add(cell)
    for colour, cells in by_colour.items():
        path = QPainterPath()
        for number, (x, y, w, h) in enumerate(cells):
            if number % SLICE == SLICE - 1:
                yield
            path.addRect(x, y, w, h)
        painter.fillPath(path, QColor(colour))
    handoffs = QPainterPath()
    for number, flow in enumerate(list(scene.flow_items.values())):
        if number % SLICE == SLICE - 1:
            yield
        if flow.handoff and len(flow.route) >= 2:
            (fx, fy), *rest = flow.route
            handoffs.moveTo((fx - x0) * scale, (fy - y0) * scale)
            for fx, fy in rest:
                handoffs.lineTo((fx - x0) * scale, (fy - y0) * scale)
    pen = QPen(QColor(scene.theme.handoff), 1)
    pen.setCosmetic(True)
    painter.setPen(pen)
    painter.drawPath(handoffs)
