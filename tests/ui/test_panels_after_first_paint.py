"""Opening paints the fitted model first and builds the panels right after, into docks laid out for them.

The user must not see a difference beyond the order: the first frame has the
docks where they stay (the canvas fitted to the room left to it), and once the
views have settled every dock holds its panel and the menus read as before.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDockWidget, QScrollArea
from pytestqt.qtbot import QtBot

from tests.ui.views import settled
from workshop.resources import example_session_path
from workshop.ui.panels.facilitation_panel import FacilitationPanel
from workshop.ui.throttle import views_settled
from workshop.ui.window.main_window import MainWindow, open_window
from workshop.ui.window.panel_docks import PANEL_DOCKS


class _FirstPaint(QObject):
    """Notes, at the canvas's first paint, whether the panels were built and how wide the canvas was."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.panels_built: bool | None = None
        self.canvas_width = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.panels_built is None:
            self.panels_built = self.window.findChild(FacilitationPanel) is not None
            view = self.window.canvas_view
            self.canvas_width = view.width() if view is not None else 0
        return False


def _open(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    source = example_session_path()
    copy = tmp_path / source.name
    copy.write_bytes(source.read_bytes())
    window = open_window(copy)
    assert window is not None
    qtbot.addWidget(window)
    return window


def test_the_model_is_painted_before_the_panels_are_built_and_they_follow(qtbot: QtBot, tmp_path: Path) -> None:
    window = _open(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    first = _FirstPaint(window)
    view.viewport().installEventFilter(first)
    assert not views_settled(), "the panels are still to come: tests and benchmarks wait for them"
    settled(qtbot)
    view.viewport().removeEventFilter(first)
    assert first.panels_built is False, "the first frame shows the model, not the panels' work"
    assert view.width() == first.canvas_width, "the docks were laid out before the first frame: no jump"
    docks = {dock.windowTitle(): dock for dock in window.findChildren(QDockWidget)}
    assert set(PANEL_DOCKS) <= set(docks)
    for title, dock in docks.items():
        holder = dock.widget()
        assert isinstance(holder, QScrollArea)
        assert holder.widget() is not None, f"the {title} dock is still empty"
    assert window.findChild(FacilitationPanel) is not None
    assert window.presenter_control is not None
    assert window.participants_panel is not None
    assert window.step_follower is not None


def test_the_menus_read_as_they_did_when_the_panels_were_built_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    window = _open(qtbot, tmp_path)
    settled(qtbot)
    view_menu = [action.text() for action in window.menu("View").actions()]
    assert view_menu[-4:] == ["", "Prepare", "Run", "Review"], "the modes stay at the end, below every panel"
    panels = [title for title in view_menu if title in PANEL_DOCKS]
    assert panels == list(PANEL_DOCKS), "the panels in the order they are built"
    session_menu = [action.text() for action in window.menu("Session").actions()]
    assert session_menu[-2:] == ["Who is at the keyboard…", "Observation note…"]


def test_a_window_closed_before_its_first_frame_builds_no_panels(qtbot: QtBot, tmp_path: Path) -> None:
    window = _open(qtbot, tmp_path)
    window.close()
    settled(qtbot)
    assert window.findChild(FacilitationPanel) is None
    assert window.presenter_control is None
