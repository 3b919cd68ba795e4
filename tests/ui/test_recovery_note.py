"""A relaunch after a crash says what was recovered: nothing lost, the last change, where the workshop stands."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from workshop.domain.facilitation.progress import goto_op, load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import add
from workshop.resources import example_session_path, scripts_dir
from workshop.store.lock import LockInfo, _text, lock_path
from workshop.store.sessions import create_document, load_session_json, open_document
from workshop.ui.window.main_window import MainWindow, open_window


def _dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    return int(finished.stdout)


def _crashed_session(tmp_path: Path) -> Path:
    """A session whose writer died without closing: its lock names a process that is gone."""
    path = tmp_path / "day.workshop"
    document, workshop_file = create_document(path, load_session_json(example_session_path()))
    document.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    document.apply(goto_op(document.session, "i1", "i1-glossary"))
    document.apply(add(Annotation(id="idea-1", annotation_kind="idea", text="Call back within a day")))
    workshop_file.close(document.session, document.last_seq)
    crashed = LockInfo("Process Workshop", socket.gethostname(), _dead_pid(), datetime.now(UTC), "gone")
    lock_path(path).write_text(_text(crashed), encoding="utf-8")
    return path


def test_the_file_knows_it_was_left_open_and_a_clean_close_leaves_no_trace(tmp_path: Path) -> None:
    path = _crashed_session(tmp_path)
    document, workshop_file = open_document(path)
    assert workshop_file.left_open_by is not None
    assert workshop_file.left_open_by.program == "Process Workshop"
    workshop_file.close(document.session, document.last_seq)
    again, reopened = open_document(path)
    assert reopened.left_open_by is None, "closed properly this time"
    reopened.close(again.session, again.last_seq)


def test_reopening_after_a_crash_says_what_was_recovered(qtbot: QtBot, tmp_path: Path) -> None:
    path = _crashed_session(tmp_path)
    window = open_window(path)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    box = window.recovery_box
    assert box is not None
    assert box.isVisible()
    assert not box.isModal(), "the facilitator can carry on while it is shown"
    text = box.text()
    assert "did not close this session properly" in text
    assert f"all {window.document.last_seq} changes are here" in text
    assert "(Add annotation)" in text, "the last change, as the undo list names it"
    assert "Shared domain knowledge" in text, "where the workshop stands, by title"
    assert "i1-glossary" not in text, "no ids"
    box.close()
