"""``workshop check-script`` says OK with a summary, or names the line that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.cli import main
from workshop.resources import scripts_dir


def test_the_built_in_method_checks_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-script", str(scripts_dir() / "three-interventions.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: Three developmental interventions — 3 intervention(s), 15 steps")


def test_a_broken_script_is_one_line_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text("id: x\ntitle: X\ninterventions: []\n", encoding="utf-8")
    assert main(["check-script", str(bad)]) == 1
    assert "mine.yaml:3: interventions: List should have at least 1 item" in capsys.readouterr().err
