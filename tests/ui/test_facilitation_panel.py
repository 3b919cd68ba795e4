"""A short script run end to end from the Facilitation panel, checked in the document and the log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.domain.builders import two_org_document
from workshop.resources import scripts_dir
from workshop.ui.panels.facilitation_panel import FacilitationPanel


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_run_the_half_day_script_with_its_timer(qtbot: QtBot) -> None:
    clock = FakeClock()
    doc = two_org_document(clock=clock)
    panel = FacilitationPanel(doc, doc.apply, clock=clock)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert not panel.next_button.isEnabled()
    panel.scripts.setCurrentIndex(panel.scripts.findData(str(scripts_dir() / "half-day.yaml")))
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    assert doc.session.script is not None
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert doc.session.current_step is not None
    assert doc.session.current_step.step_id == "hd-welcome"
    assert panel.step.text() == "Welcome and how to join"
    assert panel.countdown.text() == "15:00"

    clock.now += timedelta(minutes=13, seconds=30)
    panel.tick()
    assert panel.countdown.text() == "01:30"
    assert "ef6c00" in panel.countdown.styleSheet(), "amber in the last two minutes"
    clock.now += timedelta(minutes=2)
    with qtbot.waitSignal(panel.time_up, timeout=1000):
        panel.tick()
    assert panel.countdown.text() == "−00:30"

    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert doc.session.current_step.step_id == "hd-walk"
    assert panel.countdown.text() == "60:00", "a new step starts its own timebox"
    qtbot.mouseClick(panel.previous_button, Qt.MouseButton.LeftButton)
    assert doc.session.current_step.step_id == "hd-welcome"


def test_pause_resume_and_five_more_minutes_are_recorded(qtbot: QtBot) -> None:
    clock = FakeClock()
    doc = two_org_document(clock=clock)
    panel = FacilitationPanel(doc, doc.apply, clock=clock)
    qtbot.addWidget(panel)
    panel.scripts.setCurrentIndex(panel.scripts.findData(str(scripts_dir() / "half-day.yaml")))
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    clock.now += timedelta(minutes=5)
    panel.tick()
    assert panel.countdown.text() == "10:00"
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    clock.now += timedelta(minutes=30)  # the room talks on; the step's time does not run
    panel.tick()
    assert panel.countdown.text().startswith("10:00")
    assert "paused" in panel.countdown.text()
    qtbot.mouseClick(panel.pause_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.add_time_button, Qt.MouseButton.LeftButton)
    clock.now += timedelta(minutes=1)
    panel.tick()
    assert panel.countdown.text() == "14:00"
    labels = [record.op.summary() for record in doc.records] if hasattr(doc, "records") else []
    assert doc.session.step_clock is not None
    assert doc.session.step_clock.extra_minutes == 5
    assert doc.session.step_clock.paused_seconds == 30 * 60
    assert all("step_clock" not in label for label in labels)


def test_jumping_ahead_asks_and_records_the_deviation(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = two_org_document()
    panel = FacilitationPanel(doc, doc.apply)
    qtbot.addWidget(panel)
    panel.load_file(scripts_dir() / "three-interventions.yaml")
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    entries = [panel.jump.itemData(i) for i in range(panel.jump.count())]
    panel.jump.setCurrentIndex(entries.index(("i3", "i3-contract")))
    panel.jump_to_selected()
    assert doc.session.current_step is None, "declined: nothing changes"
    panel.jump_to_selected()
    assert doc.session.current_step is not None
    assert doc.session.current_step.step_id == "i3-contract"
    assert any("Deviation" in a.text for a in doc.session.annotations.values())


def test_an_own_broken_script_is_explained(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = two_org_document()
    panel = FacilitationPanel(doc, doc.apply)
    qtbot.addWidget(panel)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    bad = tmp_path / "mine.yaml"
    bad.write_text("id: x\ntitle: X\ninterventions: []\n", encoding="utf-8")
    assert panel.load_file(bad) is None
    assert "mine.yaml:3" in shown[0]
    assert doc.session.script is None
