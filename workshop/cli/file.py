"""File commands: ``new``, ``info``, ``apply``, ``log``, ``replay`` — the scripting and research interface."""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from workshop.cli import UserError
from workshop.cli.shared import (
    DEFAULT_ACTOR,
    add_file,
    add_json,
    add_output,
    read_session_record,
    session_for_writing,
    user_errors,
)

if TYPE_CHECKING:  # the modules below load when a command runs, not for `workshop --help`
    from workshop.domain.model.document import Document, LogRecord
    from workshop.domain.model.record import SessionRecord
    from workshop.domain.model.session import Session
    from workshop.store.sessions import LogSpan
    from workshop.store.workshop_file import WorkshopFile

CLI_ACTOR = DEFAULT_ACTOR


def register(subparsers: Any) -> None:
    new = subparsers.add_parser("new", help="create an empty session file")
    add_file(new)
    new.add_argument("--title", required=True)
    new.set_defaults(func=_new)

    info = subparsers.add_parser("info", help="title, organizations, counts and time span of a session")
    add_file(info, "a .workshop session, a .json example or a BPMN file (.bpmn, .bpmn2, .xml; read only)")
    add_json(info)
    info.set_defaults(func=_info)

    apply = subparsers.add_parser(
        "apply",
        help="apply operations from a JSON-lines file (docs/operations.md); all of them or, on an error, none",
        description="Apply one JSON operation per line (docs/operations.md). By default the whole file is one "
        "transaction: if any line is invalid, nothing is applied. With --partial the lines before the "
        "invalid one are kept.",
    )
    add_file(apply)
    apply.add_argument("ops", type=Path, help="one JSON operation per line (UTF-8); '-' reads standard input")
    apply.add_argument(
        "--partial", action="store_true", help="keep the operations before an invalid line (each is committed alone)"
    )
    apply.set_defaults(func=_apply)

    log = subparsers.add_parser("log", help="the operation log: who did what, when, in which step")
    add_file(log)
    add_json(log, "one JSON record per line")
    log.set_defaults(func=_log)

    verify = subparsers.add_parser(
        "verify",
        help="check a session file completely: checksums, sequence, snapshots against the log; names the first damage",
    )
    add_file(verify)
    verify.add_argument(
        "--replay",
        action="store_true",
        help="also replay the whole log and compare every saved state with it (slow: ~30 s per 100,000 operations)",
    )
    verify.set_defaults(func=_verify)

    salvage = subparsers.add_parser(
        "salvage", help="write a new session with every operation of a damaged file up to the first bad one"
    )
    add_file(salvage)
    add_output(salvage, help="the new .workshop file (must not exist)")
    salvage.set_defaults(func=_salvage)

    rep = subparsers.add_parser("replay", help="the session as it was after an operation or at a moment")
    add_file(rep)
    rep.add_argument("--at", required=True, help="a sequence number, or an ISO time such as 2026-03-10T10:15:00Z")
    add_output(rep, help="where to write the state (JSON)")
    rep.set_defaults(func=_replay)


def _new(args: argparse.Namespace) -> int:
    from workshop.domain.model.session import new_session
    from workshop.store.sessions import create_document

    with user_errors():
        _, workshop_file = create_document(args.file, new_session(args.title), program="workshop new")
        workshop_file.close()
    print(f"created {args.file}")
    return 0


def summary(record: SessionRecord) -> dict[str, Any]:
    """What ``workshop info`` reports, as plain data."""
    from workshop.store.sessions import LogSpan

    times = [r.time for r in record.records]
    first, last = (min(times), max(times)) if times else (None, None)
    return _summary(record.session, LogSpan(len(record.records), first, last))


def _summary(s: Session, span: LogSpan) -> dict[str, Any]:
    from workshop.domain.model.handoffs import handoff_orgs

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
            "operations": span.operations,
        },
        "time_span": {
            "first": span.first.isoformat() if span.first else None,
            "last": span.last.isoformat() if span.last else None,
        },
    }


def _info(args: argparse.Namespace) -> int:
    from workshop.store.file_kinds import FileKind, file_kind

    if file_kind(args.file) == FileKind.BPMN:  # the one rule import and the app follow too
        from workshop.cli.bpmn import bpmn_info

        return bpmn_info(args.file, args.json)
    from workshop.store.sessions import read_state_and_span

    with user_errors():
        # the state and the log's extent, without reading every operation (a long session has 100,000)
        notes: list[str] = []
        data = _summary(*read_state_and_span(args.file, notes))
    _print_notes(args.file, notes)
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
    def notes(opened: WorkshopFile) -> None:
        _print_notes(args.file, [opened.note] if opened.note else [])

    # with --partial each line is committed alone, so what was applied is kept (and snapshotted) on an error
    writing = session_for_writing(args.file, "workshop apply", keep_partial=args.partial, on_open=notes)
    with writing as (document, workshop_file):
        stream = sys.stdin.buffer if str(args.ops) == "-" else _open_ops(args.ops)
        with stream, user_errors():
            if args.partial:
                kept = "operations before this line were applied"
                _apply_lines(document, stream, args.ops, print_each=True, kept=kept)
            else:
                with workshop_file.transaction():
                    seqs = _apply_lines(document, stream, args.ops, print_each=False, kept="nothing was applied")
                for seq in seqs:
                    print(f"applied {seq}")
    return 0


def _apply_lines(document: Document, stream: BinaryIO, source: Path, *, print_each: bool, kept: str) -> list[int]:
    """Apply each non-blank line as an operation; errors name ``source`` and the line number."""
    from workshop.domain.model.errors import OperationError
    from workshop.domain.model.operations import parse_operation
    from workshop.store.sessions import StoreError

    seqs: list[int] = []
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            where = f"byte {error.start + 1} of the line"
            raise UserError(f"{source}:{number}: not valid UTF-8 ({where}; {kept})") from None
        if not line.strip():
            continue
        try:
            record = document.apply(parse_operation(line), actor=CLI_ACTOR)
        except OperationError as error:
            raise UserError(f"{source}:{number}: {error} ({kept})") from None
        except StoreError as error:
            raise UserError(f"{source}:{number}: {error} ({kept})") from None
        seqs.append(record.seq)
        if print_each:
            print(f"applied {record.seq}", flush=True)
    return seqs


def _print_notes(path: Path, notes: list[str]) -> None:
    """What the user should know about opening ``path`` (it worked): on stderr, so scripts' output stays clean."""
    for note in notes:
        print(f"workshop: note: {path}: {note}", file=sys.stderr)


def _open_ops(path: Path) -> BinaryIO:
    """The ops file: a regular file or a pipe (a script may stream operations); a folder or device is refused."""
    try:
        mode = os.stat(path).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            what = "a folder" if stat.S_ISDIR(mode) else "not a file"
            raise UserError(f"{path} is {what}; give a file of operations, one per line")
        return path.open("rb")
    except OSError as error:
        raise UserError(f"{path}: cannot read: {error.strerror}") from None


def _log_line(record: LogRecord) -> str:
    step = f"{record.intervention_id}/{record.step_id}" if record.step_id else "-"
    when = record.time.isoformat(timespec="seconds")
    return f"{record.seq:>6}  {when}  {record.actor:<24} {step:<20} {record.op.summary()}"


def _log(args: argparse.Namespace) -> int:
    """The log as any output may show it (:mod:`workshop.domain.research.privacy`): no person behind anonymity."""
    from workshop.domain.research.privacy import public_record

    notes: list[str] = []
    records = public_record(read_session_record(args.file, notes)).records
    _print_notes(args.file, notes)
    for record in records:
        print(record.model_dump_json() if args.json else _log_line(record))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from workshop.store.rescue import verify_file

    with user_errors():
        report = verify_file(args.file, replay=args.replay)
    if report.problem:
        raise UserError(report.describe())
    print(report.describe())
    return 0


def _salvage(args: argparse.Namespace) -> int:
    from workshop.store.rescue import salvage_file

    with user_errors():
        report = salvage_file(args.file, args.output)
    print(report.describe())
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
    from workshop.domain.model.record import SessionRecord
    from workshop.domain.research.privacy import public_record
    from workshop.store.workshop_file import WorkshopFile

    with user_errors():
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
