"""Every SQLite failure under a session ends in one sentence that names the file and what to do.

A full disk is played with SQLite's own ``max_page_count`` (the database may not grow past it: SQLITE_FULL,
exactly what a full disk gives), set on the writer's connection; so the tests need no small disk and no root.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.store.test_workshop_file import _filled
from workshop.cli import main
from workshop.domain.model.session import Session
from workshop.store import file_opening, workshop_file
from workshop.store.sessions import read_record
from workshop.store.store_errors import sqlite_failure


def _full_after(pages: int) -> Callable[[Path], sqlite3.Connection]:
    """A writer connection whose database may grow only ``pages`` pages beyond its current size."""
    connect = file_opening.connect_writer

    def full_disk(path: Path) -> sqlite3.Connection:
        db = connect(path)
        size = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count={size + pages}")
        return db

    return full_disk


def _ops(path: Path, count: int, label: str = "a label " * 40) -> Path:
    lines = [
        json.dumps({"op": "update", "kind": "node", "id": "a", "changes": {"label": f"{label}{i}"}})
        for i in range(count)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("partial", [False, True])
def test_a_full_disk_during_apply_is_one_sentence_and_keeps_what_was_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], partial: bool
) -> None:
    path = tmp_path / "s.workshop"
    filled = _filled(path)
    before, logged = filled.session, filled.last_seq
    monkeypatch.setattr(workshop_file, "connect_writer", _full_after(3))
    ops = _ops(tmp_path / "ops.jsonl", 400)
    rc = main(["apply", str(path), str(ops), *(["--partial"] if partial else [])])
    err = capsys.readouterr().err
    assert rc != 0
    assert "Traceback" not in err
    assert "cannot rollback" not in err
    assert f"{path}: the disk is full;" in err
    assert "free some space" in err
    monkeypatch.undo()
    after = read_record(path)
    if partial:  # each line was committed alone: those before the full disk stay
        assert logged < after.records[-1].seq < logged + 400
        assert after.session.nodes["a"].label.startswith("a label")
    else:
        assert after.session == before, "all or nothing: nothing of the file was applied"


def test_a_full_disk_when_closing_loses_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    write_snapshot = workshop_file.WorkshopFile.write_snapshot

    def disk_fills_first(self: workshop_file.WorkshopFile, session: Session, seq: int) -> None:
        self._db.execute("PRAGMA max_page_count=1")  # from here on the database cannot grow by a page
        write_snapshot(self, session, seq)

    monkeypatch.setattr(workshop_file, "SNAPSHOT_ON_CLOSE", 1)
    monkeypatch.setattr(workshop_file.WorkshopFile, "write_snapshot", disk_fills_first)
    ops = _ops(tmp_path / "ops.jsonl", 3, label=os.urandom(20_000).hex())  # a state too big for the free space
    assert main(["apply", "--partial", str(path), str(ops)]) == 0, "every change was committed"
    captured = capsys.readouterr()
    monkeypatch.undo()
    assert "Traceback" not in captured.err
    assert "cannot rollback" not in captured.err
    assert f"{path}: the disk is full; the saved state that speeds up opening was not written" in captured.err
    assert "every change is in the file" in captured.err
    assert read_record(path).session.nodes["a"].label.endswith("2")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (sqlite3.SQLITE_FULL, "the disk is full; nothing was changed; free some space"),
        (sqlite3.SQLITE_READONLY, "read-only; nothing was changed"),
        (sqlite3.SQLITE_IOERR | (3 << 8), "I/O error; nothing was changed; check that the drive"),
        (sqlite3.SQLITE_BUSY, "another program is writing to it"),
        (sqlite3.SQLITE_CORRUPT, "damaged"),
    ],
)
def test_each_kind_of_sqlite_failure_reads_as_one_sentence(tmp_path: Path, code: int, words: str) -> None:
    error = sqlite3.OperationalError("whatever SQLite said")
    error.sqlite_errorcode = code
    message = str(sqlite_failure(tmp_path / "s.workshop", "nothing was changed", error))
    assert message.startswith(f"{tmp_path / 's.workshop'}: ")
    assert words in message
    assert "\n" not in message


def test_a_read_only_database_refuses_a_write_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    connect = file_opening.connect_writer

    def read_only(p: Path) -> sqlite3.Connection:
        db = connect(p)
        db.execute("PRAGMA query_only=1")  # SQLite refuses every write on this connection (SQLITE_READONLY)
        return db

    monkeypatch.setattr(workshop_file, "connect_writer", read_only)
    ops = _ops(tmp_path / "ops.jsonl", 1)
    assert main(["apply", str(path), str(ops)]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{path}: the file or its folder is read-only; nothing was changed" in err


def test_an_io_error_while_reading_says_so_instead_of_calling_the_file_damaged(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    reader = workshop_file.WorkshopFile.open(path, read_only=True)
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = sqlite3.SQLITE_IOERR | (1 << 8)  # SQLITE_IOERR_READ: the stick was pulled
    message = str(reader._read_error("operation 5", error))
    reader.close()
    assert message.startswith(f"{path}: the disk reported an I/O error; operation 5 was not read")
    assert "damaged" not in message
