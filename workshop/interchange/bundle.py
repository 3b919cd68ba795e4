"""The session-record bundle: every export of a session in one zip, with the .workshop file itself."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from workshop.domain.record import SessionRecord
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.data_export import csv_bytes, write_json
from workshop.interchange.pictures import model_svg
from workshop.interchange.qdpx_export import write_qdpx
from workshop.interchange.record_tables import all_tables
from workshop.interchange.report_pdf import write_report


def _bytes(write: Callable[[SessionRecord, BinaryIO], None], record: SessionRecord) -> bytes:
    stream = io.BytesIO()
    write(record, stream)
    return stream.getvalue()


def write_bundle(record: SessionRecord, stream: BinaryIO, session_file: Path | None = None) -> list[str]:
    """Report, JSON, CSV tables, REFI-QDA project, BPMN and SVG per model, and the session file; returns the names."""
    names: list[str] = []
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data: bytes) -> None:
            archive.writestr(name, data)
            names.append(name)

        put("report.pdf", _bytes(write_report, record))
        put("session.json", _bytes(write_json, record))
        for table, rows in all_tables(record):
            put(f"tables/{table}.csv", csv_bytes(rows))
        put("project.qdpx", _bytes(write_qdpx, record))
        for model in sorted(record.session.models.values(), key=lambda m: m.index):
            bpmn = io.BytesIO()
            export_bpmn(record.session, bpmn, model_id=model.id)
            put(f"models/{model.id}.bpmn", bpmn.getvalue())
            put(f"models/{model.id}.svg", model_svg(record.session, model.id))
        if session_file is not None and session_file.exists():
            archive.write(session_file, f"session/{session_file.name}")
            names.append(f"session/{session_file.name}")
    return names
