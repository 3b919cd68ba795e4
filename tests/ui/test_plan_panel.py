"""Prepare: the Plan panel lays the script against the day and says whether it fits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.facilitation.progress import load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.resources import scripts_dir
from workshop.ui.panels.plan_panel import PlanPanel
from workshop.ui.window.modes import Mode


def test_the_plan_follows_the_script_and_the_day_and_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    panel = window.findChild(PlanPanel)
    assert panel is not None
    assert panel.none.isVisibleTo(panel), "without a script the panel says what to do"
    window.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    window.modes.set_mode(Mode.PREPARE)
    dock = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == "Plan")
    assert not dock.visibleRegion().isEmpty(), "with a script, Prepare opens on the plan"
    script = load_script(scripts_dir() / "three-interventions.yaml")
    first = script.interventions[0]
    assert panel.intervention.currentData() == first.id
    assert panel.steps.rowCount() == len(first.steps)
    assert panel.steps.item(0, 0).text().startswith("09:00")
    minutes = sum(step.timebox_minutes or 0 for step in first.steps)
    panel.end.setTime(QTime(9, 0).addSecs(int(minutes - 10) * 60))
    assert "10 min too long" in panel.verdict.text()
    panel.end.setTime(QTime(17, 0))
    assert "fits" in panel.verdict.text()
    panel.intervention.setCurrentIndex(panel.intervention.count() - 1)  # all interventions
    assert panel.steps.rowCount() == len(script.steps())
    assert " · " in panel.steps.item(0, 1).text(), "several interventions: each step says which"
    again = PlanPanel(window.document)
    qtbot.addWidget(again)
    assert again.end.time() == QTime(17, 0), "the day's times are kept for the session"
