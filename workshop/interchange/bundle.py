"""The session-record bundle: every export of a session in one zip.

By default the bundle is de-identified like every other export (see
:mod:`workshop.domain.research.privacy`) and holds no .workshop file, which keeps the
full truth. ``full=True`` (``workshop export --format bundle --full``) adds
the session file itself, copied with SQLite's backup API so that every
committed operation is in it, including those still in the write-ahead log
(a plain file copy would miss them).
"""

from __future__ import annotations

import io
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import public_record
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


def copy_session_file(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file ``source`` at ``target``, WAL content included.

    Reads through a read-only connection, so it works while the app holds the
    session open and never changes the source.
    """
    uri = f"{Path(source).resolve().as_uri()}?mode=ro"
    reader = sqlite3.connect(uri, uri=True)
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def _session_file_bytes(source: Path) -> bytes:
    descriptor, name = tempfile.mkstemp(suffix=".workshop")
    os.close(descriptor)
    copy = Path(name)
    try:
        copy.unlink()
        copy_session_file(source, copy)
        return copy.read_bytes()
    finally:
        copy.unlink(missing_ok=True)


def write_bundle(
    record: SessionRecord, stream: BinaryIO, session_file: Path | None = None, *, full: bool = False
) -> list[str]:
    """Report, JSON, CSV tables, REFI-QDA project, BPMN and SVG per model; returns the names.

    The exports inside are always de-identified. With ``full`` and a
    ``session_file``, the .workshop file too: the full, identified record,
    for the research team, not for the organizations.
    """
    record = public_record(record)  # once for all the exports inside; the .workshop file (full only) is the truth
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
        if full and session_file is not None and session_file.suffix == ".workshop" and session_file.exists():
            put(f"session/{session_file.name}", _session_file_bytes(session_file))
    return names
