"""``workshop export`` and ``workshop report``: the session record for researchers and for the organizations."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workshop.cli import LazyChoices, UserError
from workshop.cli.shared import add_file, add_format, add_output, read_session_record


def _kinds() -> tuple[str, ...]:
    from workshop.interchange.exports import KINDS  # reportlab and the rest: only when asked

    return KINDS


FORMATS = LazyChoices(_kinds)


def register(subparsers: Any) -> None:
    export_parser = subparsers.add_parser(
        "export",
        help="export the session record (pdf, json, csv, qdpx, bundle) or the first process model (bpmn, svg, png)",
    )
    add_file(export_parser, "a .workshop session or a .json example")
    add_format(export_parser, FORMATS)
    add_output(export_parser, help="csv: a folder, or a .zip file")
    export_parser.add_argument(
        "--full",
        action="store_true",
        help="bundle only: include the .workshop file itself (the identified record, for the research team)",
    )
    export_parser.set_defaults(func=_export)
    report = subparsers.add_parser("report", help="the PDF session report")
    add_file(report)
    add_output(report)
    report.set_defaults(func=lambda args: _write(args.file, "pdf", args.output))


def _rasterizer(kind: str) -> Callable[[bytes], bytes] | None:
    """Qt's renderer, loaded only for PNG: every other export runs without Qt."""
    if kind != "png":
        return None
    from workshop.ui.presenter.rasterize import svg_to_png

    return svg_to_png


def _export(args: argparse.Namespace) -> int:
    if args.full and args.format != "bundle":
        raise UserError("--full applies to --format bundle only")
    return _write(args.file, args.format, args.output, full=args.full)


def _write(source: Path, kind: str, output: Path, *, full: bool = False) -> int:
    from workshop.interchange.exports import export
    from workshop.interchange.safe_write import ExportError

    record = read_session_record(source)
    try:
        done = export(kind, record, output, session_file=source, full=full, rasterize=_rasterizer(kind))
    except ExportError as error:
        raise UserError(str(error)) from None
    print(done)
    return 0
