"""Damage is detected and named: checksums, verify, salvage, migration, and a seeded fuzz of real files."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from tests.domain.builders import two_org_ops
from workshop.cli import main
from workshop.domain.model.operations import update
from workshop.domain.model.session import new_session
from workshop.store import workshop_file as wf
from workshop.store.chain import GENESIS_HASH, op_hash
from workshop.store.file_format import OP_COLUMNS
from workshop.store.rescue import salvage_file, verify_file
from workshop.store.sessions import StoreError, create_document, open_document, read_record


def _session(path: Path, moves: int, *, final_snapshot: bool = True) -> None:
    document, workshop_file = create_document(path, new_session("fuzzed", session_id="s-1"))
    for op in two_org_ops():
        document.apply(op)
    for i in range(moves):
        document.apply(update("node", "a", x=float(i), label=f"move {i}"))
    if final_snapshot:
        workshop_file.close(document.session, document.last_seq)
    else:
        workshop_file.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_record_is_chained_to_the_one_before(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _session(path, moves=5)
    with sqlite3.connect(path) as db:
        rows = db.execute(f"SELECT {OP_COLUMNS}, hash FROM ops ORDER BY seq").fetchall()
        previous = db.execute("SELECT hash FROM snapshots WHERE seq = 0").fetchone()[0]
    db.close()
    assert previous != GENESIS_HASH
    for *columns, stored in rows:
        previous = op_hash(previous, *columns)
        assert stored == previous


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ("UPDATE ops SET actor = 'mallory' WHERE seq = 9", "operation 9 does not match its checksum"),
        ("DELETE FROM ops WHERE seq = 7", "operation 7 is missing (the log jumps from 6 to 8)"),
        ("UPDATE ops SET hash = 'x' WHERE seq = 14", "operation 14 does not match its checksum"),
        ("UPDATE snapshots SET state = X'00' WHERE seq = 0", "the saved state at operation 0"),
    ],
)
def test_verify_names_the_first_bad_operation_and_salvage_keeps_what_precedes_it(
    tmp_path: Path, damage: str, named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.workshop"
    _session(path, moves=10, final_snapshot=False)  # opening checks the chain from the last snapshot: here, 0
    with sqlite3.connect(path) as db:
        db.execute(damage)
    db.close()
    before = _digest(path)
    for command in ("verify", "info", "log"):
        assert main([command, str(path)]) == 1
        assert named in capsys.readouterr().err
    with pytest.raises(StoreError, match="damaged"):
        open_document(path)  # refused for writing as well as for reading
    rescued = tmp_path / "rescued.workshop"
    if "saved state at operation 0" in named:
        assert main(["salvage", str(path), "-o", str(rescued)]) == 1
        assert "nothing can be salvaged" in capsys.readouterr().err
        assert not rescued.exists()
    else:
        first_bad = int(named.split()[1])
        assert main(["salvage", str(path), "-o", str(rescued)]) == 0
        assert f"operations 1..{first_bad - 1} of {path}" in capsys.readouterr().out
        assert [r.seq for r in read_record(rescued).records] == list(range(1, first_bad))
        assert verify_file(rescued).problem == ""
    assert _digest(path) == before


def test_damage_before_the_last_snapshot_is_found_by_verify_and_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.workshop"
    _session(path, moves=10)  # a snapshot at 22: opening starts there
    with sqlite3.connect(path) as db:
        db.execute("UPDATE ops SET op = replace(op, 'move 3', 'move 9') WHERE seq = 16")
    db.close()
    for command in ("verify", "log"):
        assert main([command, str(path)]) == 1
        assert "operation 16 does not match its checksum" in capsys.readouterr().err


def test_verify_compares_snapshots_with_the_replay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wf, "SNAPSHOT_EVERY", 5)
    path = tmp_path / "s.workshop"
    _session(path, moves=20)
    for replay in (False, True):
        report = verify_file(path, replay=replay)
        assert report.problem == ""
        assert report.operations == 32
        assert report.snapshots >= 3
        assert report.replayed == replay


def test_verify_replay_finds_a_snapshot_that_was_wrong_when_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workshop.store.chain import pack_state, snapshot_hash
    from workshop.store.file_format import state_json

    monkeypatch.setattr(wf, "SNAPSHOT_EVERY", 5)
    path = tmp_path / "s.workshop"
    _session(path, moves=20)
    wrong = new_session("not what the log says", session_id="s-1")  # a faulty writer: checksums right, state wrong
    with sqlite3.connect(path) as db:
        seq = db.execute("SELECT MIN(seq) FROM snapshots WHERE seq > 0").fetchone()[0]
        chain = db.execute("SELECT hash FROM ops WHERE seq = ?", (seq,)).fetchone()[0]
        state = state_json(wrong)
        db.execute(
            "UPDATE snapshots SET state = ?, hash = ? WHERE seq = ?",
            (pack_state(state), snapshot_hash(chain, seq, state), seq),
        )
    db.close()
    assert verify_file(path).problem == ""  # every checksum holds
    replayed = verify_file(path, replay=True).problem
    assert replayed == f"the saved state at operation {seq} differs from the replay of the log"


def test_a_format_1_file_is_upgraded_with_checksums(tmp_path: Path) -> None:
    path = tmp_path / "old.workshop"
    _session(path, moves=3)
    current = read_record(path).session
    genesis = new_session("fuzzed", session_id="s-1").model_copy(update={"created": current.created})
    with sqlite3.connect(path) as db:  # rebuild it as format 1 wrote it: no checksums, plain-text snapshots
        db.execute("CREATE TABLE ops1 AS SELECT seq, time, actor, intervention_id, step_id, op FROM ops")
        db.execute("DROP TABLE ops")
        db.execute("DROP TABLE snapshots")
        db.execute("ALTER TABLE ops1 RENAME TO ops")
        db.execute("CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, state TEXT NOT NULL)")
        db.execute("INSERT INTO snapshots VALUES (0, ?)", (genesis.model_dump_json(),))
        db.execute("INSERT INTO snapshots VALUES (15, ?)", (current.model_dump_json(),))
        db.execute("PRAGMA user_version=1")
    db.close()
    assert "no checksums yet (format 1" in verify_file(path).describe()
    old = read_record(path)  # read-only: format 1 is read without checksums, and not changed
    assert len(old.records) == 15
    assert old.session == current
    document, workshop_file = open_document(path)
    document.apply(update("node", "a", label="after the upgrade"))
    workshop_file.close(document.session, document.last_seq)
    assert verify_file(path).problem == ""
    assert read_record(path).session == document.session


CASES = 300


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, object, list[object]]:
    path = tmp_path_factory.mktemp("pristine") / "s.workshop"
    wf_every = wf.SNAPSHOT_EVERY
    wf.SNAPSHOT_EVERY = 20
    try:
        _session(path, moves=60)
    finally:
        wf.SNAPSHOT_EVERY = wf_every
    record = read_record(path)
    return path.read_bytes(), record.session, record.records


T = TypeVar("T")


def _attempt(call: Callable[..., T], *args: Path) -> tuple[T | None, str]:
    """The result, or None and the refusal's message."""
    try:
        return call(*args), ""
    except StoreError as error:
        return None, str(error)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(data)
    if rng.random() < 0.25:
        return bytes(buffer[: rng.randrange(0, len(buffer))])
    for _ in range(rng.choice([1, 1, 2, 4, 16])):
        offset = rng.randrange(len(buffer)) if rng.random() < 0.8 else rng.randrange(100)  # the header too
        buffer[offset] ^= 1 << rng.randrange(8)
    return bytes(buffer)


def test_fuzzed_files_are_refused_cleanly_or_read_identically(
    tmp_path: Path, pristine: tuple[bytes, object, list[object]]
) -> None:
    data, session, records = pristine
    rng = random.Random(20)
    outcomes = {"refused": 0, "identical": 0}
    for case in range(CASES):
        path = tmp_path / f"case-{case}.workshop"
        damaged = _mutate(data, rng)
        path.write_bytes(damaged)
        record, refusal = _attempt(read_record, path)
        assert path.read_bytes() == damaged, f"case {case}: reading changed the file"
        if record is None:
            assert str(path) in refusal, refusal
            outcomes["refused"] += 1
        else:
            assert record.session == session, f"case {case}: read differently"
            assert record.records == records, f"case {case}: log read differently"
            outcomes["identical"] += 1
        report, refusal = _attempt(verify_file, path)
        assert path.read_bytes() == damaged, f"case {case}: verify changed the file"
        assert str(path) in (report.describe() if report else refusal)
        if report is not None and not report.problem:
            assert report.operations == len(records), f"case {case}"
        rescued, refusal = _attempt(salvage_file, path, tmp_path / f"rescued-{case}.workshop")
        assert str(path) in (rescued.describe() if rescued else refusal)
        assert path.read_bytes() == damaged, f"case {case}: salvage changed the file"
        for sidecar in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            assert not sidecar.exists() or sidecar.stat().st_size == 0 or sidecar.name.endswith("-shm")
    assert outcomes["refused"] > CASES // 4
    assert outcomes["identical"] > 0
