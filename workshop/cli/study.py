"""``workshop study ...``: a study of many sittings (workshops, interviews, observations) from the command line.

A study is a folder (``study.json`` plus one ``.workshop`` file per sitting,
see :mod:`workshop.store.study_folder`). Commands that write take ``--as
NAME``: the facilitator or researcher at the keyboard, recorded as the actor
of what they add (in ``study.json``, and in the sitting's op log for
``study apply``), so the record says who typed what in.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop.cli import LazyChoices, UserError
from workshop.cli.shared import (
    actor_of,
    add_actor,
    add_command_group,
    add_format,
    add_json,
    add_output,
    session_for_writing,
    user_errors,
)

if TYPE_CHECKING:  # the modules below load when a command runs, not for `workshop --help`
    from workshop.domain.research.study import Sitting, Study


def register(subparsers: Any) -> None:
    commands = add_command_group(  # ``workshop study`` alone: the study commands, not the whole program's help
        subparsers,
        "study",
        help="a study: sittings (workshops, interviews, observations) across interventions, and its record",
        description="A study is a folder with study.json and one .workshop file per sitting.",
    )

    from workshop.cli import study_roster

    new = commands.add_parser("new", help="create a study folder")
    new.add_argument("folder", type=Path)
    new.add_argument("--title", required=True)
    _as(new)
    new.set_defaults(func=_new)

    add = commands.add_parser("add", help="add a sitting (its own .workshop file), optionally carried forward")
    add.add_argument("folder", type=Path)
    add.add_argument(
        "--kind",
        required=True,
        help="modeling, simulation, interview, follow-up-interview, observation or feedback",
    )
    add.add_argument("--intervention", type=int, required=True, help="1, 2, 3, ...")
    add.add_argument("--process", default="", help="the business process the sitting concerns")
    add.add_argument("--date", default="", help="YYYY-MM-DD")
    add.add_argument("--time", default="", help="HH:MM (local)")
    add.add_argument("--title", default="")
    add.add_argument(
        "--attendance",
        action="append",
        default=[],
        metavar="ORG=N",
        help="people from an organization who took part (repeat per organization); "
        "without it, counted from the sitting's participants",
    )
    add.add_argument(
        "--person", action="append", default=[], metavar="NAME", help="an interviewee or attendee (repeatable)"
    )
    add.add_argument(
        "--from",
        dest="from_sitting",
        metavar="SITTING",
        help="start from the state an earlier sitting ended with (models, organizations, glossary, boundaries, "
        "ideas, mechanisms); its log stays in its own file",
    )
    add.add_argument(
        "--name",
        default="",
        metavar="FILE",
        help="the sitting's file name in the study folder (default: sNN-KIND.workshop)",
    )
    _as(add)
    add.set_defaults(func=_add)

    example = commands.add_parser(
        "example", help="build the bundled example as a study of two sittings (to try the study commands on)"
    )
    example.add_argument("folder", type=Path, help="a new or empty folder")
    _as(example)
    example.set_defaults(func=_example)

    verify = commands.add_parser(
        "verify",
        help="check every sitting (as 'workshop verify') and that its log still reaches the length the study recorded",
    )
    verify.add_argument("folder", type=Path)
    verify.set_defaults(func=_verify)

    info = commands.add_parser("info", help="the study's sittings, texts and codings")
    info.add_argument("folder", type=Path)
    add_json(info)
    info.set_defaults(func=_info)

    export = commands.add_parser("export", help="the study record: Table 1, ideas, boundaries, survey, PDF, QDPX")
    export.add_argument("folder", type=Path)
    add_format(export, LazyChoices(_study_kinds))
    add_output(export, help="csv: a folder or a .zip file")
    export.add_argument(
        "--date-style",
        choices=("iso", "paper"),
        default="iso",
        help="table1's dates: iso (2006-08-21) or as the paper prints them (21.8.2006)",
    )
    export.set_defaults(func=_export)

    attach = commands.add_parser("attach", help="attach an interview transcript or observation note to a sitting")
    attach.add_argument("folder", type=Path)
    attach.add_argument("sitting")
    attach.add_argument("file", type=Path, help=".txt, .md (UTF-8) or .docx")
    attach.add_argument(
        "--kind",
        dest="source_kind",
        choices=LazyChoices(_source_kinds),
        metavar="KIND",
        default=None,
        help="%(choices)s; default: observation_note for an observation sitting, else transcript",
    )
    _as(attach)
    attach.set_defaults(func=_attach)

    archive = commands.add_parser(
        "archive", help="keep an archival document (contract, minutes, e-mails) of the study or an intervention"
    )
    archive.add_argument("folder", type=Path)
    archive.add_argument("file", type=Path, help=".txt, .md (UTF-8) or .docx")
    archive.add_argument("--date", required=True, help="the document's date, YYYY-MM-DD")
    archive.add_argument(
        "--document-kind", required=True, metavar="KIND", help="what it is: contract, minutes, e-mail, ..."
    )
    archive.add_argument(
        "--intervention", type=int, default=None, help="the intervention it belongs to (default: the whole study)"
    )
    archive.add_argument("--title", default="", help="how Table 1 and the QDPX name it (default: the file's name)")
    _as(archive)
    archive.set_defaults(func=_archive)

    code = commands.add_parser("code", help="code a selection of an attached text with the sitting's codebook")
    code.add_argument("folder", type=Path)
    code.add_argument("sitting")
    code.add_argument("source", help="the attached text's id or file name")
    code.add_argument("--start", type=int, required=True, help="first character (0-based)")
    code.add_argument("--end", type=int, required=True, help="character after the last one")
    code.add_argument("--code", required=True, help="a code of the sitting's codebook, by name or id")
    _as(code)
    code.set_defaults(func=_code)

    text = commands.add_parser("text", help="print an attached text (the positions --start/--end count in)")
    text.add_argument("folder", type=Path)
    text.add_argument("source")
    text.set_defaults(func=_text)

    apply = commands.add_parser(
        "apply", help="apply operations (docs/operations.md) to a sitting, all or none, recorded as --as NAME"
    )
    apply.add_argument("folder", type=Path)
    apply.add_argument("sitting")
    apply.add_argument("ops", type=Path, help="one JSON operation per line (UTF-8)")
    _as(apply)
    apply.set_defaults(func=_apply)
    study_roster.register(commands)

    from workshop.cli import study_sharing

    study_sharing.register(commands)


def _study_kinds() -> tuple[str, ...]:
    from workshop.interchange.study_exports import STUDY_KINDS

    return STUDY_KINDS


def _source_kinds() -> list[str]:
    from workshop.domain.research.study import SourceKind

    return [k.value for k in SourceKind]


def _as(parser: argparse.ArgumentParser) -> None:
    add_actor(parser, "the facilitator or researcher at the keyboard, recorded as the actor")


def _new(args: argparse.Namespace) -> int:
    from workshop.store.study_folder import create_study

    with user_errors():
        study = create_study(args.folder, args.title, actor_of(args))
    print(f"created study {study.title!r} in {args.folder}")
    return 0


def _example(args: argparse.Namespace) -> int:
    from workshop.interchange.example_study import build_example_study

    with user_errors():
        study = build_example_study(args.folder, actor_of(args))
    print(f"created study {study.title!r} in {args.folder} with {len(study.sittings)} sittings")
    return 0


def _attendance(items: list[str]) -> dict[str, int]:
    result: dict[str, int] = {}
    for item in items:
        name, sep, number = item.rpartition("=")
        if not sep or not name.strip() or not number.strip().isdigit():
            raise UserError(f"--attendance {item!r}: give ORGANIZATION=NUMBER, e.g. 'IT provider=4'")
        result[name.strip()] = int(number)
    return result


def _check_date(day: str, clock: str) -> None:
    """Name the option and the expected form, rather than a field of the study file."""
    try:
        if day:
            date.fromisoformat(day)
    except ValueError:
        raise UserError(f"--date {day!r}: give a date as YYYY-MM-DD, e.g. 2026-03-10") from None
    if clock and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", clock):
        raise UserError(f"--time {clock!r}: give a time as HH:MM, e.g. 09:30")


def _add(args: argparse.Namespace) -> int:
    from workshop.domain.research.study import parse_kind
    from workshop.store.study_folder import study_for_writing

    actor = actor_of(args)
    attendance = _attendance(args.attendance)
    with user_errors():
        parse_kind(args.kind)  # an unknown kind is refused before the study is locked
        if args.intervention < 1:
            raise UserError(f"--intervention {args.intervention}: interventions are numbered from 1")
        _check_date(args.date, args.time)
        notes: list[str] = []
        with study_for_writing(args.folder, "workshop study add", notes) as study:
            sitting = _add_sitting(args, study, actor, attendance, notes)
    for note in notes:
        print(f"workshop: note: {args.folder}: {note}", file=sys.stderr)
    carried = ""
    if sitting.provenance:
        what = ", ".join(f"{n} {name}" for name, n in sitting.provenance.carried.items()) or "nothing"
        carried = f", carried forward from {sitting.provenance.from_sitting} ({what})"
    print(f"added {sitting.label()}: {args.folder / sitting.file}{carried}")
    return 0


def _add_sitting(
    args: argparse.Namespace, study: Study, actor: str, attendance: dict[str, int], notes: list[str]
) -> Sitting:
    from workshop.domain.research.study import parse_kind
    from workshop.store.study_folder import add_sitting

    return add_sitting(
        args.folder,
        study,
        kind=parse_kind(args.kind),
        intervention=args.intervention,
        process=args.process,
        actor=actor,
        date=args.date,
        time=args.time,
        title=args.title,
        attendance=attendance,
        people=[" ".join(p.split()) for p in args.person if p.strip()],
        from_key=args.from_sitting,
        file_name=args.name,
        notes=notes,
    )


def study_summary(folder: Path, study: Study) -> dict[str, Any]:
    """What ``study info`` reports, as plain data."""
    from workshop.store.sessions import StoreError, read_state_and_span
    from workshop.store.study_folder import sitting_file

    sittings = []
    for sitting in study.in_order():
        try:
            session, span = read_state_and_span(sitting_file(folder, sitting))
            state: dict[str, Any] = {
                "operations": span.operations,
                "organizations": len(session.organizations),
                "ideas": sum(1 for a in session.annotations.values() if a.annotation_kind == "idea"),
                "boundaries": len(session.boundaries),
            }
        except StoreError as error:
            state = {"problem": str(error)}
        sittings.append(
            {
                "id": sitting.id,
                "kind": sitting.kind.value,
                "intervention": sitting.intervention,
                "date": sitting.date,
                "time": sitting.time,
                "process": sitting.process,
                "title": sitting.title,
                "file": str(Path(folder) / sitting.file),
                "carried_from": sitting.provenance.model_dump(mode="json") if sitting.provenance else None,
                "texts": [s.id for s in study.sources if s.sitting_id == sitting.id],
                **state,
            }
        )
    return {
        "title": study.title,
        "id": study.id,
        "interventions": sorted({s.intervention for s in study.sittings}),
        "sittings": sittings,
        "texts": [
            {
                "id": s.id,
                "sitting": s.sitting_id,
                "kind": s.source_kind.value,
                "name": s.original_name,
                "title": s.name,
                "archival": s.archival,
                "intervention": s.intervention,
                "date": s.date,
                "document_kind": s.document_kind,
                "characters": s.length,
                "codings": sum(1 for c in study.codings if c.source_id == s.id),
            }
            for s in study.sources
        ],
    }


def _info(args: argparse.Namespace) -> int:
    from workshop.store.study_folder import load_study

    with user_errors():
        data = study_summary(args.folder, load_study(args.folder))
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(data["title"])
    _print_sharing(args.folder)
    print(f"  interventions: {', '.join(map(str, data['interventions'])) or '(none yet)'}")
    for s in data["sittings"]:
        when = " ".join(x for x in (s["date"], s["time"]) if x) or "no date"
        state = s.get("problem") or f"{s['operations']} operations"
        origin = f", from {s['carried_from']['from_sitting']}" if s["carried_from"] else ""
        print(f"  {s['id']}  intervention {s['intervention']}  {s['kind']:<19} {when:<16} {s['process']}")
        print(f"       {s['file']} ({state}{origin})")
    for t in data["texts"]:
        if t["archival"]:
            where = f"intervention {t['intervention']}" if t["intervention"] else "the study"
            what = f"{t['document_kind']}, {t['date']}, {where}"
            print(f"  archival {t['id']} ({what}): {t['title']}, {t['codings']} codings")
        else:
            print(f"  text {t['id']} ({t['kind']}, sitting {t['sitting']}): {t['name']}, {t['codings']} codings")
    return 0


def _print_sharing(folder: Path) -> None:
    """For a linked copy: where the study is shared, the last sync, what waits to be sent (no network)."""
    from workshop.store.shared_study import sync_status

    with user_errors():
        status = sync_status(folder)
    if status is not None:
        waiting = f"{status.waiting} change(s) made here wait to be sent" if status.waiting else "nothing waits"
        print(f"  shared at {status.where}; last sync {status.last_sync or 'never'}; {waiting}")


def _export(args: argparse.Namespace) -> int:
    from workshop.interchange.safe_write import ExportError
    from workshop.interchange.study_exports import export_study
    from workshop.interchange.study_tables import study_record
    from workshop.store.study_folder import load_study, read_sittings, source_text

    with user_errors():
        study = load_study(args.folder)
        skipped: list[str] = []
        record = study_record(study, read_sittings(args.folder, study, skipped=skipped))
        texts = {source.id: source for source in study.sources}

        def read_text(source_id: str) -> str:
            return source_text(args.folder, texts[source_id])

        try:
            done = export_study(args.format, record, args.output, read_text, date_style=args.date_style)
        except ExportError as error:
            raise UserError(str(error)) from None
    print(done)
    for note in skipped:  # in the command's output and on stderr, where a script's log catches it
        print(f"skipped {note}")
        print(f"workshop: note: {args.folder}: skipped {note}", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from workshop.store.study_heads import verify_study

    with user_errors():
        checks = verify_study(args.folder)
    for check in checks:
        print(check.describe())
    damaged = [check for check in checks if check.problem]
    if damaged:
        raise UserError(
            f"{args.folder}: {len(damaged)} of {len(checks)} sitting(s) damaged; "
            "'workshop salvage FILE -o NEW.workshop' rescues what precedes the damage"
        )
    return 0


def _attach(args: argparse.Namespace) -> int:
    from workshop.domain.research.study import SourceKind
    from workshop.store.study_folder import attach_text, study_for_writing

    actor = actor_of(args)
    with user_errors(), study_for_writing(args.folder, "workshop study attach") as study:
        sitting = study.sitting(args.sitting)
        kind = args.source_kind or (
            SourceKind.OBSERVATION_NOTE if sitting.kind == "observation" else SourceKind.TRANSCRIPT
        )
        source = attach_text(args.folder, study, sitting.id, args.file, source_kind=SourceKind(kind), actor=actor)
    print(f"attached {source.id} ({source.source_kind.value}, {source.length} characters) to {sitting.id}")
    return 0


def _archive(args: argparse.Namespace) -> int:
    from workshop.store.study_folder import archive_text, study_for_writing

    actor = actor_of(args)
    with user_errors():
        _check_date(args.date, "")
        with study_for_writing(args.folder, "workshop study archive") as study:
            source = archive_text(
                args.folder,
                study,
                args.file,
                day=args.date,
                document_kind=args.document_kind,
                intervention=args.intervention,
                title=args.title,
                actor=actor,
            )
    print(f"archived {source.id} ({source.document_kind}, {source.date}, {source.where()}): {source.name}")
    return 0


def _code(args: argparse.Namespace) -> int:
    from workshop.store.study_folder import code_text, study_for_writing

    actor = actor_of(args)
    with user_errors(), study_for_writing(args.folder, "workshop study code") as study:
        coding = code_text(
            args.folder,
            study,
            args.sitting,
            args.source,
            start=args.start,
            end=args.end,
            code=args.code,
            actor=actor,
        )
    print(f"coded {coding.source_id} {coding.start}..{coding.end} as {coding.code_name!r} ({coding.id})")
    return 0


def _text(args: argparse.Namespace) -> int:
    from workshop.store.study_folder import load_study, source_text

    with user_errors():
        study = load_study(args.folder)
        text = source_text(args.folder, study.source(args.source))
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _apply(args: argparse.Namespace) -> int:
    """All lines as one transaction, each recorded with the ``--as`` actor (as ``workshop apply``, but named)."""
    from workshop.domain.model.errors import OperationError
    from workshop.domain.model.operations import parse_operation
    from workshop.store.sessions import StoreError
    from workshop.store.study_folder import load_study, sitting_file

    actor = actor_of(args)
    with user_errors():
        study = load_study(args.folder)
        sitting = study.sitting(args.sitting)
        try:
            lines = args.ops.read_bytes().splitlines()
        except OSError as error:
            raise UserError(f"{args.ops}: cannot read: {error.strerror}") from None
    applied = 0
    writing = session_for_writing(sitting_file(args.folder, sitting), "workshop study apply")
    with writing as (document, workshop_file), user_errors(), workshop_file.transaction():
        for number, raw in enumerate(lines, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise UserError(f"{args.ops}:{number}: not valid UTF-8 (nothing was applied)") from None
            if not line.strip():
                continue
            try:
                document.apply(parse_operation(line), actor=actor)
            except (OperationError, StoreError) as error:
                raise UserError(f"{args.ops}:{number}: {error} (nothing was applied)") from None
            applied += 1
    print(f"applied {applied} operations to {sitting.id} as {actor}")
    return 0
