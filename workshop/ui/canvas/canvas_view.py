"""The view of a model: zoom around the cursor, fit, pan (space-drag or middle button), label editing, drops."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QLineEdit, QWidget

from workshop.domain.drawing.style import ON_COLOUR
from workshop.domain.model.process import LANE_HEADER_WIDTH
from workshop.ui.canvas.canvas_breadcrumb import Breadcrumb
from workshop.ui.canvas.canvas_overview import paint_overview
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.lane_item import LaneItem
from workshop.ui.canvas.node_item import NodeItem
from workshop.ui.themes import FONT_FAMILY

NODE_KIND_MIME = "application/x-workshop-node-kind"
MIN_ZOOM, MAX_ZOOM = 0.002, 6.0
"""Zoom limits: far enough out to see a 10,000-node model whole."""
STICKY_TITLE_WIDTH = 104


def sticky_title_px(scene: CanvasScene, minimum_px: float = 11) -> int:
    """The pixel size of the lane titles kept at the view's left edge."""
    return max(round(minimum_px), round(scene.theme.lane_font_px * 0.8))


def draw_sticky_lane_titles(
    view: QGraphicsView, painter: QPainter, *, minimum_px: float = 11, width: float = STICKY_TITLE_WIDTH
) -> None:
    """Keep lane titles in sight: when the title strip scrolls out, draw it at the view's left edge.

    The projector asks for a larger minimum size and a wider strip, and for the
    strip also when the scene's own titles are too small to be drawn there.
    """
    scene = view.scene()
    if not isinstance(scene, CanvasScene):
        return
    own_titles_readable = scene.theme.lane_font_px * view.transform().m11() >= minimum_px
    left = view.mapToScene(0, 0).x()
    if left <= -LANE_HEADER_WIDTH + 1 and own_titles_readable:
        return
    # always opaque: a see-through strip showed the nodes and labels scrolled under it as ghost text mixed
    # into the lane names
    painter.save()
    painter.resetTransform()
    for item in scene.lane_items.values():
        band = item.rect()
        top, bottom = view.mapFromScene(0, band.top()).y(), view.mapFromScene(0, band.bottom()).y()
        if bottom < 0 or top > view.viewport().height():
            continue
        strip = QRectF(0, top, width, bottom - top)
        painter.fillRect(strip, QColor(item.colour))
        font = QFont(FONT_FAMILY)
        font.setPixelSize(sticky_title_px(scene, minimum_px))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(ON_COLOUR))
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        box = strip.adjusted(4, 4, -4, -4)
        metrics = painter.fontMetrics()
        text = item.title + (f"\n{item.subtitle}" if item.subtitle else "")
        # in a band too short for both, the role (what tells lanes of one organization apart; the colour
        # tells the organization) or else the organization's name
        for candidate in (text, item.subtitle, item.title):
            if candidate and metrics.boundingRect(box.toRect(), int(flags), candidate).height() <= box.height():
                text = candidate
                break
        else:  # one line, cut with an ellipsis: never text spilling into the next lane
            text = metrics.elidedText(item.subtitle or item.title, Qt.TextElideMode.ElideRight, int(box.width()))
            flags = Qt.AlignmentFlag.AlignCenter
        painter.drawText(box, int(flags), text)
    painter.restore()


class LabelEditor(QLineEdit):
    """In-place editor over a node or flow: Enter commits, Esc cancels, losing focus commits."""

    committed = Signal(str)
    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.committed.emit(self.text())
            return
        super().keyPressEvent(event)


class CanvasView(QGraphicsView):
    node_dropped = Signal(str, QPointF)
    """(node kind, scene position): a palette entry was dropped on the canvas."""
    label_edited = Signal(str, str, str)
    """(kind, element id, new text)."""
    lane_menu_requested = Signal(str, QPoint)
    """(lane id, global position): right-click on a lane."""
    element_menu_requested = Signal(str, str, QPoint)
    """(kind, element id, global position): right-click on a node or flow."""
    fitted = Signal()
    """The whole model was fitted into the view (on open, on a resize while it follows the fit, Ctrl+0)."""

    def __init__(self, scene: CanvasScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setAcceptDrops(True)
        self._space_held = False
        self._panning_from: QPointF | None = None
        self.editor: LabelEditor | None = None
        self._editing: tuple[str, str] | None = None
        self._follows_fit = False
        self._fitting = False
        self._fitted_for: tuple[int, int, QRectF] | None = None
        self.follows_fit = True
        scene.edit_label_requested.connect(self.edit_label)
        self.breadcrumb = Breadcrumb(scene, self.fit_level, self)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not paint_overview(self, event):  # zoomed far out: the model as one picture (see canvas_overview)
            super().paintEvent(event)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        draw_sticky_lane_titles(self, painter)
        if self._follows_fit and not self._fitting and self._fitted_for != self._fit_key():
            # the model grew or shrank under a fitted view (a copied process, an import, a layout): it stays
            # whole, fitted once the paint is done (this view shows no scroll bars while it is fitted)
            QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        if self._follows_fit and self._fitted_for != self._fit_key():
            self.zoom_to_fit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        # Qt moves the pixels and paints only the uncovered strip; the lane titles kept at the left
        # edge moved with them and are painted again (not the whole viewport: a frame stays a few ms)
        super().scrollContentsBy(dx, dy)
        self.viewport().update(QRect(0, 0, STICKY_TITLE_WIDTH + 2 + max(dx, 0), self.viewport().height()))

    def canvas_scene(self) -> CanvasScene:
        scene = self.scene()
        assert isinstance(scene, CanvasScene)
        return scene

    # -- zoom and pan ------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    @property
    def follows_fit(self) -> bool:
        """The whole model stays fitted (on open, after a resize or maximize) until the user zooms or pans."""
        return self._follows_fit

    @follows_fit.setter
    def follows_fit(self, value: bool) -> None:
        # A fitted view shows the whole model, so it needs no scroll bars; keeping them off while it is
        # fitted is what makes fitting settle: a fit that made a scroll bar appear would shrink the
        # viewport, resize the view and fit again, forever (the room's freeze with some imported models).
        if value == self._follows_fit:
            return
        self._follows_fit = value
        policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOff if value else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        self._fitting, was_fitting = True, self._fitting  # the policy change resizes the viewport: no fit from it
        try:
            self.setHorizontalScrollBarPolicy(policy)
            self.setVerticalScrollBarPolicy(policy)
        finally:
            self._fitting = was_fitting

    def zoom_by(self, factor: float) -> None:
        self.follows_fit = False
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        self.scale(target / self.zoom(), target / self.zoom())
        self._zoom_changed()

    def zoom_to_fit(self) -> None:
        """Fit the whole model into the view; never re-entered (a fit inside a fit is what loops)."""
        if self._fitting:
            return
        self.follows_fit = True
        self._fitting = True
        try:
            # the model's kept extent, not itemsBoundingRect(): that asks each of ~20,000 items for its bounds
            rect = self.canvas_scene().model_rect().adjusted(-30, -30, 30, 30)
            if not rect.isEmpty():
                self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            self._fitted_for = self._fit_key()
        finally:
            self._fitting = False
        self.fitted.emit()
        self._zoom_changed()

    def resetTransform(self) -> None:
        """100 %, chosen rather than fitted: the view stops following the fit (and shows its scroll bars)."""
        self.follows_fit = False
        super().resetTransform()

    def fit_level(self) -> None:
        """Fit the level the canvas drilled into (or back out to), never bigger than life: a few steps fill no wall."""
        self.zoom_to_fit()
        if self.zoom() > 1.0:
            self.resetTransform()
            self.centerOn(self.canvas_scene().model_rect().center())
            self._zoom_changed()

    def zoom_actual(self) -> None:
        self.follows_fit = False
        self.resetTransform()
        self._zoom_changed()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.follows_fit and not self._fitting and self._fitted_for != self._fit_key():
            self.zoom_to_fit()

    def _fit_key(self) -> tuple[int, int, QRectF]:
        """What a fit depends on: a resize to the size already fitted (dock layouts settle in steps) fits nothing."""
        size = self.viewport().size()
        return size.width(), size.height(), self.canvas_scene().model_rect()

    def _zoom_changed(self) -> None:
        self.canvas_scene().update_overview()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15**steps)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self.editor is None:
            self._space_held = True
            self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            return
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._space_held or event.button() == Qt.MouseButton.MiddleButton:
            self.follows_fit = False  # the user pans: keep their view on resize
        if event.button() == Qt.MouseButton.MiddleButton:
            self._panning_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning_from is not None:
            delta = event.position() - self._panning_from
            self._panning_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton and self._panning_from is not None:
            self._panning_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        for item in self.items(event.pos()):
            if isinstance(item, (NodeItem, FlowItem)):
                kind, element_id = ("node", item.node_id) if isinstance(item, NodeItem) else ("flow", item.flow_id)
                scene = self.canvas_scene()
                scene.clearSelection()
                item.setSelected(True)
                self.element_menu_requested.emit(kind, element_id, event.globalPos())
                event.accept()
                return
            if isinstance(item, LaneItem):
                self.lane_menu_requested.emit(item.lane_id, event.globalPos())
                event.accept()
                return
        super().contextMenuEvent(event)

    # -- palette drops -------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(NODE_KIND_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(NODE_KIND_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(NODE_KIND_MIME):
            event.ignore()
            return
        kind = bytes(event.mimeData().data(NODE_KIND_MIME).data()).decode()
        self.node_dropped.emit(kind, self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()

    # -- in-place label editing ------------------------------------------------------------
    def edit_label(self, kind: str, element_id: str) -> None:
        scene = self.canvas_scene()
        if scene.read_only:
            return
        session = scene.document.session
        if kind == "node" and element_id in scene.node_items:
            rect = scene.node_items[element_id].scene_rect()
            text = session.nodes[element_id].label
        elif kind == "flow" and element_id in scene.flow_items:
            rect = scene.flow_items[element_id].label_rect()
            if rect.isEmpty():
                path_rect = scene.flow_items[element_id].path().boundingRect()
                rect = path_rect.adjusted(path_rect.width() / 2 - 80, path_rect.height() / 2 - 15, 0, 0)
                rect.setSize(rect.size().expandedTo(rect.size()))
            text = session.flows[element_id].label
        else:
            return
        self.close_editor()
        editor = LabelEditor(self.viewport())
        editor.setObjectName("labelEditor")
        editor.setText(text)
        editor.selectAll()
        top_left = self.mapFromScene(rect.topLeft())
        bottom_right = self.mapFromScene(rect.bottomRight())
        width = max(160, bottom_right.x() - top_left.x())
        editor.setGeometry(top_left.x(), top_left.y() + (bottom_right.y() - top_left.y()) // 2 - 18, width, 36)
        font = editor.font()
        font.setPointSize(max(11, round(scene.theme.node_font_px * 0.8)))
        editor.setFont(font)
        editor.committed.connect(lambda value: self._finish_edit(value))
        editor.cancelled.connect(self.close_editor)
        editor.installEventFilter(self)
        self.editor = editor
        self._editing = (kind, element_id)
        editor.show()
        editor.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut and self.editor is not None:
            self._finish_edit(self.editor.text())
        return super().eventFilter(watched, event)

    def _finish_edit(self, value: str) -> None:
        if self._editing is None:
            return
        kind, element_id = self._editing
        self.close_editor()
        self.label_edited.emit(kind, element_id, value.strip())

    def close_editor(self) -> None:
        editor, self.editor, self._editing = self.editor, None, None
        if editor is not None:
            editor.removeEventFilter(self)
            editor.hide()
            editor.deleteLater()
            self.setFocus()
