"""File commands: ``new``, ``info``, ``apply``, ``log``, ``replay`` — the scripting and research interface."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workshop.cli import UserError
from workshop.domain.document import LogRecord
from workshop.domain.errors import OperationError
from workshop.domain.operations import parse_operation
from workshop.domain.privacy import public_record
from workshop.domain.record import SessionRecord
from workshop.domain.session import new_session
from workshop.domain.walkthrough import handoff_orgs
from workshop.store.sessions import StoreError, create_document, open_document, read_record

CLI_ACTOR = "cli"


def register(subparsers: Any) -> None:
    new = subparsers.add_parser("new", help="create an empty session file")
    new.add_argument("file", type=Path)
    new.add_argument("--title", required=True)
    new.set_defaults(func=_new)

    info = subparsers.add_parser("info", help="title, organizations, counts and time span of a session")
    info.add_argument("file", type=Path, help="a .workshop session or a .json example")
    info.add_argument("--json", action="store_true")
    info.set_defaults(func=_info)

    apply = subparsers.add_parser("apply", help="apply operations from a JSON-lines file (docs/operations.md)")
    apply.add_argument("file", type=Path)
    apply.add_argument("ops", type=Path, help="one JSON operation per line; '-' reads standard input")
    apply.set_defaults(func=_apply)

    log = subparsers.add_parser("log", help="the operation log: who did what, when, in which step")
    log.add_argument("file", type=Path)
    log.add_argument("--json", action="store_true", help="one JSON record per line")
    log.set_defaults(func=_log)

    rep = subparsers.add_parser("replay", help="the session as it was after an operation or at a moment")
    rep.add_argument("file", type=Path)
    rep.add_argument("--at", required=True, help="a sequence number, or an ISO time such as 2026-03-10T10:15:00Z")
    rep.add_argument("-o", "--output", type=Path, required=True, help="where to write the state (JSON)")
    rep.set_defaults(func=_replay)


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except StoreError as error:
        raise UserError(str(error)) from None


def _new(args: argparse.Namespace) -> int:
    with _user_errors():
        _, workshop_file = create_document(args.file, new_session(args.title))
        workshop_file.close()
    print(f"created {args.file}")
    return 0


def summary(record: SessionRecord) -> dict[str, Any]:
    """What ``workshop info`` reports, as plain data."""
    s = record.session
    times = [r.time for r in record.records]
    return {
        "title": s.title,
        "organizations": [o.name for o in s.organizations.values()],
        "models": [{"name": m.name, "state": m.state} for m in sorted(s.models.values(), key=lambda m: m.index)],
        "counts": {
            "participants": len(s.participants),
            "nodes": len(s.nodes),
            "flows": len(s.flows),
            "handoffs": sum(1 for f in s.flows.values() if handoff_orgs(s, f)),
            "annotations": len(s.annotations),
            "boundaries": len(s.boundaries),
            "operations": len(record.records),
        },
        "time_span": {
            "first": min(times).isoformat() if times else None,
            "last": max(times).isoformat() if times else None,
        },
    }


def _info(args: argparse.Namespace) -> int:
    with _user_errors():
        data = summary(read_record(args.file))
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    counts = data["counts"]
    span = data["time_span"]
    print(data["title"])
    print(f"  organizations: {', '.join(data['organizations']) or '(none)'}")
    for model in data["models"]:
        print(f"  model: {model['name']} ({model['state']})")
    print("  " + ", ".join(f"{counts[k]} {k}" for k in counts))
    if span["first"]:
        print(f"  log: {span['first']} .. {span['last']}")
    return 0


def _apply(args: argparse.Namespace) -> int:
    with _user_errors():
        document, workshop_file = open_document(args.file)
    try:
        if workshop_file.read_only:
            raise UserError(f"{args.file} is read-only ({workshop_file.read_only_reason})")
        stream = sys.stdin if str(args.ops) == "-" else _open_ops(args.ops)
        with stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    record = document.apply(parse_operation(line), actor=CLI_ACTOR)
                except OperationError as error:
                    kept = "operations before this line were applied"
                    raise UserError(f"{args.ops}:{number}: {error} ({kept})") from None
                except StoreError as error:
                    raise UserError(f"{args.ops}:{number}: {error}") from None
                print(f"applied {record.seq}", flush=True)
    finally:
        workshop_file.close(document.session, document.last_seq)
    return 0


def _open_ops(path: Path) -> Any:
    try:
        return path.open(encoding="utf-8")
    except OSError as error:
        raise UserError(f"{path}: cannot read: {error.strerror}") from None


def _log_line(record: LogRecord) -> str:
    step = f"{record.intervention_id}/{record.step_id}" if record.step_id else "-"
    when = record.time.isoformat(timespec="seconds")
    return f"{record.seq:>6}  {when}  {record.actor:<24} {step:<20} {record.op.summary()}"


def _log(args: argparse.Namespace) -> int:
    """The log as any output may show it (:mod:`workshop.domain.privacy`): no person behind anonymity."""
    with _user_errors():
        records = public_record(read_record(args.file)).records
    for record in records:
        print(record.model_dump_json() if args.json else _log_line(record))
    return 0


def _parse_moment(text: str) -> tuple[int | None, datetime | None]:
    if text.isdigit():
        return int(text), None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"--at {text!r}: give a sequence number or an ISO time such as 2026-03-10T10:15:00Z") from None
    return None, moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _replay(args: argparse.Namespace) -> int:
    seq, moment = _parse_moment(args.at)
    from workshop.store.workshop_file import WorkshopFile

    with _user_errors():
        workshop_file = WorkshopFile.open(args.file, read_only=True)
        try:
            last = workshop_file.last_seq()
            if seq is not None and seq > last:
                raise UserError(f"--at {seq}: the log ends at operation {last}")
            state = workshop_file.state_at(seq=seq, time=moment)
            upto = [
                r
                for r in workshop_file.records()
                if (seq is None or r.seq <= seq) and (moment is None or r.time <= moment)
            ]
        finally:
            workshop_file.close()
    state = public_record(SessionRecord(state, upto)).session  # the state as outputs may show it
    from workshop.interchange.safe_write import ExportError, failure_message, write_bytes

    try:
        write_bytes(args.output, (state.model_dump_json(indent=2) + "\n").encode("utf-8"))
    except (OSError, ExportError) as error:
        raise UserError(failure_message(args.output, error)) from None
    print(f"wrote {args.output}")
    return 0
