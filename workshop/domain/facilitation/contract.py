"""The collaboration contract as a negotiation: request, answer, agreed commitment, each move in the log.

The practice the method draws on: the organization that needs something asks
for it, the one asked "can then tell you whether it's possible or not", and
both review, revise and make commitments. So a line of the contract
(:class:`~workshop.domain.facilitation.coordination.Commitment`) goes

    requested --answer--> can_do | cannot | counter_proposal --agree--> agreed

and each move is one operation, made by whoever is at the keyboard, so the
log is the negotiation's history (:func:`contract_history`). A request may be
linked to the handoff it serves: a flow between the two organizations.

These builders are the one implementation: the command line (``workshop
contract``) and the app call them; they refuse a move that does not fit where
the line stands, with a sentence naming the line and what it can do instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from workshop.domain.facilitation.coordination import Commitment, ContractState, JointCommitment
from workshop.domain.model.document import LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import AddOp, UpdateOp, add, update
from workshop.domain.model.session import Session


class Answer(StrEnum):
    """What the organization asked can answer."""

    CAN_DO = "can-do"
    CANNOT = "cannot"
    COUNTER = "counter"


ANSWER_STATES = {
    Answer.CAN_DO: ContractState.CAN_DO,
    Answer.CANNOT: ContractState.CANNOT,
    Answer.COUNTER: ContractState.COUNTER_PROPOSAL,
}

STATE_WORDS = {
    ContractState.REQUESTED: "requested",
    ContractState.CAN_DO: "can do",
    ContractState.CANNOT: "cannot",
    ContractState.COUNTER_PROPOSAL: "counter-proposal",
    ContractState.AGREED: "agreed",
}
"""How people say each state (reports, the CLI, the app)."""


def _org(session: Session, org_id: str, role: str) -> str:
    if org_id not in session.organizations:
        known = ", ".join(f"{o.id} ({o.name})" for o in session.organizations.values()) or "none"
        raise OperationError(f"{role} {org_id!r} is not an organization of this session (organizations: {known})")
    return org_id


def _line(session: Session, commitment_id: str) -> Commitment:
    line = session.commitments.get(commitment_id)
    if line is None:
        known = ", ".join(session.commitments) or "none"
        raise OperationError(f"no contract line {commitment_id!r} (lines: {known})")
    return line


def request_op(
    session: Session,
    *,
    requester: str,
    asked: str,
    what: str,
    flow_id: str | None = None,
    form: str = "",
    by_when: str = "",
    commitment_id: str | None = None,
) -> AddOp:
    """Organization ``requester`` asks organization ``asked`` for ``what``, optionally at a handoff."""
    _org(session, requester, "the requesting organization")
    _org(session, asked, "the organization asked")
    if requester == asked:
        raise OperationError("a request goes from one organization to another")
    if not what.strip():
        raise OperationError("say what is requested")
    if flow_id is not None:
        flow = session.flows.get(flow_id)
        if flow is None:
            raise OperationError(f"no flow {flow_id!r} to link the request to")
        between = handoff_orgs(session, flow)
        if between is None or set(between) != {requester, asked}:
            raise OperationError(f"flow {flow_id} is not a handoff between the two organizations")
    return add(
        Commitment(
            id=commitment_id or new_id("contract"),
            from_org_id=asked,
            to_org_id=requester,
            what=what.strip(),
            form=form,
            by_when=by_when,
            flow_id=flow_id,
            state=ContractState.REQUESTED,
        )
    )


def answer_op(session: Session, commitment_id: str, answer: Answer, *, note: str = "", counter: str = "") -> UpdateOp:
    """The asked organization's answer to a request (or to the requester's revised request).

    A counter-proposal needs the offer (``counter``); it becomes the line's
    ``what`` and the request is kept in ``requested``.
    """
    line = _line(session, commitment_id)
    if line.state != ContractState.REQUESTED:
        raise OperationError(
            f"contract line {line.id} is {STATE_WORDS[line.state]}; only a request is answered "
            "(after 'cannot' or a counter-proposal the requester revises the request)"
        )
    changes: dict[str, object] = {"state": ANSWER_STATES[answer], "answer": note.strip()}
    if answer == Answer.COUNTER:
        if not counter.strip():
            raise OperationError("a counter-proposal says what can be offered instead")
        changes["requested"] = line.requested or line.what
        changes["what"] = counter.strip()
    return update("commitment", line.id, **changes)


def revise_op(session: Session, commitment_id: str, what: str) -> UpdateOp:
    """The requester revises the request after a 'cannot' or a counter-proposal: it is asked again."""
    line = _line(session, commitment_id)
    if line.state not in (ContractState.CANNOT, ContractState.COUNTER_PROPOSAL):
        raise OperationError(f"contract line {line.id} is {STATE_WORDS[line.state]}; revise after cannot or a counter")
    if not what.strip():
        raise OperationError("say what is requested now")
    return update("commitment", line.id, what=what.strip(), state=ContractState.REQUESTED, answer="")


def agree_op(
    session: Session,
    commitment_id: str,
    *,
    by_when: str | None = None,
    form: str | None = None,
    by: Iterable[str] | None = None,
) -> UpdateOp:
    """Organizations agree: after 'can do', or the requester accepts a counter-proposal.

    ``by`` are the organizations agreeing now (ids); by default both sides,
    together. The line is agreed once both have; until then it stays where
    it stood, with ``agreed_by`` saying who already has.
    """
    line = _line(session, commitment_id)
    if line.state not in (ContractState.CAN_DO, ContractState.COUNTER_PROPOSAL):
        raise OperationError(
            f"contract line {line.id} is {STATE_WORDS[line.state]}; it can be agreed after 'can do' "
            "or a counter-proposal"
        )
    parties = [line.to_org_id, line.from_org_id]
    agreeing = list(by) if by is not None else parties
    for org_id in agreeing:
        if org_id not in parties:
            name = session.organizations[org_id].name if org_id in session.organizations else org_id
            raise OperationError(f"{name} is not a party to contract line {line.id}; only its two organizations agree")
    if not agreeing:
        raise OperationError("say which organization agrees")
    agreed = [org_id for org_id in parties if org_id in line.agreed_by or org_id in agreeing]
    changes: dict[str, object] = {"agreed_by": agreed}
    if set(agreed) == set(parties):
        changes["state"] = ContractState.AGREED
    if by_when is not None:
        changes["by_when"] = by_when
    if form is not None:
        changes["form"] = form
    return update("commitment", line.id, **changes)


def commit_op(
    session: Session,
    *,
    organizations: Iterable[str] | None = None,
    note: str = "",
    commitment_id: str | None = None,
    when: datetime | None = None,
) -> AddOp:
    """The organizations commit to the contract's agreed lines together: one joint commitment.

    ``organizations`` (ids) default to every organization party to an agreed
    line; each line committed to must be agreed and have both its parties
    among them.
    """
    agreed = [line for line in session.commitments.values() if line.state == ContractState.AGREED]
    if not agreed:
        raise OperationError("no contract line is agreed yet; the organizations commit to agreed lines")
    chosen = list(organizations) if organizations is not None else []
    if organizations is None:
        for line in agreed:
            chosen += [o for o in (line.to_org_id, line.from_org_id) if o not in chosen]
    for org_id in chosen:
        _org(session, org_id, "the organization committing")
    if len(set(chosen)) < 2:
        raise OperationError("a joint commitment is made by at least two organizations together")
    lines = [line.id for line in agreed if {line.to_org_id, line.from_org_id} <= set(chosen)]
    if not lines:
        raise OperationError("no agreed line is between the organizations committing")
    return add(
        JointCommitment(
            id=commitment_id or new_id("joint"),
            organization_ids=list(dict.fromkeys(chosen)),
            line_ids=lines,
            note=note.strip(),
            created=when,
        )
    )


@dataclass(frozen=True)
class ContractMove:
    """One move in a contract line's negotiation, as the log recorded it."""

    seq: int
    time: datetime
    actor: str
    state: str
    what: str
    answer: str
    agreed_by: tuple[str, ...] = ()
    """The organizations (ids) that had agreed to the line after this move."""


def contract_history(
    records: Iterable[LogRecord], commitment_id: str, line: Commitment | None = None
) -> list[ContractMove]:
    """Every move of one contract line in this log: request, answers, revisions, agreement, done.

    ``records`` should be de-identified for an output (actors as the privacy
    rule shows them); the moves carry the line as it was after each move. A
    line carried forward from an earlier sitting has its earlier moves in
    that sitting's log: its moves here start from the line as it was carried,
    which ``line`` (the line as the log left it) gives by undoing each
    update's recorded old values. Without ``line`` the moves of a carried
    line cannot be told and none are returned.
    """
    records = list(records)
    current: dict[str, object] | None = None
    added = any(
        isinstance(op, AddOp) and op.kind == "commitment" and op.data.get("id") == commitment_id
        for record in records
        for op in record.op.primitives()
    )
    if not added and line is not None:
        current = line.model_dump(mode="json")
        for record in reversed(records):
            for op in reversed(list(record.op.primitives())):
                if isinstance(op, UpdateOp) and op.kind == "commitment" and op.id == commitment_id and op.old:
                    current.update(op.old)
    moves: list[ContractMove] = []
    for record in records:
        for op in record.op.primitives():
            if getattr(op, "kind", None) != "commitment":
                continue
            if isinstance(op, AddOp) and op.data.get("id") == commitment_id:
                current = dict(op.data)
            elif isinstance(op, UpdateOp) and op.id == commitment_id and current is not None:
                current.update(op.changes)
            else:
                continue
            state = ContractState(str(current.get("state", ContractState.AGREED)))
            word = "done" if current.get("done") else STATE_WORDS[state]
            parties = current.get("agreed_by")
            agreed_by = tuple(str(o) for o in parties) if isinstance(parties, list) else ()
            now = (word, str(current.get("what", "")), agreed_by)
            if moves and (moves[-1].state, moves[-1].what, moves[-1].agreed_by) == now:
                continue
            moves.append(
                ContractMove(
                    record.seq,
                    record.time,
                    record.actor,
                    word,
                    str(current.get("what", "")),
                    str(current.get("answer", "")),
                    agreed_by,
                )
            )
    return moves
