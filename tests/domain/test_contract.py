"""The collaboration contract as a negotiation: request, answer, revise, agree; the log is its history."""

from __future__ import annotations

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.facilitation.contract import (
    Answer,
    agree_op,
    answer_op,
    commit_op,
    contract_history,
    request_op,
    revise_op,
)
from workshop.domain.facilitation.coordination import ContractState
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError


class Sink:
    def __init__(self) -> None:
        self.records: list[LogRecord] = []

    def append(self, record: LogRecord) -> None:
        self.records.append(record)


def _document() -> tuple[Document, Sink]:
    sink = Sink()
    return two_org_document(sink=sink), sink


def test_a_request_answered_with_a_counter_proposal_revised_and_agreed_keeps_its_history() -> None:
    doc, sink = _document()
    doc.actor = "Anna Virtanen"
    added = doc.apply(
        request_op(
            doc.session,
            requester="org-a",
            asked="org-it",
            what="Case status every hour",
            flow_id="f2",
            commitment_id="c-1",
        )
    )
    line = doc.session.commitments["c-1"]
    assert (line.state, line.from_org_id, line.to_org_id, line.flow_id) == ("requested", "org-it", "org-a", "f2")
    assert added.op.summary()

    doc.actor = "Ben Ortiz"
    doc.apply(answer_op(doc.session, "c-1", Answer.COUNTER, counter="Case status each morning", note="no night shift"))
    line = doc.session.commitments["c-1"]
    assert (line.state, line.what, line.requested) == (
        ContractState.COUNTER_PROPOSAL,
        "Case status each morning",
        "Case status every hour",
    )
    with pytest.raises(OperationError, match="only a request is answered"):
        answer_op(doc.session, "c-1", Answer.CAN_DO)
    doc.apply(revise_op(doc.session, "c-1", "Case status at 9 and at 13"))
    doc.apply(answer_op(doc.session, "c-1", Answer.CAN_DO))
    doc.apply(agree_op(doc.session, "c-1", by_when="2026-07-01"))
    assert doc.session.commitments["c-1"].state == ContractState.AGREED
    assert doc.session.commitments["c-1"].by_when == "2026-07-01"

    history = contract_history(sink.records, "c-1")
    assert [(s.state, s.actor) for s in history] == [
        ("requested", "Anna Virtanen"),
        ("counter-proposal", "Ben Ortiz"),
        ("requested", "Ben Ortiz"),
        ("can do", "Ben Ortiz"),
        ("agreed", "Ben Ortiz"),
    ]
    assert history[1].answer == "no night shift"
    assert history[2].what == "Case status at 9 and at 13"


def test_moves_that_do_not_fit_are_refused_with_a_sentence() -> None:
    doc, _ = _document()
    with pytest.raises(OperationError, match="not a handoff between the two organizations"):
        request_op(doc.session, requester="org-a", asked="org-it", what="x", flow_id="f1")
    with pytest.raises(OperationError, match="from one organization to another"):
        request_op(doc.session, requester="org-a", asked="org-a", what="x")
    with pytest.raises(OperationError, match="not an organization"):
        request_op(doc.session, requester="org-z", asked="org-a", what="x")
    doc.apply(request_op(doc.session, requester="org-a", asked="org-it", what="A named contact", commitment_id="c"))
    with pytest.raises(OperationError, match="can be agreed after"):
        agree_op(doc.session, "c")
    with pytest.raises(OperationError, match="counter-proposal says what"):
        answer_op(doc.session, "c", Answer.COUNTER)
    doc.apply(answer_op(doc.session, "c", Answer.CANNOT, note="no budget this year"))
    with pytest.raises(OperationError, match="can be agreed after"):
        agree_op(doc.session, "c")
    with pytest.raises(OperationError, match="no contract line"):
        answer_op(doc.session, "nope", Answer.CAN_DO)


def test_removing_the_handoff_lets_go_of_the_link_not_the_line() -> None:
    from workshop.domain.model.edits import cascade_remove

    doc, _ = _document()
    doc.apply(request_op(doc.session, requester="org-it", asked="org-a", what="Complete forms", flow_id="f2",
                         commitment_id="c"))  # fmt: skip
    doc.apply(cascade_remove(doc.state, [("flow", "f2")]))
    assert doc.session.commitments["c"].flow_id is None


def _can_do(doc: Document) -> None:
    doc.apply(request_op(doc.session, requester="org-a", asked="org-it", what="Case status", commitment_id="c-1"))
    doc.apply(answer_op(doc.session, "c-1", Answer.CAN_DO))


def test_each_organization_agrees_and_both_commit_together() -> None:
    doc, sink = _document()
    _can_do(doc)
    doc.apply(agree_op(doc.session, "c-1", by=["org-it"]))
    line = doc.session.commitments["c-1"]
    assert (line.state, line.agreed_by) == (ContractState.CAN_DO, ["org-it"]), "one side alone has not agreed"
    with pytest.raises(OperationError, match="no contract line is agreed yet"):
        commit_op(doc.session)
    doc.apply(agree_op(doc.session, "c-1", by=["org-a"]))
    line = doc.session.commitments["c-1"]
    assert (line.state, line.agreed_by) == (ContractState.AGREED, ["org-a", "org-it"])
    assert [(m.state, m.agreed_by) for m in contract_history(sink.records, "c-1")][-2:] == [
        ("can do", ("org-it",)),
        ("agreed", ("org-a", "org-it")),
    ]
    with pytest.raises(OperationError, match="at least two organizations"):
        commit_op(doc.session, organizations=["org-a"])
    doc.apply(commit_op(doc.session, note="We meet every Monday", commitment_id="j-1"))
    joint = doc.session.joint_commitments["j-1"]
    assert (joint.organization_ids, joint.line_ids, joint.note) == (
        ["org-a", "org-it"],
        ["c-1"],
        "We meet every Monday",
    )


def test_an_organization_not_party_to_the_line_cannot_agree_to_it() -> None:
    doc, _ = _document()
    doc.session.organizations["org-x"] = doc.session.organizations["org-a"].model_copy(update={"id": "org-x"})
    _can_do(doc)
    with pytest.raises(OperationError, match="not a party to contract line c-1"):
        agree_op(doc.session, "c-1", by=["org-x"])


def test_the_history_of_a_line_carried_from_an_earlier_sitting_starts_as_it_was_carried() -> None:
    doc, _ = _document()
    _can_do(doc)
    sink = Sink()
    carried = Document(doc.session.model_copy(deep=True), sink=sink)  # a later sitting: the state, not the log
    carried.actor = "Anna Virtanen"
    carried.apply(agree_op(carried.session, "c-1"))
    line = carried.session.commitments["c-1"]
    assert contract_history(sink.records, "c-1") == [], "without the line the carried moves cannot be told"
    moves = contract_history(sink.records, "c-1", line)
    assert [(m.state, m.actor) for m in moves] == [("agreed", "Anna Virtanen")]
