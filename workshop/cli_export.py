"""``workshop export`` and ``workshop report``: the session record for researchers and for the organizations."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workshop.cli import UserError
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bundle import write_bundle
from workshop.interchange.data_export import csv_bytes, write_csv, write_json
from workshop.interchange.pictures import model_png, model_svg
from workshop.interchange.qdpx_export import write_qdpx
from workshop.interchange.report_pdf import write_report
from workshop.interchange.table1 import table1

FORMATS = ("pdf", "json", "csv", "qdpx", "bpmn", "svg", "png", "bundle", "table1")


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="export the session record (pdf, json, csv, qdpx, bundle) or the first process model (bpmn, svg, png)",
    )
    export.add_argument("file", type=Path, help="a .workshop session or a .json example")
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("-o", "--output", type=Path, required=True, help="csv: a folder, or a .zip file")
    export.set_defaults(func=_export)
    report = subparsers.add_parser("report", help="the PDF session report")
    report.add_argument("file", type=Path)
    report.add_argument("-o", "--output", type=Path, required=True)
    report.set_defaults(func=lambda args: _write(args.file, "pdf", args.output))


def _export(args: argparse.Namespace) -> int:
    return _write(args.file, args.format, args.output)


def _write(source: Path, kind: str, output: Path) -> int:
    from workshop.store.sessions import StoreError, read_record

    try:
        record = read_record(source)
    except StoreError as error:
        raise UserError(str(error)) from None
    try:
        if kind == "table1":
            output.write_bytes(csv_bytes(table1(record.session)))
            print(f"wrote {output}")
            return 0
        if kind == "csv":
            names = write_csv(record, output)
            print(f"wrote {len(names)} tables to {output}")
            return 0
        with output.open("wb") as stream:
            if kind == "bpmn":
                export_bpmn(record.session, stream)
            elif kind in ("svg", "png"):
                stream.write(model_svg(record.session) if kind == "svg" else model_png(record.session))
            elif kind == "bundle":
                write_bundle(record, stream, source if source.suffix == ".workshop" else None)
            else:
                {"pdf": write_report, "json": write_json, "qdpx": write_qdpx}[kind](record, stream)
    except OSError as error:
        raise UserError(f"{output}: cannot write: {error.strerror}") from None
    print(f"wrote {output}")
    return 0
