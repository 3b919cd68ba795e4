"""The start page shows recent sessions as people remember them, and opens what is chosen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workshop.domain.facilitation import goto_op, load_script_op
from workshop.domain.facilitation_script import load_script
from workshop.resources import example_session_path, scripts_dir
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.main_window import MainWindow
from workshop.ui.settings import remember_file
from workshop.ui.start_page import EXAMPLE, StartPage, session_card


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
    from workshop.ui.main_window import open_choice

    window = open_choice(EXAMPLE)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    card = session_card(window.workshop_file.path)
    assert card.text.startswith("Contact processing")


def test_a_new_workshop_starts_with_the_method_s_script(qtbot: QtBot, monkeypatch: object) -> None:
    from PySide6.QtWidgets import QInputDialog

    from workshop.ui.facilitation_panel import FacilitationPanel
    from workshop.ui.main_window import open_choice
    from workshop.ui.start_page import NEW

    offered: list[list[str]] = []

    def item(*args: object, **_kwargs: object) -> tuple[str, bool]:
        names = list(args[3])  # type: ignore[call-overload]
        offered.append(names)
        return names[0], True

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Procurement, workshop 1", True))  # type: ignore[attr-defined]
    monkeypatch.setattr(QInputDialog, "getItem", item)  # type: ignore[attr-defined]
    window = open_choice(NEW)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert offered[0][0] == "three interventions", "the method is offered first"
    assert window.document.session.title == "Procurement, workshop 1"
    assert window.document.session.script is not None
    assert window.document.session.script["id"] == "three-interventions"
    panel = window.findChild(FacilitationPanel)
    assert panel is not None
    assert panel.scripts.currentText() == "three interventions", "not the half-day variant"
