"""Durations, waiting times and branch probabilities are typed into a table, and the what-if uses them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.ui.walkthrough.walkthrough_panel import WalkthroughPanel


def _row(table: object, text: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text().startswith(text))  # type: ignore[attr-defined]


def test_typing_inputs_changes_the_model_and_refuses_what_is_not_a_number(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    panel = window.findChild(WalkthroughPanel)
    assert panel is not None
    inputs = panel.whatif_inputs
    assert inputs.table.rowCount() == 0, "not on screen: nothing computed"
    inputs.refresh()  # what showing the page does
    table = inputs.table
    row = _row(table, "Contact local sales unit")
    table.item(row, 2).setText("12,5")
    assert window.document.session.nodes["n-contact"].duration_minutes == 12.5
    table.item(row, 3).setText("an hour")
    assert "not a number" in inputs.message.text()
    assert window.document.session.nodes["n-contact"].wait_minutes != "an hour"
    branch = next(r for r in range(table.rowCount()) if "→" in table.item(r, 0).text())
    flow_id = table.item(branch, 0).data(Qt.ItemDataRole.UserRole)[1]
    table.item(branch, 4).setText("40 %")
    assert window.document.session.flows[flow_id].probability == 0.4
    window.undo_stack.undo()
    assert window.document.session.flows[flow_id].probability != 0.4, "each edit is one undo step"
    assert not table.item(row, 0).flags() & Qt.ItemFlag.ItemIsEditable, "names are edited on the canvas"
