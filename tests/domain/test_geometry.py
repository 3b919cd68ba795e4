"""Lane bands and orthogonal routes, computed without a screen."""

from __future__ import annotations

import itertools

from tests.domain.builders import two_org_document
from workshop.domain.model.geometry import Box, lane_at, lane_boxes, route


def _orthogonal(points: list[tuple[float, float]]) -> bool:
    return all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(points))


def test_lanes_stack_by_index_and_span_the_model() -> None:
    doc = two_org_document()
    boxes = lane_boxes(doc.session, "m1")
    assert list(boxes) == ["lane-it", "lane-a"]
    assert boxes["lane-a"].y == boxes["lane-it"].bottom
    assert lane_at(boxes, boxes["lane-a"].y + 1) == "lane-a"
    assert lane_at(boxes, -5) is None


def test_forward_route_jogs_in_the_gap() -> None:
    points = route(Box(0, 0, 100, 50), Box(200, 100, 100, 50))
    assert points == [(100, 25), (150, 25), (150, 125), (200, 125)]
    assert route(Box(0, 0, 100, 50), Box(200, 0, 100, 50)) == [(100, 25), (200, 25)]


def test_stacked_and_backward_routes_stay_orthogonal_and_outside_the_nodes() -> None:
    down = route(Box(0, 0, 100, 50), Box(20, 200, 100, 50))
    assert down[0] == (50, 50)
    assert down[-1] == (70, 200)
    back = route(Box(300, 0, 100, 50), Box(0, 20, 100, 50))
    assert back[1][1] > 70, "a rework loop runs below both nodes"
    for points in (down, back):
        assert _orthogonal(points)
