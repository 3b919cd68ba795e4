"""The study window of a shared study: where it is shared, what waits to be sent, and Sync, against a real server."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.postgres_server import Server, postgres_server, study_database
from workshop.cli import main
from workshop.interchange.example_study import build_example_study
from workshop.store.shared_study import publish
from workshop.store.study_folder import load_study
from workshop.ui.study.study_window import StudyWindow, open_study
from workshop.ui.window.main_window import open_window

__all__ = ["postgres_server", "study_database"]  # the real server's fixtures, used by the tests below


def _window(qtbot: QtBot, folder: Path) -> StudyWindow:
    window = open_study(folder, open_session=open_window)
    assert window is not None
    qtbot.addWidget(window)
    return window


def test_a_not_shared_study_shows_no_sync_line(qtbot: QtBot, tmp_path: Path) -> None:
    build_example_study(tmp_path / "study", "Anna Virtanen")
    window = _window(qtbot, tmp_path / "study")
    assert not window.sync_bar.isVisibleTo(window)


def test_sync_from_the_study_window(qtbot: QtBot, tmp_path: Path, study_database: Server) -> None:
    mine, other = tmp_path / "mine", tmp_path / "other"
    build_example_study(mine, "Anna Virtanen")
    publish(mine, study_database.url())
    assert main(["study", "clone", study_database.url(), str(other)]) == 0
    window = _window(qtbot, mine)
    window.show()
    bar = window.sync_bar
    assert bar.isVisibleTo(window)
    assert "Shared study at 127.0.0.1" in bar.state.text()
    assert "nothing waits to be sent" in bar.state.text()

    # someone else adds a sitting; here a sitting is added offline
    assert main(["study", "add", str(other), "--kind", "interview", "--intervention", "2", "--as", "Ben"]) == 0
    assert main(["study", "sync", str(other)]) == 0
    assert main(["study", "add", str(mine), "--kind", "observation", "--intervention", "2", "--as", "Anna"]) == 0
    window.reload()
    assert "1 change made here wait" in bar.state.text() or "changes made here wait" in bar.state.text()
    bar.look_at_server(at_most_every_s=0)  # what others sent since, asked on a worker thread
    qtbot.waitUntil(lambda: "others sent 1 change since" in bar.state.text(), timeout=30_000)

    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.syncing and bar.button.isEnabled(), timeout=30_000)
    assert "1 sitting arrived; sent 1 sitting, 1 study entry" in bar.state.text()
    assert "Observation (intervention 2, no date): renumbered in the study file" in bar.state.text()
    assert "s03" not in bar.state.text()
    assert "nothing waits to be sent" in bar.state.text()
    assert len(load_study(mine).sittings) == 4
    assert len(window.timeline.cards) == 4
    bar.wait()
