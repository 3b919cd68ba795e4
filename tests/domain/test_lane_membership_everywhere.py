"""A node belongs to the lane it is drawn in, however it moves: also a move that does not say its lane."""

from __future__ import annotations

from tests.domain.builders import two_org_document
from workshop.domain.geometry import lane_boxes
from workshop.domain.operations import batch, update


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
