"""Driving the canvas with real mouse events, as a user's hand would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.views import settled
from workshop.resources import example_session_path
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.canvas.canvas_view import CanvasView
from workshop.ui.window.main_window import MainWindow


def example_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    document, workshop_file = create_document(tmp_path / "example.workshop", load_session_json(example_session_path()))
    window = MainWindow(document, workshop_file)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    settled(qtbot)  # the panels are built once the window's first frame is painted
    view = window.canvas_view
    assert view is not None
    view.resetTransform()
    view.setFocus()
    return window


def send_mouse(
    view: CanvasView,
    kind: QEvent.Type,
    pos: QPoint,
    button: Qt.MouseButton,
    buttons: Qt.MouseButton,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """One mouse event at viewport point ``pos``, delivered as the window system would."""
    global_pos = view.viewport().mapToGlobal(pos)
    event = QMouseEvent(kind, QPointF(pos), QPointF(global_pos), button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


def drag(
    view: CanvasView,
    start: QPointF,
    end: QPointF,
    steps: int = 6,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press at scene point ``start``, move in steps, release at ``end`` (scene coordinates)."""
    view.centerOn((start + end) / 2)
    a, b = view.mapFromScene(start), view.mapFromScene(end)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send_mouse(view, QEvent.Type.MouseButtonPress, a, left, left, modifiers)
    for i in range(1, steps + 1):
        p = a + (b - a) * i / steps
        send_mouse(view, QEvent.Type.MouseMove, QPoint(round(p.x()), round(p.y())), none, left, modifiers)
    send_mouse(view, QEvent.Type.MouseButtonRelease, b, left, none, modifiers)


def show_dock(window: MainWindow, title: str) -> None:
    """Bring a panel forward as the user does from the View menu (a mode may have put it away)."""
    from PySide6.QtWidgets import QDockWidget

    dock = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == title)
    if not dock.isVisible():
        dock.toggleViewAction().trigger()
    dock.raise_()
    QApplication.processEvents()
