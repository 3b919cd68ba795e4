"""``workshop walkthroughs`` and ``workshop whatif`` on a session file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.domain.test_walkthrough import T0, start
from workshop.cli import main
from workshop.domain.model.document import Document
from workshop.domain.model.operations import update
from workshop.domain.model.session import Session
from workshop.domain.walkthrough.walk import Walk
from workshop.resources import example_session_path


@pytest.fixture
def walked(tmp_path: Path) -> Path:
    doc = Document(Session.model_validate_json(example_session_path().read_text(encoding="utf-8")))
    wid = start(doc, "model-current", scenario="group B by fax")
    at = T0
    for flow_id in (None, None, "flow-04", None, None, None, None):
        at += timedelta(minutes=3)
        walk = Walk(doc.session, wid)
        doc.apply(walk.forward(flow_id, when=at))
    doc.apply(Walk(doc.session, wid).capture("question", "Who reads the fax?", when=at))
    doc.apply(Walk(doc.session, wid).finish(when=at + timedelta(minutes=10)))
    path = tmp_path / "walked.json"
    path.write_text(doc.session.model_dump_json(), encoding="utf-8")
    return path


def test_walkthroughs_json(walked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["walkthroughs", str(walked), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (walk,) = data["walkthroughs"]
    assert walk["scenario"] == "group B by fax"
    assert walk["steps"][-1]["element_id"] == "flow-12"
    assert walk["steps"][-1]["captures"][0]["text"] == "Who reads the fax?"
    assert walk["steps"][-1]["seconds"] == 600
    assert walk["longest_steps"][0] == 7
    assert {(h["from"], h["to"]) for h in walk["handoffs"]} == {("org-eu", "org-b"), ("org-b", "org-it")}
    assert walk["boundaries"] == ["boundary-fax-b"]


def test_walkthroughs_text(walked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["walkthroughs", str(walked)]) == 0
    out = capsys.readouterr().out
    assert "group B by fax" in out
    assert "question: Who reads the fax?" in out
    assert "handoffs Customer group B → IT provider: 1" in out


def test_whatif_json_has_the_model_and_the_walked_scenario(walked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["whatif", str(walked), "--model", "model-current", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["problems"] == []
    figures = data["scenarios"]
    assert [r["scenario"] for r in figures] == ["expected (branch probabilities)", "group B by fax"]
    assert figures[0]["lead_minutes"] == pytest.approx(3957.6384615)
    assert figures[0]["handoffs"][0]["flow_id"] == "flow-09"


def test_whatif_errors_are_one_line(walked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["whatif", str(walked), "--model", "nope"]) == 1
    assert "no model 'nope'" in capsys.readouterr().err
    doc = Document(Session.model_validate_json(walked.read_text(encoding="utf-8")))
    doc.apply(update("flow", "flow-03", probability=None))
    broken = tmp_path / "broken.json"
    broken.write_text(doc.session.model_dump_json(), encoding="utf-8")
    assert main(["whatif", str(broken)]) == 1
    captured = capsys.readouterr()
    problem = "scenario 'expected (branch probabilities)': decision 'Which customer group?': "
    assert problem + "no probability on 'group A'" in captured.err
    assert "n-which" not in captured.err, "people's words, never ids"
    assert "flow-03" not in captured.err
    assert captured.err.count("\n") == 1
    assert "— group B by fax" in captured.out  # the walked scenario fixes that branch, so it is still calculated
