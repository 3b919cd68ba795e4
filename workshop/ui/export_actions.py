"""File › Export: the report and the research data, with progress for what takes time and a clear failure."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from workshop.domain.record import SessionRecord
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bundle import write_bundle
from workshop.interchange.data_export import write_csv, write_json
from workshop.interchange.pictures import model_png, model_svg
from workshop.interchange.qdpx_export import write_qdpx
from workshop.interchange.report_pdf import write_report
from workshop.ui.widgets import literal

if TYPE_CHECKING:
    from workshop.ui.main_window import MainWindow


def session_record(window: MainWindow) -> SessionRecord:
    return SessionRecord(window.document.session, list(window.workshop_file.records()))


def export_report(window: MainWindow, target: Path) -> bool:
    """Write the PDF report with a progress dialog; a failure is explained, never raised."""
    progress = QProgressDialog("Laying out the session report…", "", 0, 100, window)
    progress.setWindowTitle("Session report")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)

    def step(done: int, total: int) -> None:
        progress.setValue(int(100 * done / max(total, 1)))
        QApplication.processEvents()

    try:
        with target.open("wb") as stream:
            write_report(session_record(window), stream, progress=step)
    except (OSError, ValueError) as error:
        QMessageBox.warning(window, "Report not written", literal(f"{target}: {error}"))
        return False
    finally:
        progress.close()
    window.statusBar().showMessage(f"Report written to {target}", 10000)
    return True


def export_data(window: MainWindow, kind: str, target: Path) -> bool:
    try:
        if kind == "csv":
            write_csv(session_record(window), target)
        else:
            writer = write_qdpx if kind == "qdpx" else write_json
            with target.open("wb") as stream:
                writer(session_record(window), stream)
    except OSError as error:
        QMessageBox.warning(window, "Export failed", literal(f"{target}: {error}"))
        return False
    window.statusBar().showMessage(f"Exported to {target}", 10000)
    return True


def export_model(window: MainWindow, target: Path) -> bool:
    """The shown process model as BPMN 2.0 with diagram interchange."""
    try:
        with target.open("wb") as stream:
            export_bpmn(window.document.session, stream, model_id=window.current_model_id())
    except (OSError, ValueError) as error:
        QMessageBox.warning(window, "Export failed", literal(f"{target}: {error}"))
        return False
    window.statusBar().showMessage(f"Exported to {target}", 10000)
    return True


def export_picture(window: MainWindow, kind: str, target: Path) -> bool:
    """The shown model whole (svg/png, from the domain model) or the current view as seen (view)."""
    try:
        if kind == "view" and window.canvas_view is not None:
            if not window.canvas_view.grab().save(str(target), "PNG"):
                raise OSError("could not write the image")
        else:
            session, model_id = window.document.session, window.current_model_id()
            target.write_bytes(model_svg(session, model_id) if kind == "svg" else model_png(session, model_id))
    except (OSError, ValueError) as error:
        QMessageBox.warning(window, "Export failed", literal(f"{target}: {error}"))
        return False
    window.statusBar().showMessage(f"Exported to {target}", 10000)
    return True


def export_bundle(window: MainWindow, target: Path) -> bool:
    progress = QProgressDialog("Writing every export of the session…", "", 0, 0, window)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)
    try:
        with target.open("wb") as stream:
            write_bundle(session_record(window), stream, window.workshop_file.path)
    except (OSError, ValueError) as error:
        QMessageBox.warning(window, "Bundle not written", literal(f"{target}: {error}"))
        return False
    finally:
        progress.close()
    window.statusBar().showMessage(f"Session record written to {target}", 10000)
    return True


def install_export(window: MainWindow) -> None:
    menu = window.menu("File").addMenu("Export")
    stem = window.workshop_file.path.stem

    def ask(title: str, suffix: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(window, title, f"{stem}{suffix}", pattern)
        return Path(name) if name else None

    def report() -> None:
        target = ask("Session report", ".pdf", "PDF (*.pdf)")
        if target:
            export_report(window, target)

    def data(kind: str) -> None:
        target = ask(
            "Export", ".json" if kind == "json" else "-csv.zip", "JSON (*.json)" if kind == "json" else "Zip (*.zip)"
        )
        if target:
            export_data(window, kind, target)

    menu.addAction("Session report (PDF)…", report)
    menu.addAction("Whole session (JSON)…", lambda: data("json"))
    menu.addAction("Tables (CSV, zip)…", lambda: data("csv"))
    menu.addAction("Qualitative analysis (REFI-QDA .qdpx)…", lambda: data("qdpx"))

    def bpmn() -> None:
        target = ask("Export the shown process model", ".bpmn", "BPMN 2.0 (*.bpmn)")
        if target:
            export_model(window, target)

    menu.addAction("Shown process model (BPMN 2.0)…", bpmn)

    def picture(kind: str) -> None:
        target = ask("Picture of the shown model", f".{kind}", f"{kind.upper()} (*.{kind})")
        if target:
            export_picture(window, kind, target)

    menu.addAction("Shown process model, whole (SVG)…", lambda: picture("svg"))
    menu.addAction("Shown process model, whole (PNG)…", lambda: picture("png"))
    menu.addAction("Current view as seen (PNG)…", lambda: picture("view"))

    def bundle() -> None:
        target = ask("Session record bundle", "-record.zip", "Zip (*.zip)")
        if target:
            export_bundle(window, target)

    menu.addSeparator()
    menu.addAction("Session record bundle (everything, zip)…", bundle)
