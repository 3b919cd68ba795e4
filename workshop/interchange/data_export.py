"""Research data: the whole session as JSON, and one CSV per table in a folder or a zip.

CSV files are UTF-8 with a byte-order mark and a header row so they open
cleanly in a spreadsheet; a cell that starts with = + - @ is prefixed with
an apostrophe, so a participant's text can never run as a formula.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from pathlib import Path
from typing import BinaryIO

from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import public_record
from workshop.interchange.record_tables import all_tables
from workshop.interchange.safe_write import replacing, write_folder
from workshop.interchange.table import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_json(record: SessionRecord, stream: BinaryIO) -> None:
    """State and log in one document, de-identified (:mod:`workshop.domain.research.privacy`).

    Actors are shown as outputs may show them, anonymous contributions carry
    no person, and survey answers appear only as aggregated scores.
    """
    public = public_record(record)
    document = {
        "format": "process-workshop-record/1",
        "privacy": (
            "de-identified: organization-anonymous contributions show their organization only (or nothing for a "
            f"group of fewer than {public.threshold}); survey answers are aggregated, never per person"
        ),
        "session": json.loads(public.session.model_dump_json()),
        "log": [json.loads(entry.model_dump_json()) for entry in public.records],
        "survey_scores": {
            round_id: [dataclasses.asdict(cell) for cell in cells]
            for round_id, cells in (public.survey_cells or {}).items()
        },
    }
    stream.write(json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))


def csv_bytes(table: Table) -> bytes:
    header, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([safe_cell(str(cell)) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(record: SessionRecord, target: Path) -> list[str]:
    """One CSV per table into ``target`` (a folder, or a .zip file); returns the file names.

    Written safely (:mod:`workshop.interchange.safe_write`): the zip through a
    temporary file, the folder through a temporary folder renamed into place;
    an existing folder is replaced only if it holds nothing but these tables.
    """
    files = {f"{name}.csv": csv_bytes(table) for name, table in all_tables(record)}
    if target.suffix.lower() == ".zip":
        with replacing(target) as stream, zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return sorted(files)
    return write_folder(target, files.items())
