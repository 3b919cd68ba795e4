"""Steps inside a sub-process: they name it as their parent, go with it, and count like any other step."""

from __future__ import annotations

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.analysis import analyse
from workshop.domain.model.document import Document
from workshop.domain.model.edits import cascade_remove, copy_model
from workshop.domain.model.errors import OperationError
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.operations import add, remove, update
from workshop.domain.model.process import Flow, Node, NodeKind, ProcessState, ancestors, flow_parent


def with_sub_process() -> Document:
    """``two_org_document`` with a sub-process 'Handle claim' in A's lane holding start -> check (IT) -> end."""
    doc = two_org_document()
    doc.apply(add(Node(id="sub", model_id="m1", label="Handle claim", lane_id="lane-a", bpmn_element="subProcess")))
    doc.apply(add(Node(id="in-start", model_id="m1", node_kind=NodeKind.START, lane_id="lane-a", parent_id="sub")))
    doc.apply(
        add(Node(id="check", model_id="m1", label="Check", lane_id="lane-it", owner_org_id="org-it", parent_id="sub"))
    )
    doc.apply(add(Node(id="in-end", model_id="m1", node_kind=NodeKind.END, lane_id="lane-a", parent_id="sub")))
    doc.apply(add(Flow(id="g1", model_id="m1", source_id="in-start", target_id="check")))
    doc.apply(add(Flow(id="g2", model_id="m1", source_id="check", target_id="in-end")))
    return doc


def test_a_step_inside_names_a_sub_process_of_its_model_and_nothing_holds_itself() -> None:
    doc = with_sub_process()
    with pytest.raises(OperationError, match="not a sub-process"):
        doc.apply(add(Node(id="x", model_id="m1", parent_id="a")))
    with pytest.raises(OperationError, match="does not exist"):
        doc.apply(add(Node(id="x", model_id="m1", parent_id="nowhere")))
    doc.apply(add(Node(id="inner", model_id="m1", bpmn_element="subProcess", parent_id="sub")))
    with pytest.raises(OperationError, match="cannot hold itself"):
        doc.apply(update("node", "sub", parent_id="inner"))
    with pytest.raises(OperationError, match="cannot hold itself"):
        doc.apply(update("node", "sub", parent_id="sub"))
    assert [n.id for n in ancestors(doc.session.nodes["inner"], doc.session.nodes)] == ["sub"]


def test_removing_a_sub_process_removes_what_it_holds_and_undo_restores_it() -> None:
    doc = with_sub_process()
    before = doc.session.model_copy(deep=True)
    with pytest.raises(OperationError, match="still refer"):
        doc.apply(remove("node", "sub"))  # a plain remove refuses: it holds steps
    record = doc.apply(cascade_remove(doc.state, [("node", "sub")]))
    assert not {"sub", "in-start", "check", "in-end"} & set(doc.session.nodes)
    assert not {"g1", "g2"} & set(doc.session.flows)
    assert "a" in doc.session.nodes
    doc.apply(record.op.inverse())
    assert doc.session == before


def test_a_copied_model_keeps_its_sub_processes_contents_inside_its_own_copies() -> None:
    doc = with_sub_process()
    new_model, op = copy_model(doc.state, "m1", name="Future", process_state=ProcessState.FUTURE)
    doc.apply(op)
    copied = {n.label: n for n in doc.session.nodes.values() if n.model_id == new_model}
    assert copied["Check"].parent_id == copied["Handle claim"].id


def test_handoffs_and_health_see_inside_sub_processes() -> None:
    doc = with_sub_process()
    s = doc.session
    assert handoff_orgs(s, s.flows["g1"]) == ("org-a", "org-it")
    assert flow_parent(s.flows["g1"], s.nodes) == "sub"
    assert flow_parent(s.flows["f2"], s.nodes) is None
    health = analyse(s, "m1")
    assert health.handoffs[("org-a", "org-it")] == 2  # a -> b outside, in-start -> check inside
    assert health.handoffs[("org-it", "org-a")] == 1


def test_a_collapsed_sub_process_carries_its_plus_marker_and_an_expanded_one_does_not() -> None:
    from workshop.domain.drawing.notation import notation_of

    node = with_sub_process().session.nodes["sub"]
    assert "collapsed" in notation_of(node).bottom_markers
    assert "collapsed" not in notation_of(node.model_copy(update={"expanded": True})).bottom_markers


def test_a_view_shows_its_level_and_expanded_contents_in_place_and_moving_carries_them() -> None:
    from workshop.domain.model.sub_processes import carried, holds_steps, shown_at, trail

    doc = with_sub_process()
    doc.apply(add(Node(id="open", model_id="m1", bpmn_element="subProcess", parent_id="sub", expanded=True)))
    doc.apply(add(Node(id="deep", model_id="m1", label="Deep", parent_id="open")))
    nodes = doc.session.nodes
    main = {n for n in nodes if shown_at(nodes[n], nodes, None)}
    assert main == {"start", "a", "b", "end", "sub"}, "a collapsed sub-process's steps are not on the main view"
    assert {n for n in nodes if shown_at(nodes[n], nodes, "sub")} == {"in-start", "check", "in-end", "open", "deep"}
    assert [n.id for n in carried(nodes["open"], nodes)] == ["deep"]
    assert carried(nodes["sub"], nodes) == [], "collapsed: its steps have their own coordinates"
    assert [n.id for n in trail(nodes, "open")] == ["sub", "open"]
    assert holds_steps(nodes["sub"], nodes)
    assert not holds_steps(nodes["a"], nodes)


def test_an_expanded_sub_process_has_its_name_along_its_top_above_its_steps() -> None:
    from workshop.domain.drawing.notation import notation_of
    from workshop.domain.drawing.shapes import label_box
    from workshop.domain.model.geometry import node_box

    node = with_sub_process().session.nodes["sub"].model_copy(update={"expanded": True, "w": 400, "h": 200})
    box = node_box(node)
    label = label_box(str(node.node_kind), box, notation_of(node))
    assert label.y < box.y + 10
    assert label.bottom <= box.y + 40


def test_the_walkthrough_goes_inside_a_sub_process_and_out_again() -> None:
    from workshop.domain.walkthrough.walk import Walk, start_walkthrough

    doc = with_sub_process()
    doc.apply(update("node", "in-start", x=-500.0))  # leftmost of all: still not where the walk starts
    doc.apply(add(Flow(id="to-sub", model_id="m1", source_id="a", target_id="sub")))
    doc.apply(add(Flow(id="from-sub", model_id="m1", source_id="sub", target_id="end")))
    doc.apply(remove("flow", "f2"))
    wid, op = start_walkthrough(doc.session, "m1")
    doc.apply(op)
    seen = []
    for _ in range(12):
        walk = Walk(doc.session, wid)
        seen.append(walk.position)
        if not walk.moves():
            break
        doc.apply(walk.forward())
    assert seen == [
        ("node", "start"),
        ("node", "a"),
        ("node", "sub"),
        ("node", "in-start"),
        ("flow", "g1"),  # a handoff inside the sub-process pauses the walk too
        ("node", "check"),
        ("flow", "g2"),
        ("node", "in-end"),
        ("flow", "from-sub"),  # out of the sub-process along its own flow (a handoff to IT)
        ("node", "end"),
    ]


def test_laying_out_moves_the_process_s_steps_and_carries_an_expanded_sub_process_s() -> None:
    from workshop.domain.model.layout import layout_model

    doc = with_sub_process()
    doc.apply(update("node", "sub", expanded=True, x=500.0, y=20.0, w=400.0, h=150.0))
    doc.apply(update("node", "check", x=600.0, y=60.0))
    doc.apply(update("node", "in-end", x=-900.0))
    before = doc.session.nodes
    doc.apply(layout_model(doc.session, "m1"))
    after = doc.session.nodes
    moved = (after["sub"].x - before["sub"].x, after["sub"].y - before["sub"].y)
    assert (after["check"].x - before["check"].x, after["check"].y - before["check"].y) == moved
    assert after["in-end"].x - before["in-end"].x == moved[0], "inside: carried, not laid out in a lane"


def test_a_sequence_flow_does_not_cross_a_sub_process_border_but_a_handoff_may() -> None:
    doc = with_sub_process()
    with pytest.raises(OperationError, match="does not cross a sub-process's border"):
        doc.apply(add(Flow(id="x", model_id="m1", source_id="a", target_id="in-end")))  # both customer group A
    doc.apply(add(Flow(id="y", model_id="m1", source_id="b", target_id="in-end")))  # IT -> A: a message flow
    assert handoff_orgs(doc.session, doc.session.flows["y"]) == ("org-it", "org-a")


def test_the_what_if_starts_at_the_process_s_own_start_not_one_inside_a_sub_process() -> None:
    from workshop.domain.walkthrough.whatif import what_if

    doc = with_sub_process()
    doc.apply(update("node", "in-start", x=-500.0))
    doc.apply(update("node", "a", duration_minutes=10.0))
    result = what_if(doc.session, "m1")
    assert result.lead_minutes == 10.0
