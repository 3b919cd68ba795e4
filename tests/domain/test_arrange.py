"""Align, distribute, nudge and copy/paste build one batch each and leave models consistent."""

from __future__ import annotations

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.arrange import align, copy_fragment, distribute, nudge, paste_fragment
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import update


def test_align_and_distribute() -> None:
    doc = two_org_document()
    doc.apply(update("node", "a", x=0, y=10))
    doc.apply(update("node", "b", x=300, y=200))
    doc.apply(update("node", "end", x=1000, y=50))
    doc.apply(align(doc.session, ["a", "b", "end"], "top"))
    assert {doc.session.nodes[n].y for n in ("a", "b", "end")} == {10}
    doc.apply(distribute(doc.session, ["end", "a", "b"], "horizontal"))
    a, b, end = (doc.session.nodes[n] for n in ("a", "b", "end"))
    assert b.x - (a.x + a.w) == pytest.approx(end.x - (b.x + b.w))
    with pytest.raises(OperationError, match="at least three"):
        distribute(doc.session, ["a", "b"], "vertical")


def test_nudge_is_one_step() -> None:
    doc = two_org_document()
    record = doc.apply(nudge(doc.session, ["a", "b"], 10, -10))
    assert (doc.session.nodes["a"].x, doc.session.nodes["a"].y) == (10, -10)
    doc.apply(record.op.inverse())
    assert doc.session.nodes["a"].x == 0


def test_paste_makes_fresh_copies_with_their_inner_flows() -> None:
    doc = two_org_document()
    fragment = copy_fragment(doc.session, ["a", "b"])
    new_ids, op = paste_fragment(doc.session, fragment, "m1")
    doc.apply(op)
    assert len(new_ids) == 2
    assert not set(new_ids) & {"a", "b"}
    copied = [f for f in doc.session.flows.values() if f.source_id in new_ids]
    assert len(copied) == 1, "only the flow between the two copied nodes comes along"
    assert doc.session.nodes[new_ids[0]].x == 30


def test_every_kind_of_move_takes_the_node_into_the_lane_it_lands_in() -> None:
    """Nudge, align and distribute follow the same lane rule as a drag: drawn in a lane = recorded in it."""
    from workshop.domain.model.document import Document
    from workshop.domain.model.geometry import lane_boxes
    from workshop.resources import example_session_path
    from workshop.store.sessions import load_session_json

    document = Document(load_session_json(example_session_path()))
    session = document.session
    node = session.nodes["n-it-ask"]
    boxes = lane_boxes(session, node.model_id)
    other = next(lane_id for lane_id in boxes if lane_id != node.lane_id)
    target = boxes[other]
    dy = target.y + target.h / 2 - (node.y + node.h / 2)
    document.apply(nudge(session, [node.id], 0, dy))
    moved = document.session.nodes[node.id]
    assert moved.lane_id == other
    lane_org = document.session.lanes[other].organization_id
    assert moved.owner_org_id in (None, lane_org), "the owner follows the lane"
    back = document.session.nodes["n-contact"]
    document.apply(align(document.session, [back.id, node.id], "vcenter"))
    assert document.session.nodes[node.id].lane_id == back.lane_id
