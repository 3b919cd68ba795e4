"""Every model-health rule on small hand-built models."""

from __future__ import annotations

from tests.domain.builders import two_org_document
from workshop.domain.facilitation.coordination import CoordinationMechanism
from workshop.domain.model.analysis import analyse
from workshop.domain.model.annotations import GlossaryTerm, KnowledgeBoundary
from workshop.domain.model.document import Document
from workshop.domain.model.operations import add, update
from workshop.domain.model.ownership import claim_op
from workshop.domain.model.process import Flow, Node, NodeKind


def _rules(doc: Document) -> dict[str, list[tuple[str, ...]]]:
    found: dict[str, list[tuple[str, ...]]] = {}
    for finding in analyse(doc.session, "m1").findings:
        found.setdefault(finding.rule, []).append(finding.element_ids)
    return found


def test_a_clean_model_only_asks_about_its_handoff() -> None:
    doc = two_org_document()  # start -> a (group A) -> b (IT) -> end
    health = analyse(doc.session, "m1")
    assert dict(health.handoffs) == {("org-a", "org-it"): 1}
    assert health.longest_handoff_chain == ["f1", "f2", "f3"]
    assert health.longest_handoff_count == 1
    assert _rules(doc) == {"handoff_unassessed": [("f2",)], "handoff_uncoordinated": [("f2",)]}


def test_assessing_and_coordinating_the_handoff_clears_it() -> None:
    doc = two_org_document()
    doc.apply(add(KnowledgeBoundary(id="kb", target_kind="flow", target_id="f2", org_a="org-a", org_b="org-it")))
    doc.apply(add(CoordinationMechanism(id="mc", name="Weekly case review", flow_ids=["f2"])))
    assert _rules(doc) == {}


def test_structure_rules() -> None:
    doc = two_org_document()
    doc.apply(add(Node(id="lost", model_id="m1", label="Lost", owner_org_id="org-it")))
    doc.apply(add(Node(id="d", model_id="m1", node_kind=NodeKind.DECISION, label="OK?", owner_org_id="org-it")))
    doc.apply(add(Node(id="nobody", model_id="m1", label="Nobody's")))
    doc.apply(add(Flow(id="f4", model_id="m1", source_id="b", target_id="d")))
    doc.apply(add(Flow(id="f5", model_id="m1", source_id="d", target_id="a")))  # rework: d -> a -> b -> d
    doc.apply(add(Flow(id="f6", model_id="m1", source_id="a", target_id="nobody")))
    rules = _rules(doc)
    assert rules["unreachable"] == [("lost",)]
    assert sorted(rules["dead_end"]) == [("lost",), ("nobody",)]
    assert rules["decision_branches"] == [("d",)]
    assert rules["loop"] == [("a", "b", "d")]
    assert rules["no_owner"] == [("nobody",)]


def test_no_start_contested_owner_and_conflicting_terms() -> None:
    doc = two_org_document()
    doc.apply(update("node", "start", node_kind=NodeKind.ACTIVITY, owner_org_id="org-a"))
    doc.apply(claim_op(doc.session, "b", "org-a"))
    doc.apply(add(GlossaryTerm(id="t1", term="case", meanings={"org-a": "a contact", "org-it": "a ticket"})))
    doc.apply(add(GlossaryTerm(id="t2", term="order", meanings={"org-a": "x", "org-it": "y"}, agreed=True)))
    rules = _rules(doc)
    assert rules["no_start"] == [("m1",)]
    assert rules["contested_owner"] == [("b",)]
    assert rules["term_conflict"] == [("t1",)]
