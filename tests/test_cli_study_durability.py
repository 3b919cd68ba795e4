"""A study never gets stuck, exports around a damaged sitting, and finds a cut tail (issue 30)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.test_cli_study import ok, refused, run
from workshop.domain.model.session import new_session
from workshop.store import study_folder
from workshop.store.study_folder import load_study
from workshop.store.workshop_file import WorkshopFile


@pytest.fixture
def study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "study"
    ok(capsys, "study", "new", folder, "--title", "Contact processing")
    ok(capsys, "study", "add", folder, "--kind", "modeling", "--intervention", "1", "--date", "2026-03-10")
    return folder


def _moves(tmp_path: Path, count: int) -> Path:
    ops = [{"op": "add", "kind": "organization", "data": {"id": "org-a", "name": "A"}}]
    ops += [{"op": "update", "kind": "organization", "id": "org-a", "changes": {"name": f"A{i}"}} for i in range(count)]
    path = tmp_path / "ops.jsonl"
    path.write_text("\n".join(json.dumps(op) for op in ops) + "\n")
    return path


def test_a_study_add_killed_before_recording_leaves_nothing_that_blocks_the_next(
    study: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def killed(folder: Path, written: object) -> None:
        raise KeyboardInterrupt  # as a kill at that moment: no cleanup of ours runs

    monkeypatch.setattr(study_folder, "save_study", killed)
    status, _out, _err = run(capsys, "study", "add", study, "--kind", "modeling", "--intervention", "1")
    assert status != 0
    monkeypatch.undo()
    assert (study / "s02-modeling.workshop").exists(), "the sitting's file was made, the study never named it"
    assert len(load_study(study).sittings) == 1

    status, out, err = run(capsys, "study", "add", study, "--kind", "modeling", "--intervention", "1")
    assert status == 0, err
    assert "added s02" in out
    assert "removed s02-modeling.workshop, an empty sitting file left by an interrupted 'study add'" in err
    assert [s.file for s in load_study(study).sittings] == ["s01-modeling.workshop", "s02-modeling.workshop"]


def test_a_temporary_file_of_a_killed_add_is_removed(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    leftover = WorkshopFile.create(study / ".adding-s02-part-1.workshop", new_session("half made"))
    leftover.close()
    status, _out, err = run(capsys, "study", "add", study, "--kind", "interview", "--intervention", "1")
    assert status == 0, err
    assert "removed .adding-s02-part-1.workshop" in err
    assert not list(study.glob(".adding-*"))


def test_a_name_taken_by_something_else_is_refused_with_the_way_out(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = WorkshopFile.create(study / "s02-modeling.workshop", new_session("someone else's"))
    foreign.close()
    line = refused(capsys, "study", "add", study, "--kind", "modeling", "--intervention", "1")
    assert "s02-modeling.workshop already exists; choose another file name with --name" in line
    out = ok(capsys, "study", "add", study, "--kind", "modeling", "--intervention", "1", "--name", "s02-march")
    assert "s02-march.workshop" in out
    assert (study / "s02-march.workshop").exists()
    assert (study / "s02-modeling.workshop").exists(), "a file the study does not own is never removed"
    assert refused(capsys, "study", "add", study, "--kind", "modeling", "--intervention", "1", "--name", "../x")


def test_an_export_skips_a_damaged_sitting_and_says_so(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "study", "add", study, "--kind", "interview", "--intervention", "1", "--date", "2026-03-11")
    (study / "s01-modeling.workshop").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    status, out, err = run(capsys, "study", "export", study, "--format", "sittings", "-o", tmp_path / "sittings.csv")
    assert status == 0, err
    assert "skipped sitting s01 (s01-modeling.workshop), which cannot be read" in out
    assert "skipped sitting s01" in err
    written = (tmp_path / "sittings.csv").read_text()
    assert "s02" in written


def test_study_verify_finds_a_cut_tail_that_the_file_alone_cannot_show(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "study", "apply", study, "s01", _moves(tmp_path, 40), "--as", "Anna")
    head = load_study(study).sittings[0].head
    assert head is not None
    assert head.operations == 41
    assert "intact" in ok(capsys, "study", "verify", study)
    sitting = study / "s01-modeling.workshop"
    with sqlite3.connect(sitting) as db:
        db.execute("DELETE FROM ops WHERE seq > 30")
        db.execute("DELETE FROM snapshots WHERE seq > 30")
    db.close()
    alone = ok(capsys, "verify", sitting)
    assert "intact — 30 operation(s)" in alone
    assert "What a file alone cannot show: operations cut from its end" in alone
    status, out, err = run(capsys, "study", "verify", study)
    assert status == 1
    assert "its log ends at operation 30, but the study recorded 41" in out
    assert "1 of 1 sitting(s) damaged" in err


def test_a_plain_apply_on_a_sitting_records_its_new_length_in_the_study(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "apply", study / "s01-modeling.workshop", _moves(tmp_path, 4))
    head = load_study(study).sittings[0].head
    assert head is not None
    assert head.operations == 5


def test_the_example_study_verifies_with_every_length_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "example"
    ok(capsys, "study", "example", folder)
    assert all(sitting.head is not None for sitting in load_study(folder).sittings)
    out = ok(capsys, "study", "verify", folder)
    assert out.count("intact") == len(load_study(folder).sittings)
    assert "no length recorded" not in out
