"""Layout: flows point right except rework, nodes stay in their lanes, one undoable batch."""

from __future__ import annotations

from tests.domain.builders import two_org_document
from workshop.domain.model.document import Document
from workshop.domain.model.geometry import lane_boxes
from workshop.domain.model.layout import layout_model
from workshop.domain.model.operations import add, update
from workshop.domain.model.process import Flow, Node
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json


def test_layout_orders_columns_and_keeps_lanes() -> None:
    doc = two_org_document()
    doc.apply(update("node", "end", x=0))
    doc.apply(update("node", "start", x=900))
    doc.apply(add(Node(id="c", model_id="m1", lane_id="lane-a", owner_org_id="org-a")))
    doc.apply(add(Flow(id="f4", model_id="m1", source_id="a", target_id="c")))
    doc.apply(add(Flow(id="back", model_id="m1", source_id="b", target_id="a")))  # rework loop
    before = doc.session.model_copy(deep=True)

    record = doc.apply(layout_model(doc.session, "m1"))

    n = doc.session.nodes
    assert n["start"].x < n["a"].x < n["b"].x < n["end"].x
    assert n["b"].x == n["c"].x, "b and c are both one step after a"
    assert {k: v.lane_id for k, v in n.items()} == {k: v.lane_id for k, v in before.nodes.items()}
    doc.apply(record.op.inverse())
    assert doc.session == before


def test_layout_of_the_example_puts_every_node_inside_its_lane() -> None:
    doc = Document(load_session_json(example_session_path()))
    doc.apply(layout_model(doc.session, "model-current"))
    boxes = lane_boxes(doc.session, "model-current")
    for node in doc.session.nodes.values():
        lane = boxes[node.lane_id]  # type: ignore[index]
        assert lane.y <= node.y
        assert node.y + node.h <= lane.bottom
