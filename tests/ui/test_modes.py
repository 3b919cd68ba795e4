"""Prepare, Run and Review each show the panels of their job; in Run the step brings its own tool."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.facilitation.progress import goto_op, load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.resources import scripts_dir
from workshop.store.sessions import open_document
from workshop.ui.window.main_window import MainWindow
from workshop.ui.window.modes import DOCKS, Mode


def _shown(window: MainWindow) -> set[str]:
    return {d.windowTitle() for d in window.findChildren(QDockWidget) if d.isVisible()}


def _in_front(window: MainWindow, title: str) -> bool:
    dock = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == title)
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def test_each_mode_shows_its_own_panels_and_the_keys_switch_them(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    assert window.modes.mode == Mode.PREPARE, "a session with no step under way opens to prepare"
    assert _shown(window) == set(DOCKS[Mode.PREPARE])
    assert len(_shown(window)) < 8, "a few whole tab titles, not a wall of panels"
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.modes.mode == Mode.REVIEW
    assert {"Health", "Annotations", "Data collection"} <= _shown(window)
    assert "Palette" not in _shown(window)
    assert _in_front(window, "Health")
    qtbot.keyClick(window, Qt.Key.Key_F10)
    assert _shown(window) == {"Facilitation", "Participants"}, "no step yet: the console and who is in the room"
    window.modes.actions[Mode.PREPARE].trigger()
    assert window.modes.mode == Mode.PREPARE
    view = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == "Health").toggleViewAction()
    view.trigger()
    assert "Health" in _shown(window), "any panel is still one View-menu click away"


def test_in_run_each_step_brings_its_tool_and_puts_the_last_one_away(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    window.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    window.modes.actions[Mode.RUN].trigger()
    session = window.document.session
    window.apply(goto_op(session, "i1", "i1-glossary"))
    assert "Glossary" in _shown(window)
    assert _in_front(window, "Glossary")
    walk = next(
        (intervention.id, step.id)
        for intervention, step in load_script(scripts_dir() / "three-interventions.yaml").steps()
        if step.tool == "walkthrough"
    )
    window.apply(goto_op(window.document.session, *walk, confirmed_deviation=True))
    assert _in_front(window, "Walkthrough")
    assert "Glossary" not in _shown(window), "the previous step's tool is put away"


def test_a_session_reopened_mid_step_opens_in_run(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    window.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    window.apply(goto_op(window.document.session, "i1", "i1-glossary"))
    path = window.workshop_file.path
    window.modes.actions[Mode.REVIEW].trigger()
    window.close()
    window.workshop_file.close(window.document.session, window.document.last_seq)
    document, workshop_file = open_document(path)
    again = MainWindow(document, workshop_file)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.modes.mode == Mode.RUN, "the room is waiting: the console, not the last mode used"
    assert _in_front(again, "Glossary")
