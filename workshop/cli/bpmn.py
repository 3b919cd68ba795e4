"""``workshop import FILE.bpmn``: a session from BPMN; ``workshop info FILE.bpmn``: what an import would give.

Both print the import report (every element not taken over as it was, and
why). A file that cannot be read is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop.cli import UserError

if TYPE_CHECKING:
    from workshop.interchange.bpmn_import import BpmnImport


def register(subparsers: Any) -> None:
    command = subparsers.add_parser(
        "import", help="make a session from a BPMN 2.0 file and print the import report (what was not taken over)"
    )
    command.add_argument("file", type=Path, help="a BPMN file (.bpmn, .bpmn2, .xml)")
    command.add_argument(
        "-o", "--output", type=Path, help="the new .workshop file (default: next to the BPMN file; must not exist)"
    )
    command.set_defaults(func=_import)


def _read(path: Path) -> BpmnImport:
    from workshop.interchange.bpmn_import import BpmnError
    from workshop.interchange.bpmn_session import read_bpmn_file

    try:
        return read_bpmn_file(path)
    except BpmnError as error:
        raise UserError(str(error)) from None


def bpmn_summary(result: BpmnImport) -> dict[str, Any]:
    """What ``workshop info FILE.bpmn --json`` prints: the model's counts and the import report."""
    from workshop.domain.model.handoffs import handoff_orgs

    s = result.session
    return {
        "title": s.title,
        "file": result.file_name,
        "sha256": result.sha256,
        "organizations": [o.name for o in s.organizations.values()],
        "counts": {
            **result.counts(),
            "handoffs": sum(1 for f in s.flows.values() if handoff_orgs(s, f)),
        },
        "by_kind": {
            kind: {"source": count, "imported": result.imported[kind], "reported": result.reported[kind]}
            for kind, count in sorted(result.source.items())
        },
        "report": result.unsupported,
    }


def print_report(result: BpmnImport) -> None:
    counts = result.counts()
    listed = " (listed below)" if counts["reported"] else ""
    print(
        f"{result.file_name}: {counts['source_elements']} elements, {counts['imported']} imported, "
        f"{counts['reported']} not imported{listed}; {counts['nodes']} nodes, {counts['flows']} flows, "
        f"{counts['lanes']} lanes in {counts['organizations']} organizations"
    )
    for line in result.unsupported:
        print(f"  {line}")


def bpmn_info(path: Path, as_json: bool) -> int:
    """``workshop info FILE.bpmn``: read and import in memory, write nothing."""
    result = _read(path)
    if as_json:
        print(json.dumps(bpmn_summary(result), indent=2, ensure_ascii=False))
    else:
        print_report(result)
    return 0


def _import(args: argparse.Namespace) -> int:
    from workshop.store.file_kinds import FileKind, WrongFileKind, expect

    try:
        expect(args.file, "workshop import", FileKind.BPMN)
    except WrongFileKind as error:
        raise UserError(str(error)) from None
    target: Path = args.output or args.file.with_suffix(".workshop")
    if target.exists():
        raise UserError(f"{target} exists already; name a new file with -o")
    from workshop.interchange.bpmn_session import create_imported_session
    from workshop.store.sessions import StoreError

    result = _read(args.file)
    try:
        _, workshop_file = create_imported_session(target, result, program="workshop import")
    except StoreError as error:
        raise UserError(str(error)) from None
    workshop_file.close()
    print_report(result)
    print(f"created {target}")
    return 0
