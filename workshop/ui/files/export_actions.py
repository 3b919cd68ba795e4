"""File › Export: the report and the research data, with progress for what takes time and a clear failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from workshop.domain.model.record import SessionRecord
from workshop.interchange.exports import export
from workshop.interchange.safe_write import ExportError, failure_message, write_bytes
from workshop.ui.presenter.rasterize import svg_to_png
from workshop.ui.widgets import literal

if TYPE_CHECKING:
    from workshop.ui.host import ExportHost


def session_record(window: ExportHost) -> SessionRecord:
    return SessionRecord(window.document.session, list(window.workshop_file.records()))


def _run(window: ExportHost, title: str, target: Path, write: Callable[[], str]) -> bool:
    """Run one export; any failure is shown as one sentence in a dialog and never raised.

    The exporters write through a temporary file, so a failure leaves the
    earlier file at ``target`` as it was.
    """
    try:
        write()
    except ExportError as error:
        QMessageBox.warning(window.qt_window, title, literal(str(error)))
        return False
    except Exception as error:  # the promise: explained, never raised
        QMessageBox.warning(window.qt_window, title, literal(failure_message(target, error)))
        return False
    window.qt_window.statusBar().showMessage(f"Exported to {target}", 10000)
    return True


def export_report(window: ExportHost, target: Path) -> bool:
    """Write the PDF report with a progress dialog; a failure is explained, never raised."""
    progress = QProgressDialog("Laying out the session report…", "", 0, 100, window.qt_window)
    progress.setWindowTitle("Session report")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)

    def step(done: int, total: int) -> None:
        progress.setValue(int(100 * done / max(total, 1)))
        QApplication.processEvents()

    try:
        return _run(
            window, "Report not written", target, lambda: export("pdf", session_record(window), target, progress=step)
        )
    finally:
        progress.close()


def export_data(window: ExportHost, kind: str, target: Path) -> bool:
    """JSON, CSV (zip) or REFI-QDA; a failure is explained, never raised."""
    return _run(window, "Export failed", target, lambda: export(kind, session_record(window), target))


def export_model(window: ExportHost, target: Path) -> bool:
    """The shown process model as BPMN 2.0 with diagram interchange."""
    return _run(
        window,
        "Export failed",
        target,
        lambda: export("bpmn", SessionRecord(window.document.session), target, model_id=window.current_model_id()),
    )


def export_picture(window: ExportHost, kind: str, target: Path) -> bool:
    """The shown model whole (svg/png, from the domain model) or the current view as seen (view)."""

    def write() -> str:
        if kind == "view" and window.canvas_view is not None:
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            if not window.canvas_view.grab().save(buffer, "PNG"):
                raise ExportError(f"{target}: the view could not be turned into an image")
            write_bytes(target, bytes(buffer.data().data()))
            return f"wrote {target}"
        return export(
            kind,
            SessionRecord(window.document.session),
            target,
            model_id=window.current_model_id(),
            rasterize=svg_to_png,
        )

    return _run(window, "Export failed", target, write)


def export_bundle(window: ExportHost, target: Path, *, full: bool = False) -> bool:
    """Every export in one zip (de-identified unless ``full``); a failure is explained, never raised."""
    progress = QProgressDialog("Writing every export of the session…", "", 0, 0, window.qt_window)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)
    try:
        return _run(
            window,
            "Bundle not written",
            target,
            lambda: export("bundle", session_record(window), target, session_file=window.workshop_file.path, full=full),
        )
    finally:
        progress.close()


def install_export(window: ExportHost) -> None:
    menu = window.menu("File").addMenu("Export")
    stem = window.workshop_file.path.stem

    def ask(title: str, suffix: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(window.qt_window, title, f"{stem}{suffix}", pattern)
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

    def full_bundle() -> None:
        target = ask("Full session record for the research team", "-record-full.zip", "Zip (*.zip)")
        if target:
            export_bundle(window, target, full=True)

    menu.addSeparator()
    menu.addAction("Session record bundle (everything, de-identified, zip)…", bundle)
    menu.addAction("Full session record bundle (with the .workshop file, identified)…", full_bundle)
