"""Compound edits remove what depends on an element and copy models as new process states."""

from __future__ import annotations

from tests.domain.builders import two_org_document
from workshop.domain.facilitation.coordination import CoordinationMechanism
from workshop.domain.model.annotations import Annotation, GlossaryTerm
from workshop.domain.model.edits import add_node_op, cascade_remove, copy_model, remove_lane_op, state_name
from workshop.domain.model.operations import add
from workshop.domain.model.process import ProcessState


def test_removing_a_node_takes_its_flows_and_annotations_and_updates_mentions() -> None:
    doc = two_org_document()
    doc.apply(add(Annotation(id="an", text="slow", target_kind="node", target_id="a")))
    doc.apply(add(CoordinationMechanism(id="mech", name="Weekly call", flow_ids=["f1", "f2", "f3"])))
    before = doc.session.model_copy(deep=True)

    record = doc.apply(cascade_remove(doc.state, [("node", "a")]))

    s = doc.session
    assert "a" not in s.nodes
    assert set(s.flows) == {"f3"}
    assert "an" not in s.annotations
    assert s.mechanisms["mech"].flow_ids == ["f3"], "a mechanism lets go of removed flows, it is not removed"
    doc.apply(record.op.inverse())
    assert doc.session == before


def test_removing_an_organization_clears_owners_and_glossary_meanings() -> None:
    doc = two_org_document()
    doc.apply(add(GlossaryTerm(id="t", term="case", meanings={"org-a": "a contact", "org-it": "a ticket"})))
    doc.apply(cascade_remove(doc.state, [("organization", "org-a")]))
    s = doc.session
    assert s.nodes["a"].owner_org_id is None
    assert s.nodes["a"].lane_id is None, "its lane went with the organization"
    assert s.glossary["t"].meanings == {"org-it": "a ticket"}


def test_copy_model_makes_an_independent_process_state() -> None:
    doc = two_org_document()
    new_model, op = copy_model(doc.state, "m1", name="Future", process_state=ProcessState.FUTURE)
    doc.apply(op)
    s = doc.session
    copied_nodes = [n for n in s.nodes.values() if n.model_id == new_model]
    copied_flows = [f for f in s.flows.values() if f.model_id == new_model]
    assert len(copied_nodes) == 4
    assert len(copied_flows) == 3
    copied_ids = {n.id for n in copied_nodes}
    assert all(f.source_id in copied_ids and f.target_id in copied_ids for f in copied_flows)
    assert all(s.lanes[n.lane_id].model_id == new_model for n in copied_nodes if n.lane_id)
    assert s.models[new_model].state == "future"


def test_a_new_node_is_snapped_sized_by_kind_and_owned_by_its_lane_when_it_carries_accountability() -> None:
    doc = two_org_document()
    node_id, op = add_node_op(
        doc.session, "m1", "activity", (304, 96), lane_id="lane-it", connect_from="b", label="Add"
    )
    doc.apply(op)
    node = doc.session.nodes[node_id]
    assert (node.x, node.y, node.w, node.h) == (230, 60, 150, 74)
    assert node.owner_org_id == "org-it"
    assert any(f.source_id == "b" and f.target_id == node_id for f in doc.session.flows.values())
    end_id, op = add_node_op(doc.session, "m1", "end", (100, 100), lane_id="lane-it", label="Add end")
    doc.apply(op)
    assert doc.session.nodes[end_id].owner_org_id is None, "an event has no owner"
    assert (doc.session.nodes[end_id].w, doc.session.nodes[end_id].h) == (50, 50)


def test_removing_a_lane_takes_its_nodes_and_their_flows() -> None:
    doc = two_org_document()
    doc.apply(remove_lane_op(doc.state, "lane-it"))
    assert set(doc.session.nodes) == {"start", "a"}
    assert set(doc.session.flows) == {"f1"}
    assert "lane-it" not in doc.session.lanes


def test_a_new_process_state_is_named_after_the_old_one() -> None:
    assert state_name("Current process", "current", "ideal") == "Ideal process"
    assert state_name("the current way", "current", "ideal") == "the ideal way"
    assert state_name("Intake", "current", "ideal") == "Intake (ideal)"
