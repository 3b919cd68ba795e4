"""The app opens a study: its timeline, each sitting opening its session, and a sitting added from the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from workshop.domain.research.study import SittingKind
from workshop.interchange.example_study import build_example_study
from workshop.store.study_folder import load_study, read_sitting
from workshop.ui.files.start_page import EXAMPLE_STUDY, StartPage
from workshop.ui.settings import recent_studies
from workshop.ui.study.study_window import AddSittingDialog, StudyWindow, open_study
from workshop.ui.window.main_window import MainWindow, open_choice, open_window
from workshop.ui.window.people import set_person


@pytest.fixture
def study_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "study"
    build_example_study(folder, "Anna Virtanen")
    return folder


def _window(qtbot: QtBot, folder: Path) -> StudyWindow:
    window = open_study(folder, open_session=open_window)
    assert window is not None
    qtbot.addWidget(window)
    return window


def _texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_interventions_are_columns_and_sittings_cards_people_recognise(qtbot: QtBot, study_folder: Path) -> None:
    window = _window(qtbot, study_folder)
    texts = _texts(window.timeline)
    assert "Intervention 1\nContact processing" in texts
    first, second = (card.card for card in window.timeline.cards)
    assert first.lines() == [
        "Process modeling workshop",
        "Tue 10 Mar 2026, 09:00",
        "Contact processing",
        "7 people from 4 organizations",
    ]
    assert second.kind == "Follow-up interview"
    assert second.attendance == "1 interviewee"
    assert second.carried_from == "carried forward from the Process modeling workshop, 10 Mar 2026"
    everything = "\n".join(_texts(window))
    assert "s01" not in everything
    assert "s02" not in everything
    assert ".workshop" not in everything
    assert str(study_folder) not in everything


def test_no_text_on_the_timeline_is_under_11_pt(qtbot: QtBot, study_folder: Path) -> None:
    window = _window(qtbot, study_folder)
    widgets = [*window.centralWidget().findChildren(QLabel), *window.centralWidget().findChildren(QPushButton)]
    assert len(widgets) > 10
    small = [(w.text(), w.font().pointSizeF()) for w in widgets if w.font().pointSizeF() < 11]
    assert small == []


def test_a_card_opens_its_session_in_the_main_window(qtbot: QtBot, study_folder: Path) -> None:
    window = _window(qtbot, study_folder)
    opened: list[MainWindow] = []
    original = window.open_sitting

    def keep(sitting_id: str) -> object:
        result = original(sitting_id)
        assert isinstance(result, MainWindow)
        qtbot.addWidget(result)
        opened.append(result)
        return result

    window.timeline.opened.disconnect()
    window.timeline.opened.connect(keep)
    qtbot.mouseClick(window.card("s02").open_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    assert opened[0].workshop_file.path == study_folder / "s02-follow-up-interview.workshop"
    assert opened[0].document.session.title == "Contact processing — follow-up interview"
    assert opened[0].document.session.annotations["ann-3"].idea_status == "implemented"


def test_a_sitting_added_in_the_app_is_carried_forward_and_named_after_the_person(
    qtbot: QtBot, study_folder: Path
) -> None:
    set_person("Ben Ortiz", "researcher")
    window = _window(qtbot, study_folder)

    def fill() -> None:
        dialog = window.findChild(AddSittingDialog)
        assert dialog is not None
        dialog.kind.setCurrentIndex(dialog.kind.findData(SittingKind.SIMULATION.value))
        dialog.intervention.setValue(2)
        dialog.process.setCurrentText("Order handling")
        dialog.clock.setText("10:30")
        carry = [dialog.carry.itemText(i) for i in range(dialog.carry.count())]
        assert carry[0] == "Start empty"
        assert carry[1].startswith("Follow-up interview, 7 Apr 2026"), "the latest sitting is offered first"
        assert all("s0" not in text for text in carry), "sittings are offered by what they were, not their ids"
        dialog.carry.setCurrentIndex(1)
        dialog.accept()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    study = load_study(study_folder)
    added = study.sittings[-1]
    assert added.kind == SittingKind.SIMULATION
    assert added.intervention == 2
    assert added.process == "Order handling"
    assert added.created_by == "Ben Ortiz"
    assert added.provenance is not None
    assert added.provenance.from_sitting == "s02"
    assert added.provenance.carried_by == "Ben Ortiz"
    carried = read_sitting(study_folder, added).session
    assert "ann-3" in carried.annotations, "ideas keep their identity in the new sitting"
    assert "Intervention 2\nOrder handling" in _texts(window.timeline)
    assert [c.card.kind for c in window.timeline.cards][-1] == "Simulation workshop"


def test_a_refused_sitting_is_explained_and_nothing_is_added(
    qtbot: QtBot, study_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from workshop.ui.study.study_window import SittingRequest

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    window = _window(qtbot, study_folder)
    request = SittingRequest(SittingKind.MODELING, 1, "Contact processing", "2026-05-01", from_sitting="s09")
    assert window.add_sitting(request) is None
    assert "no sitting 's09'" in warnings[0]
    assert len(load_study(study_folder).sittings) == 2


def test_file_open_study_and_the_start_page_open_a_study(
    qtbot: QtBot, study_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.ui.canvas_helpers import example_window

    main = example_window(qtbot, tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(study_folder))
    action = next(a for a in main.menu("File").actions() if a.text() == "Open study…")
    action.trigger()
    from workshop.ui.study.study_window import _study_windows

    assert _study_windows[-1].folder == study_folder
    qtbot.addWidget(_study_windows[-1])
    assert str(study_folder.resolve()) in recent_studies()

    page = StartPage()
    qtbot.addWidget(page)
    texts = [page.cards.item(i).text() for i in range(page.cards.count())]
    assert any(t.startswith("Study: Contact processing study (example)\n2 sittings in 1 intervention") for t in texts)
    qtbot.mouseClick(page.example_study_button, Qt.MouseButton.LeftButton)
    example = open_choice(page.choice)
    assert isinstance(example, StudyWindow)
    qtbot.addWidget(example)
    assert page.choice == EXAMPLE_STUDY
    assert [c.card.kind for c in example.timeline.cards] == ["Process modeling workshop", "Follow-up interview"]
    again = open_choice(EXAMPLE_STUDY)
    assert isinstance(again, StudyWindow)
    qtbot.addWidget(again)
    assert again.folder == example.folder, "the example study is built once, then opened again"


def test_a_click_anywhere_on_a_card_opens_it(qtbot: QtBot, study_folder: Path) -> None:
    window = _window(qtbot, study_folder)
    opened: list[str] = []
    window.timeline.opened.disconnect()
    window.timeline.opened.connect(opened.append)
    card = window.card("s01")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=card.rect().center())
    assert opened == ["s01"]


def test_the_people_dock_shows_each_person_with_the_sittings_they_attended(
    qtbot: QtBot, study_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workshop.cli import main

    assert main(["study", "organization", str(study_folder), "Customer group A", "--type", "customer"]) == 0
    assert main(["study", "person", str(study_folder), "Maria Svensson", "--organization", "Customer group A"]) == 0
    window = _window(qtbot, study_folder)
    rows = {row[0]: row for row in window.people.rows()}
    maria = rows["Maria Svensson"]
    assert maria[1:3] == ["Customer group A", "customer"]
    # a participant of the workshop and the interviewee of the follow-up: one person, sittings by their names
    assert maria[4] == "Process modeling workshop, 10 Mar 2026; Follow-up interview, 7 Apr 2026"
    assert "Päivi Mäkinen" not in rows
    assert main(["study", "attend", str(study_folder), "s02", "Päivi Mäkinen", "--organization", "IT provider"]) == 0
    window.reload()
    paivi = {row[0]: row for row in window.people.rows()}["Päivi Mäkinen"]
    assert paivi[1:3] == ["IT provider", "IT provider"], "the type the sittings give the organization"
    assert paivi[4] == "Follow-up interview, 7 Apr 2026"
    capsys.readouterr()
