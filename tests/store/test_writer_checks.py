"""Every writer checks the file before it writes, and refuses a damaged one unchanged (issue 30).

The check is SQLite's quick check, the log's end (numbering, the time index, the last record's checksum), the
whole checksum chain of a log of ordinary length, and the latest snapshot; the refusal is one sentence that
says what to do.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.store.test_integrity import _session
from workshop.cli import main
from workshop.store import log_reading
from workshop.store.rescue import verify_file
from workshop.store.sessions import StoreError, open_document


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ops(tmp_path: Path) -> Path:
    ops = tmp_path / "good.jsonl"
    ops.write_text('{"op": "update", "kind": "node", "id": "a", "changes": {"label": "after"}}\n')
    return ops


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("pristine") / "s.workshop"
    _session(path, moves=120)
    return path.read_bytes()


def test_no_bit_flip_that_verify_calls_damage_lets_apply_write(
    pristine: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(30)
    ops = _ops(tmp_path)
    refused = 0
    for trial in range(40):
        data = bytearray(pristine)
        data[rng.randrange(100, len(data))] ^= 1 << rng.randrange(8)  # past the header: a flip in the content
        path = tmp_path / f"flip-{trial}.workshop"
        path.write_bytes(bytes(data))
        try:
            damaged = verify_file(path).problem
        except StoreError as error:  # damaged beyond reading
            damaged = str(error)
        before = _digest(path)
        rc = main(["apply", str(path), str(ops)])
        err = capsys.readouterr().err
        assert "Traceback" not in err
        if damaged:
            assert rc == 1, f"flip {trial}: verify says {damaged!r} but apply wrote"
            assert _digest(path) == before
            assert "workshop salvage" in err
            refused += 1
    assert refused >= 5, "the flips should hit the log often enough for the property to be tested"


def test_damage_deep_in_the_log_is_refused_before_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.workshop"
    _session(path, moves=60)  # a snapshot at the end: loading alone never reads operation 16
    with sqlite3.connect(path) as db:
        db.execute("UPDATE ops SET op = replace(op, 'move 3', 'move 9') WHERE seq = 16")
    db.close()
    before = _digest(path)
    assert main(["apply", str(path), str(_ops(tmp_path))]) == 1
    err = capsys.readouterr().err
    assert f"{path} is damaged (operation 16 does not match its checksum); nothing was written to it" in err
    assert "'workshop salvage FILE -o NEW.workshop'" in err
    assert _digest(path) == before


@pytest.mark.parametrize("where", ["seq = 5", "seq = (SELECT MAX(seq) FROM ops)"])
def test_a_long_log_gets_its_end_checked_and_an_ordinary_one_all_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = tmp_path / "s.workshop"
    _session(path, moves=60)  # 72 operations, a snapshot at the end: loading reads no operation
    with sqlite3.connect(path) as db:
        db.execute(f"UPDATE ops SET actor = 'mallory' WHERE {where}")
    db.close()
    with pytest.raises(StoreError, match=r"operation (5|72, the last,) does not match its checksum"):
        open_document(path)
    monkeypatch.setattr(log_reading, "FULL_CHAIN_CHECK_UP_TO", 10)  # a log too long for the whole chain
    if where == "seq = 5":  # what verify is for: the cheap check reads the end only
        _document, opened = open_document(path)
        opened.close()
    else:
        with pytest.raises(StoreError, match=r"operation 72, the last, does not match its checksum"):
            open_document(path)


def test_a_gap_in_the_numbering_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _session(path, moves=10, final_snapshot=False)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM ops WHERE seq = 7")
    db.close()
    with pytest.raises(StoreError, match=r"holds 21 operation\(s\) but is numbered up to 22"):
        open_document(path)


def test_without_its_metadata_verify_and_info_agree_it_is_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.workshop"
    _session(path, moves=3)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE meta")
    db.close()
    for command in ("verify", "info", "apply"):
        args = [command, str(path)] + ([str(_ops(tmp_path))] if command == "apply" else [])
        assert main(args) == 1
        assert "table(s) meta missing" in capsys.readouterr().err


def test_a_copy_made_without_its_wal_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live = tmp_path / "live.workshop"
    db = sqlite3.connect(live)  # what the file is before the first checkpoint: the header, nothing else
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    copy = tmp_path / "copy.workshop"
    shutil.copyfile(live, copy)
    assert main(["info", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "is an empty SQLite database, not yet a session" in err
    assert "'-wal' file" in err
