"""A flow's condition and its step's default flow are edited from the flow's menu, each one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from tests.ui.views import settled
from workshop.domain.model.edits import default_flow_op
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json


def test_a_condition_is_typed_and_undone(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = example_window(qtbot, tmp_path)
    asked: list[str] = []

    def answer(parent: QWidget, title: str, label: str, text: str = "") -> tuple[str, bool]:
        asked.append(text)
        return "  customer is in group A ", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    window.nodes.edit_condition("flow-03")
    settled(qtbot)
    assert window.document.session.flows["flow-03"].condition == "customer is in group A"
    assert asked == [""]
    window.undo_stack.undo()
    assert window.document.session.flows["flow-03"].condition == ""


def test_one_default_flow_per_step_and_one_undo(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    flows = window.document.session.flows
    window.nodes.set_default_flow("flow-03", True)
    window.nodes.set_default_flow("flow-04", True)  # the step's other flow stops being its default
    settled(qtbot)
    assert (flows["flow-03"].default_flow, flows["flow-04"].default_flow) == (False, True)
    window.undo_stack.undo()
    assert (flows["flow-03"].default_flow, flows["flow-04"].default_flow) == (True, False)


def test_the_default_rule_without_qt() -> None:
    session = load_session_json(example_session_path())
    session.flows["flow-03"] = session.flows["flow-03"].model_copy(update={"default_flow": True})
    op = default_flow_op(session, "flow-04", True)
    assert [(o.id, o.changes) for o in op.ops] == [  # type: ignore[attr-defined]
        ("flow-03", {"default_flow": False}), ("flow-04", {"default_flow": True})
    ]
    assert default_flow_op(session, "flow-03", True).ops == []  # already the default: nothing to do
