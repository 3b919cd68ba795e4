"""Per-person limits hold at Document.apply, whichever front sends the operation, and never on replay."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.live.harness import example_session
from workshop.domain.facilitation.coordination import AgreementRating, Vote
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import Document, replay
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import add, batch, update
from workshop.domain.model.process import Participant


def _document() -> tuple[Document, str]:
    document = Document(example_session())
    document.apply(add(Participant(id="p-ann", name="Ann", organization_id="org-a")))
    document.apply(
        add(
            Annotation(
                id="idea-1",
                annotation_kind="idea",
                text="Digital form",
                target_kind="model",
                target_id=next(iter(document.session.models)),
                created=datetime.now(UTC),
            )
        )
    )
    return document, "idea-1"


def test_dots_beyond_the_budget_are_refused_also_inside_one_batch() -> None:
    document, idea = _document()
    votes = [Vote(id=f"v{n}", round_id="r", participant_id="p-ann", annotation_id=idea) for n in range(4)]
    with pytest.raises(OperationError, match="all 3 dots"):
        document.apply(batch("four dots", [add(v) for v in votes]))
    assert document.session.votes == {}
    for vote in votes[:3]:
        document.apply(add(vote))
    with pytest.raises(OperationError, match="all 3 dots"):
        document.apply(add(votes[3]))
    with pytest.raises(OperationError, match="all 3 dots"):
        document.apply(update("vote", "v0", dots=2))
    assert sum(v.dots for v in document.session.votes.values()) == 3
    document.apply(add(Vote(id="room", round_id="r", annotation_id=idea, dots=9)))  # the room's dots: no budget


def test_one_agreement_answer_per_participant_per_check() -> None:
    document, _ = _document()
    model = next(iter(document.session.models))

    def answer(answer_id: str, rating: int) -> AgreementRating:
        return AgreementRating(
            id=answer_id,
            check_id="c",
            organization_id="org-a",
            participant_id="p-ann",
            model_id=model,
            rating=rating,
            created=datetime.now(UTC),
        )

    document.apply(add(answer("a1", 2)))
    with pytest.raises(OperationError, match="answered this agreement check already"):
        document.apply(add(answer("a2", 4)))
    document.apply(update("agreement", "a1", rating=4))
    assert [a.rating for a in document.session.agreements.values()] == [4]


def test_a_record_made_before_the_limits_still_replays() -> None:
    document, idea = _document()
    start = document.session.model_copy(deep=True)
    records = []
    for n in range(5):  # as an older version recorded them, without the limit
        op = add(Vote(id=f"v{n}", round_id="r", participant_id="p-ann", annotation_id=idea))
        complete = op.execute(document.state)
        records.append(complete)
    from workshop.domain.model.document import LogRecord

    log = [LogRecord(seq=n + 1, time=datetime.now(UTC), actor="facilitator", op=op) for n, op in enumerate(records)]
    assert len(replay(start, log).votes) == 5


def test_an_organization_voting_together_has_the_steps_dots_too() -> None:
    document, idea = _document()
    org = next(iter(document.session.organizations))
    for n in range(3):
        document.apply(add(Vote(id=f"o{n}", round_id="r", organization_id=org, annotation_id=idea)))
    with pytest.raises(OperationError, match="all 3 dots of this organization"):
        document.apply(add(Vote(id="o4", round_id="r", organization_id=org, annotation_id=idea)))
    assert sum(v.dots for v in document.session.votes.values()) == 3
