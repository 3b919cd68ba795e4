"""Naming organizations adds one lane each, reusing organizations already there, in one undoable step."""

from __future__ import annotations

from tests.domain.builders import two_org_document
from workshop.domain.model.geometry import model_lanes
from workshop.domain.model.organization_lanes import lanes_for_organizations_op, move_lane_op


def test_new_names_get_an_organization_and_a_lane_and_known_ones_are_not_doubled() -> None:
    doc = two_org_document()
    op = lanes_for_organizations_op(doc.session, "m1", ["  it   PROVIDER ", "Municipality", "municipality", "", "Bank"])
    assert op is not None
    doc.apply(op)
    names = [doc.session.organizations[lane.organization_id].name for lane in model_lanes(doc.session, "m1")]
    assert names == ["IT provider", "Customer group A", "Municipality", "Bank"]
    colours = [org.colour for org in doc.session.organizations.values()]
    assert len(set(colours[-2:])) == 2, "two organizations added together still get different colours"
    assert lanes_for_organizations_op(doc.session, "m1", ["Bank"]) is None, "nothing left to add"
    doc.apply(op.inverse())
    assert len(doc.session.organizations) == 2, "one step: undo takes all of it back"


def test_a_second_lane_for_an_organization_needs_another_role() -> None:
    doc = two_org_document()
    op = lanes_for_organizations_op(doc.session, "m1", ["IT provider"], role="Service desk")
    assert op is not None
    doc.apply(op)
    assert len(model_lanes(doc.session, "m1")) == 3
    assert len(doc.session.organizations) == 2


def test_moving_a_lane_swaps_it_with_its_neighbour_and_stops_at_either_end() -> None:
    doc = two_org_document()
    assert move_lane_op(doc.session, "lane-it", -1) is None, "the top lane cannot move up"
    assert move_lane_op(doc.session, "lane-a", +1) is None, "the bottom lane cannot move down"
    op = move_lane_op(doc.session, "lane-a", -1)
    assert op is not None
    doc.apply(op)
    assert [lane.id for lane in model_lanes(doc.session, "m1")] == ["lane-a", "lane-it"]
