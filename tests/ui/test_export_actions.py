"""File › Export writes the report and data from the open session, and explains a failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.ui.files.export_actions import export_bundle, export_data, export_model, export_picture, export_report


def test_export_menu_writes_report_and_tables(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = example_window(qtbot, tmp_path)
    menu = next(a.menu() for a in window.menu("File").actions() if a.text() == "Export")
    assert [a.text() for a in menu.actions()] == [
        "Session report (PDF)…",
        "Whole session (JSON)…",
        "Tables (CSV, zip)…",
        "Qualitative analysis (REFI-QDA .qdpx)…",
        "Shown process model (BPMN 2.0)…",
        "Shown process model, whole (SVG)…",
        "Shown process model, whole (PNG)…",
        "Current view as seen (PNG)…",
        "",
        "Session record bundle (everything, de-identified, zip)…",
        "Full session record bundle (with the .workshop file, identified)…",
    ]
    assert export_picture(window, "view", tmp_path / "view.png")
    assert (tmp_path / "view.png").read_bytes().startswith(b"\x89PNG")
    assert export_bundle(window, tmp_path / "record.zip")
    assert export_report(window, tmp_path / "report.pdf")
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert export_data(window, "csv", tmp_path / "tables.zip")
    assert (tmp_path / "tables.zip").stat().st_size > 0
    assert export_model(window, tmp_path / "model.bpmn")
    assert b"bpmn:collaboration" in (tmp_path / "model.bpmn").read_bytes()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, _t, text: shown.append(text))
    assert not export_report(window, tmp_path / "no-such-folder" / "report.pdf")
    assert "no-such-folder" in shown[0]


def test_a_report_that_cannot_be_laid_out_is_explained_and_the_earlier_one_kept(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.platypus.doctemplate import LayoutError

    from workshop.interchange import exports

    window = example_window(qtbot, tmp_path)
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF earlier")

    def fails(*_args: object, **_kwargs: object) -> None:
        raise LayoutError("Flowable too large")

    monkeypatch.setattr(exports, "write_report", fails)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _w, _t, text: shown.append(text))
    assert not export_report(window, target)
    assert len(shown) == 1
    assert "could not be laid out" in shown[0]
    assert target.read_bytes() == b"%PDF earlier"


def test_opening_bpmn_shows_what_was_not_imported(qtbot: QtBot) -> None:
    from workshop.ui.window.main_window import MainWindow, open_window

    corpus = Path(__file__).resolve().parents[1] / "data" / "bpmn-miwg" / "reference" / "C.8.1.bpmn"
    window = open_window(corpus)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.workshop_file.path.suffix == ".workshop", "an import becomes a session file at once"
    assert window.import_report is not None
    assert "dataInputAssociation" in window.import_report.detailedText()
    [source] = window.document.session.sources.values()
    assert source.file_name == "C.8.1.bpmn", "the record says where the model came from"
    assert window.document.last_seq == 1, "the import is the session's first operation"
    window.import_report.close()
