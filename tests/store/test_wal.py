"""Never modified means never: a WAL that is not the session's is set aside, a read-only folder reads fresh content."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.domain.builders import two_org_ops
from workshop.cli import main
from workshop.domain.model.document import Document
from workshop.domain.model.operations import update
from workshop.domain.model.session import new_session
from workshop.store import file_opening
from workshop.store.sessions import StoreError, create_document, open_document, read_record


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _crashed_copy(source_dir: Path, target: Path, title: str, moves: int) -> Document:
    """A session file and its WAL as a killed writer leaves them: recent operations only in the WAL."""
    live = source_dir / f"{title}.workshop"
    document, workshop_file = create_document(live, new_session(title, session_id=f"s-{title}"))
    for op in two_org_ops():
        document.apply(op)
    workshop_file._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for i in range(moves):
        document.apply(update("node", "a", label=f"{title} move {i}"))
    shutil.copyfile(live.with_name(live.name + "-wal"), target.with_name(target.name + "-wal"))
    shutil.copyfile(live, target)
    workshop_file.close()
    return document


def _clean(path: Path, title: str) -> Document:
    document, workshop_file = create_document(path, new_session(title, session_id=f"s-{title}"))
    for op in two_org_ops():
        document.apply(op)
    workshop_file.close(document.session, document.last_seq)
    return document


def test_a_crashed_writers_wal_is_the_sessions_own(tmp_path: Path) -> None:
    (tmp_path / "live").mkdir()
    path = tmp_path / "s.workshop"
    document = _crashed_copy(tmp_path / "live", path, "own", moves=5)
    assert (tmp_path / "s.workshop-wal").stat().st_size > 0
    assert read_record(path).session == document.session
    assert not list(tmp_path.glob("*.foreign-*"))


@pytest.mark.parametrize("source", ["another session", "another database", "garbage"])
def test_a_wal_that_is_not_the_sessions_is_set_aside_not_replayed(
    tmp_path: Path, source: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.workshop"
    mine = _clean(path, "mine")
    wal = tmp_path / "s.workshop-wal"
    if source == "another session":
        (tmp_path / "live").mkdir()
        _crashed_copy(tmp_path / "live", tmp_path / "other.workshop", "other", moves=5)
        (tmp_path / "other.workshop-wal").rename(wal)
    elif source == "another database":
        other = tmp_path / "other.db"
        db = sqlite3.connect(other, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA wal_autocheckpoint=0")
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('session_id', 'intruder')")
        shutil.copyfile(tmp_path / "other.db-wal", wal)
        db.close()
    else:
        wal.write_bytes(b"\x37\x7f\x06\x82" + bytes(range(256)) * 20)
    assert main(["info", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert '"title": "mine"' in captured.out
    assert "did not belong to it" in captured.err
    assert "s.workshop-wal.foreign-" in captured.err
    document, workshop_file = open_document(path)
    assert document.session == mine.session
    workshop_file.close()
    aside = list(tmp_path.glob("s.workshop-wal.foreign-*"))
    assert len(aside) == 1
    assert read_record(path).session == mine.session


def test_a_foreign_wal_is_set_aside_before_a_reader_sees_it_and_the_file_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    mine = _clean(path, "mine")
    (tmp_path / "live").mkdir()
    _crashed_copy(tmp_path / "live", tmp_path / "other.workshop", "other", moves=5)
    (tmp_path / "other.workshop-wal").rename(tmp_path / "s.workshop-wal")
    before = _digest(path)
    assert read_record(path).session == mine.session
    assert _digest(path) == before
    assert len(list(tmp_path.glob("s.workshop-wal.foreign-*"))) == 1


def test_a_read_only_folder_without_shm_reads_the_wal_through_a_private_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "live").mkdir()
    path = tmp_path / "s.workshop"
    document = _crashed_copy(tmp_path / "live", path, "ro", moves=7)
    stale = read_record(path)  # sanity: with the WAL the latest label is there
    assert stale.session.nodes["a"].label == "ro move 6"

    def cannot_build_the_index(p: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(file_opening, "connect_ro_uri", cannot_build_the_index)
    (tmp_path / "s.workshop-shm").unlink(missing_ok=True)
    before, wal_before = _digest(path), _digest(tmp_path / "s.workshop-wal")
    record = read_record(path)
    assert record.session == document.session, "the WAL's operations must not be silently missing"
    assert record.session.nodes["a"].label == "ro move 6"
    assert (_digest(path), _digest(tmp_path / "s.workshop-wal")) == (before, wal_before)


def test_a_file_with_user_version_0_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _clean(path, "zero")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=0")
    db.close()
    before = _digest(path)
    for reader in (read_record, open_document):
        with pytest.raises(StoreError, match="no file format"):
            reader(path)
    assert _digest(path) == before


def test_a_file_refused_for_writing_is_not_checkpointed_either(tmp_path: Path) -> None:
    live = tmp_path / "live.workshop"
    document, workshop_file = create_document(live, new_session("t", session_id="s-t"))
    for op in two_org_ops():
        document.apply(op)
    workshop_file._db.execute("PRAGMA wal_autocheckpoint=0")
    for i in range(5):
        document.apply(update("node", "a", label=f"move {i}"))
    tamper = sqlite3.connect(live, isolation_level=None)
    tamper.execute("PRAGMA wal_autocheckpoint=0")
    tamper.execute("UPDATE ops SET actor = 'mallory' WHERE seq = 14")  # lands in the WAL
    path = tmp_path / "s.workshop"
    shutil.copyfile(live.with_name(live.name + "-wal"), tmp_path / "s.workshop-wal")
    shutil.copyfile(live, path)
    tamper.close()
    workshop_file.close()
    before = (_digest(path), _digest(tmp_path / "s.workshop-wal"))
    with pytest.raises(StoreError, match="operation 14 does not match its checksum"):
        open_document(path)
    assert (_digest(path), _digest(tmp_path / "s.workshop-wal")) == before
