"""The walkthrough in the real main window: Session menu, canvas keys, the overlay on the model's scene."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.views import settled
from workshop.domain.walkthrough.walk import Walk
from workshop.resources import example_session_path
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.walkthrough.walkthrough_panel import WalkthroughPanel
from workshop.ui.window.main_window import MainWindow


def test_walk_in_the_main_window_with_the_clicker(qtbot: QtBot, tmp_path: Path) -> None:
    document, workshop_file = create_document(tmp_path / "walk.workshop", load_session_json(example_session_path()))
    window = MainWindow(document, workshop_file)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    settled(qtbot)  # the panels are built once the window's first frame is painted
    panel = window.findChild(WalkthroughPanel)
    assert panel is not None
    start = next(a for a in window.menu("Session").actions() if a.text().startswith("Start walkthrough"))
    start.trigger()
    qtbot.keyClicks(panel.scenario_edit, "by phone")
    settled(qtbot)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    view = window.canvas_view
    assert view is not None
    view.setFocus()
    nodes = dict(document.session.nodes)
    assert window.scene is not None
    assert window.scene.selected_node_ids() == ["n-start"]  # the walk shows where it starts
    for key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_1):
        qtbot.keyClick(view, key)
        settled(qtbot)
    wid = panel.walkthrough_id
    assert wid is not None
    assert Walk(document.session, wid).position == ("flow", "flow-03")
    assert document.session.nodes == nodes  # the arrow key stepped the walk, it did not nudge the selection
    overlay = panel.overlay
    assert overlay is not None
    assert overlay.scene is window.scene
    assert overlay.banner is not None
    assert overlay.banner.scene() is window.scene
    qtbot.keyClick(view, Qt.Key.Key_Left)
    settled(qtbot)
    assert Walk(document.session, wid).position == ("node", "n-which")
    assert window.undo_stack.undoText() == "Walk back to 'Which customer group?'"
    window.undo_stack.undo()  # undoing the step back puts the token on the handoff again
    settled(qtbot)
    assert Walk(document.session, wid).position == ("flow", "flow-03")
    window.close()  # closes the file too (with a snapshot)
