"""Records name the facilitator or researcher who made them; the privacy rule still hides participants."""

from __future__ import annotations

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import FACILITATOR, LogRecord, person_actor
from workshop.domain.model.operations import SetSessionOp, add
from workshop.domain.model.process import Participant
from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import public_record
from workshop.domain.research.sources import ObservationNote


def test_a_document_records_the_named_person_unless_told_otherwise() -> None:
    doc = two_org_document()
    assert doc.apply(add(ObservationNote(id="o1", text="Quiet start"))).actor == FACILITATOR
    doc.actor = person_actor("  Anna   Virtanen ")
    record = doc.apply(add(ObservationNote(id="o2", text="B talks first", observer=doc.actor)))
    assert record.actor == "Anna Virtanen"
    assert doc.apply(add(ObservationNote(id="o3", text="x")), actor="participant:p1").actor == "participant:p1"


@pytest.mark.parametrize("name", ["", "   ", "participant:p-a", "Participant:p-a", "x" * 101])
def test_a_name_that_could_pass_for_a_participant_or_is_unreadable_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="name"):
        person_actor(name)


class ListSink:
    def __init__(self) -> None:
        self.records: list[LogRecord] = []

    def append(self, record: LogRecord) -> None:
        self.records.append(record)


def test_in_an_anonymous_step_a_named_facilitator_s_entry_still_hides_the_participant() -> None:
    sink = ListSink()
    doc = two_org_document(sink=sink)
    for n in range(3):
        doc.apply(add(Participant(id=f"p-a-{n}", name=f"Maria {n}", organization_id="org-a")))
    doc.actor = "Anna Virtanen"
    doc.apply(SetSessionOp(changes={"anonymous_step": True}))
    doc.apply(add(Annotation(id="said", text="Nobody reads our forms", author_id="p-a-1", organization_id="org-a")))
    doc.apply(SetSessionOp(changes={"anonymous_step": False}))
    doc.apply(add(Annotation(id="open", text="Said openly", author_id="p-a-2", organization_id="org-a")))

    shown = public_record(SessionRecord(doc.session, sink.records))

    assert shown.session.annotations["said"].author_id is None, "typed in for someone in an anonymous step"
    assert shown.session.annotations["said"].organization_id == "org-a"
    assert shown.session.annotations["open"].author_id == "p-a-2"
    actors = {log.actor for log in shown.records}
    assert "Anna Virtanen" in actors, "the staff member's name is the record's actor"
    assert not any(a.startswith("participant:") for a in actors)
    added = next(log for log in shown.records if "said" in str(log.op.model_dump()))
    assert added.actor == "Anna Virtanen"
    assert "p-a-1" not in str(added.op.model_dump()), "no trace of the person behind the anonymous entry"
