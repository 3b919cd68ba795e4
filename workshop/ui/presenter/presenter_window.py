"""Presenter mode: what the room sees on the projector, while the facilitator keeps the controls.

A second, full-screen view of the same scene (so every change, highlight and
overlay shows at once), with the step title, the time in it and, while the
session is open to participants, the join address and QR code in large
type. The facilitator can spotlight the selected element (the rest dims)
and freeze the projector while rearranging.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.progress import current_script_step, current_step_time, room_results
from workshop.domain.model.process import LANE_HEADER_WIDTH
from workshop.domain.model.session import Session
from workshop.ui.canvas.canvas_overview import paint_overview
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.canvas_view import draw_sticky_lane_titles, sticky_title_px
from workshop.ui.canvas.projection import MIN_TEXT_PX, text_shown
from workshop.ui.themes import PHASE_COLOURS
from workshop.ui.widgets import big_label, plain_label

SPOTLIGHT_Z = 80

STRIP_WIDTH = 170
"""The projector's lane strip: wide enough for an organization's name at 24 px."""

CLOCK_PX = 72
"""The step's countdown on the projector: the room sees time run out."""


class ProjectorView(QGraphicsView):
    """The projected canvas: not interactive, lane titles always in sight, no text under 24 px, no scroll bars."""

    is_projector = True
    """Read by the items (see :mod:`workshop.ui.canvas.projection`): no small text, no selection handles here."""

    resized = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not paint_overview(self, event):  # the whole model far out: one picture, as on the console
            super().paintEvent(event)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        draw_sticky_lane_titles(self, painter, minimum_px=MIN_TEXT_PX, width=STRIP_WIDTH)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def readable_scale(self) -> float:
        """The smallest zoom at which the node labels are at least 24 px (with their shrink-to-fit)."""
        scene = self.scene()
        theme = getattr(scene, "theme", None)
        node_px = theme.node_font_px * 0.7 if theme is not None else 13.0
        return MIN_TEXT_PX / node_px

    def text_sizes(self) -> list[float]:
        """The on-screen pixel size of every text this view draws now (for the back-of-the-room test)."""
        scene = self.scene()
        if not isinstance(scene, CanvasScene):
            return []
        scale = self.transform().m11()
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        sizes: list[float] = []
        for node in scene.node_items.values():
            if node.label and node.sceneBoundingRect().intersects(shown):
                px = node.label_font().pixelSize() * scale
                if text_shown(self.viewport(), node.label_font().pixelSize(), scale, 0):
                    sizes.append(px)
        for flow in scene.flow_items.values():
            readable = text_shown(self.viewport(), scene.theme.flow_font_px, scale, 0)
            if flow.label and readable and flow.sceneBoundingRect().intersects(shown):
                sizes.append(scene.theme.flow_font_px * scale)
        for lane in scene.lane_items.values():
            if lane.sceneBoundingRect().intersects(shown):
                if text_shown(self.viewport(), scene.theme.lane_font_px, scale, 0):
                    sizes.append(scene.theme.lane_font_px * scale)
                else:
                    sizes.append(sticky_title_px(scene, MIN_TEXT_PX))
        return sizes


def _follow_zoom(view: QGraphicsView) -> None:
    """Tell a canvas shown on the projector that this view's zoom changed (see CanvasScene.update_overview)."""
    scene = view.scene()
    if isinstance(scene, CanvasScene):
        scene.update_overview()


class PresenterWindow(QWidget):
    """The projector's window. Esc leaves presenter mode."""

    closed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # the console keeps the keyboard
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWindowTitle("Process Workshop — projector")
        self.setStyleSheet("background: #ffffff; color: #000000;")
        self._session = session
        self._spotlight: QGraphicsPathItem | None = None
        self.title = big_label(40, bold=True, pixels=True)
        self.clock = big_label(CLOCK_PX, bold=True, pixels=True)
        self.clock.setWordWrap(False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.clock)

        self.view = ProjectorView()
        self.view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.view.setInteractive(False)
        self.frozen = plain_label()
        self.frozen.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.frozen)
        self.black = QWidget()
        self.black.setStyleSheet("background: #000000;")
        self.stack.addWidget(self.black)

        self.join_text = big_label(30, bold=True, pixels=True)
        self.qr = plain_label()
        self.qr.setFixedSize(260, 260)
        self.qr.setScaledContents(True)
        self.join_box = QWidget()
        join_layout = QVBoxLayout(self.join_box)
        invitation = big_label(26, bold=True, pixels=True)
        invitation.setText("Join from your phone")
        join_layout.addWidget(invitation)
        join_layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        join_layout.addWidget(self.join_text)
        join_layout.addStretch(1)
        self.join_box.setFixedWidth(380)
        self.join_box.hide()

        body = QHBoxLayout()
        self.results_title = big_label(30, bold=True, pixels=True)
        self.results = big_label(28, pixels=True)
        self.results_box = QWidget()
        results_layout = QVBoxLayout(self.results_box)
        results_layout.addWidget(self.results_title)
        results_layout.addWidget(self.results)
        results_layout.addStretch(1)
        self.results_box.setFixedWidth(560)
        self.results_box.hide()
        body.addWidget(self.stack, 1)
        body.addWidget(self.results_box)
        body.addWidget(self.join_box)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self.refresh_header)
        self._ticker.start(1000)
        self._step_started: datetime | None = None
        self._shown: tuple[QRectF, QRectF | None, bool] | None = None
        self.view.resized.connect(self._view_resized)
        self.refresh_header()

    # -- what is shown -------------------------------------------------------------------------
    def show_scene(self, scene: QGraphicsScene | None) -> None:
        self.clear_spotlight()
        self.view.setScene(scene)
        self.fit()

    def show_area(self, area: QRectF, focus: QRectF | None = None, *, whole: bool = False) -> None:
        """Show the part of the scene the facilitator looks at, so the room can read it.

        If ``area`` fits the projector with labels of at least 24 px, it is shown
        whole. If not, and the facilitator shows the whole model (``whole``: the
        console is fitted), the room sees the whole model without labels (lanes
        named in the strip); else the room sees the middle of ``area`` (or
        ``focus``: the selection, the walkthrough's step) at the smallest
        readable zoom.
        """
        try:
            self._show_area(area, focus, whole)
        finally:
            _follow_zoom(self.view)

    def _show_area(self, area: QRectF, focus: QRectF | None, whole: bool) -> None:
        scene = self.view.scene()
        if area.isEmpty() or scene is None:
            return
        self._shown = (QRectF(area), QRectF(focus) if focus is not None else None, whole)
        self.view.fitInView(area, Qt.AspectRatioMode.KeepAspectRatio)
        readable = self.view.readable_scale()
        if self.view.transform().m11() >= readable:
            return
        if whole and focus is None:
            self.fit()
            return
        self.view.resetTransform()
        self.view.scale(readable, readable)
        self.view.centerOn((focus or area).center())

    def _view_resized(self) -> None:
        """The results or join banner came or went: show the same part again in the new space."""
        if self._shown is not None:
            area, focus, whole = self._shown
            self.show_area(area, focus, whole=whole)
        else:
            self.fit()

    def fit(self) -> None:
        """The whole model as large as the free area allows, its lanes named in the strip at the left.

        The strip stands where the model's own lane titles are, so only what the strip is wider than those
        titles is kept free (reserving a whole strip beside them left the model filling half the screen).
        """
        scene = self.view.scene()
        if scene is None:
            return
        # a canvas knows its extent; itemsBoundingRect() asks each of its items
        bounds = scene.model_rect() if isinstance(scene, CanvasScene) else scene.itemsBoundingRect()
        if bounds.isEmpty():
            return
        if not isinstance(scene, CanvasScene):
            self.view.fitInView(bounds.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)
            _follow_zoom(self.view)
            return
        content = QRectF(bounds)
        content.setLeft(max(bounds.left(), 0.0))  # the lanes' contents, right of their own titles
        content.adjust(0, -20, 20, 20)
        port = self.view.viewport().rect()
        width_scale = (port.width() - STRIP_WIDTH) / max(1.0, content.width())
        scale = max(min(width_scale, port.height() / max(1.0, content.height())), 1e-3)
        left_px = max(STRIP_WIDTH, LANE_HEADER_WIDTH * scale)  # the model's own titles, when large, are shown
        self.view.resetTransform()
        self.view.scale(scale, scale)
        room_w = port.width() / scale
        self.view.centerOn(QPointF(content.left() - left_px / scale + room_w / 2, content.center().y()))
        _follow_zoom(self.view)

    def set_session(self, session: Session) -> None:
        self._session = session
        self.refresh_header()
        self.refresh_results()

    def refresh_results(self) -> None:
        """In a vote or agreement step the room sees the results large, beside the model, as they come in."""
        title, lines = room_results(self._session)
        self.results_title.setText(title)
        self.results.setText("\n".join(lines))
        self.results_box.setVisible(bool(title))

    def step_changed(self, when: datetime) -> None:
        self._step_started = when
        self.refresh_header()

    def refresh_header(self) -> None:
        ref = self._session.current_step
        found = current_script_step(self._session)
        if found is not None:
            self.title.setText(f"{found[1].title} — {found[2].title}")
        else:
            self.title.setText(self._session.title + (f" — step {ref.step_id}" if ref else ""))
        time = current_step_time(self._session, started=self._step_started)
        if time is not None:
            self.clock.setText(time.text + (" ❚❚" if time.paused else ""))
            colour = PHASE_COLOURS.get(time.phase, "#000000")
        else:
            self.clock.setText(datetime.now().strftime("%H:%M"))
            colour = "#000000"
        self.clock.setStyleSheet(f"color: {colour};")

    def set_join_info(self, text: str, qr_png: bytes | None) -> None:
        """The join address and QR code while participation is open; empty text hides them."""
        self.join_text.setText(text)
        pixmap = QPixmap()
        if qr_png:
            pixmap.loadFromData(qr_png)
        self.qr.setPixmap(pixmap)
        self.join_box.setVisible(bool(text))

    # -- facilitation gestures -------------------------------------------------------------------
    def set_frozen(self, frozen: bool) -> None:
        """Freeze: the projector keeps the current picture while the facilitator rearranges."""
        if frozen:
            self.frozen.setPixmap(self.view.grab())
            self.stack.setCurrentWidget(self.frozen)
        else:
            self.stack.setCurrentWidget(self.view)

    def set_black(self, black: bool) -> None:
        self.stack.setCurrentWidget(self.black if black else self.view)

    @property
    def is_frozen(self) -> bool:
        return self.stack.currentWidget() is self.frozen

    def spotlight(self, area: QRectF | None) -> None:
        """Dim everything but ``area`` (scene coordinates); None lifts the spotlight."""
        self.clear_spotlight()
        scene = self.view.scene()
        if area is None or scene is None:
            return
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        path.addRect(scene.itemsBoundingRect().adjusted(-400, -400, 400, 400))
        path.addRoundedRect(area.adjusted(-24, -24, 24, 24), 16, 16)
        shade = QGraphicsPathItem(path)
        shade.setBrush(QBrush(QColor(0, 0, 0, 150)))
        shade.setPen(Qt.PenStyle.NoPen)
        shade.setZValue(SPOTLIGHT_Z)
        shade.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        scene.addItem(shade)
        self._spotlight = shade

    def clear_spotlight(self) -> None:
        if self._spotlight is not None and self._spotlight.scene() is not None:
            self._spotlight.scene().removeItem(self._spotlight)
        self._spotlight = None

    @property
    def spotlit(self) -> bool:
        return self._spotlight is not None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.clear_spotlight()
        super().closeEvent(event)
        self.closed.emit()
