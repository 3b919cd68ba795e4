"""The person at the keyboard is named once, kept in settings, changeable, and on every record the app makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.model.operations import update
from workshop.live.public_view import snapshot
from workshop.store.sessions import read_record
from workshop.ui.settings import desktop_person
from workshop.ui.window.people import PersonDialog, desktop_actor, ensure_person, set_person


def _answer(name: str, role: str) -> None:
    """Fill in and accept the name dialog once it is open (it is modal)."""

    def fill() -> None:
        from PySide6.QtWidgets import QApplication

        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PersonDialog) and w.isVisible())
        dialog.name.setText(name)
        dialog.role.setCurrentText(role)
        dialog.accept()

    QTimer.singleShot(0, fill)


def _action(window: object, text: str) -> object:
    return next(a for a in window.menu("Session").actions() if a.text() == text)  # type: ignore[attr-defined]


def test_asked_once_then_every_record_carries_the_name(qtbot: QtBot, tmp_path: Path) -> None:
    assert desktop_actor() == "facilitator"
    _answer("Anna Virtanen", "facilitator")
    ensure_person()
    assert desktop_person() == ("Anna Virtanen", "facilitator")
    ensure_person()  # kept: not asked again (an unanswered dialog would fail the test)

    window = example_window(qtbot, tmp_path)
    window.apply(update("node", "n-contact", label="Phone the sales unit"))
    window.undo_stack.undo()

    _answer("Ben Ortiz", "researcher")
    _action(window, "Who is at the keyboard…").trigger()  # type: ignore[attr-defined]
    assert desktop_person() == ("Ben Ortiz", "researcher")
    window.apply(update("node", "n-contact", label="Mail the sales unit"))

    actors = [log.actor for log in read_record(window.workshop_file.path).records]
    assert actors == ["Anna Virtanen", "Anna Virtanen", "Ben Ortiz"], "undo too is recorded as who did it"


def test_a_name_that_could_pass_for_a_participant_is_not_kept(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_person("Anna Virtanen", "facilitator")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    window = example_window(qtbot, tmp_path)
    _answer("participant:p-1", "facilitator")
    _action(window, "Who is at the keyboard…").trigger()  # type: ignore[attr-defined]
    assert warnings
    assert "plain name" in warnings[0]
    assert window.document.actor == "Anna Virtanen"


def test_a_researcher_s_observation_note_is_recorded_under_their_name_and_not_shown_on_phones(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_person("Ben Ortiz", "researcher")
    window = example_window(qtbot, tmp_path)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: ("B waits for A to speak.", True))
    _action(window, "Observation note…").trigger()  # type: ignore[attr-defined]
    (note,) = window.document.session.observations.values()
    assert note.text == "B waits for A to speak."
    assert note.observer == "Ben Ortiz"
    record = read_record(window.workshop_file.path)
    assert record.records[-1].actor == "Ben Ortiz"
    assert "B waits" not in str(snapshot(window.document.session, 1, None)), "phones never see observation notes"
