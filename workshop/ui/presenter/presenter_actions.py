"""View ▸ Presenter mode (F5), Spotlight (F6), Freeze (F7): the facilitator's controls for the projector."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QGraphicsView, QInputDialog

from workshop.domain.facilitation.progress import step_started_at
from workshop.domain.model.document import LogRecord
from workshop.domain.model.operations import SetSessionOp
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.presenter.presenter_window import PresenterWindow
from workshop.ui.themes import THEMES

if TYPE_CHECKING:
    from workshop.ui.host import PresenterHost


class PresenterControl:
    """Owns the projector window while presenter mode is on; keeps it on the shown model and step."""

    def __init__(self, window: PresenterHost) -> None:
        self.window = window
        self.presenter: PresenterWindow | None = None
        self._join: tuple[str, bytes | None] = ("", None)
        self._followed: QGraphicsView | None = None
        view = window.menu("View")
        view.addSeparator()
        self.toggle_action = self._action("Presenter mode (projector)", "F5", self.set_presenting)
        self.spotlight_action = self._action("Spotlight the selection", "F6", self.set_spotlight)
        self.freeze_action = self._action("Freeze the projector", "F7", self.set_frozen)
        self.black_action = self._action("Black screen on the projector", "B", self.set_black)
        self.black_action.setEnabled(False)  # only while presenting: B is an ordinary letter otherwise
        for action in (self.toggle_action, self.spotlight_action, self.freeze_action, self.black_action):
            view.addAction(action)
        window.tabs.currentChanged.connect(self._follow_tab)
        window.document.subscribe(self._on_record)

    def _action(self, text: str, key: str, slot: Callable[[bool], None]) -> QAction:
        action = QAction(text, self.window.qt_window)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(key))
        action.toggled.connect(slot)
        return action

    def set_presenting(self, on: bool) -> None:
        if on and self.presenter is None:
            presenter = PresenterWindow(self.window.document.session, self.window.qt_window)
            presenter.set_join_info(*self._join)
            started = step_started_at(self.window.workshop_file.records())
            if started is not None:
                presenter.step_changed(started)
            presenter.closed.connect(lambda: self.toggle_action.setChecked(False))
            self._canvas_theme(projector=True)
            presenter.show_scene(self.window.scene)
            target = self._choose_screen()
            if target is not None:
                presenter.setGeometry(target.geometry())
            for action in (self.toggle_action, self.spotlight_action, self.freeze_action, self.black_action):
                presenter.addAction(action)  # a clicker's keys work even if the projector got focus
            presenter.showFullScreen()
            self.presenter = presenter
            self.black_action.setEnabled(True)
            self._follow_tab(0)
            self._keep_focus_on_console()
        elif not on and self.presenter is not None:
            presenter, self.presenter = self.presenter, None
            self.spotlight_action.setChecked(False)
            self.freeze_action.setChecked(False)
            self.black_action.setChecked(False)
            self.black_action.setEnabled(False)
            presenter.close()
            presenter.deleteLater()
            self._canvas_theme(projector=False)

    def _keep_focus_on_console(self) -> None:
        """The facilitator's keys (F6, F7, a clicker's arrows) go to the console, not the projector."""
        self.window.qt_window.activateWindow()
        self.window.qt_window.raise_()
        view = self.window.canvas_view
        if view is not None:
            view.setFocus()

    def set_black(self, on: bool) -> None:
        """B: a black projector (the room looks at each other, not the model); B again brings it back."""
        if self.presenter is not None:
            self.presenter.set_black(on)

    def _choose_screen(self) -> QScreen | None:
        """With several screens, the facilitator picks the projector (the last one is offered first)."""
        screens = QGuiApplication.screens()
        if len(screens) < 2:
            return QGuiApplication.primaryScreen()
        names = [f"{s.name()} ({s.size().width()}×{s.size().height()})" for s in reversed(screens)]
        choice, ok = QInputDialog.getItem(self.window.qt_window, "Presenter mode", "Show on screen", names, 0, False)
        return list(reversed(screens))[names.index(choice)] if ok else screens[-1]

    def _canvas_theme(self, *, projector: bool) -> None:
        """The projected canvas uses the projector theme; the window's own theme comes back afterwards."""
        theme = THEMES["projector"] if projector else self.window.theme
        for scene in self.window.scenes.values():
            scene.set_theme(theme)

    def set_spotlight(self, on: bool) -> None:
        if self.presenter is None:
            return
        self.presenter.spotlight(self._selected_area() if on else None)

    def _selected_area(self) -> QRectF | None:
        scene = self.window.scene
        if scene is None or not scene.selectedItems():
            return None
        area = QRectF()
        for item in scene.selectedItems():
            area = area.united(item.sceneBoundingRect())
        return area

    def set_frozen(self, on: bool) -> None:
        if self.presenter is not None:
            self.presenter.set_frozen(on)

    def set_join_info(self, text: str, qr_png: bytes | None) -> None:
        """Participation's sink: the join address and QR code, shown on the projector while it is open."""
        self._join = (text, qr_png)
        if self.presenter is not None:
            self.presenter.set_join_info(text, qr_png)

    def _follow_tab(self, _index: int) -> None:
        """Show the facilitator's model, and keep showing the part of it the facilitator looks at."""
        if self.presenter is None:
            return
        self.presenter.show_scene(self.window.scene)
        view = self.window.canvas_view
        if view is not None and view is not self._followed:
            for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
                bar.valueChanged.connect(self._mirror)
                bar.rangeChanged.connect(self._mirror)
            self._followed = view
        self._mirror()

    def _mirror(self, *_: object) -> None:
        view = self.window.canvas_view
        if view is None or not isinstance(view.scene(), CanvasScene):
            return  # the window is closing: its views let go of their scenes first
        if self.presenter is not None and not self.presenter.is_frozen:
            area = view.mapToScene(view.viewport().rect()).boundingRect()
            # the console fitted shows the whole model (its kept extent: not the walkthrough's banner or a
            # badge standing out of it, which made a fitted console look zoomed in)
            whole = view.follows_fit or area.contains(view.canvas_scene().model_rect().adjusted(20, 20, -20, -20))
            self.presenter.show_area(area, self._selected_area(), whole=whole)

    def _on_record(self, record: LogRecord) -> None:
        if self.presenter is None:
            return
        if any(isinstance(op, SetSessionOp) and "current_step" in op.changes for op in record.op.primitives()):
            self.presenter.step_changed(record.time)
        self.presenter.set_session(self.window.document.session)
