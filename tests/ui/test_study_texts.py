"""Transcripts and notes in the app: attach one to a sitting, select a passage, code it with the codebook."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from workshop.interchange.example_study import build_example_study
from workshop.store.study_folder import load_study
from workshop.ui.study.study_texts import char_index, utf16_offset
from workshop.ui.study.study_window import open_study
from workshop.ui.window.main_window import open_window
from workshop.ui.window.people import set_person

TRANSCRIPT = "Interviewer: How do cases reach you?\nSales unit 🙂: By fax, mostly. <b>Then</b> we retype them.\n"


def _select(window_texts: object, text: str, passage: str) -> None:
    viewer = window_texts.viewer  # type: ignore[attr-defined]
    start = text.index(passage)
    cursor = viewer.textCursor()
    cursor.setPosition(utf16_offset(text, start))
    cursor.setPosition(utf16_offset(text, start + len(passage)), QTextCursor.MoveMode.KeepAnchor)
    viewer.setTextCursor(cursor)


def test_a_researcher_attaches_a_transcript_and_codes_a_passage(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "study"
    build_example_study(folder, "Anna Virtanen")
    set_person("Liisa Researcher", "researcher")
    transcript = tmp_path / "interview sales unit.txt"
    transcript.write_text(TRANSCRIPT.replace("\n", "\r\n"), encoding="utf-8")
    window = open_study(folder, open_session=open_window)
    assert window is not None
    qtbot.addWidget(window)
    texts = window.texts
    texts.kind.setCurrentIndex(texts.kind.findData("transcript"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(transcript), ""))
    qtbot.mouseClick(texts.attach_button, Qt.MouseButton.LeftButton)
    study = load_study(folder)
    assert len(study.sources) == 1
    source = study.sources[0]
    assert source.sitting_id == texts.sitting.currentData()
    assert source.added_by == "Liisa Researcher"
    assert texts.viewer.toPlainText() == TRANSCRIPT, "shown as written, markup and all"
    assert not texts.code_button.isEnabled(), "nothing selected yet"

    passage = "we retype them"
    _select(texts, TRANSCRIPT, passage)
    assert texts.code_button.isEnabled()
    code = texts.codes.itemText(0)
    qtbot.mouseClick(texts.code_button, Qt.MouseButton.LeftButton)
    coding = load_study(folder).codings[0]
    assert TRANSCRIPT[coding.start : coding.end] == passage, "positions count characters, past the emoji"
    assert coding.code_name == code
    assert coding.added_by == "Liisa Researcher"
    assert texts.codings.count() == 1
    assert passage in texts.codings.item(0).text()
    assert len(texts.viewer.extraSelections()) == 1, "the coded passage is marked in the text"


def test_qt_positions_and_character_positions_agree_around_an_emoji() -> None:
    text = "a🙂b"
    assert [utf16_offset(text, i) for i in range(4)] == [0, 1, 3, 4]
    assert [char_index(text, u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]


def test_a_file_that_cannot_be_attached_is_explained_and_nothing_changes(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "study"
    build_example_study(folder, "Anna Virtanen")
    window = open_study(folder, open_session=open_window)
    assert window is not None
    qtbot.addWidget(window)
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(picture), ""))
    qtbot.mouseClick(window.texts.attach_button, Qt.MouseButton.LeftButton)
    assert "attach a .txt, .md or .docx file" in window.texts.message.text()
    assert load_study(folder).sources == []


def test_an_archival_document_is_listed_with_the_sittings_of_its_intervention_and_coded_there(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from workshop.store.study_folder import archive_text, study_for_writing

    folder = tmp_path / "study"
    build_example_study(folder, "Anna Virtanen")
    minutes = tmp_path / "minutes.md"
    minutes.write_text("Steering group: case status <weekly>.\n", encoding="utf-8")
    with study_for_writing(folder, "test") as study:
        archive_text(folder, study, minutes, day="2026-02-14", document_kind="minutes", actor="Ben Ortiz",
                     intervention=1, title="Steering minutes")  # fmt: skip
        archive_text(folder, study, minutes, day="2026-05-01", document_kind="minutes", actor="Ben Ortiz",
                     intervention=2, title="Later minutes")  # fmt: skip
    set_person("Liisa Researcher", "researcher")
    window = open_study(folder, open_session=open_window)
    assert window is not None
    qtbot.addWidget(window)
    texts = window.texts
    listed = [texts.texts.item(row).text() for row in range(texts.texts.count())]
    assert listed == ["Steering minutes — archival minutes, 2026-02-14"], "not the document of intervention 2"
    texts.texts.setCurrentRow(0)
    assert texts.viewer.toPlainText() == "Steering group: case status <weekly>.\n"
    _select(texts, texts.viewer.toPlainText(), "case status")
    qtbot.mouseClick(texts.code_button, Qt.MouseButton.LeftButton)
    (coding,) = load_study(folder).codings
    assert (coding.start, coding.end, coding.added_by) == (16, 27, "Liisa Researcher")
