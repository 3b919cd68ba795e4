"""The start page shows recent sessions as people remember them, and opens what is chosen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from tests.ui.views import settled
from workshop.domain.facilitation.progress import goto_op, load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.resources import example_session_path, scripts_dir
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.files.new_workshop import NewWorkshopDialog
from workshop.ui.files.start_page import EXAMPLE, StartPage, session_card
from workshop.ui.settings import remember_file
from workshop.ui.window.main_window import MainWindow


def _session(tmp_path: Path, name: str, step: bool) -> Path:
    path = tmp_path / name
    document, workshop_file = create_document(path, load_session_json(example_session_path()))
    if step:
        document.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
        document.apply(goto_op(document.session, "i1", "i1-boundaries"))
    workshop_file.close(document.session, document.last_seq)
    return path


def test_cards_say_title_when_step_and_organizations_not_paths(qtbot: QtBot, tmp_path: Path) -> None:
    first = _session(tmp_path, "one.workshop", step=True)
    second = _session(tmp_path, "two.workshop", step=False)
    remember_file(str(second))
    remember_file(str(first))
    (tmp_path / "broken.workshop").write_bytes(b"not a session")
    remember_file(str(tmp_path / "broken.workshop"))
    page = StartPage()
    qtbot.addWidget(page)
    texts = [page.cards.item(i).text() for i in range(page.cards.count())]
    assert len(texts) == 3
    assert "cannot be opened" in texts[0]
    assert texts[1].startswith("Contact processing")
    assert "1 · Shared domain knowledge · Mark the knowledge boundaries" in texts[1]
    assert "Customer group A" in texts[1]
    assert "last worked on" in texts[1]
    assert "not started" not in texts[1]
    assert all(str(tmp_path) not in text for text in texts[1:]), "no paths on the cards"
    page.cards.setCurrentRow(1)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert page.choice == first


def test_the_example_and_a_card_open_in_a_window(qtbot: QtBot, tmp_path: Path) -> None:
    from workshop.ui.window.main_window import open_choice

    window = open_choice(EXAMPLE)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    card = session_card(window.workshop_file.path)
    assert card.text.startswith("Contact processing")


def _answer_new_workshop(
    qtbot: QtBot,
    fill: Callable[[NewWorkshopDialog], None],
    *,
    first_try: Callable[[NewWorkshopDialog], None] | None = None,
) -> list[str]:
    """Fill the New workshop dialog when it opens and press OK, as a user would; returns problems it showed."""
    problems: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewWorkshopDialog), dialog
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        if first_try is not None:
            first_try(dialog)
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
            problems.append(dialog.problem.text())
        fill(dialog)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    return problems


def _lane_names(window: MainWindow) -> list[str]:
    session = window.document.session
    return [session.organizations[lane.organization_id].name for lane in session.lanes.values()]


def test_a_new_workshop_names_its_organizations_and_starts_with_the_method_s_script(qtbot: QtBot) -> None:
    from workshop.ui.files.start_page import NEW
    from workshop.ui.panels.facilitation_panel import FacilitationPanel
    from workshop.ui.window.main_window import open_choice

    def fill(dialog: NewWorkshopDialog) -> None:
        assert dialog.script.itemText(0) == "Three interventions", "the method is offered first"
        qtbot.keyClicks(dialog.title, "Procurement, workshop 1")
        dialog.organizations.setPlainText("Municipality\nIT provider\n\n  it provider \nCustomer group A")

    problems = _answer_new_workshop(qtbot, fill, first_try=lambda _d: None)
    window = open_choice(NEW)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    settled(qtbot)  # the panels are built once the window's first frame is painted
    assert problems == ["Give the workshop a title."], "OK without a title says what is missing"
    assert window.document.session.title == "Procurement, workshop 1"
    assert _lane_names(window) == ["Municipality", "IT provider", "Customer group A"], "one lane each, no repeats"
    colours = {org.colour for org in window.document.session.organizations.values()}
    assert len(colours) == 3, "each organization its own colour"
    assert window.document.session.script is not None
    assert window.document.session.script["id"] == "three-interventions"
    panel = window.findChild(FacilitationPanel)
    assert panel is not None
    assert panel.scripts.currentText() == "three interventions", "not the half-day variant"
    labels = [record.op.summary() for record in window.workshop_file.records()]
    assert "Name the organizations" in labels


def test_a_new_workshop_can_start_from_a_bpmn_file(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from workshop.ui.files.start_page import NEW
    from workshop.ui.window.main_window import open_choice

    bpmn = Path(__file__).parents[1] / "data" / "bpmn-miwg" / "reference" / "B.2.0.bpmn"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bpmn), ""))

    def fill(dialog: NewWorkshopDialog) -> None:
        qtbot.keyClicks(dialog.title, "From their model")
        dialog.organizations.setPlainText("Facilitators' guests")
        choose = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Choose…")
        qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
        assert dialog.from_bpmn.isChecked(), "choosing a file picks that start"

    _answer_new_workshop(qtbot, fill)
    window = open_choice(NEW)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    settled(qtbot)  # the panels are built once the window's first frame is painted
    if window.import_report is not None:
        window.import_report.close()
    session = window.document.session
    assert session.title == "From their model"
    assert len(session.nodes) > 5, "the file's model is there"
    assert "Facilitators' guests" in _lane_names(window)
    assert next(window.workshop_file.records()).actor == "import", "the import is the file's first record"


def test_a_new_workshop_can_start_where_an_earlier_one_ended(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workshop.domain.model.annotations import Annotation
    from workshop.domain.model.operations import add
    from workshop.ui.files.start_page import NEW
    from workshop.ui.window.main_window import open_choice

    earlier = example_window(qtbot, tmp_path)
    earlier.apply(add(Annotation(id="idea-x", annotation_kind="idea", text="A web form", target_kind="session")))
    earlier.apply(add(Annotation(id="note-x", annotation_kind="comment", text="Said in passing")))
    earlier_path = earlier.workshop_file.path
    earlier_ops = earlier.document.last_seq
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(earlier_path), ""))

    def fill(dialog: NewWorkshopDialog) -> None:
        qtbot.keyClicks(dialog.title, "Intervention 2")
        dialog.from_earlier.setChecked(True)
        choose = [b for b in dialog.findChildren(QPushButton) if b.text() == "Choose…"][1]
        qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)

    problems = _answer_new_workshop(
        qtbot, fill, first_try=lambda d: (qtbot.keyClicks(d.title, "x"), d.from_earlier.setChecked(True))
    )
    window = open_choice(NEW)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    settled(qtbot)  # the panels are built once the window's first frame is painted
    assert problems == ["Choose the file to start from, or start from an empty model."]
    session = window.document.session
    assert session.title.endswith("Intervention 2")
    assert session.id != earlier.document.session.id
    assert "idea-x" in session.annotations, "ideas keep their identity from workshop to workshop"
    assert "note-x" not in session.annotations, "what was said in passing stays in its own workshop"
    assert set(session.nodes) == set(earlier.document.session.nodes)
    assert window.document.last_seq < earlier_ops, "the new file does not contain the earlier log"
    assert earlier_path.name in window.workshop_file.meta()["provenance"]
