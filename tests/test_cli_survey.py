"""``workshop survey-results`` and ``workshop check-instrument`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.domain.test_survey import _answer, _doc_with_round
from workshop.cli import main


@pytest.fixture
def surveyed(tmp_path: Path) -> Path:
    doc = _doc_with_round("before", "after")
    for n, value in enumerate((2, 2, 3)):
        _answer(doc, "before", n, "org-a", "org-it", often=value)
    for n, value in enumerate((4, 5, 4)):
        _answer(doc, "after", n, "org-a", "org-it", often=value)
    _answer(doc, "after", 7, "org-it", "org-a", often=1)
    path = tmp_path / "surveyed.json"
    path.write_text(doc.session.model_dump_json(), encoding="utf-8")
    return path


def test_results_as_json_with_suppression_and_change(surveyed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["survey-results", str(surveyed), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    after = next(r for r in data["rounds"] if r["id"] == "after")
    overall = {(c["from"], c["about"]): c for c in after["cells"] if c["dimension"] == "overall"}
    assert overall[("org-a", "org-it")]["mean"] == 4.333
    assert overall[("org-it", "org-a")] == {
        "from": "org-it",
        "about": "org-a",
        "dimension": "overall",
        "respondents": 1,
        "mean": None,
        "suppressed": True,
    }
    change = next(c for c in data["changes"] if c["dimension"] == "overall" and c["from"] == "org-a")
    assert change["difference"] == pytest.approx(2.0)


def test_results_as_text_name_organizations(surveyed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["survey-results", str(surveyed)]) == 0
    out = capsys.readouterr().out
    assert "Customer group A -> IT provider: 4.33 (n=3)" in out
    assert "IT provider -> Customer group A: too few answers (n=1)" in out
    assert "+2.00" in out


def test_a_broken_instrument_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: T\nitems: []\n", encoding="utf-8")
    assert main(["check-instrument", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("workshop: ")
    assert "bad.yaml:3: items" in err
