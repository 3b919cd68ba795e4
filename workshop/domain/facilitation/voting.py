"""Dot voting and agreement checks: the tallies the facilitator shows the room."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from workshop.domain.model.errors import OperationError
from workshop.domain.model.session import Session

VOTABLE = ("idea", "problem")

DEFAULT_DOTS = 3
"""Dots per participant in a round whose step does not say (or outside any step)."""


def round_budget(session: Session, round_id: str) -> int:
    """How many dots each participant has in a round: the ``dots`` of the script step it belongs to.

    A round is named after the step it runs in, so the script in the session
    is the one place the budget is written.
    """
    script = session.script if isinstance(session.script, dict) else {}
    for intervention in script.get("interventions") or []:
        for step in (intervention.get("steps") or []) if isinstance(intervention, dict) else []:
            if isinstance(step, dict) and step.get("id") == round_id:
                dots = step.get("dots", DEFAULT_DOTS)
                return dots if isinstance(dots, int) and not isinstance(dots, bool) and dots > 0 else DEFAULT_DOTS
    return DEFAULT_DOTS


Voter = tuple[str, str]
"""Who a vote's dots belong to: ``("participant", id)`` — on a phone or added by hand —,
``("organization", id)`` for an organization voting together, or ``("room", "")``."""


def voter(participant_id: str | None, organization_id: str | None = None) -> Voter:
    """The voter of a vote: a participant if it names one, else the organization, else the room."""
    if participant_id is not None:
        return "participant", participant_id
    if organization_id is not None:
        return "organization", organization_id
    return "room", ""


def dots_spent(session: Session, round_id: str, who: Voter) -> int:
    return sum(
        v.dots
        for v in session.votes.values()
        if v.round_id == round_id and voter(v.participant_id, v.organization_id) == who
    )


ROOM_DOTS = 10**6
"""The room's dots are a tally counted off a wall of paper dots: no budget of one voter."""


def dots_left(session: Session, round_id: str, who: Voter) -> int:
    """The one budget rule: every voter — a person (on a phone or added by hand), an organization voting
    together — has the step's dots; the room's tally has none."""
    budget = ROOM_DOTS if who[0] == "room" else round_budget(session, round_id)
    return budget - dots_spent(session, round_id, who)


def budget_spent_message(session: Session, round_id: str, who: Voter) -> str:
    budget = round_budget(session, round_id)
    whose = "this organization" if who[0] == "organization" else "this participant"
    return f"all {budget} dots of {whose} are placed in this round"


def check_vote(session: Session, round_id: str, who: Voter, annotation_id: str, dots: int = 1) -> None:
    """Refuse dots on anything but visible ideas and problems, or beyond the voter's budget."""
    target = session.annotations.get(annotation_id)
    if target is None or target.hidden or target.annotation_kind not in VOTABLE:
        raise OperationError("dots go on ideas and problems")
    if dots_left(session, round_id, who) < dots:
        raise OperationError(budget_spent_message(session, round_id, who))


def tally(session: Session, round_id: str) -> list[tuple[str, int]]:
    """(annotation id, dots) in this round, most dots first."""
    totals: defaultdict[str, int] = defaultdict(int)
    for vote in session.votes.values():
        if vote.round_id == round_id:
            totals[vote.annotation_id] += vote.dots
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class AgreementResult:
    organization_id: str
    ratings: tuple[int, ...]
    comments: tuple[str, ...]

    @property
    def mean(self) -> float:
        return round(fmean(self.ratings), 2)


def agreement_results(session: Session, check_id: str) -> list[AgreementResult]:
    """Per organization: how well it understands the shown process (1-5), lowest first — where to talk next."""
    ratings: defaultdict[str, list[int]] = defaultdict(list)
    comments: defaultdict[str, list[str]] = defaultdict(list)
    for answer in session.agreements.values():
        if answer.check_id == check_id:
            ratings[answer.organization_id].append(answer.rating)
            if answer.comment:
                comments[answer.organization_id].append(answer.comment)
    results = [AgreementResult(org, tuple(r), tuple(comments[org])) for org, r in ratings.items()]
    return sorted(results, key=lambda result: (result.mean, result.organization_id))
