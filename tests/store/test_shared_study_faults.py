"""A sync killed with SIGKILL at any moment and run again ends exactly as an uninterrupted one; two laptops
syncing at the same moment both end complete; a cut tail is found (and taken back) on the next sync.

Against the suite's real PostgreSQL server; the killed syncs run as the
``workshop`` command in a process of their own, as a user runs them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.postgres_server import Server, fresh_database
from workshop.cli import main
from workshop.store.shared_study import SYNC_FILE

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = 3000


def ok(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def organizations(path: Path, count: int, prefix: str) -> Path:
    lines = [json.dumps({"op": "add", "kind": "organization", "data": {"id": f"{prefix}-{n}", "name": f"Org {n}"}})
             for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def summary(capsys: pytest.CaptureFixture[str], folder: Path) -> object:
    info = json.loads(ok(capsys, "study", "info", folder, "--json"))
    return json.loads(json.dumps(info, sort_keys=True).replace(str(folder), "FOLDER"))


def server_counts(server: Server) -> list[tuple[str, int]]:
    with psycopg.connect(server.url()) as db:
        rows = db.execute(
            "SELECT meta->>'sitting_id', "
            "(SELECT count(*) FROM process_workshop.ops o WHERE o.session_id = s.session_id) "
            "FROM process_workshop.sittings s ORDER BY 1"
        ).fetchall()
    return [(str(a), int(b)) for a, b in rows]


def workshop(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "workshop", *map(str, args)], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def killed_after(delay: float, *args: str | Path) -> None:
    process = workshop(*args)
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


@pytest.fixture
def templates(tmp_path: Path, capsys: pytest.CaptureFixture[str], postgres_server: Server) -> tuple[Path, Path]:
    """An unpublished study, and a laptop's copy of it that added a sitting of 3,000 operations offline."""
    fresh_database(postgres_server)
    origin = tmp_path / "origin-template"
    ok(capsys, "study", "new", origin, "--title", "Killed syncs", "--as", "Ana")
    ok(capsys, "study", "add", origin, "--kind", "modeling", "--intervention", "1", "--as", "Ana")
    ok(capsys, "study", "apply", origin, "s01", organizations(tmp_path / "a.jsonl", 200, "a"), "--as", "Ana")
    published = tmp_path / "published"
    shutil.copytree(origin, published)
    ok(capsys, "study", "publish", published, postgres_server.url())
    laptop = tmp_path / "laptop-template"
    ok(capsys, "study", "clone", postgres_server.url(), laptop)
    ok(capsys, "study", "add", laptop, "--kind", "simulation", "--intervention", "1", "--as", "Ana")
    ok(capsys, "study", "apply", laptop, "s02", organizations(tmp_path / "b.jsonl", OPERATIONS, "b"), "--as", "Ana")
    return origin, laptop


def _trial(tmp_path: Path, capsys: pytest.CaptureFixture[str], server: Server, templates: tuple[Path, Path],
           name: str) -> tuple[Path, Path]:
    origin, laptop = templates
    fresh_database(server)
    published = tmp_path / f"{name}-published"
    shutil.copytree(origin, published)
    ok(capsys, "study", "publish", published, server.url())
    copy = tmp_path / f"{name}-laptop"
    shutil.copytree(laptop, copy)
    link = json.loads((copy / SYNC_FILE).read_text(encoding="utf-8"))
    assert link["url"] == server.url()
    return published, copy


def test_a_killed_sync_run_again_ends_as_an_uninterrupted_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], postgres_server: Server, templates: tuple[Path, Path]
) -> None:
    server = postgres_server
    _, reference = _trial(tmp_path, capsys, server, templates, "reference")
    started = time.monotonic()
    ok(capsys, "study", "sync", reference)
    took = time.monotonic() - started + 0.8  # the command's own start (interpreter, imports) comes on top
    expected_server, expected_local = server_counts(server), summary(capsys, reference)
    assert expected_server == [("s01", 200), ("s02", OPERATIONS)]

    for n, fraction in enumerate((0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 1.1)):
        _, copy = _trial(tmp_path, capsys, server, templates, f"kill{n}")
        killed_after(took * fraction, "study", "sync", copy)
        ok(capsys, "study", "sync", copy)
        assert server_counts(server) == expected_server, f"killed at {fraction:.0%}"
        assert summary(capsys, copy) == expected_local, f"killed at {fraction:.0%}"
        check = tmp_path / f"kill{n}-check"
        ok(capsys, "study", "clone", server.url(), check)
        assert summary(capsys, check) == expected_local


def test_a_killed_clone_run_again_ends_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], postgres_server: Server, templates: tuple[Path, Path]
) -> None:
    server = postgres_server
    _, laptop = _trial(tmp_path, capsys, server, templates, "source")
    ok(capsys, "study", "sync", laptop)
    expected = summary(capsys, laptop)
    for n, delay in enumerate((0.5, 0.9, 1.3, 1.8)):
        copy = tmp_path / f"clone{n}"
        killed_after(delay, "study", "clone", server.url(), copy)
        ok(capsys, "study", "clone", server.url(), copy)
        assert summary(capsys, copy) == expected, f"killed after {delay} s"


def test_two_laptops_syncing_at_the_same_moment_both_end_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], postgres_server: Server, templates: tuple[Path, Path]
) -> None:
    server = postgres_server
    _, one = _trial(tmp_path, capsys, server, templates, "one")
    two = tmp_path / "two"
    shutil.copytree(templates[1], two)
    ok(capsys, "study", "add", two, "--kind", "interview", "--intervention", "2", "--as", "Ben")
    ok(capsys, "study", "apply", two, "s02", organizations(tmp_path / "c.jsonl", 500, "c"), "--as", "Ben")
    first, second = workshop("study", "sync", one), workshop("study", "sync", two)
    assert first.wait(timeout=120) == 0
    assert second.wait(timeout=120) == 0
    ok(capsys, "study", "sync", one)
    ok(capsys, "study", "sync", two)
    assert summary(capsys, one) == summary(capsys, two)
    # laptop two carried on in the same sitting s02 and added an interview: whichever synced first, all of it
    assert dict(server_counts(server)) == {"s01": 200, "s02": OPERATIONS + 500, "s03": 0}


def test_a_cut_tail_is_found_and_taken_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], postgres_server: Server, templates: tuple[Path, Path]
) -> None:
    import sqlite3

    server = postgres_server
    _, laptop = _trial(tmp_path, capsys, server, templates, "cut")
    ok(capsys, "study", "sync", laptop)
    with sqlite3.connect(laptop / "s01-modeling.workshop") as db:  # no hashing: just cut the end off
        db.execute("DELETE FROM ops WHERE seq > 150")
        db.execute("DELETE FROM snapshots WHERE seq > 150")
    out = ok(capsys, "study", "sync", laptop)
    assert "had lost its operations after 150 (the study had recorded 200)" in out
    assert ok(capsys, "study", "verify", laptop).count("intact") == 2
