"""The one drawing of a process model: every shape as a path, with its fill and stroke, computed here once.

Four renderers draw the same diagram: the canvas (Qt), the SVG picture, the
PDF report and the phone page. Each used to describe the shapes itself, and
they had drifted apart: a wait step was a rounded box with an hourglass on
the canvas, a circle in the report and a pill on the phone; an activity's
organization was a tint on the canvas, a stripe in the report and a coloured
outline on the phone. Now each renderer only translates :class:`Shape`
objects (a path, a fill, a stroke) into its own drawing calls: what a shape
looks like is decided here, in plain data, without Qt.

Colours come from the style table (:mod:`workshop.domain.drawing.style`), lengths
are scene units (1 unit = 1 px at 100 %). Text is described by the box it
must fit in (:attr:`NodeDrawing.label_box`); fitting words into it needs a
font's metrics, which each renderer has (Qt, reportlab, the browser).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from workshop.domain.drawing.notation import (
    MARKER,
    PLAIN,
    STRIPE_WIDTH,
    TASK_MARKERS,
    Notation,
    bottom_markers,
    event_glyph,
    task_marker,
)
from workshop.domain.drawing.paths import KAPPA as KAPPA
from workshop.domain.drawing.paths import Command as Command
from workshop.domain.drawing.paths import Path as Path
from workshop.domain.drawing.paths import PathBuilder as PathBuilder
from workshop.domain.drawing.paths import Shape as Shape
from workshop.domain.drawing.paths import Stroke as Stroke
from workshop.domain.drawing.style import DiagramStyle
from workshop.domain.model.geometry import Box, Point
from workshop.domain.model.naming import one_line
from workshop.domain.model.process import LANE_HEADER_WIDTH, Flow, GatewayKind, NodeKind
from workshop.domain.model.session import Session

# -- colours ----------------------------------------------------------------------------------------------------

TINT = 40 / 255
"""How strongly a shape's fill takes its organization's colour: enough to tell lanes' work apart, not to hide text."""


@functools.cache  # a few colours, asked for each of tens of thousands of shapes
def blend(base: str, colour: str, share: float) -> str:
    """``colour`` laid over ``base`` at ``share`` (0..1), as one opaque hex colour (no transparency to render)."""
    b = [int(base[i : i + 2], 16) for i in (1, 3, 5)]
    c = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(bv + (cv - bv) * share):02x}" for bv, cv in zip(b, c, strict=True))


def organization_colour(session: Session, organization_id: str | None, style: DiagramStyle) -> str:
    """The colour an organization's lanes and shapes are drawn in; the style's grey for none (or a deleted one)."""
    org = session.organizations.get(organization_id) if organization_id else None
    return org.colour if org else style.no_organization


# -- nodes ------------------------------------------------------------------------------------------------------


def node_outline(kind: str, box: Box, notation: Notation = PLAIN) -> Path:
    """The outline of a node of ``kind`` filling ``box``, as a flowchart reader expects it (an event from BPMN
    that waits in the middle of the process is a circle, the workshop's own wait a box with an hourglass)."""
    p = PathBuilder()
    x, y, w, h = box.x, box.y, box.w, box.h
    if kind in (NodeKind.START, NodeKind.END) or (kind == NodeKind.WAIT and notation.intermediate):
        r = min(w, h) / 2
        return p.ellipse(box.cx, box.cy, r, r).build()
    if kind == NodeKind.DECISION:
        return p.polygon([(x + w / 2, y), (x + w, y + h / 2), (x + w / 2, y + h), (x, y + h / 2)]).build()
    if kind == NodeKind.DOCUMENT:
        wave = h * 0.12
        p.move(x, y).line(x + w, y).line(x + w, y + h - wave)
        return p.curve(x + w * 0.75, y + h - 3 * wave, x + w * 0.25, y + h + wave, x, y + h - wave).close().build()
    if kind == NodeKind.IT_SYSTEM:
        cap = min(h * 0.18, 14.0)
        cx, rx, ry = x + w / 2, w / 2, cap / 2
        p.move(x, y + ry).upper_half(cx, y + ry, rx, ry, left_to_right=True)
        p.line(x + w, y + h - ry).lower_half(cx, y + h - ry, rx, ry, left_to_right=False).close()
        return p.move(x, y + ry).lower_half(cx, y + ry, rx, ry, left_to_right=True).build()  # the top's lip
    if kind == NodeKind.WAIT:  # an hourglass inside a rounded box: "nothing happens here but time"
        p.rounded_box(box, 10)
        s = min(h * 0.5, 26.0)
        hx, hy = x + 8, y + (h - s) / 2
        return p.polygon([(hx, hy), (hx + s * 0.7, hy), (hx, hy + s), (hx + s * 0.7, hy + s)]).build()
    return p.rounded_box(box, 12).build()


def gateway_marker(gateway_kind: str, box: Box) -> Path:
    """BPMN's marker for a decision's gateway type: in the diamond's middle when the name is below it, else
    stroked in its upper corner above the name.

    Parallel +, inclusive O, event-based a pentagon in a circle, complex *;
    an exclusive decision (the workshop's ordinary one) stays plain.
    """
    p = PathBuilder()
    if label_below(NodeKind.DECISION, box):
        r = min(box.w, box.h) * 0.22
        cx, cy = box.cx, box.cy
    else:
        r = min(box.w, box.h) * 0.1
        cx, cy = box.cx, box.y + box.h * 0.24
    if gateway_kind == GatewayKind.PARALLEL:
        p.move(cx - r, cy).line(cx + r, cy).move(cx, cy - r).line(cx, cy + r)
    elif gateway_kind == GatewayKind.INCLUSIVE:
        p.ellipse(cx, cy, r, r)
    elif gateway_kind == GatewayKind.EVENT_BASED:
        p.ellipse(cx, cy, r, r)
        corners = [
            (cx + 0.6 * r * math.sin(2 * math.pi * i / 5), cy - 0.6 * r * math.cos(2 * math.pi * i / 5))
            for i in range(5)
        ]
        p.polygon(corners)
    elif gateway_kind == GatewayKind.COMPLEX:
        for angle in (0, 45, 90, 135):
            dx, dy = r * math.cos(math.radians(angle)), r * math.sin(math.radians(angle))
            p.move(cx - dx, cy - dy).line(cx + dx, cy + dy)
    return p.build()


MIN_LABEL_BOX = (30.0, 14.0)
"""The smallest box (width, height) a label is fitted into inside its shape; a smaller shape has it below."""


DECISION_LABEL_INSIDE = (100.0, 60.0)
"""The smallest diamond (width, height) that holds its name; a smaller one (BPMN tools draw 50 × 50) has it below,
where a name is never broken to squeeze it between the corners."""


def _inside(kind: str, box: Box, notation: Notation = PLAIN) -> Box:
    x, y, w, h = box.x, box.y, box.w, box.h
    if kind == NodeKind.ACTIVITY and (notation.element in TASK_MARKERS or notation.bottom_markers):
        top = MARKER + 4 if notation.element in TASK_MARKERS else 4.0
        bottom = MARKER + 4 if notation.bottom_markers else 4.0
        return Box(x + 8, y + top, w - 16, h - top - bottom)
    if kind == NodeKind.DECISION:  # the diamond's middle, where a line or two still fits inside its corners
        return Box(x + w * 0.1, y + 4, w * 0.8, h - 8)
    if kind == NodeKind.WAIT:
        inset = min(h * 0.5, 26.0) + 10
        return Box(x + inset, y + 4, w - inset - 6, h - 8)
    if kind == NodeKind.IT_SYSTEM:
        cap = min(h * 0.18, 14.0) + 2
        return Box(x + 6, y + cap, w - 12, h - cap - 4)
    return Box(x + 8, y + 4, w - 16, h - 8)


WORD_CHARACTER = 7.0
"""A character's width in a label, in scene units, as the longest word of a label is measured against its shape
(the fonts' average at the labels' size): a word wider than the inside puts the label below, never broken."""


def longest_word(label: str) -> int:
    """The number of characters of the label's longest word (what decides whether it fits inside its shape)."""
    return max((len(word) for word in label.split()), default=0)


def label_below(kind: str, box: Box, notation: Notation = PLAIN, word: int = 0) -> bool:
    """True where the label sits below the shape: an event (a start, an end, one from BPMN in between), a diamond
    too small to hold a name (:data:`DECISION_LABEL_INSIDE`), any shape too small to hold a label (imported
    diagrams draw 20-pixel tasks) or one whose longest word (``word`` characters, :func:`longest_word`) would have
    to be broken to fit; one rule for the canvas, the report and the phone."""
    if kind in (NodeKind.START, NodeKind.END) or notation.intermediate:
        return True
    if kind == NodeKind.DECISION and (box.w < DECISION_LABEL_INSIDE[0] or box.h < DECISION_LABEL_INSIDE[1]):
        return True
    inside = _inside(kind, box, notation)
    if inside.w < MIN_LABEL_BOX[0] or inside.h < MIN_LABEL_BOX[1]:
        return True
    return inside.w < word * WORD_CHARACTER <= _below_width(box)  # a word too long for either is cut inside


def _below_width(box: Box) -> float:
    return max(box.w + 90, 120.0)


def label_box(kind: str, box: Box, notation: Notation = PLAIN, word: int = 0) -> Box:
    """Where a node's label goes: inside the shape, or below it (:func:`label_below`), a little wider than it."""
    if label_below(kind, box, notation, word):
        width = _below_width(box)
        return Box(box.cx - width / 2, box.bottom + 2, width, 60)
    if notation.expanded:  # an expanded sub-process: its name along its top, its steps below it
        return Box(box.x + 8, box.y + 2, max(box.w - 16, 1.0), min(28.0, box.h / 3))
    return _inside(kind, box, notation)


@dataclass(frozen=True, slots=True)
class NodeDrawing:
    """A node as drawn: its shapes bottom to top, and the box its label is fitted into."""

    shapes: tuple[Shape, ...]
    label_box: Box
    label_below: bool


def node_fill(kind: str, colour: str, style: DiagramStyle) -> str:
    """A start or end event is its organization's colour; any other shape is tinted with it."""
    return colour if kind in (NodeKind.START, NodeKind.END) else blend(style.node_fill, colour, TINT)


NON_INTERRUPTING_DASH = (4.0, 3.0)
"""The dashes of an event that does not interrupt (BPMN's dashed border)."""
INNER_RING = 3.0
"""How far inside its outer ring an intermediate or boundary event's inner ring runs."""


def node_drawing(
    kind: str,
    box: Box,
    colour: str,
    style: DiagramStyle,
    gateway_kind: str = "",
    notation: Notation = PLAIN,
    word: int = 0,
) -> NodeDrawing:
    """A node of ``kind`` filling ``box`` for an organization drawn in ``colour``, with BPMN's notation for what
    it means (:mod:`workshop.domain.drawing.notation`): event glyphs, task types, loop and other markers.
    ``word``: the length of the label's longest word (:func:`longest_word`), which decides where the label goes."""
    event = kind in (NodeKind.START, NodeKind.END) or (kind == NodeKind.WAIT and notation.intermediate)
    width = style.end_line_width if kind == NodeKind.END else style.line_width
    if kind == NodeKind.ACTIVITY and notation.element == "callActivity":
        width = style.end_line_width  # a call activity's thick border
    dash = NON_INTERRUPTING_DASH if event and not notation.interrupting else None
    fill = node_fill(kind, colour, style)
    shapes = [Shape(node_outline(kind, box, notation), fill, Stroke(style.node_border, width, dash))]
    if event:
        r = min(box.w, box.h) / 2
        if notation.intermediate and r > INNER_RING * 2:
            ring = PathBuilder().ellipse(box.cx, box.cy, r - INNER_RING, r - INNER_RING).build()
            shapes.append(Shape(ring, None, Stroke(style.node_border, style.line_width, dash)))
        square = Box(box.cx - r, box.cy - r, 2 * r, 2 * r)
        shapes += event_glyph(notation.event, square, style, throwing=notation.throwing, fill=fill)
    if kind == NodeKind.DECISION and gateway_kind:
        marker = gateway_marker(gateway_kind, box)
        if not marker.empty:
            shapes.append(Shape(marker, None, Stroke(style.node_border, style.line_width * 2)))
    if kind == NodeKind.ACTIVITY:  # a decision's diamond has no edge to carry a stripe: its tint says whose it is
        stripe = Box(box.x, box.y, min(STRIPE_WIDTH, box.w), box.h)
        shapes.append(Shape(PathBuilder().rounded_box(stripe, 0).build(), colour))
        shapes += task_marker(notation.element, box, style, fill)
        shapes += bottom_markers(notation.bottom_markers, box, style, fill)
    return NodeDrawing(tuple(shapes), label_box(kind, box, notation, word), label_below(kind, box, notation, word))


# -- flows ------------------------------------------------------------------------------------------------------

ARROW = 12.0
"""An arrowhead's length beyond the line's own width."""
ARROW_ANGLE = 0.45
"""Half the arrowhead's opening, in radians."""
HANDOFF_RING, HANDOFF_DOT = 9.0, 3.5
"""The radii of the ring and dot marking a handoff at its route's longest segment."""


def flow_stroke(style: DiagramStyle, *, handoff: bool) -> Stroke:
    """A handoff is thicker, in the handoff colour and dashed; an ordinary flow is a thin solid line."""
    if handoff:
        return Stroke(style.handoff, style.handoff_width, style.handoff_dash_px)
    return Stroke(style.flow, style.line_width)


def longest_segment(points: Sequence[Point]) -> tuple[Point, Point]:
    """The route's longest segment: where its label and marks sit (the first, of equals)."""
    return max(itertools.pairwise(points), key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1]))


def midpoint(points: Sequence[Point]) -> Point:
    """The middle of the route's longest segment."""
    (ax, ay), (bx, by) = longest_segment(points)
    return (ax + bx) / 2, (ay + by) / 2


FLOW_CHARACTER = 6.5
"""A character's width in a flow's label (a smaller size than a step's), to find a stretch of route it fits."""


def label_point(points: Sequence[Point], text: str) -> Point:
    """Where a flow's label is centred (above it): the middle of the longest level stretch of the route wide
    enough for the label, else of the longest upright stretch long enough to stand beside, else of the longest
    segment. So a label sits between the steps it joins, not on them."""
    if not text:
        return midpoint(points)
    width = len(one_line(text)) * FLOW_CHARACTER + 16
    segments = list(itertools.pairwise(points))
    level = [(a, b) for a, b in segments if abs(a[1] - b[1]) < 0.5 and abs(b[0] - a[0]) >= width]
    upright = [(a, b) for a, b in segments if abs(a[0] - b[0]) < 0.5 and abs(b[1] - a[1]) >= 60]
    for candidates in (level, upright):
        if candidates:
            (ax, ay), (bx, by) = max(candidates, key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1]))
            return (ax + bx) / 2, (ay + by) / 2
    return midpoint(points)


def arrow_head(points: Sequence[Point], line_width: float) -> Path:
    """The filled arrowhead at the route's end, pointing along its last segment."""
    (bx, by), (ex, ey) = points[-2], points[-1]
    angle = math.atan2(ey - by, ex - bx)
    size = ARROW + line_width
    return (
        PathBuilder()
        .polygon(
            [
                (ex, ey),
                (ex - math.cos(angle - ARROW_ANGLE) * size, ey - math.sin(angle - ARROW_ANGLE) * size),
                (ex - math.cos(angle + ARROW_ANGLE) * size, ey - math.sin(angle + ARROW_ANGLE) * size),
            ]
        )
        .build()
    )


@dataclass(frozen=True, slots=True)
class FlowDrawing:
    """A flow as drawn: the route's line, its arrowhead and, on a handoff, the ring at its middle."""

    shapes: tuple[Shape, ...]
    label_at: Point
    """Where the label is centred above (:func:`label_point`): between the steps, not on them."""


def route_path(points: Sequence[Point]) -> Path:
    """The route as an open polyline."""
    p = PathBuilder()
    (x, y), *rest = points
    p.move(x, y)
    for px, py in rest:
        p.line(px, py)
    return p.build()


DEFAULT_FLOW, CONDITIONAL_FLOW = "default", "conditional"
"""A flow's mark at its start: BPMN's slash across a default flow, its small diamond on a conditional flow out of
an activity (out of a gateway, the gateway says it)."""


def flow_mark(session: Session, flow: Flow) -> str:
    """The mark ``flow`` is drawn with at its start (:data:`DEFAULT_FLOW`, :data:`CONDITIONAL_FLOW`) or ""."""
    if flow.default_flow:
        return DEFAULT_FLOW
    source = session.nodes.get(flow.source_id)
    if flow.condition and source is not None and source.node_kind != NodeKind.DECISION:
        return CONDITIONAL_FLOW
    return ""


def flow_label(flow: Flow) -> str:
    """What a flow is labelled with: its name, else its condition in brackets (the condition is what it means)."""
    if flow.label:
        return flow.label
    return f"[{one_line(flow.condition)}]" if flow.condition else ""


def start_mark(points: Sequence[Point], mark: str, stroke: Stroke, style: DiagramStyle) -> list[Shape]:
    """The default flow's slash or the conditional flow's diamond at the route's start, along its first segment."""
    if not mark or len(points) < 2:
        return []
    (ax, ay), (bx, by) = points[0], points[1]
    length = math.hypot(bx - ax, by - ay)
    if length < 1:
        return []
    ux, uy = (bx - ax) / length, (by - ay) / length  # along the route
    nx, ny = -uy, ux  # across it
    if mark == DEFAULT_FLOW:
        cx, cy = ax + ux * 10, ay + uy * 10
        slash = (
            PathBuilder()
            .move(cx - ux * 4 - nx * 6, cy - uy * 4 - ny * 6)
            .line(cx + ux * 4 + nx * 6, cy + uy * 4 + ny * 6)
        )
        return [Shape(slash.build(), None, Stroke(stroke.colour, max(1.5, stroke.width)))]
    tip = (ax + ux * 16, ay + uy * 16)
    side = [(ax + ux * 8 + nx * 5, ay + uy * 8 + ny * 5), (ax + ux * 8 - nx * 5, ay + uy * 8 - ny * 5)]
    diamond = PathBuilder().polygon([(ax, ay), side[0], tip, side[1]]).build()
    return [Shape(diamond, style.background, Stroke(stroke.colour, 1.0))]


def flow_drawing(
    points: Sequence[Point], style: DiagramStyle, *, handoff: bool, mark: str = "", label: str = ""
) -> FlowDrawing:
    """A flow along ``points`` (at least two), with its start's mark (:func:`flow_mark`); ``label``: the text it
    is labelled with (:func:`flow_label`), which decides where the label goes (:func:`label_point`)."""
    stroke = flow_stroke(style, handoff=handoff)
    mid = midpoint(points)
    shapes = [
        Shape(route_path(points), None, stroke),
        Shape(arrow_head(points, stroke.width), stroke.colour, Stroke(stroke.colour, 1.0)),
        *start_mark(points, mark, stroke, style),
    ]
    if handoff:
        cx, cy = mid
        ring = PathBuilder().ellipse(cx, cy, HANDOFF_RING, HANDOFF_RING).build()
        dot = PathBuilder().ellipse(cx, cy, HANDOFF_DOT, HANDOFF_DOT).build()
        shapes += [Shape(ring, style.background, Stroke(stroke.colour, stroke.width)), Shape(dot, stroke.colour)]
    return FlowDrawing(tuple(shapes), label_point(points, label))


# -- lanes and markers ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LaneDrawing:
    """A lane as drawn: its band tinted with the organization's colour, the title strip in the full colour."""

    shapes: tuple[Shape, ...]
    title_box: Box
    """Where the organization's name (and the lane's role) is fitted, in :attr:`DiagramStyle.on_colour`."""


def lane_drawing(band: Box, colour: str, style: DiagramStyle) -> LaneDrawing:
    """The lane whose band is ``band`` (from :func:`workshop.domain.model.geometry.lane_bands`)."""
    header = Box(band.x, band.y, LANE_HEADER_WIDTH, band.h)
    rules = (
        PathBuilder()
        .move(band.x, band.y)
        .line(band.right, band.y)
        .move(band.x, band.bottom)
        .line(band.right, band.bottom)
    )
    return LaneDrawing(
        (
            Shape(PathBuilder().rounded_box(band, 0).build(), colour, None, style.lane_fill_alpha),
            Shape(PathBuilder().rounded_box(header, 0).build(), colour),
            Shape(rules.build(), None, Stroke(style.node_border, style.lane_line_width)),
        ),
        Box(header.x + 8, header.y + 6, header.w - 16, header.h - 12),
    )


GROUP_DASH = (10.0, 4.0)
"""A group's frame: long dashes, so it reads as a frame around steps, not as a step or a lane."""


@dataclass(frozen=True, slots=True)
class GroupDrawing:
    """A group as drawn: its dashed rounded frame, and the box its name is fitted into (inside its top edge)."""

    shapes: tuple[Shape, ...]
    label_box: Box


def group_drawing(box: Box, style: DiagramStyle) -> GroupDrawing:
    """BPMN's group: a rounded frame of long dashes, not filled, with its name along the top inside it."""
    frame = PathBuilder().rounded_box(box, 10).build()
    return GroupDrawing(
        (Shape(frame, None, Stroke(style.node_border, style.line_width, GROUP_DASH)),),
        Box(box.x + 8, box.y + 4, max(box.w - 16, 1.0), 20),
    )


BOUNDARY_RADIUS = 13.0
"""A knowledge boundary's marker: a disc in its status's colour."""


def boundary_marker(centre: Point, status: str, style: DiagramStyle) -> Shape:
    """The disc marking a knowledge boundary at ``centre``, red while open, amber while crossed, green once crossed."""
    cx, cy = centre
    disc = PathBuilder().ellipse(cx, cy, BOUNDARY_RADIUS, BOUNDARY_RADIUS).build()
    return Shape(disc, style.boundary_status[status], Stroke(style.on_colour, 2.0))
