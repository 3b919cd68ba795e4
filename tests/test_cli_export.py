"""``workshop export`` and ``workshop report`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from workshop.cli import main
from workshop.resources import example_session_path


def test_report_and_exports_of_the_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: QApplication
) -> None:
    assert main(["report", str(example_session_path()), "-o", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert main(["export", str(example_session_path()), "--format", "json", "-o", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["format"] == "process-workshop-record/1"
    assert main(["export", str(example_session_path()), "--format", "csv", "-o", str(tmp_path / "t")]) == 0
    assert "wrote 9 tables" in capsys.readouterr().out  # 8 record tables and the summary table
    for kind, magic in (
        ("bpmn", b"<?xml"),
        ("svg", b"<svg"),
        ("png", b"\x89PNG"),
        ("qdpx", b"PK"),
        ("bundle", b"PK"),
        ("table1", "\ufeffintervention".encode()),
    ):
        out = tmp_path / f"out.{kind}"
        assert main(["export", str(example_session_path()), "--format", kind, "-o", str(out)]) == 0
        assert out.read_bytes().startswith(magic), kind


def test_an_unwritable_target_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "missing-folder" / "r.pdf"
    assert main(["report", str(example_session_path()), "-o", str(target)]) == 1
    assert "cannot write" in capsys.readouterr().err
