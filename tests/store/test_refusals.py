"""Files the store cannot use are refused in one sentence naming the file; a second writer is told who has it."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.store.test_workshop_file import _digest, _filled
from workshop.cli import main
from workshop.domain.model.operations import update
from workshop.store import file_opening
from workshop.store.lock import lock_path
from workshop.store.sessions import StoreError, load_session_json, open_document, read_record

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", ["info", "log", "apply"])
def test_a_fifo_named_like_a_session_is_refused_at_once(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "x.workshop"
    os.mkfifo(fifo)
    ops = tmp_path / "ops.jsonl"
    ops.write_text("", encoding="utf-8")
    args = [command, str(fifo)] + ([str(ops)] if command == "apply" else [])
    assert main(args) == 1  # opening a FIFO without a writer would block for ever
    assert capsys.readouterr().err.strip() == f"workshop: {fifo} is a named pipe (FIFO), not a file"


def test_a_folder_or_device_named_like_a_session_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "x.workshop"
    folder.mkdir()
    with pytest.raises(StoreError, match=r"x\.workshop is a folder, not a file"):
        open_document(folder)
    with pytest.raises(StoreError, match="is a device, not a file"):
        read_record(Path("/dev/zero"))
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match="named pipe"):
        load_session_json(fifo)


def test_undecodable_text_names_the_file_and_the_operation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE ops SET op = CAST(X'7bff7d' AS TEXT) WHERE seq = 5")
    db.close()
    before = _digest(path)
    for command in ("info", "log"):
        assert main([command, str(path)]) == 1
        err = capsys.readouterr().err
        assert err.strip() == (
            f"workshop: {path}: operation 5 cannot be read (Could not decode to UTF-8 column 'op'); the file is damaged"
        )
    assert _digest(path) == before


def test_a_program_holding_an_exclusive_sqlite_lock_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    monkeypatch.setattr(file_opening, "BUSY_TIMEOUT_S", 0.05)  # the read-only open waits this long
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO meta VALUES ('held', 'yes')")
    try:
        with pytest.raises(StoreError, match=r"s\.workshop is locked by another program .*database is locked"):
            read_record(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert read_record(path).records[-1].seq == 12


def test_a_second_writer_is_told_who_has_the_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    document, workshop_file = open_document(path)
    info = json.loads(lock_path(path).read_text(encoding="utf-8"))
    assert (info["program"], info["host"], info["pid"]) == ("Process Workshop", socket.gethostname(), os.getpid())
    ops = tmp_path / "ops.jsonl"
    ops.write_text('{"op": "update", "kind": "node", "id": "a", "changes": {"x": 1}}\n', encoding="utf-8")
    assert main(["apply", str(path), str(ops)]) == 1
    err = capsys.readouterr().err
    assert f"Session is open in Process Workshop on {socket.gethostname()} (pid {os.getpid()}) since " in err
    assert "UNIQUE" not in err
    for command in (
        ["info", str(path)],
        ["log", str(path)],
        ["replay", str(path), "--at", "3", "-o", str(tmp_path / "r.json")],
    ):
        assert main(command) == 0, command  # readers never wait for the writer
    document.apply(update("node", "a", x=2.0))
    workshop_file.close(document.session, document.last_seq)
    assert not lock_path(path).exists()
    assert main(["apply", str(path), str(ops)]) == 0


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = {
        "program": "workshop apply",
        "host": socket.gethostname(),
        "pid": int(dead.stdout),
        "since": "2026-01-01T10:42:00+00:00",
    }
    lock_path(path).write_text(json.dumps(stale), encoding="utf-8")
    _, workshop_file = open_document(path)
    assert json.loads(lock_path(path).read_text(encoding="utf-8"))["pid"] == os.getpid()
    workshop_file.close()
    assert not lock_path(path).exists()


def test_taking_over_a_stale_lock_says_whose_it_was_and_since_when(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = {"program": "Process Workshop", "host": socket.gethostname(), "pid": int(dead.stdout)}
    lock_path(path).write_text(json.dumps({**stale, "since": "2026-01-01T10:42:00+00:00"}), encoding="utf-8")
    ops = tmp_path / "ops.jsonl"
    ops.write_text('{"op": "update", "kind": "node", "id": "a", "changes": {"label": "x"}}\n')
    assert main(["apply", str(path), str(ops)]) == 0
    err = capsys.readouterr().err
    since = datetime(2026, 1, 1, 10, 42, tzinfo=UTC).astimezone()
    assert (
        f"took over the write lock left by Process Workshop on {socket.gethostname()} "
        f"(pid {stale['pid']}, no longer running) since {since:%Y-%m-%d %H:%M}"
    ) in err
    assert main(["apply", str(path), str(ops)]) == 0
    assert "took over" not in capsys.readouterr().err, "a lock released properly leaves nothing to say"


def test_a_lock_held_on_another_host_is_respected(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    other = {"program": "Process Workshop", "host": "laptop-7", "pid": 4242, "since": "2026-01-01T10:42:00+00:00"}
    lock_path(path).write_text(json.dumps(other), encoding="utf-8")
    with pytest.raises(StoreError, match=r"Session is open in Process Workshop on laptop-7 \(pid 4242\) since "):
        open_document(path)
    assert read_record(path).records[-1].seq == 12
    assert json.loads(lock_path(path).read_text(encoding="utf-8")) == other


def test_concurrent_writers_in_threads_get_one_lock(tmp_path: Path) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    outcomes: list[str] = []
    everyone_tried = threading.Barrier(4)

    def writer() -> None:
        try:
            _, opened = open_document(path)
        except StoreError as error:
            outcomes.append("refused" if "Session is open" in str(error) else str(error))
            everyone_tried.wait(timeout=30)
            return
        outcomes.append("opened")
        everyone_tried.wait(timeout=30)  # kept open until every thread has tried
        opened.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["opened", "refused", "refused", "refused"]


def test_the_app_takes_the_same_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workshop.ui.files.opening import open_path

    path = tmp_path / "s.workshop"
    _filled(path)
    _, workshop_file, _, _ = open_path(path)
    assert json.loads(lock_path(path).read_text(encoding="utf-8"))["program"] == "Process Workshop"
    ops = tmp_path / "ops.jsonl"
    ops.write_text('{"op": "update", "kind": "node", "id": "a", "changes": {"x": 1}}\n', encoding="utf-8")
    assert main(["apply", str(path), str(ops)]) == 1
    assert "Session is open in Process Workshop on" in capsys.readouterr().err
    workshop_file.close()
    assert not lock_path(path).exists()


def test_the_lock_works_where_hard_links_do_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")  # as on a FAT-formatted stick

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "s.workshop"
    _filled(path)
    _, workshop_file = open_document(path)
    assert json.loads(lock_path(path).read_text(encoding="utf-8"))["pid"] == os.getpid()
    with pytest.raises(StoreError, match="Session is open in Process Workshop"):
        open_document(path)
    workshop_file.close()
    assert not lock_path(path).exists()
