"""``workshop analyse`` prints the same findings as the Health panel."""

from __future__ import annotations

import json

import pytest

from workshop.cli import main
from workshop.resources import example_session_path


def test_analyse_json_on_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(example_session_path()), "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["model"] == "model-current"
    assert {"from": "Customer group A", "to": "IT provider", "count": 1} in result["handoffs"]
    rules = {f["rule"] for f in result["findings"]}
    assert {"loop", "handoff_unassessed", "handoff_uncoordinated", "term_conflict"} <= rules
    assert result["longest_handoff_chain"]["handoffs"] == 4


def test_analyse_text_and_unknown_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(example_session_path())]) == 0
    assert "Rework loop:" in capsys.readouterr().out
    assert main(["analyse", str(example_session_path()), "--model", "nope"]) == 1
    assert "no model 'nope'" in capsys.readouterr().err
