"""Walking a model: branches, scenario presets, handoffs, parallel paths, loops, step back, captures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.annotations import KnowledgeBoundary, TargetKind
from workshop.domain.model.document import Document
from workshop.domain.model.operations import add
from workshop.domain.model.process import Flow, Lane, Node, NodeKind, Organization, ProcessModel
from workshop.domain.model.session import Session, new_session
from workshop.domain.walkthrough.walk import Walk, WalkError, join_of, start_walkthrough, walked_choices
from workshop.resources import example_session_path

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def graph_document(nodes: dict[str, NodeKind], flows: list[tuple[str, str, str]]) -> Document:
    """One organization, one lane; ``flows`` are (source, target, label)."""
    doc = Document(new_session("walk", session_id="session-walk"))
    doc.apply(add(Organization(id="org", name="Org")))
    doc.apply(add(ProcessModel(id="m", name="Model")))
    doc.apply(add(Lane(id="lane", model_id="m", organization_id="org")))
    for x, (node_id, kind) in enumerate(nodes.items()):
        doc.apply(add(Node(id=node_id, model_id="m", node_kind=kind, label=node_id, lane_id="lane", x=x * 200.0)))
    for number, (source, target, label) in enumerate(flows):
        doc.apply(add(Flow(id=f"f{number}", model_id="m", source_id=source, target_id=target, label=label)))
    return doc


def start(doc: Document, model_id: str = "m", **kwargs: object) -> str:
    wid, op = start_walkthrough(doc.session, model_id, when=T0, **kwargs)  # type: ignore[arg-type]
    doc.apply(op)
    return wid


def step(doc: Document, wid: str, flow_id: str | None = None, minutes: int = 1) -> Walk:
    walk = Walk(doc.session, wid)
    doc.apply(walk.forward(flow_id, when=walk.last_move.entered + timedelta(minutes=minutes)))  # type: ignore[operator]
    return Walk(doc.session, wid)


def test_start_puts_the_token_on_the_start_event() -> None:
    doc = two_org_document()
    wid = start(doc, "m1", scenario="phone call")
    walk = Walk(doc.session, wid)
    assert walk.position == ("node", "start")
    assert walk.last_move.move == "start"
    assert doc.session.walkthroughs[wid].scenario == "phone call"


def test_handoff_pauses_on_the_flow_and_names_both_organizations() -> None:
    doc = two_org_document()
    doc.apply(
        add(KnowledgeBoundary(id="bd", target_kind=TargetKind.FLOW, target_id="f2", org_a="org-a", org_b="org-it"))
    )
    wid = start(doc, "m1")
    step(doc, wid)  # start -> a (same organization)
    walk = step(doc, wid)  # a -> b crosses organizations: pause on f2
    assert walk.position == ("flow", "f2")
    handoff = walk.handoff()
    assert handoff is not None
    assert handoff.banner() == "Handoff: from Customer group A to IT provider"
    assert [b.id for b in handoff.boundaries] == ["bd"]
    assert walk.describe().startswith("Handoff: from Customer group A to IT provider")
    walk = step(doc, wid)
    assert walk.position == ("node", "b")
    assert walk.handoff() is None


def test_decision_needs_a_choice_unless_the_scenario_presets_it() -> None:
    nodes = {"s": NodeKind.START, "d": NodeKind.DECISION, "x": NodeKind.ACTIVITY, "y": NodeKind.ACTIVITY}
    doc = graph_document(nodes, [("s", "d", ""), ("d", "x", "yes"), ("d", "y", "no")])
    wid = start(doc)
    walk = step(doc, wid)
    assert walk.needs_choice()
    with pytest.raises(WalkError, match="choose a branch"):
        walk.forward()
    walk = step(doc, wid, "f2")
    assert walk.position == ("node", "y")
    assert walk.last_move.note == "branch 'no' at 'd'"

    preset = start(doc, choices={"d": "f1"})
    walk = step(doc, preset)
    assert not walk.needs_choice()
    walk = step(doc, preset)
    assert walk.position == ("node", "x")
    assert walk.last_move.note.startswith("scenario: branch 'yes'")


def test_parallel_paths_are_followed_one_after_another_then_the_join() -> None:
    nodes = {
        "s": NodeKind.START,
        "split": NodeKind.ACTIVITY,
        "p1": NodeKind.ACTIVITY,
        "p2": NodeKind.ACTIVITY,
        "join": NodeKind.ACTIVITY,
        "e": NodeKind.END,
    }
    flows = [("s", "split", ""), ("split", "p1", ""), ("split", "p2", ""), ("p1", "join", ""), ("p2", "join", "")]
    doc = graph_document(nodes, [*flows, ("join", "e", "")])
    assert join_of(doc.session, "split") == "join"
    wid = start(doc)
    walk = step(doc, wid)
    assert "parallel paths from 'split'" in walk.describe()
    walk = step(doc, wid)
    assert walk.position == ("node", "p1")
    assert walk.last_move.move == "parallel"
    assert walk.pending == ("f2",)
    walk = step(doc, wid)  # p1 reaches the join: back for the second path
    assert walk.position == ("node", "p2")
    assert "next parallel path from 'split' (2 of 2)" in walk.last_move.note
    assert walk.pending == ()
    walk = step(doc, wid)
    assert walk.position == ("node", "join")
    walk = step(doc, wid)
    assert walk.position == ("node", "e")
    assert walk.moves() == []


def test_loop_hits_the_visit_limit_and_the_walk_reports_it() -> None:
    nodes = {"s": NodeKind.START, "a": NodeKind.ACTIVITY, "d": NodeKind.DECISION, "e": NodeKind.END}
    doc = graph_document(nodes, [("s", "a", ""), ("a", "d", ""), ("d", "a", "again"), ("d", "e", "done")])
    wid = start(doc, visit_limit=2)
    step(doc, wid)  # a (1st)
    step(doc, wid)  # d
    walk = step(doc, wid, "f2")  # a (2nd)
    assert walk.visits("a") == 2
    walk = step(doc, wid)  # d
    blocked = walk.limit_reached()
    assert [m.flow_id for m in blocked] == ["f2"]
    assert "visit limit reached: 'a' was entered 2 times" in walk.describe()
    with pytest.raises(WalkError, match="visit limit"):
        walk.forward("f2")
    walk = step(doc, wid, "f3")
    assert walk.position == ("node", "e")


def test_step_back_is_recorded_as_a_new_step_and_keeps_the_time() -> None:
    doc = two_org_document()
    wid = start(doc, "m1")
    step(doc, wid, minutes=2)
    walk = Walk(doc.session, wid)
    doc.apply(walk.back(when=T0 + timedelta(minutes=7)))
    walk = Walk(doc.session, wid)
    assert walk.position == ("node", "start")
    assert [s.move for s in walk.moves_taken] == ["start", "forward", "back"]
    assert [s.index for s in walk.moves_taken] == [0, 1, 2]
    assert len(walk.path) == 1
    with pytest.raises(WalkError, match="already at the start"):
        walk.back()
    walk = step(doc, wid)
    assert walk.position == ("node", "a")
    assert walk.visits("a") == 1


def test_jump_capture_and_finish() -> None:
    doc = two_org_document()
    wid = start(doc, "m1")
    walk = Walk(doc.session, wid)
    doc.apply(walk.jump("b", when=T0 + timedelta(minutes=1)))
    walk = Walk(doc.session, wid)
    assert walk.position == ("node", "b")
    record = doc.apply(walk.capture("problem", "  Nobody knows the form  ", when=T0 + timedelta(minutes=2)))
    annotation = next(iter(doc.session.annotations.values()))
    assert record.op.summary() == "Capture problem at 'Process'"
    assert (annotation.target_kind, annotation.target_id) == ("node", "b")
    assert (annotation.walkthrough_id, annotation.walkthrough_step) == (wid, 1)
    assert annotation.text == "Nobody knows the form"
    with pytest.raises(WalkError, match="node 'zzz' is not in"):
        walk.jump("zzz")
    doc.apply(walk.finish(when=T0 + timedelta(minutes=5)))
    walk = Walk(doc.session, wid)
    assert walk.finished
    with pytest.raises(WalkError, match="finished"):
        walk.forward()


def test_a_model_without_start_event_is_refused_clearly() -> None:
    doc = graph_document({"a": NodeKind.ACTIVITY}, [])
    with pytest.raises(WalkError, match="has no start event"):
        start_walkthrough(doc.session, "m")


def test_example_walk_through_the_information_loop() -> None:
    """The example: group A forwards, the IT provider asks for more (a parallel split with a loop)."""
    doc = Document(Session.model_validate_json(example_session_path().read_text(encoding="utf-8")))
    wid = start(doc, "model-current", scenario="group A, information missing")
    route = [None, None, "flow-03", None, None, "flow-07", None, None, None, "flow-15"]
    for flow_id in route:
        walk = step(doc, wid, flow_id)
    assert walk.position == ("node", "n-it-ask")
    assert "parallel paths from 'Ask sales unit for missing information'" in walk.describe()
    walk = step(doc, wid)  # first path goes back to group A: a handoff, with the two others pending
    assert walk.position == ("flow", "flow-16")
    assert walk.pending == ("flow-23", "flow-24")
    handoff = walk.handoff()
    assert handoff is not None
    assert (handoff.from_name, handoff.to_name) == ("IT provider", "Customer group A")


def test_walked_choices_preset_a_repeat_of_the_scenario() -> None:
    nodes = {"s": NodeKind.START, "a": NodeKind.ACTIVITY, "d": NodeKind.DECISION, "x": NodeKind.ACTIVITY}
    doc = graph_document(nodes, [("s", "a", ""), ("a", "d", ""), ("d", "a", "again"), ("d", "x", "done")])
    first = start(doc)
    for flow_id in (None, None, "f2", None, "f3"):  # a, d, again -> a, d, done -> x
        step(doc, first, flow_id)
    other = start(doc)
    for flow_id in (None, None, "f3"):
        step(doc, other, flow_id)
    assert walked_choices(doc.session, first) == {}  # took both branches at d: nothing fixed
    assert walked_choices(doc.session, other) == {"d": "f3"}
    again, op = start_walkthrough(doc.session, "m", choices=walked_choices(doc.session, other), when=T0)
    doc.apply(op)
    step(doc, again)
    walk = step(doc, again)
    assert not walk.needs_choice()
    assert step(doc, again).position == ("node", "x")
