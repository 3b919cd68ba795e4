"""Limits on what one person may add: dots per vote round, one answer per agreement check.

They are checked by :meth:`Document.apply` on the state an operation would
produce, before it is recorded — the one place every front (phones, the
facilitator's panels, ``workshop apply``) passes through, one operation at a
time, so a burst of messages cannot slip past a check made on a stale copy.
They are not checked on replay: a record made before a limit existed still
opens as it was.
"""

from __future__ import annotations

from collections import Counter

from workshop.domain.facilitation.voting import budget_spent_message, dots_left, voter
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import AddOp, Operation, UpdateOp
from workshop.domain.model.session import Session


def _touched(op: Operation, kind: str) -> list[str]:
    ids = []
    for primitive in op.primitives():
        if isinstance(primitive, AddOp) and primitive.kind == kind:
            ids.append(str(primitive.data.get("id")))
        elif isinstance(primitive, UpdateOp) and primitive.kind == kind:
            ids.append(primitive.id)
    return ids


def check_limits(session: Session, op: Operation) -> None:
    """Raise :class:`OperationError` if ``session`` (the state after ``op``) breaks a per-person limit."""
    for vote_id in _touched(op, "vote"):
        vote = session.votes.get(vote_id)
        if vote is None:
            continue
        who = voter(vote.participant_id, vote.organization_id)
        if dots_left(session, vote.round_id, who) < 0:
            raise OperationError(budget_spent_message(session, vote.round_id, who))
    answers = _touched(op, "agreement")
    if answers:
        per_person: Counter[tuple[str, str | None]] = Counter(
            (a.check_id, a.participant_id) for a in session.agreements.values() if a.participant_id is not None
        )
        for answer_id in answers:
            answer = session.agreements.get(answer_id)
            if (
                answer is not None
                and answer.participant_id is not None
                and per_person[(answer.check_id, answer.participant_id)] > 1
            ):
                raise OperationError("this participant has answered this agreement check already")
