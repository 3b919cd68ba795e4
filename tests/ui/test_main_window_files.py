"""The window's promises about files and settings: no lost work, honest titles, remembered themes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.model.operations import update
from workshop.resources import example_session_path
from workshop.store.sessions import open_document, read_record
from workshop.ui.settings import recent_files
from workshop.ui.themes import THEMES, saved_theme
from workshop.ui.window.main_window import MainWindow, open_window


def test_nothing_to_save_and_save_as_continues_in_the_copy(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    assert "example.workshop" in window.windowTitle()
    window.apply(update("node", "n-contact", label="Phone the sales unit"))
    assert not window.isWindowModified(), "every change is on disk at once: no '*' asks to save"
    assert "*" not in window.windowTitle()

    copy = tmp_path / "after-workshop-1.workshop"
    window.files.save_as_path(copy)
    assert "after-workshop-1.workshop" in window.windowTitle()
    window.apply(update("node", "n-contact", label="Phone or mail the sales unit"))
    assert read_record(copy).session.nodes["n-contact"].label == "Phone or mail the sales unit"
    assert read_record(tmp_path / "example.workshop").session.nodes["n-contact"].label == "Phone the sales unit"


def test_opening_an_example_writes_a_new_session_file_at_once(qtbot: QtBot) -> None:
    window = open_window(example_session_path())
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    path = window.workshop_file.path
    assert path.suffix == ".workshop"
    assert path.exists()
    assert "saved as" in window.statusBar().currentMessage()
    assert str(path) in recent_files()


def test_a_read_only_session_refuses_edits_and_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    example_window(qtbot, tmp_path).close()
    document, workshop_file = open_document(tmp_path / "example.workshop", read_only=True)
    window = MainWindow(document, workshop_file)
    qtbot.addWidget(window)
    assert "read-only" in window.windowTitle()
    assert not window.node_palette.isEnabled()
    assert window.apply(update("node", "n-contact", label="x")) is None
    assert document.session.nodes["n-contact"].label == "Contact local sales unit"
    assert window.scene is not None
    movable = (
        window.scene.node_items["n-contact"].flags()
        & window.scene.node_items["n-contact"].GraphicsItemFlag.ItemIsMovable
    )
    assert not movable, "nodes cannot be dragged"


@pytest.mark.parametrize("theme", ["projector", "dark"])
def test_the_chosen_theme_is_remembered(qtbot: QtBot, tmp_path: Path, theme: str) -> None:
    window = example_window(qtbot, tmp_path)
    window.files.set_theme(THEMES[theme])
    assert saved_theme().name == theme
    assert window.scene is not None
    assert window.scene.theme.name == theme
    (tmp_path / "again").mkdir()
    second = example_window(qtbot, tmp_path / "again")
    assert second.theme.name == theme
