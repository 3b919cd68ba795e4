"""What a walkthrough leaves behind: time per step, handoffs per pair, boundaries, captures, path comparison."""

from __future__ import annotations

from datetime import timedelta

from tests.domain.builders import two_org_document
from tests.domain.test_walkthrough import T0, start
from workshop.domain.model.annotations import KnowledgeBoundary, TargetKind
from workshop.domain.model.document import Document
from workshop.domain.model.operations import add
from workshop.domain.walkthrough.summary import compare_paths, summarize, summary_json
from workshop.domain.walkthrough.walk import Walk


def _walk(doc: Document, wid: str, minutes: list[int], *, capture_at: int | None = None) -> None:
    """Step forward once per entry of ``minutes`` (time spent on the step before), then finish."""
    at = T0
    for number, spent in enumerate(minutes):
        at += timedelta(minutes=spent)
        walk = Walk(doc.session, wid)
        if capture_at == number:
            doc.apply(walk.capture("idea", "Send the case as a form", when=at - timedelta(seconds=30)))
        doc.apply(walk.forward(when=at))
    doc.apply(Walk(doc.session, wid).finish(when=at + timedelta(minutes=4)))


def test_summary_counts_time_handoffs_boundaries_and_captures() -> None:
    doc = two_org_document()
    doc.apply(
        add(KnowledgeBoundary(id="bd", target_kind=TargetKind.FLOW, target_id="f2", org_a="org-a", org_b="org-it"))
    )
    doc.apply(add(KnowledgeBoundary(id="pair", org_a="org-it", org_b="org-a")))
    wid = start(doc, "m1", scenario="address change")
    # start(2 min) -> a(10) -> handoff f2(6) -> b(3) -> end(finish after 4)
    _walk(doc, wid, [2, 10, 6, 3], capture_at=2)
    summary = summarize(doc.session, wid)
    assert [(s.element_kind, s.element_id) for s in summary.moves] == [
        ("node", "start"),
        ("node", "a"),
        ("flow", "f2"),
        ("node", "b"),
        ("node", "end"),
    ]
    assert [s.seconds for s in summary.moves] == [120, 600, 360, 180, 240]
    assert summary.total_seconds == 1500
    assert summary.handoffs == {("org-a", "org-it"): 1}
    assert summary.boundary_ids == ("bd", "pair")
    assert summary.moves[2].organization == "Customer group A → IT provider"
    assert [a.text for a in summary.moves[2].captures] == ["Send the case as a form"]
    assert summary.capture_count == 1
    assert [s.index for s in summary.longest(2)] == [1, 2]
    data = summary_json(doc.session, summary)
    assert data["scenario"] == "address change"
    assert data["handoffs"] == [
        {"from": "org-a", "to": "org-it", "from_name": "Customer group A", "to_name": "IT provider", "count": 1}
    ]
    assert data["steps"][2]["captures"][0]["kind"] == "idea"


def test_a_running_walk_has_no_time_on_its_last_step_and_back_steps_are_not_crossings() -> None:
    doc = two_org_document()
    wid = start(doc, "m1")
    _walk(doc, wid, [1, 1])  # start -> a -> f2, then finished
    summary = summarize(doc.session, wid)
    assert summary.moves[-1].seconds == 240
    second = start(doc, "m1")
    for _ in range(2):
        doc.apply(Walk(doc.session, second).forward(when=T0))
    doc.apply(Walk(doc.session, second).back(when=T0))
    doc.apply(Walk(doc.session, second).forward(when=T0))
    summary = summarize(doc.session, second)
    assert [s.move for s in summary.moves] == ["start", "forward", "forward", "back", "forward"]
    assert summary.handoffs == {("org-a", "org-it"): 2}
    assert summary.moves[-1].seconds is None


def test_compare_paths_of_two_walkthroughs() -> None:
    doc = two_org_document()
    first = start(doc, "m1")
    _walk(doc, first, [1, 1, 1, 1])
    second = start(doc, "m1")
    doc.apply(Walk(doc.session, second).jump("b", when=T0))
    comparison = compare_paths(doc.session, [first, second])
    assert [e[1] for e in comparison.shared()] == ["start", "b"]
    assert [e[1] for e in comparison.only_in(first)] == ["a", "f2", "end"]
    assert comparison.only_in(second) == []
    assert comparison.visits[("node", "b")] == {first: 1, second: 1}
