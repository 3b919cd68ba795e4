"""The what-if calculation against hand-computed expectations."""

from __future__ import annotations

import pytest

from tests.domain.test_walkthrough import start
from workshop.domain.model.document import Document
from workshop.domain.model.operations import add, update
from workshop.domain.model.process import Flow, Lane, Node, NodeKind, Organization, ProcessModel
from workshop.domain.model.session import Session, new_session
from workshop.domain.walkthrough.walk import Walk, walked_choices
from workshop.domain.walkthrough.whatif import WhatIfError, scenarios, solve, what_if
from workshop.resources import example_session_path

Spec = tuple[str, NodeKind, str, float | None, float | None]


def model(nodes: list[Spec], flows: list[tuple[str, str, float | None]]) -> Document:
    """Nodes are (id, kind, organization 'x' or 'y', duration, wait); flows (source, target, probability)."""
    doc = Document(new_session("what-if", session_id="session-whatif"))
    doc.apply(add(ProcessModel(id="m", name="Future")))
    for org in ("x", "y"):
        doc.apply(add(Organization(id=org, name=org.upper())))
        doc.apply(add(Lane(id=f"lane-{org}", model_id="m", organization_id=org, index=0 if org == "x" else 1)))
    for number, (node_id, kind, org, duration, wait) in enumerate(nodes):
        node = Node(
            id=node_id,
            model_id="m",
            node_kind=kind,
            label=node_id,
            lane_id=f"lane-{org}",
            x=number * 200.0,
            duration_minutes=duration,
            wait_minutes=wait,
        )
        doc.apply(add(node))
    for number, (source, target, p) in enumerate(flows):
        doc.apply(add(Flow(id=f"f{number}", model_id="m", source_id=source, target_id=target, probability=p)))
    return doc


S: Spec = ("s", NodeKind.START, "x", None, None)
E: Spec = ("e", NodeKind.END, "y", None, None)


def test_decision_expectation() -> None:
    # s -> A(10, wait 5) -> D: 0.25 -> B(20, in y) ; 0.75 -> C(4, wait 2, in y) -> e
    doc = model(
        [
            S,
            ("A", NodeKind.ACTIVITY, "x", 10, 5),
            ("D", NodeKind.DECISION, "x", None, None),
            ("B", NodeKind.ACTIVITY, "y", 20, None),
            ("C", NodeKind.ACTIVITY, "y", 4, 2),
            E,
        ],
        [("s", "A", None), ("A", "D", None), ("D", "B", 0.25), ("D", "C", 0.75), ("B", "e", None), ("C", "e", None)],
    )
    result = what_if(doc.session, "m")
    assert result.lead_minutes == pytest.approx(15 + 0.25 * 20 + 0.75 * 6)  # 24.5
    assert result.touch_minutes == pytest.approx(10 + 0.25 * 20 + 0.75 * 4)  # 18
    assert result.wait_minutes == pytest.approx(5 + 0.75 * 2)
    by_org = {o.organization_id: o for o in result.organizations}
    assert by_org["x"].lead_minutes == pytest.approx(15)
    assert by_org["y"].lead_minutes == pytest.approx(9.5)
    assert by_org["y"].touch_minutes == pytest.approx(8)
    losses = {h.flow_id: h for h in result.handoffs}
    assert losses["f3"].crossings == pytest.approx(0.75)
    assert losses["f3"].wait_minutes == pytest.approx(1.5)
    assert result.handoffs[0].flow_id == "f3"


def test_loop_is_an_absorbing_chain() -> None:
    # s -> A(10) -> D: 0.2 back to A, 0.8 -> e. Visits of A: 1 / (1 - 0.2) = 1.25
    doc = model(
        [S, ("A", NodeKind.ACTIVITY, "x", 10, None), ("D", NodeKind.DECISION, "x", None, None), E],
        [("s", "A", None), ("A", "D", None), ("D", "A", 0.2), ("D", "e", 0.8)],
    )
    result = what_if(doc.session, "m")
    assert result.visits["A"] == pytest.approx(1.25)
    assert result.lead_minutes == pytest.approx(12.5)
    assert result.touch_minutes == pytest.approx(12.5)


def test_parallel_paths_merge_at_the_join_and_the_longest_path_sets_the_lead_time() -> None:
    # s -> S(1) -> P1(5) -> J(2) -> e ; S -> P2(8, wait 4) -> J
    doc = model(
        [
            S,
            ("S", NodeKind.ACTIVITY, "x", 1, None),
            ("P1", NodeKind.ACTIVITY, "x", 5, None),
            ("P2", NodeKind.ACTIVITY, "y", 8, 4),
            ("J", NodeKind.ACTIVITY, "x", 2, None),
            E,
        ],
        [
            ("s", "S", None),
            ("S", "P1", None),
            ("S", "P2", None),
            ("P1", "J", None),
            ("P2", "J", None),
            ("J", "e", None),
        ],
    )
    result = what_if(doc.session, "m")
    assert result.visits["J"] == pytest.approx(1.0)
    assert result.touch_minutes == pytest.approx(1 + 5 + 8 + 2)
    assert result.lead_minutes == pytest.approx(1 + max(5, 12) + 2)
    by_org = {o.organization_id: o.lead_minutes for o in result.organizations}
    assert by_org == pytest.approx({"x": 3, "y": 12})


def test_missing_and_unbalanced_probabilities_are_named() -> None:
    nodes = [S, ("D", NodeKind.DECISION, "x", None, None), ("A", NodeKind.ACTIVITY, "x", 1, None), E]
    doc = model(nodes, [("s", "D", None), ("D", "A", 0.5), ("D", "e", None), ("A", "e", None)])
    with pytest.raises(WhatIfError, match="decision 'D': no probability on 'D → e'"):
        what_if(doc.session, "m")
    doc.apply(update("flow", "f2", probability=0.4))
    with pytest.raises(WhatIfError, match=r"sum to 0\.9, not 1"):
        what_if(doc.session, "m")
    # a scenario that fixes the branch needs no probabilities
    assert what_if(doc.session, "m", choices={"D": "f1"}).touch_minutes == pytest.approx(1)


def test_a_loop_without_a_way_out_is_refused() -> None:
    doc = model(
        [S, ("A", NodeKind.ACTIVITY, "x", 1, None), ("D", NodeKind.DECISION, "x", None, None), E],
        [("s", "A", None), ("A", "D", None), ("D", "A", 1.0), ("D", "e", 0.0)],
    )
    with pytest.raises(WhatIfError, match="loops without a way out"):
        what_if(doc.session, "m")


def test_solve_small_system() -> None:
    assert solve([{0: 2.0, 1: 1.0}, {0: 1.0, 1: 3.0}], [3.0, 5.0]) == pytest.approx([0.8, 1.4])
    assert solve([{1: 2.0}, {0: 4.0}], [2.0, 8.0]) == pytest.approx([2.0, 1.0])  # needs a row swap
    with pytest.raises(ZeroDivisionError):
        solve([{0: 1.0, 1: 1.0}, {0: 2.0, 1: 2.0}], [1.0, 2.0])


def test_example_model_figures_and_walked_scenario() -> None:
    doc = Document(Session.model_validate_json(example_session_path().read_text(encoding="utf-8")))
    result = what_if(doc.session, "model-current")
    # IT receives each case once plus once per request for information: (0.42 + 0.4) / (1 - 0.35)
    assert result.visits["n-it-receive"] == pytest.approx(0.82 / 0.65)
    assert result.visits["n-eu-receive"] == pytest.approx(1.0)
    assert sum(o.lead_minutes for o in result.organizations) == pytest.approx(result.lead_minutes)
    assert result.handoffs[0].flow_id == "flow-09"
    wid = start(doc, "model-current", scenario="group B, complete")
    for flow_id in [None, None, "flow-04", None, None, None, None, None, None, "flow-14"]:
        walk = Walk(doc.session, wid)
        doc.apply(walk.forward(flow_id))
    figures, problems = scenarios(doc.session, "model-current")
    assert problems == []
    assert [f.scenario for f in figures][1] == "group B, complete"
    walked = figures[1]
    # contact 5, register 10, fax 5 (+240), receive 10 (+120), classify 10, register 15, batch +720,
    # letter 5 (+2880), receive 2
    assert walked.touch_minutes == pytest.approx(5 + 10 + 5 + 10 + 10 + 15 + 5 + 2)
    assert walked.lead_minutes == pytest.approx(62 + 240 + 120 + 720 + 2880)


def test_a_walk_through_a_loop_leaves_the_loop_to_its_probability() -> None:
    doc = Document(Session.model_validate_json(example_session_path().read_text(encoding="utf-8")))
    wid = start(doc, "model-current", scenario="group A, information missing")
    for flow_id in [None, None, "flow-03", None, None, "flow-07", None, None, None, "flow-15"]:
        doc.apply(Walk(doc.session, wid).forward(flow_id))
    assert walked_choices(doc.session, wid) == {"n-which": "flow-03", "n-a-local": "flow-07"}
    figures, problems = scenarios(doc.session, "model-current")
    assert problems == []
    walked = figures[1]
    assert walked.visits["n-it-receive"] == pytest.approx(1 / (1 - 0.35))
    assert walked.visits.get("n-b-register", 0.0) == pytest.approx(0.0)  # the walk took group A
