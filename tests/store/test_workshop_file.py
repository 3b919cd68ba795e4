"""The .workshop file keeps every acknowledged operation and refuses files it cannot trust, unchanged."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from tests.domain.builders import two_org_ops
from workshop.domain.model.document import Document
from workshop.domain.model.operations import update
from workshop.domain.model.session import new_session
from workshop.resources import example_session_path
from workshop.store import workshop_file as wf
from workshop.store.sessions import create_document, load_session_json, open_document, read_record
from workshop.store.workshop_file import StoreError, WorkshopFile


def _filled(path: Path, moves: int = 0) -> Document:
    doc, file = create_document(path, new_session("t", session_id="s-1"))
    for op in two_org_ops():
        doc.apply(op)
    for i in range(moves):
        doc.apply(update("node", "a", x=float(i)))
    file.close()
    return doc


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reopened_file_has_the_live_state_and_the_log(tmp_path: Path) -> None:
    live = _filled(tmp_path / "s.workshop", moves=3)
    doc, file = open_document(tmp_path / "s.workshop")
    assert doc.session == live.session
    assert doc.last_seq == 15
    assert [r.seq for r in file.records()] == list(range(1, 16))
    doc.apply(update("node", "b", label="Continues at 16"))
    file.close()
    assert read_record(tmp_path / "s.workshop").records[-1].seq == 16


def test_snapshots_bound_the_replay_and_give_the_same_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wf, "SNAPSHOT_EVERY", 5)
    monkeypatch.setattr(wf, "SNAPSHOT_KEEP_EVERY", 10)
    live = _filled(tmp_path / "s.workshop", moves=20)
    with sqlite3.connect(tmp_path / "s.workshop") as db:
        snapshot_seqs = [row[0] for row in db.execute("SELECT seq FROM snapshots ORDER BY seq")]
    # written at 5, 10, ..., 30; kept: the start, the first of each band of 10 and the last two
    assert snapshot_seqs == [0, 10, 20, 25, 30]
    doc, file = open_document(tmp_path / "s.workshop")
    assert doc.session == live.session
    assert file.state_at(seq=12).nodes["a"].x == 0.0  # ops 13.. are the moves
    file.close()


def test_state_at_a_time(tmp_path: Path) -> None:
    _filled(tmp_path / "s.workshop", moves=2)
    file = WorkshopFile.open(tmp_path / "s.workshop", read_only=True)
    records = list(file.records())
    assert file.state_at(time=records[0].time - timedelta(seconds=1)).organizations == {}
    assert len(file.state_at(time=records[1].time).organizations) == 2
    file.close()


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "s.workshop"
    target.write_text("precious")
    with pytest.raises(StoreError, match="already exists"):
        WorkshopFile.create(target, new_session("t"))
    assert target.read_text() == "precious"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"not a Process Workshop session file \(empty\)"),
        (b"hello, I am a text file\n" * 10, "not an SQLite database"),
    ],
)
def test_foreign_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.workshop"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        open_document(path)
    assert path.read_bytes() == content


def test_a_truncated_file_is_refused_and_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _filled(path, moves=200)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = _digest(path)
    with pytest.raises(StoreError, match=r"damaged|not a session file"):
        open_document(path)
    assert _digest(path) == before
    assert not (tmp_path / "s.workshop-wal").exists() or (tmp_path / "s.workshop-wal").stat().st_size == 0


def test_a_corrupted_page_is_refused_and_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _filled(path, moves=200)
    data = bytearray(path.read_bytes())
    for i in range(4096 + 100, min(len(data), 4096 * 3)):
        data[i] = 0xA5
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(StoreError):
        open_document(path)
    assert _digest(path) == before


def test_another_sqlite_database_is_not_a_session(tmp_path: Path) -> None:
    path = tmp_path / "other.workshop"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="SQLite database, but not a Process Workshop session file"):
        open_document(path)


def test_a_newer_file_is_refused_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version={wf.SCHEMA_VERSION + 1}")
    before = _digest(path)
    with pytest.raises(StoreError, match=rf"file format {wf.SCHEMA_VERSION + 1}.*up to {wf.SCHEMA_VERSION}"):
        open_document(path)
    assert _digest(path) == before


def test_an_older_file_is_migrated_in_one_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    from workshop.store import file_opening

    newer = wf.SCHEMA_VERSION + 1
    for module in (wf, file_opening):  # the writer and the read-only checks both know the current format
        monkeypatch.setattr(module, "SCHEMA_VERSION", newer)
    monkeypatch.setitem(
        file_opening.MIGRATIONS, wf.SCHEMA_VERSION - 1, lambda db: db.execute("ALTER TABLE ops ADD COLUMN note TEXT")
    )
    doc, file = open_document(path)
    file.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == wf.SCHEMA_VERSION
        assert "note" in [row[1] for row in db.execute("PRAGMA table_info(ops)")]
    assert doc.last_seq == 12


def test_a_read_only_file_opens_read_only_and_refuses_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    path.chmod(stat.S_IRUSR)
    real_access = os.access
    # root ignores permission bits; answer as the file system would for an ordinary user
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode))
    before = _digest(path)
    doc, file = open_document(path)
    assert file.read_only
    assert "read-only" in file.read_only_reason
    with pytest.raises(StoreError, match="read-only"):
        doc.apply(update("node", "a", x=5))
    file.close()
    assert _digest(path) == before


def test_opening_read_only_on_request_refuses_changes(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    doc, file = open_document(path, read_only=True)
    assert file.read_only
    before = doc.session.model_copy(deep=True)
    with pytest.raises(StoreError, match="read-only"):
        doc.apply(update("node", "a", x=5))
    assert doc.session == before, "a refused write is rolled back in memory too"
    file.close()


def test_save_as_copies_everything(tmp_path: Path) -> None:
    live = _filled(tmp_path / "s.workshop", moves=3)
    doc, file = open_document(tmp_path / "s.workshop")
    file.save_as(tmp_path / "copy.workshop")
    with pytest.raises(StoreError, match="different file name"):
        file.save_as(tmp_path / "s.workshop")
    file.close()
    copy, copy_file = open_document(tmp_path / "copy.workshop")
    assert copy.session == live.session
    assert copy.last_seq == doc.last_seq
    copy_file.close()


def test_example_json_errors_name_the_place(tmp_path: Path) -> None:
    assert load_session_json(example_session_path()).title.startswith("Contact processing")
    broken = tmp_path / "b.json"
    broken.write_text('{"id": "s",\n  "title": }', encoding="utf-8")
    with pytest.raises(StoreError, match=r"b\.json:2:12: not valid JSON"):
        load_session_json(broken)
    wrong = tmp_path / "w.json"
    wrong.write_text('{"id": "s", "title": "t", "created": "2026-01-01T00:00:00Z", "nodes": {"n": {"id": "n"}}}')
    with pytest.raises(StoreError, match=r"field 'nodes\.n\.model_id': Field required"):
        load_session_json(wrong)


def test_a_group_commit_across_a_snapshot_leaves_a_file_that_verifies(tmp_path: Path) -> None:
    from workshop.domain.model.operations import add, update
    from workshop.domain.model.process import Node, ProcessModel
    from workshop.store.rescue import verify_file
    from workshop.store.workshop_file import SNAPSHOT_EVERY

    path = tmp_path / "group.workshop"
    document, workshop_file = create_document(path, new_session("Group"))
    document.apply(add(ProcessModel(id="m", name="M")))
    document.apply(add(Node(id="n", model_id="m", label="Task")))
    while document.last_seq < SNAPSHOT_EVERY - 3:
        document.apply(update("node", "n", x=float(document.last_seq)))
    results = document.apply_all([(update("node", "n", x=float(i)), f"participant:p{i}") for i in range(7)])
    assert all(not isinstance(r, Exception) for r in results)
    last = document.last_seq
    workshop_file.close(document.session, last)
    report = verify_file(path)
    assert report.problem == ""
    assert report.operations == last
    reopened, again = open_document(path, read_only=True)
    assert reopened.session == document.session
    again.close(reopened.session, reopened.last_seq)


def test_closing_twice_is_harmless_and_the_first_close_empties_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    doc, file = create_document(path, new_session("t", session_id="s-1"))
    for op in two_org_ops():
        doc.apply(op)
    assert file.close(doc.session, doc.last_seq) == ""
    assert file.close(doc.session, doc.last_seq) == ""
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "closing moves everything into the file itself"
