"""``workshop contract ...``: the collaboration contract negotiated line by line in a session file.

One organization requests, the one asked answers (can do, cannot, or a
counter-proposal), the requester may revise, and both agree; each move is an
operation built by :mod:`workshop.domain.facilitation.contract` and recorded under the
``--as`` name, so ``contract show`` can print each line's history. A study's
sitting is a session file like any other (``s04-modeling.workshop``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop.cli import LazyChoices, UserError
from workshop.cli.shared import (
    actor_of,
    add_actor,
    add_command_group,
    add_file,
    add_json,
    read_session,
    read_session_record,
    session_for_writing,
)

if TYPE_CHECKING:  # the modules below load when a command runs, not for `workshop --help`
    from workshop.domain.model.operations import Operation
    from workshop.domain.model.session import Session


def register(subparsers: Any) -> None:
    commands = add_command_group(
        subparsers,
        "contract",
        help="the collaboration contract as a negotiation: request, answer, revise, agree, commit, show",
        description="Negotiate the collaboration contract of a session, one line at a time.",
    )

    request = commands.add_parser("request", help="an organization asks another for something")
    add_file(request)
    request.add_argument("--requester", required=True, help="the organization that needs it (id or name)")
    request.add_argument("--asked", required=True, help="the organization asked to deliver it (id or name)")
    request.add_argument("--what", required=True)
    request.add_argument("--handoff", metavar="FLOW", help="the id of the handoff (flow) it serves")
    request.add_argument("--form", default="")
    request.add_argument("--by-when", default="")
    _as(request)
    request.set_defaults(func=_request)

    answer = commands.add_parser("answer", help="the organization asked answers: can-do, cannot or counter")
    add_file(answer)
    answer.add_argument("line", help="the contract line's id")
    answer.add_argument("answer", choices=LazyChoices(_answers), metavar="ANSWER", help="%(choices)s")
    answer.add_argument("--offer", default="", help="with counter: what can be offered instead")
    answer.add_argument("--note", default="", help="the reason or conditions, in their words")
    _as(answer)
    answer.set_defaults(func=_answer)

    revise = commands.add_parser("revise", help="the requester revises the request after cannot or a counter")
    add_file(revise)
    revise.add_argument("line")
    revise.add_argument("--what", required=True)
    _as(revise)
    revise.set_defaults(func=_revise)

    agree = commands.add_parser("agree", help="both agree: the line becomes a commitment")
    add_file(agree)
    agree.add_argument("line")
    agree.add_argument("--by-when", default=None)
    agree.add_argument("--form", default=None)
    agree.add_argument(
        "--org",
        action="append",
        metavar="ORGANIZATION",
        help="an organization agreeing now (id or name; repeat); by default both sides together",
    )
    _as(agree)
    agree.set_defaults(func=_agree)

    commit = commands.add_parser("commit", help="the organizations commit to the agreed lines together")
    add_file(commit)
    commit.add_argument(
        "--org",
        action="append",
        metavar="ORGANIZATION",
        help="an organization committing (id or name; repeat); by default every party to an agreed line",
    )
    commit.add_argument("--note", default="", help="what they said as they committed, in their words")
    _as(commit)
    commit.set_defaults(func=_commit)

    show = commands.add_parser("show", help="every line of the contract with where it stands and its history")
    add_file(show)
    add_json(show)
    show.set_defaults(func=_show)


def _answers() -> list[str]:
    from workshop.domain.facilitation.contract import Answer

    return [a.value for a in Answer]


def _as(parser: argparse.ArgumentParser) -> None:
    add_actor(parser, "who is at the keyboard, recorded as the actor")


def _org_id(session: Session, key: str) -> str:
    """An organization by id or by name (case-insensitive), as people type it."""
    wanted = key.strip().lower()
    for org in session.organizations.values():
        if wanted in (org.id.lower(), org.name.lower()):
            return org.id
    known = "; ".join(o.name for o in session.organizations.values()) or "none"
    raise UserError(f"{key!r} is not an organization of this session (organizations: {known})")


def _one_move(args: argparse.Namespace, build: Any) -> str:
    """Open the file, build the move from its current state, apply it as ``--as``; returns the line's id."""
    from workshop.domain.model.errors import OperationError
    from workshop.store.sessions import StoreError

    actor = actor_of(args)
    with session_for_writing(args.file, "workshop contract") as (document, _):
        try:
            op: Operation = build(document.session)
            record = document.apply(op, actor=actor)
        except (OperationError, StoreError) as error:
            raise UserError(str(error)) from None
    return str(getattr(record.op, "id", None) or getattr(record.op, "data", {}).get("id"))


def _say(session_file: Path, line_id: str) -> None:
    from workshop.domain.facilitation.contract import STATE_WORDS

    session = read_session(session_file)
    line = session.commitments[line_id]
    print(f"{line_id}: {STATE_WORDS[line.state]}: {line.what}")


def _request(args: argparse.Namespace) -> int:
    from workshop.domain.facilitation.contract import request_op

    def build(session: Session) -> Operation:
        return request_op(
            session,
            requester=_org_id(session, args.requester),
            asked=_org_id(session, args.asked),
            what=args.what,
            flow_id=args.handoff,
            form=args.form,
            by_when=args.by_when,
        )

    _say(args.file, _one_move(args, build))
    return 0


def _answer(args: argparse.Namespace) -> int:
    from workshop.domain.facilitation.contract import Answer, answer_op

    _one_move(args, lambda s: answer_op(s, args.line, Answer(args.answer), note=args.note, counter=args.offer))
    _say(args.file, args.line)
    return 0


def _revise(args: argparse.Namespace) -> int:
    from workshop.domain.facilitation.contract import revise_op

    _one_move(args, lambda s: revise_op(s, args.line, args.what))
    _say(args.file, args.line)
    return 0


def _agree(args: argparse.Namespace) -> int:
    from workshop.domain.facilitation.contract import agree_op

    def build(session: Session) -> Operation:
        by = [_org_id(session, key) for key in args.org] if args.org else None
        return agree_op(session, args.line, by_when=args.by_when, form=args.form, by=by)

    _one_move(args, build)
    _say(args.file, args.line)
    return 0


def _commit(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from workshop.domain.facilitation.contract import commit_op

    def build(session: Session) -> Operation:
        orgs = [_org_id(session, key) for key in args.org] if args.org else None
        return commit_op(session, organizations=orgs, note=args.note, when=datetime.now(UTC))

    made = _one_move(args, build)
    session = read_session(args.file)
    joint = session.joint_commitments[made]
    names = ", ".join(session.organizations[o].name for o in joint.organization_ids if o in session.organizations)
    print(f"{names} commit together to {len(joint.line_ids)} agreed line(s)")
    return 0


def contract_lines(session: Session, records: list[Any]) -> list[dict[str, Any]]:
    """Every line as plain data: organizations by name, the handoff by its label, the history."""
    from workshop.domain.facilitation.contract import STATE_WORDS, contract_history
    from workshop.domain.model.naming import flow_name

    def name(org_id: str) -> str:
        org = session.organizations.get(org_id)
        return org.name if org else org_id

    lines = []
    for line in session.commitments.values():
        flow = session.flows.get(line.flow_id or "")
        lines.append(
            {
                "id": line.id,
                "requester": name(line.to_org_id),
                "asked": name(line.from_org_id),
                "state": STATE_WORDS[line.state],
                "what": line.what,
                "requested": line.requested,
                "answer": line.answer,
                "by_when": line.by_when,
                "handoff": flow_name(session, flow) if flow else "",
                "done": line.done,
                "agreed_by": [name(o) for o in line.agreed_by],
                "committed_jointly_by": [
                    [name(o) for o in joint.organization_ids]
                    for joint in session.joint_commitments.values()
                    if line.id in joint.line_ids
                ],
                "history": [
                    {
                        "seq": move.seq,
                        "time": move.time.isoformat(),
                        "by": move.actor,
                        "state": move.state,
                        "what": move.what,
                        "answer": move.answer,
                        "agreed_by": [name(o) for o in move.agreed_by],
                    }
                    for move in contract_history(records, line.id, line)
                ],
            }
        )
    return lines


def _show(args: argparse.Namespace) -> int:
    from workshop.domain.research.privacy import public_record

    record = public_record(read_session_record(args.file))
    lines = contract_lines(record.session, record.records)
    if args.json:
        print(json.dumps(lines, indent=2, ensure_ascii=False))
        return 0
    if not lines:
        print("no contract lines yet")
    for line in lines:
        at = f" (handoff: {line['handoff']})" if line["handoff"] else ""
        print(f"{line['id']}: {line['requester']} asks {line['asked']}{at} — {line['state']}: {line['what']}")
        if line["agreed_by"]:
            print(f"    agreed by {' and '.join(line['agreed_by'])}")
        for together in line["committed_jointly_by"]:
            print(f"    committed to jointly by {', '.join(together)}")
        for step in line["history"]:
            note = f" ({step['answer']})" if step["answer"] else ""
            print(f"    {step['time'][:16]} {step['by']}: {step['state']}: {step['what']}{note}")
    return 0
