"""Every export of a study by its name: what ``workshop study export`` writes.

Like the session exports (:mod:`workshop.interchange.exports`), each kind is
written through :mod:`workshop.interchange.safe_write` from de-identified
records, and any failure comes out as one sentence in an
:class:`~workshop.interchange.safe_write.ExportError`.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from workshop.interchange.data_export import csv_bytes
from workshop.interchange.safe_write import ExportError, failure_message, replacing, write_bytes, write_folder
from workshop.interchange.study_coordination import commitments_table, joint_commitments_table, mechanisms_table
from workshop.interchange.study_people import roster_table
from workshop.interchange.study_rc_change import survey_change_dimensions, survey_change_handoffs
from workshop.interchange.study_summaries import explore_exploit, integrating_conditions
from workshop.interchange.study_table1 import study_table1 as table1
from workshop.interchange.study_tables import (
    StudyRecord,
    boundaries_table,
    idea_tracker,
    sittings_table,
    survey_change,
    survey_roles_table,
    survey_table,
)
from workshop.interchange.table import Table

STUDY_TABLES: dict[str, Callable[[StudyRecord], Table]] = {
    "sittings": sittings_table,
    "table1": table1,
    "ideas": idea_tracker,
    "explore_exploit": explore_exploit,
    "conditions": integrating_conditions,
    "boundaries": boundaries_table,
    "mechanisms": mechanisms_table,
    "commitments": commitments_table,
    "joint_commitments": joint_commitments_table,
    "survey": survey_table,
    "survey_roles": survey_roles_table,
    "survey_change": survey_change,
    "survey_change_dimensions": survey_change_dimensions,
    "survey_change_handoffs": survey_change_handoffs,
}
"""Every study table by file name (without .csv), in the order the exports list them.

Here, above both modules that build them (the record's tables and the
method's summaries), so neither imports the other.
"""
PEOPLE_TABLES: dict[str, Callable[[StudyRecord], Table]] = {"roster": roster_table}
"""Tables that name people (the list of who took part, with the sittings each attended): exported only when
asked for by name, never inside ``csv``, ``json`` or a report, which name no one."""
TABLE_KINDS = (*STUDY_TABLES, *PEOPLE_TABLES)
STUDY_KINDS = ("json", "csv", *TABLE_KINDS, "pdf", "feedback", "qdpx")
"""``feedback``: one PDF per intervention for the organizations, into a folder."""


def all_study_tables(record: StudyRecord) -> list[tuple[str, Table]]:
    """Every study table by file name (without .csv)."""
    return [(name, build(record)) for name, build in STUDY_TABLES.items()]


TextReader = Callable[[str], str]
"""Reads an attached text by its source id (the QDPX carries transcripts and notes in full)."""


def study_json(record: StudyRecord) -> bytes:
    """The study and every computed table as one JSON document (rows as objects keyed by the header)."""
    document = {
        "format": "process-workshop-study-record/1",
        "privacy": "computed from de-identified sitting records; survey scores aggregated, never per person",
        "study": json.loads(record.study.model_dump_json()),
        "tables": {
            name: [dict(zip(header, row, strict=True)) for row in rows]
            for name, (header, rows) in all_study_tables(record)
        },
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_study(
    kind: str, record: StudyRecord, target: Path, read_text: TextReader, *, date_style: str = "iso"
) -> str:
    """Write ``kind`` of the study to ``target``; returns what was written. Raises :class:`ExportError`.

    ``date_style`` is how ``table1`` writes dates: ``iso`` or ``paper`` (21.8.2006).
    """
    target = Path(target)
    if kind == "table1":
        try:
            write_bytes(target, csv_bytes(table1(record, date_style)))
        except ExportError:
            raise
        except Exception as error:  # every failure: one sentence, never a traceback
            raise ExportError(failure_message(target, error)) from error
        return f"wrote {target}"
    try:
        return _export(kind, record, target, read_text)
    except ExportError:
        raise
    except Exception as error:  # every failure: one sentence, never a traceback
        raise ExportError(failure_message(target, error)) from error


def _export(kind: str, record: StudyRecord, target: Path, read_text: TextReader) -> str:
    if kind in PEOPLE_TABLES:
        write_bytes(target, csv_bytes(PEOPLE_TABLES[kind](record)))
        return f"wrote {target}"
    tables = dict(all_study_tables(record))
    if kind in TABLE_KINDS:
        write_bytes(target, csv_bytes(tables[kind]))
    elif kind == "json":
        write_bytes(target, study_json(record))
    elif kind == "csv":
        files = {f"{name}.csv": csv_bytes(table) for name, table in tables.items()}
        if target.suffix.lower() == ".zip":
            with replacing(target) as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in files.items():
                    archive.writestr(name, data)
        else:
            write_folder(target, files.items())
        return f"wrote {len(files)} tables to {target}"
    elif kind == "qdpx":
        from workshop.interchange.study_qdpx import write_study_qdpx

        with replacing(target) as stream:
            write_study_qdpx(record, stream, read_text)
    elif kind == "feedback":
        import io

        from workshop.interchange.study_report import write_feedback_report

        reports: list[tuple[str, bytes]] = []
        for intervention in sorted({s.intervention for s, _ in record.sittings}):
            buffer = io.BytesIO()
            write_feedback_report(record, intervention, buffer)
            reports.append((f"feedback-intervention-{intervention}.pdf", buffer.getvalue()))
        if not reports:
            raise ExportError(f"{target}: the study has no sittings yet, so no intervention to report on")
        write_folder(target, reports)
        return f"wrote {len(reports)} feedback reports to {target}"
    elif kind == "pdf":
        from workshop.interchange.study_report import write_study_report

        with replacing(target) as stream:
            write_study_report(record, stream)
    else:
        raise ExportError(f"{target}: unknown study export format {kind!r} (one of {', '.join(STUDY_KINDS)})")
    return f"wrote {target}"
