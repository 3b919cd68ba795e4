"""The file alone is the session: idle for a moment, the app moves the WAL into the file (issue 30)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.model.operations import update
from workshop.store.sessions import read_record
from workshop.ui.window import file_keeping


def test_a_copy_of_the_file_alone_holds_every_change_once_the_app_was_idle(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    path = window.workshop_file.path
    window.workshop_file._db.execute("PRAGMA wal_autocheckpoint=0")  # as in a short workshop: SQLite never would
    for i in range(5):
        window.apply(update("node", "n-contact", label=f"Label {i}"))
    assert window.idle_checkpoint._timer.isActive(), "each change restarts the idle timer"
    assert window.idle_checkpoint._timer.interval() == file_keeping.IDLE_MS
    window.idle_checkpoint.checkpoint_now()  # what the timer runs when it runs out
    copy_folder = tmp_path / "stick"
    copy_folder.mkdir()
    shutil.copyfile(path, copy_folder / "copy.workshop")  # the one file people see, without its -wal
    assert read_record(copy_folder / "copy.workshop").session.nodes["n-contact"].label == "Label 4"
    assert not window.workshop_file.changes_since_checkpoint


def test_without_the_idle_checkpoint_the_copy_would_lack_the_changes(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    path = window.workshop_file.path
    window.workshop_file._db.execute("PRAGMA wal_autocheckpoint=0")
    window.idle_checkpoint.checkpoint_now()
    window.apply(update("node", "n-contact", label="Only in the WAL"))
    copy_folder = tmp_path / "stick"
    copy_folder.mkdir()
    shutil.copyfile(path, copy_folder / "copy.workshop")
    assert read_record(copy_folder / "copy.workshop").session.nodes["n-contact"].label != "Only in the WAL"
    window.close()  # closing checkpoints everything into the file and empties the WAL
    shutil.copyfile(path, copy_folder / "after.workshop")
    assert read_record(copy_folder / "after.workshop").session.nodes["n-contact"].label == "Only in the WAL"
