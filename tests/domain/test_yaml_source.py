"""Hostile or broken scripts and instruments are refused with file, line and field, never a traceback or a hang."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from workshop.cli import main
from workshop.domain.model.yaml_source import MAX_DEPTH, MAX_SOURCE_BYTES

SCRIPT = "id: s\ntitle: Script\ninterventions:\n  - id: i\n    title: {title}\n    steps: [{{id: a, title: A}}]\n"
INSTRUMENT = "id: rc\ntitle: {title}\nitems:\n  - id: q1\n    dimension: shared_goals\n    text: Goals?\n"
COMMANDS = {"check-script": SCRIPT, "check-instrument": INSTRUMENT}

HOSTILE: dict[str, tuple[str, str]] = {
    "NUL": ('"a\x00b"', r"title: control character U\+0000"),
    "BEL": ('"ding\x07"', r"title: control character U\+0007"),
    "ESC": ('"\x1b[31mred"', r"title: control character U\+001B"),
    "deep flow": ("[" * 5000 + "]" * 5000, f"title: nested more than {MAX_DEPTH} levels deep"),
    "deep block": ("\n" + "".join("  " * i + "-\n" for i in range(3, 400)), f"nested more than {MAX_DEPTH} levels"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_is_refused_naming_file_line_and_field(
    command: str, case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    value, message = HOSTILE[case]
    path = tmp_path / "input.yaml"
    path.write_text(COMMANDS[command].format(title=value), encoding="utf-8")
    assert main([command, str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:" in err
    assert "Traceback" not in err
    assert re.search(message, err), err
    if case in {"NUL", "BEL", "ESC"}:
        line = 5 if command == "check-script" else 2
        assert f"{path}:{line}: title:" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_oversize_input_is_refused_unread(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(COMMANDS[command].format(title="x" * (MAX_SOURCE_BYTES + 1)), encoding="utf-8")
    assert main([command, str(path)]) == 1
    assert f"{path} is too large" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_aliases_cannot_explode(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "laughs.yaml"
    path.write_text(COMMANDS[command].format(title="T") + "\n".join(lines) + "\n", encoding="utf-8")
    assert main([command, str(path)]) == 1
    assert "counting each alias in full" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_or_folder_is_refused_at_once(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert main([command, str(fifo)]) == 1  # opening a FIFO without a writer would block forever
    assert f"{fifo} is a named pipe (FIFO), not a file" in capsys.readouterr().err
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert main([command, str(folder)]) == 1
    assert f"{folder} is a folder, not a file" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_invalid_utf8_names_the_line(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(COMMANDS[command].format(title="caf\xe9").encode("latin-1"))
    assert main([command, str(path)]) == 1
    line = 5 if command == "check-script" else 2
    assert f"{path}:{line}: not valid UTF-8" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_templates_themselves_are_valid(command: str, tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(COMMANDS[command].format(title="Fine"), encoding="utf-8")
    assert main([command, str(path)]) == 0
