"""Contested ownership is recorded until resolved; anonymous steps never reveal the person."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import participant_actor
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import SetSessionOp, add, update
from workshop.domain.model.ownership import claim_op, contested, resolve_op
from workshop.domain.model.process import Participant
from workshop.domain.research.anonymity import attribution, author_label, public_actor


def test_claims_are_kept_until_the_facilitator_resolves_them() -> None:
    doc = two_org_document()  # node "a" is owned by org-a
    assert contested(doc.session) == {}
    doc.apply(claim_op(doc.session, "a", "org-a"))
    assert contested(doc.session) == {}, "a claim by the owner disputes nothing"
    doc.apply(claim_op(doc.session, "a", "org-it"))
    assert contested(doc.session) == {"a": ["org-a", "org-it"]}
    assert doc.session.nodes["a"].owner_org_id == "org-a", "a claim does not silently change the owner"
    with pytest.raises(OperationError, match="already claimed"):
        claim_op(doc.session, "a", "org-it")

    record = doc.apply(resolve_op(doc.session, "a", "org-it", role="Customer service"))

    assert contested(doc.session) == {}
    assert doc.session.nodes["a"].owner_org_id == "org-it"
    assert all(c.resolved for c in doc.session.claims.values())
    assert record.op.summary() == "Resolve ownership: IT provider"


def test_resolving_to_another_organization_drops_a_named_owner_from_the_old_one() -> None:
    doc = two_org_document()
    doc.apply(add(Participant(id="p-a", name="Maria", organization_id="org-a")))
    doc.apply(update("node", "a", owner_participant_id="p-a"))
    doc.apply(claim_op(doc.session, "a", "org-it"))
    doc.apply(resolve_op(doc.session, "a", "org-it"))
    node = doc.session.nodes["a"]
    assert (node.owner_org_id, node.owner_participant_id) == ("org-it", None)


def test_anonymous_contributions_show_the_organization_only() -> None:
    doc = two_org_document()
    doc.apply(add(Participant(id="p-1", name="Łukasz Nowak", organization_id="org-a")))
    doc.apply(SetSessionOp(changes={"anonymous_step": True}))
    fields = attribution(doc.session, "p-1")
    assert fields == {"author_id": None, "organization_id": "org-a", "anonymous": True}
    record = doc.apply(
        add(Annotation(id="an-1", text="They never call back", created=datetime.now(UTC), **fields)),  # type: ignore[arg-type]
        actor=participant_actor("p-1"),
    )
    assert record.actor == "participant:p-1", "the log keeps who it was"
    assert public_actor(doc.session, record) == "participant of Customer group A (anonymous)"
    assert author_label(doc.session, doc.session.annotations["an-1"]) == "Customer group A (anonymous)"

    doc.apply(SetSessionOp(changes={"anonymous_step": False}))
    named = doc.apply(
        add(Annotation(id="an-2", text="Agreed", **attribution(doc.session, "p-1"))),  # type: ignore[arg-type]
        actor=participant_actor("p-1"),
    )
    assert public_actor(doc.session, named) == "Łukasz Nowak (Customer group A)"
    assert author_label(doc.session, doc.session.annotations["an-2"]) == "Łukasz Nowak (Customer group A)"


def test_an_anonymous_annotation_cannot_name_its_author() -> None:
    doc = two_org_document()
    doc.apply(add(Participant(id="p-1", name="X", organization_id="org-a")))
    with pytest.raises(OperationError, match="names no author"):
        doc.apply(add(Annotation(id="an", text="t", author_id="p-1", anonymous=True)))
