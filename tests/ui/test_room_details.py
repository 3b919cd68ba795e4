"""Small things that embarrass a facilitator in front of the room, each fixed and kept fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.drawing.colours import ORGANIZATION_COLOURS, unused_colour
from workshop.domain.model.naming import node_name
from workshop.domain.model.process import Node
from workshop.ui.app import last_session
from workshop.ui.settings import remember_file


def test_ctrl_y_redoes(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    window.scene.node_items["n-it-ask"].setSelected(True)  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "n-it-ask" not in window.document.session.nodes
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "n-it-ask" in window.document.session.nodes
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert "n-it-ask" not in window.document.session.nodes


def test_a_run_of_nudges_is_one_undo_step(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    before = window.document.session.nodes["n-contact"].x
    window.scene.node_items["n-contact"].setSelected(True)  # type: ignore[union-attr]
    for _ in range(5):
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.document.session.nodes["n-contact"].x == before + 50
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.document.session.nodes["n-contact"].x == before


def test_each_new_organization_gets_its_own_colour(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = example_window(qtbot, tmp_path)
    answers = iter([("Regional council", True), ("", True), ("Port authority", True), ("", True)])
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: next(answers))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    window.lanes.add_lane()
    window.lanes.add_lane()
    colours = [org.colour.lower() for org in window.document.session.organizations.values()]
    assert len(set(colours)) == len(colours), colours
    assert unused_colour(window.document.session) in ORGANIZATION_COLOURS


def test_unnamed_events_read_as_what_they_are() -> None:
    end = Node(id="node-14fe831c", model_id="m", node_kind="end", label="")
    assert node_name(end) == "End"
    assert "node-" not in node_name(Node(id="node-1", model_id="m", node_kind="activity", label=""))


def test_an_end_event_is_named_by_typing_right_after_placing_it(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    node_id = window.nodes.add_node("end", view.mapToScene(view.viewport().rect().center()))
    assert view.editor is not None, "typing names the event, as it names an activity"
    qtbot.keyClicks(view.editor, "Customer informed")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert node_id is not None
    assert window.document.session.nodes[node_id].label == "Customer informed"


def test_relaunching_continues_the_last_session(tmp_path: Path) -> None:
    assert last_session() is None
    session = tmp_path / "contact-processing-2026-12-01.workshop"
    session.write_bytes(b"")
    remember_file(str(tmp_path / "gone.workshop"))
    remember_file(str(session))
    assert last_session() == session
    session.unlink()
    assert last_session() is None, "a session that is gone is not offered"


def test_closing_with_phones_connected_asks_first(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = example_window(qtbot, tmp_path)
    monkeypatch.setattr(type(window), "connected_participants", lambda self: 3)
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.close()
    assert window.isVisible(), "No keeps the session open"
    assert "3 participant(s)" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window.close()
    assert not window.isVisible()
