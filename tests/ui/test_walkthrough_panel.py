"""The Walkthrough panel driven like a facilitator with a presenter clicker: keys, a branch, a capture at a handoff."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QHBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.views import settled
from workshop.domain.model.document import Document
from workshop.domain.model.session import Session
from workshop.domain.walkthrough.walk import Walk
from workshop.resources import example_session_path
from workshop.ui.walkthrough.walkthrough_overlay import WalkthroughOverlay, node_rect
from workshop.ui.walkthrough.walkthrough_panel import WalkthroughPanel


@dataclass
class Room:
    """The example document, a canvas-like view of a scene and the panel beside it, like the main window."""

    doc: Document
    panel: WalkthroughPanel
    view: QGraphicsView
    focused: list[tuple[str, str]]
    window: QWidget
    scene: QGraphicsScene


def _room(qtbot: QtBot) -> Room:
    """Build the room and show it, the canvas view holding the keyboard focus."""
    doc = Document(Session.model_validate_json(example_session_path().read_text(encoding="utf-8")))
    scene = QGraphicsScene()
    view = QGraphicsView(scene)
    focused: list[tuple[str, str]] = []
    panel = WalkthroughPanel(
        doc,
        doc.apply,
        current_model=lambda: "model-current",
        focus=lambda kind, element_id: focused.append((kind, element_id)),
        overlay=WalkthroughOverlay(scene),
    )
    window = QWidget()
    layout = QHBoxLayout(window)
    layout.addWidget(view, 1)
    layout.addWidget(panel)
    qtbot.addWidget(window)
    window.resize(1400, 800)
    window.show()
    qtbot.waitExposed(window)
    view.setFocus()
    return Room(doc, panel, view, focused, window, scene)


def test_walk_the_example_with_the_keyboard_and_capture_at_a_handoff(qtbot: QtBot) -> None:
    room = _room(qtbot)
    doc, panel, view, focused = room.doc, room.panel, room.view, room.focused
    qtbot.keyClicks(panel.scenario_edit, "group A, forwarded by e-mail")
    settled(qtbot)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    view.setFocus()
    wid = panel.walkthrough_id
    assert wid is not None
    assert doc.session.walkthroughs[wid].scenario == "group A, forwarded by e-mail"

    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # the clicker: contact local sales unit
    settled(qtbot)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # decision: which customer group?
    settled(qtbot)
    assert [b.text() for b in panel.branch_buttons] == [
        "1. group A → handoff End-users → Customer group A",
        "2. group B → handoff End-users → Customer group B",
    ]
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # no branch chosen yet: the walk waits and says so
    settled(qtbot)
    assert "choose a branch" in panel.error_label.text()
    qtbot.keyClick(view, Qt.Key.Key_1)
    settled(qtbot)
    assert "Handoff: from End-users to Customer group A" in panel.position_label.text()
    assert focused[-1] == ("flow", "flow-03")
    overlay = panel.overlay
    assert overlay is not None
    assert overlay.banner is not None
    assert overlay.banner.text().startswith("Handoff: from End-users to Customer group A")

    # capture at the handoff: typing Right in the box moves the cursor, it does not step
    panel.capture_kind.setCurrentIndex(panel.capture_kind.findData("problem"))
    panel.capture_edit.setFocus()
    qtbot.keyClicks(panel.capture_edit, "Nobody tells the end-user which unit answers")
    settled(qtbot)
    qtbot.keyClick(panel.capture_edit, Qt.Key.Key_Right)
    settled(qtbot)
    qtbot.keyClick(panel.capture_edit, Qt.Key.Key_Return)
    settled(qtbot)
    (annotation,) = [a for a in doc.session.annotations.values() if a.walkthrough_id == wid]
    assert (annotation.target_kind, annotation.target_id) == ("flow", "flow-03")
    assert annotation.walkthrough_step == 3
    assert annotation.annotation_kind == "problem"
    assert annotation.text == "Nobody tells the end-user which unit answers"
    assert panel.capture_edit.text() == ""

    view.setFocus()
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageDown):  # register in CRM, solvable locally?
        qtbot.keyClick(view, key)
        settled(qtbot)
    qtbot.keyClick(view, Qt.Key.Key_2)  # no: forward the case by e-mail
    settled(qtbot)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the e-mail to the IT provider, a handoff with a boundary
    settled(qtbot)
    walk = Walk(doc.session, wid)
    assert walk.position == ("flow", "flow-09")
    assert "What a 'case' is" in overlay.banner.text()  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_PageUp)  # step back to the e-mail task
    settled(qtbot)
    walk = Walk(doc.session, wid)
    assert walk.position == ("node", "n-a-forward")
    assert [s.move for s in walk.moves_taken][-2:] == ["forward", "back"]
    lit = node_rect(doc.session.nodes["n-a-forward"])
    assert any(rect.contains(lit) for rect in overlay.highlight_rects)
    assert overlay.banner is None

    assert "1 capture, 1 knowledge boundary met" in panel.summary.label.text()
    assert panel.summary.tree.topLevelItemCount() == len(walk.moves_taken)
    assert panel.walk_list.count() == 1

    qtbot.mouseClick(panel.finish_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert doc.session.walkthroughs[wid].finished is not None
    assert overlay.items == []
    steps_before = len(doc.session.walk_steps)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # a finished walk no longer takes the keys
    settled(qtbot)
    assert len(doc.session.walk_steps) == steps_before

    # walk the same scenario again: the clicker alone follows the branches taken the first time
    qtbot.mouseClick(panel.again_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    again = panel.walkthrough_id
    assert again is not None
    assert again != wid
    assert doc.session.walkthroughs[again].scenario == "group A, forwarded by e-mail"
    view.setFocus()
    for _ in range(7):
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        settled(qtbot)
    assert Walk(doc.session, again).position == ("flow", "flow-09")
    assert panel.walk_list.count() == 2
    assert panel.comparison.columnCount() == 2


def test_jump_and_what_if_tab(qtbot: QtBot) -> None:
    room = _room(qtbot)
    panel = room.panel
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    panel.jump_box.setCurrentIndex(panel.jump_box.findData("n-it-ask"))
    qtbot.mouseClick(panel.jump_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert "parallel paths from 'Ask sales unit for missing information'" in panel.position_label.text()
    qtbot.mouseClick(panel.whatif.button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    top = panel.whatif.tree.topLevelItem(0)
    assert top is not None
    assert top.text(0) == "expected (branch probabilities)"
    assert top.text(1) == "3958"
    children = [top.child(i).text(0) for i in range(top.childCount())]
    assert "IT provider" in children
    assert any(text.startswith("handoff Customer group A → IT provider") for text in children)


def test_a_reopened_session_resumes_the_running_walk(qtbot: QtBot) -> None:
    room = _room(qtbot)
    qtbot.mouseClick(room.panel.start_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    room.panel.step_forward()
    settled(qtbot)
    again = WalkthroughPanel(room.doc, room.doc.apply)
    qtbot.addWidget(again)
    assert again.walkthrough_id == room.panel.walkthrough_id
    assert again.position_label.text().startswith("Step 1: Contact local sales unit")
