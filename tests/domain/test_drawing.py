"""The one drawing (workshop.domain.drawing.shapes): what each shape looks like, decided once for all four renderers."""

from __future__ import annotations

import pytest

from workshop.domain.drawing.shapes import (
    Path,
    blend,
    flow_drawing,
    label_box,
    lane_drawing,
    node_drawing,
    node_outline,
)
from workshop.domain.drawing.style import STYLES
from workshop.domain.model.geometry import Box
from workshop.domain.model.process import GatewayKind, NodeKind

BOX = Box(100, 50, 140, 70)
LIGHT = STYLES["light"]


def _points(path: Path) -> list[tuple[float, float]]:
    """Every end and control point of the path (a Bézier stays inside its control points' hull)."""
    numbers = [v for _op, values in path.commands for v in values]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _subpaths(path: Path) -> int:
    return sum(1 for op, _values in path.commands if op == "M")


@pytest.mark.parametrize("kind", list(NodeKind))
def test_every_outline_starts_closed_and_stays_in_its_box(kind: NodeKind) -> None:
    outline = node_outline(kind, BOX)
    assert outline.commands[0][0] == "M"
    assert ("Z", ()) in outline.commands
    for x, y in _points(outline):
        assert BOX.x - 0.01 <= x <= BOX.right + 0.01
        assert BOX.y - 0.01 <= y <= BOX.bottom + BOX.h * 0.12 + 0.01  # a document's wave dips below its base


def test_shapes_a_flowchart_reader_knows() -> None:
    assert _subpaths(node_outline(NodeKind.WAIT, BOX)) == 2, "a box and its hourglass"
    assert _subpaths(node_outline(NodeKind.IT_SYSTEM, BOX)) == 2, "a cylinder and its top's lip"
    assert _subpaths(node_outline(NodeKind.ACTIVITY, BOX)) == 1
    circle = _points(node_outline(NodeKind.START, BOX))
    assert min(x for x, _ in circle) == pytest.approx(BOX.cx - BOX.h / 2), "an event is a circle, not an oval"


def test_labels_go_inside_shapes_and_below_the_small_events() -> None:
    for kind in NodeKind:
        box = label_box(kind, BOX)
        if kind in (NodeKind.START, NodeKind.END):
            assert box.y > BOX.bottom
        else:
            assert BOX.x <= box.x < box.right <= BOX.right
            assert BOX.y <= box.y < box.bottom <= BOX.bottom


def test_a_node_is_tinted_with_its_organization_and_an_activity_carries_its_stripe() -> None:
    activity = node_drawing(NodeKind.ACTIVITY, BOX, "#e15759", LIGHT)
    assert activity.shapes[0].fill == blend(LIGHT.node_fill, "#e15759", 40 / 255)
    assert activity.shapes[0].stroke is not None
    assert activity.shapes[0].stroke.colour == LIGHT.node_border
    assert activity.shapes[-1].fill == "#e15759", "the stripe"
    start = node_drawing(NodeKind.START, BOX, "#e15759", LIGHT)
    assert start.shapes[0].fill == "#e15759"
    end = node_drawing(NodeKind.END, BOX, "#e15759", LIGHT)
    assert end.shapes[0].stroke is not None
    assert end.shapes[0].stroke.width == LIGHT.end_line_width


def test_a_decision_shows_its_gateway_marker_but_an_exclusive_one_stays_plain() -> None:
    assert len(node_drawing(NodeKind.DECISION, BOX, "#4e79a7", LIGHT, GatewayKind.EXCLUSIVE).shapes) == 1
    parallel = node_drawing(NodeKind.DECISION, BOX, "#4e79a7", LIGHT, GatewayKind.PARALLEL)
    assert len(parallel.shapes) == 2
    assert parallel.shapes[1].fill is None, "a marker is stroked, not filled"


def test_a_handoff_is_thick_dashed_in_its_colour_and_marked_in_the_middle() -> None:
    points = [(0.0, 0.0), (100.0, 0.0), (100.0, 80.0), (300.0, 80.0)]
    for style in STYLES.values():
        handoff = flow_drawing(points, style, handoff=True)
        line = handoff.shapes[0].stroke
        assert line is not None
        assert (line.colour, line.width, line.dash) == (style.handoff, style.handoff_width, style.handoff_dash_px)
        assert len(handoff.shapes) == 4, "line, arrowhead, ring and dot"
        plain = flow_drawing(points, style, handoff=False)
        assert plain.shapes[0].stroke is not None
        assert plain.shapes[0].stroke.dash is None
        assert len(plain.shapes) == 2
    head = flow_drawing(points, LIGHT, handoff=False).shapes[1].path
    assert head.commands[0] == ("M", (300.0, 80.0)), "the arrowhead's tip is the route's end"
    assert flow_drawing(points, LIGHT, handoff=False).label_at == (200.0, 80.0), "the longest segment's middle"


def test_a_lane_is_its_tinted_band_and_a_full_colour_title_strip() -> None:
    band = Box(-160, 0, 900, 180)
    lane = lane_drawing(band, "#59a14f", LIGHT)
    assert lane.shapes[0].fill == "#59a14f"
    assert lane.shapes[0].fill_alpha == LIGHT.lane_fill_alpha
    assert lane.shapes[1].fill_alpha == 1.0
    assert band.x < lane.title_box.x < lane.title_box.right < 0


def test_paths_read_as_svg_path_data() -> None:
    assert node_outline(NodeKind.DECISION, Box(0, 0, 10, 20)).svg() == "M5 0 L10 10 L5 20 L0 10 Z"
    assert blend("#ffffff", "#000000", 0.5) == "#808080"


def test_a_shape_too_small_for_its_label_has_it_below_like_an_event() -> None:
    tiny = Box(0, 0, 24, 24)  # as other modellers draw a task in a crowded diagram
    for kind in (NodeKind.ACTIVITY, NodeKind.DECISION, NodeKind.WAIT, NodeKind.IT_SYSTEM, NodeKind.DOCUMENT):
        drawn = node_drawing(kind, tiny, "#4e79a7", LIGHT)
        assert drawn.label_below, kind
        assert drawn.label_box.y > tiny.bottom
        assert drawn.label_box.w >= 120, "room for a few words"
        assert drawn.label_box.cx == tiny.cx
    assert not node_drawing(NodeKind.ACTIVITY, BOX, "#4e79a7", LIGHT).label_below
