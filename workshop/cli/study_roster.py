"""``workshop study person|organization|attend|roster``: one person across the study, organizations by type.

The roster (:mod:`workshop.domain.research.roster`) is kept in ``study.json``
under the study's lock, like the sittings: people with organization and role,
organizations with their type, and who attended each sitting. ``study
roster`` prints everyone with the sittings they attended — marked, named as
interviewees, or among a sitting's own participants. ``study attend`` also
adds the people it marks to the sitting's own session as participants (with
an operation in its log, recorded as ``--as``), so the sitting's record knows
who came.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workshop.cli import UserError
from workshop.cli.shared import actor_of, add_actor, add_json, session_for_writing, user_errors


def register(commands: Any) -> None:
    """The roster's commands, in the ``workshop study`` group."""
    person = commands.add_parser("person", help="add a person to the study's roster, or change their details")
    person.add_argument("folder", type=Path)
    person.add_argument("name")
    person.add_argument("--organization", default=None, help="the organization they represent (by name)")
    person.add_argument("--role", default=None, help="their role in it")
    add_actor(person, "the researcher at the keyboard, recorded as who added the person")
    person.set_defaults(func=_person)

    organization = commands.add_parser("organization", help="give an organization of the study its type")
    organization.add_argument("folder", type=Path)
    organization.add_argument("name")
    organization.add_argument(
        "--type", required=True, dest="org_type", help="customer, IT provider, partner, end-users or other"
    )
    organization.set_defaults(func=_organization)

    attend = commands.add_parser(
        "attend",
        help="mark people as attending a sitting (added to the roster if new, and to the sitting's participants)",
    )
    attend.add_argument("folder", type=Path)
    attend.add_argument("sitting", help="the sitting's id (s03) or file name")
    attend.add_argument("names", nargs="*", metavar="NAME")
    attend.add_argument(
        "--same-as",
        metavar="SITTING",
        help="carry the attendance of an earlier sitting into this one (the same people came again)",
    )
    attend.add_argument("--organization", default=None, help="for people new to the roster: their organization")
    add_actor(attend, "the researcher at the keyboard")
    attend.set_defaults(func=_attend)

    show = commands.add_parser("roster", help="everyone in the study with organization, type, role and sittings")
    show.add_argument("folder", type=Path)
    add_json(show)
    show.set_defaults(func=_roster)


@contextlib.contextmanager
def _roster_change(folder: Path, program: str) -> Iterator[Any]:
    """The study under its lock, saved when the change went through; a refused change is one line."""
    from workshop.domain.research.people import RosterError
    from workshop.store.study_folder import save_study, study_for_writing

    with user_errors(), study_for_writing(folder, program) as study:
        try:
            yield study
        except RosterError as error:
            raise UserError(str(error)) from None
        save_study(folder, study)


def _person(args: argparse.Namespace) -> int:
    from workshop.domain.research.roster import put_person
    from workshop.store.study_folder import now

    with _roster_change(args.folder, "workshop study person") as study:
        person = put_person(
            study, args.name, actor=actor_of(args), when=now(), organization=args.organization, role=args.role
        )
    print(f"{person.name}: {person.organization or 'no organization yet'}{f', {person.role}' if person.role else ''}")
    return 0


def _organization(args: argparse.Namespace) -> int:
    from workshop.domain.research.people import TABLE_WORDS, RosterError, parse_org_type
    from workshop.domain.research.roster import set_organization

    try:
        kind = parse_org_type(args.org_type)
    except RosterError as error:
        raise UserError(str(error)) from None
    with _roster_change(args.folder, "workshop study organization") as study:
        org = set_organization(study, args.name, kind)
    print(f"{org.name}: {TABLE_WORDS[org.org_type]}")
    return 0


def _attend(args: argparse.Namespace) -> int:
    from workshop.domain.research.roster import attend, find_person, put_person
    from workshop.store.study_folder import now

    actor = actor_of(args)
    with _roster_change(args.folder, "workshop study attend") as study:
        sitting = study.sitting(args.sitting)
        if args.organization:
            for name in args.names:
                if find_person(study, name) is None:
                    put_person(study, name, actor=actor, when=now(), organization=args.organization)
        names = list(args.names)
        if args.same_as:
            earlier = study.sitting(args.same_as)
            by_id = {p.id: p.name for p in study.people}
            names = [by_id[i] for i in earlier.attended if i in by_id] + [n for n in names if n not in by_id.values()]
        if not names:
            raise UserError("name the people who attended, or --same-as an earlier sitting someone attended")
        marked = attend(study, sitting, names, actor=actor, when=now())
        joined, without = _join_session(args.folder, study, sitting, marked, actor)
    print(f"{sitting.id}: {len(sitting.attended)} attended ({', '.join(p.name for p in marked)} marked)")
    if joined:
        print(f"{sitting.id}: {', '.join(joined)} added to the sitting's participants")
    if without:
        print(f"{sitting.id}: {', '.join(without)} not added to the sitting's participants: no organization "
              "on the roster ('workshop study person FOLDER NAME --organization ORG')")  # fmt: skip
    return 0


def _join_session(folder: Path, study: Any, sitting: Any, people: list[Any], actor: str) -> tuple[list[str], list[str]]:
    """Add the attending people to the sitting's own session as participants, in its log as ``actor``.

    Done before the study is saved: if the sitting's file cannot be changed, the attendance is not recorded either.
    """
    from workshop.domain.model.errors import OperationError
    from workshop.domain.research.roster import joining_operations
    from workshop.store.sessions import StoreError
    from workshop.store.study_folder import sitting_file

    writing = session_for_writing(sitting_file(folder, sitting), "workshop study attend")
    with writing as (document, workshop_file), workshop_file.transaction():
        ops, without = joining_operations(study, document.session, people)
        try:
            for op in ops:
                document.apply(op, actor=actor)
        except (OperationError, StoreError) as error:
            raise UserError(f"sitting {sitting.id}: cannot add the people to its participants: {error}") from None
    joined = [op.data["name"] for op in ops if op.kind == "participant"]
    return joined, without


def _roster(args: argparse.Namespace) -> int:
    from workshop.domain.research.people import TABLE_WORDS
    from workshop.interchange.study_people import study_roster
    from workshop.interchange.study_tables import study_record
    from workshop.store.study_folder import load_study, read_sittings

    with user_errors():
        study = load_study(args.folder)
        entries = study_roster(study_record(study, read_sittings(args.folder, study, skipped=[])))
    rows: list[dict[str, Any]] = [
        {
            "name": e.name,
            "organization": e.organization,
            "organization_type": TABLE_WORDS[e.org_type] if e.org_type else "",
            "role": e.role,
            "sittings": e.sittings,
        }
        for e in entries
    ]
    if args.json:
        print(json.dumps({"people": rows, "organizations": [
            {"name": o.name, "type": TABLE_WORDS[o.org_type]} for o in study.organizations
        ]}, indent=2, ensure_ascii=False))  # fmt: skip
        return 0
    if not rows:
        print("no one on the roster yet")
    for row in rows:
        kind = f" ({row['organization_type']})" if row["organization_type"] else ""
        where = f"{row['organization']}{kind}" if row["organization"] else kind.strip(" ()")
        details = ", ".join(str(p) for p in (where, row["role"]) if p) or "organization not known"
        print(f"{row['name']}: {details}; attended {', '.join(row['sittings']) or 'no sitting yet'}")
    return 0
