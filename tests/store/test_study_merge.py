"""Two copies of one study made offline become one: ``workshop study merge DIR OTHER``, through the command line.

Both copies add a sitting numbered alike, one adds operations to a shared
sitting and attaches a text: after the merge the folder holds every
sitting (the arriving one renumbered, its text following it), every
operation with its checksums intact, and merging again changes nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workshop.cli import main
from workshop.domain.research.copies_merge import merge_studies
from workshop.domain.research.study import Study
from workshop.store.study_folder import load_study


def ok(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def ops(folder: Path, *names: str) -> Path:
    path = folder / "ops.jsonl"
    lines = [json.dumps({"op": "add", "kind": "organization", "data": {"id": f"o-{n}", "name": n}}) for n in names]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_two_offline_copies_merge_into_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "A", tmp_path / "B"
    ok(capsys, "study", "new", a, "--title", "Shared study", "--as", "Ana")
    ok(capsys, "study", "add", a, "--kind", "modeling", "--intervention", "1", "--as", "Ana")
    shutil.copytree(a, b)
    ok(capsys, "study", "add", a, "--kind", "interview", "--intervention", "1", "--as", "Ana")
    ok(capsys, "study", "add", b, "--kind", "modeling", "--intervention", "2", "--as", "Ben")
    ok(capsys, "study", "apply", b, "s01", ops(tmp_path, "IT provider", "Customer"), "--as", "Ben")
    text = tmp_path / "notes.txt"
    text.write_text("Observed the hand-over at the service desk.\n", encoding="utf-8")
    ok(capsys, "study", "attach", b, "s02", text, "--as", "Ben")

    out = ok(capsys, "study", "merge", a, b)
    assert "sitting s02 is now s03" in out
    merged = load_study(a)
    assert [(s.id, s.kind.value, s.intervention) for s in merged.sittings] == [
        ("s01", "modeling", 1), ("s02", "interview", 1), ("s03", "modeling", 2)
    ]
    assert merged.sources[0].sitting_id == "s03"  # the text follows its renumbered sitting
    assert (a / merged.sources[0].file).read_text(encoding="utf-8").startswith("Observed the hand-over")
    assert (a / "s03-modeling.workshop").is_file()
    info = json.loads(ok(capsys, "study", "info", a, "--json"))
    operations = {s["id"]: s["operations"] for s in info["sittings"]}
    assert operations["s01"] == 2
    verified = ok(capsys, "study", "verify", a)
    assert verified.count("intact") == 3

    again = ok(capsys, "study", "merge", a, b)  # nothing new arrives, nothing is renumbered twice
    assert "received 0 sitting(s), 0 operation(s), 0 text(s)" in again
    assert len(load_study(a).sittings) == 3


def test_merge_refuses_another_study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "study", "new", tmp_path / "A", "--title", "One", "--as", "Ana")
    ok(capsys, "study", "new", tmp_path / "B", "--title", "Two", "--as", "Ana")
    assert main(["study", "merge", str(tmp_path / "A"), str(tmp_path / "B")]) == 1
    err = capsys.readouterr().err
    assert "is another study ('Two')" in err
    assert "Traceback" not in err


def _study(**changes: object) -> Study:
    base = {
        "id": "study-1", "title": "T", "created": "2026-01-01T00:00:00Z", "created_by": "Ana",
        "sittings": [{"id": "s01", "kind": "modeling", "intervention": 1, "file": "s01-modeling.workshop",
                      "created": "2026-01-02T00:00:00Z", "created_by": "Ana", "date": "2026-02-01"}],
    }
    return Study.model_validate({**base, **changes})


def test_a_field_changed_in_both_copies_keeps_the_keepers_value_and_says_so() -> None:
    base = _study()
    keeper = base.model_copy(deep=True)
    keeper.sittings[0].date = "2026-02-03"
    arriving = base.model_copy(deep=True)
    arriving.sittings[0].date = "2026-02-04"
    arriving.sittings[0].process = "Contact processing"  # changed only here: taken
    result = merge_studies(base, keeper, arriving)
    sitting = result.study.sittings[0]
    assert (sitting.date, sitting.process) == ("2026-02-03", "Contact processing")
    assert [c.describe() for c in result.conflicts] == [
        'sitting s01: date changed in both copies; kept "2026-02-03", set aside "2026-02-04"'
    ]


def test_without_a_common_base_every_difference_is_reported() -> None:
    keeper, arriving = _study(title="One title"), _study(title="Another title")
    result = merge_studies(None, keeper, arriving)
    assert result.study.title == "One title"
    assert [c.field for c in result.conflicts] == ["title"]
