"""A node belongs to the lane it is drawn in, however it moves: also a move that does not say its lane."""

from __future__ import annotations

from tests.domain.builders import two_org_document
from workshop.domain.model.document import Document
from workshop.domain.model.edits import remove_lane_op
from workshop.domain.model.geometry import lane_at, lane_boxes, model_lanes
from workshop.domain.model.operations import batch, update
from workshop.domain.model.organization_lanes import move_lane_op
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json


def test_a_move_into_another_lane_from_any_front_takes_the_lane_and_owner_in_the_same_record() -> None:
    doc = two_org_document()
    band = lane_boxes(doc.session, "m1")["lane-a"]
    node = doc.session.nodes["b"]  # in lane-it, owned by org-it
    record = doc.apply(update("node", "b", y=band.y + 20))  # as a JSON-lines file or a script would move it
    moved = doc.session.nodes["b"]
    assert moved.lane_id == "lane-a"
    assert moved.owner_org_id == "org-a", "an activity changes owner with its lane"
    assert {op.kind for op in record.op.primitives()} == {"node"}
    doc.apply(record.op.inverse())  # one undo takes it all back
    assert doc.session.nodes["b"].lane_id == node.lane_id
    assert doc.session.nodes["b"].owner_org_id == node.owner_org_id


def test_a_move_within_its_lane_or_one_that_names_its_lane_is_recorded_as_given() -> None:
    doc = two_org_document()
    record = doc.apply(update("node", "b", x=500.0))
    assert [op.op for op in record.op.primitives()] == ["update"]
    band = lane_boxes(doc.session, "m1")["lane-a"]
    named = doc.apply(update("node", "b", y=band.y + 20, lane_id="lane-it"))
    assert doc.session.nodes["b"].lane_id == "lane-it", "the caller said which lane: taken as meant"
    assert len(list(named.op.primitives())) == 1


def test_a_batch_of_moves_is_completed_once_against_where_the_nodes_end_up() -> None:
    doc = two_org_document()
    band = lane_boxes(doc.session, "m1")["lane-a"]
    record = doc.apply(batch("Arrange", [update("node", "b", y=band.y + 20), update("node", "end", y=band.y + 20)]))
    assert doc.session.nodes["b"].lane_id == doc.session.nodes["end"].lane_id == "lane-a"
    assert record.op.summary() == "Arrange"


def test_undoing_a_move_restores_exactly_what_was_there_even_a_node_drawn_outside_its_lane() -> None:
    doc = two_org_document()  # its nodes all sit at y=0: drawn in the first lane, whatever lane they record
    before = doc.session.model_copy(deep=True)
    record = doc.apply(update("node", "a", y=200.0))
    doc.apply(record.op.inverse())  # undo: an update that carries its old values is applied as recorded
    assert doc.session == before


def _drawn_in_own_lane(doc: Document) -> bool:
    boxes = lane_boxes(doc.session, "model-current")
    return all(
        lane_at(boxes, node.y + node.h / 2) == node.lane_id
        for node in doc.session.nodes.values()
        if node.model_id == "model-current" and node.lane_id
    )


def test_reordering_or_removing_lanes_takes_their_nodes_along_and_undo_puts_everything_back() -> None:
    doc = Document(load_session_json(example_session_path()))
    assert _drawn_in_own_lane(doc)
    before = doc.session.model_copy(deep=True)
    first = model_lanes(doc.session, "model-current")[0]
    swap = move_lane_op(doc.session, first.id, +1)
    assert swap is not None
    swapped = doc.apply(swap)
    assert _drawn_in_own_lane(doc), "each lane's nodes moved with it"
    removed = doc.apply(remove_lane_op(doc.state, first.id))
    assert _drawn_in_own_lane(doc), "the lanes below moved up, and their nodes with them"
    doc.apply(removed.op.inverse())
    doc.apply(swapped.op.inverse())
    assert doc.session == before
