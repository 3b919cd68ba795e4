"""The file alone is the session: idle for a moment, the app moves the WAL into the file (issue 30)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.model.operations import update
from workshop.store import sessions
from workshop.store.file_format import SNAPSHOT_EVERY
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


def test_the_snapshot_waits_for_a_quiet_moment_and_comes_in_line_only_when_overdue(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A room of phones does not wait for a snapshot: the app writes it when idle, in line only when overdue."""
    monkeypatch.setattr(sessions, "SNAPSHOT_OVERDUE", 3 * SNAPSHOT_EVERY)
    window = example_window(qtbot, tmp_path)
    workshop_file = window.workshop_file
    before = workshop_file.snapshot_seqs()

    def changes(count: int) -> None:
        jobs = [(update("node", "n-contact", x=100.0 + i % 7), "participant:p-1") for i in range(count)]
        for start in range(0, count, 500):  # as the bridge applies a room's contributions: groups
            window.document.apply_all(jobs[start : start + 500])

    changes(SNAPSHOT_EVERY + 10)
    assert workshop_file.snapshot_seqs() == before, "due, but the room is busy: no snapshot in line"
    window.idle_checkpoint.checkpoint_now()  # what the idle timer runs
    assert workshop_file.snapshot_seqs()[-1] == window.document.last_seq
    changes(3 * SNAPSHOT_EVERY + 10)
    assert workshop_file.snapshot_seqs()[-1] > SNAPSHOT_EVERY + 10, "overdue: written in line after all"
    assert read_record(workshop_file.path).session == window.document.session


def test_after_save_as_the_snapshots_go_to_the_copy(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    window.files.save_as_path(tmp_path / "copy.workshop")
    assert window.workshop_file.path == tmp_path / "copy.workshop"
    for i in range(SNAPSHOT_EVERY + 1):
        window.document.apply(update("node", "n-contact", x=100.0 + i % 7))
    window.idle_checkpoint.checkpoint_now()
    assert window.workshop_file.snapshot_seqs()[-1] == window.document.last_seq
