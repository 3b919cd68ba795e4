"""Phones stack lanes where the canvas does: each band's top comes from the domain geometry."""

from __future__ import annotations

from tests.domain.builders import two_org_document
from workshop.domain.geometry import lane_boxes
from workshop.domain.operations import update
from workshop.live.public_view import changes, snapshot


def test_each_lane_carries_its_top_and_a_resized_lane_moves_the_ones_below() -> None:
    doc = two_org_document()
    lanes = snapshot(doc.session, doc.last_seq, None)["elements"]["lane"]
    boxes = lane_boxes(doc.session, "m1")
    assert {key: lane["top"] for key, lane in lanes.items()} == {key: box.y for key, box in boxes.items()}
    record = doc.apply(update("lane", "lane-it", height=400.0))
    sent = {change["id"]: change["data"]["top"] for change in changes(doc.state, record) if change["kind"] == "lane"}
    assert sent == {key: box.y for key, box in lane_boxes(doc.session, "m1").items()}
    assert sent["lane-a"] == 400.0, "the lane below moved down, and the pages are told"
