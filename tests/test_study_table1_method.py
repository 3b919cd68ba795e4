"""The method's Table 1 printed back cell for cell from a study built with ``workshop study ...`` alone.

``tests/data/method-table1/table1.json`` holds the table as the paper prints it and a plan of sittings:
three interventions, 5 + 5 + 2 modeling workshops, 8 + 4 + 3 interviews, a simulation workshop each, the
archival documents. People come to several workshops (counted once), interviewees are named with
``--person`` and counted by organization type, never named in the table.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_DATA
from tests.test_cli_study import add, ok, ops_file

DATA = json.loads((TEST_DATA / "method-table1" / "table1.json").read_text(encoding="utf-8"))


def _people(org: str, count: int, start: int = 1) -> list[str]:
    return [f"{org} member {n}" for n in range(start, start + count)]


def _sitting(capsys: pytest.CaptureFixture[str], folder: Path, kind: str, step: dict[str, Any], date: str,
             *extra: str) -> str:  # fmt: skip
    out = ok(capsys, "study", "add", folder, "--kind", kind, "--intervention", str(step["intervention"]),
             "--process", step["process"], "--date", date, *extra, "--as", "Anna Virtanen")  # fmt: skip
    return out.split()[1].rstrip(":")


def build(folder: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ok(capsys, "study", "new", folder, "--title", "Contact, procurement and daily business", "--as", "Anna Virtanen")
    for org, kind in DATA["organizations"].items():
        ok(capsys, "study", "organization", folder, org, "--type", kind)
    interviewed = 0
    for step in DATA["plan"]:
        dates = step["modeling"]["dates"]
        workshops = [_sitting(capsys, folder, "modeling", step, date) for date in dates]
        for org, count in step["modeling"]["people"].items():
            for n, name in enumerate(_people(f"{org} ({step['intervention']})", count)):
                for sitting in {workshops[n % len(workshops)], workshops[(n + 1) % len(workshops)]}:
                    ok(capsys, "study", "attend", folder, sitting, name, "--organization", org)
        for interview in step["interviews"]:
            names = []
            for org, count in interview["people"].items():
                names += _people(f"Interviewee of {org}", count, interviewed + 1)
                interviewed += count
            for name, org in ((n, n.split(" of ")[1].rsplit(" member", 1)[0]) for n in names):
                ok(capsys, "study", "person", folder, name, "--organization", org)
            _sitting(capsys, folder, "interview", step, interview["date"], *(x for n in names for x in ("--person", n)))
        simulation = _sitting(capsys, folder, "simulation", step, step["simulation"]["date"])
        for org, count in step["simulation"]["people"].items():
            ok(capsys, "study", "attend", folder, simulation, *_people(f"{org} ({step['intervention']})", count),
               "--organization", org)  # fmt: skip
        documents = [add("archival", id=f"doc-{step['intervention']}-{n}", intervention_id="i", title=title)
                     for n, title in enumerate(step["archival"])]  # fmt: skip
        ok(capsys, "study", "apply", folder, workshops[0], ops_file(tmp_path, f"archival-{step['intervention']}",
           documents), "--as", "Anna Virtanen")  # fmt: skip


def test_the_method_table1_printed_back_cell_for_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "study"
    build(folder, capsys, tmp_path)
    ok(capsys, "study", "export", folder, "--format", "table1", "--date-style", "paper", "-o", tmp_path / "t1.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t1.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(DATA["expected"])
    for row, expected in zip(rows, DATA["expected"], strict=True):
        for column, cell in expected.items():
            assert row[column] == cell, f"{expected['intervention']}, {column}"
    text = (tmp_path / "t1.csv").read_text(encoding="utf-8-sig")
    assert "member" not in text, "the table names no one"
    ok(capsys, "study", "export", folder, "--format", "table1", "-o", tmp_path / "iso.csv")
    iso = list(csv.DictReader(io.StringIO((tmp_path / "iso.csv").read_text(encoding="utf-8-sig"))))
    assert iso[0]["interviews"].startswith("2006-08-21 and 2006-09-20; ")
    assert iso[0]["simulation workshops"].startswith("2006-10-05; ")
