"""Every export of a session by its name: the one entry File › Export and ``workshop export`` share.

Each kind is written through :mod:`workshop.interchange.safe_write`, so a
failure leaves the previous file as it was; a failure of any kind comes out
as :class:`~workshop.interchange.safe_write.ExportError` with one sentence
saying what went wrong and where.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import public_record
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bundle import write_bundle
from workshop.interchange.data_export import csv_bytes, write_csv, write_json
from workshop.interchange.pictures import model_svg
from workshop.interchange.qdpx_export import write_qdpx
from workshop.interchange.report_pdf import write_report
from workshop.interchange.safe_write import ExportError, failure_message, write_bytes, write_file
from workshop.interchange.table1 import table1

KINDS = ("pdf", "json", "csv", "qdpx", "bpmn", "svg", "png", "bundle", "table1")
Progress = Callable[[int, int], None]
Rasterize = Callable[[bytes], bytes]
"""SVG bytes in, PNG bytes out."""


def export(
    kind: str,
    record: SessionRecord,
    target: Path,
    *,
    model_id: str | None = None,
    session_file: Path | None = None,
    full: bool = False,
    progress: Progress | None = None,
    rasterize: Rasterize | None = None,
) -> str:
    """Write ``kind`` of ``record`` to ``target``; returns what was written, for a status line.

    ``rasterize`` turns SVG into PNG (the app's Qt renderer, :func:`workshop.ui.presenter.rasterize.svg_to_png`):
    this layer stays free of Qt.

    ``model_id`` picks the model for bpmn/svg/png (default: the first);
    ``session_file`` is the .workshop file a bundle copies when ``full``.
    Raises :class:`ExportError` (one sentence) on any failure; the target is
    then as it was before.
    """
    target = Path(target)
    try:
        record = public_record(record)  # every kind, pictures included, is written from the de-identified record
        return _export(kind, record, target, model_id, session_file, full, progress, rasterize)
    except ExportError:
        raise
    except Exception as error:  # every failure: one sentence, never a traceback
        raise ExportError(failure_message(target, error)) from error


def _export(
    kind: str,
    record: SessionRecord,
    target: Path,
    model_id: str | None,
    session_file: Path | None,
    full: bool,
    progress: Progress | None,
    rasterize: Rasterize | None,
) -> str:
    session = record.session
    if kind == "pdf":
        write_file(target, lambda stream: write_report(record, stream, progress=progress))
    elif kind == "json":
        write_file(target, lambda stream: write_json(record, stream))
    elif kind == "qdpx":
        write_file(target, lambda stream: write_qdpx(record, stream))
    elif kind == "csv":
        names = write_csv(record, target)
        return f"wrote {len(names)} tables to {target}"
    elif kind == "table1":
        write_bytes(target, csv_bytes(table1(session)))
    elif kind == "bpmn":
        write_file(target, lambda stream: export_bpmn(session, stream, model_id=model_id))
    elif kind == "svg":
        write_bytes(target, model_svg(session, model_id))
    elif kind == "png":
        if rasterize is None:
            raise ExportError(f"{target}: PNG needs a renderer (export SVG, or export PNG from the app or CLI)")
        write_bytes(target, rasterize(model_svg(session, model_id)))
    elif kind == "bundle":
        write_file(target, lambda stream: write_bundle(record, stream, session_file, full=full))
    else:
        raise ExportError(f"{target}: unknown export format {kind!r} (one of {', '.join(KINDS)})")
    return f"wrote {target}"
