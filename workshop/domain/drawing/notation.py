"""BPMN's notation in the one drawing: event glyphs, task-type and activity markers, dashed non-interrupting borders.

What a node *means* in BPMN — a timer it waits for, a message it throws, a
user who does the task, a loop — is drawn here as extra :class:`Shape` objects
on top of its outline, so the canvas, the PDF report, the SVG picture and the
phone page show the same notation (they only translate shapes). The marks
follow the BPMN 2.0 specification's figures: a catching event's glyph is
hollow, a throwing one's filled; an event that does not interrupt has a
dashed border; an intermediate or boundary event has a double ring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workshop.domain.drawing.paths import Path, PathBuilder, Shape, Stroke
from workshop.domain.drawing.style import DiagramStyle
from workshop.domain.model.geometry import Box
from workshop.domain.model.process import EventDefinition, Node, NodeKind

STRIPE_WIDTH = 8.0
"""The organization's stripe along an activity's left edge: whose work it is, seen from across the room."""

INTERMEDIATE = frozenset({"intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"})
THROWING = frozenset({"intermediateThrowEvent"})
TASK_MARKERS = frozenset(
    {"userTask", "serviceTask", "sendTask", "receiveTask", "manualTask", "businessRuleTask", "scriptTask"}
)
COLLAPSED = frozenset({"subProcess", "transaction", "adHocSubProcess"})


@dataclass(frozen=True, slots=True)
class Notation:
    """What of a node's BPMN meaning the drawing shows; hashable, so renderers can cache drawings by it."""

    event: str = EventDefinition.NONE
    throwing: bool = False
    intermediate: bool = False
    interrupting: bool = True
    element: str = ""
    """The BPMN element an activity came from (its task type, a sub-process, a call activity)."""
    loop: str = ""
    compensation: bool = False
    expanded: bool = False
    """A sub-process drawn open with its contents inside: no + marker."""

    @property
    def bottom_markers(self) -> tuple[str, ...]:
        """The activity's markers along its bottom edge, left to right (BPMN's order)."""
        marks: list[str] = []
        if self.loop:
            marks.append(f"loop_{self.loop}")
        if self.compensation:
            marks.append("compensation")
        if self.element == "adHocSubProcess":
            marks.append("ad_hoc")
        if self.element in COLLAPSED and not self.expanded:
            marks.append("collapsed")
        return tuple(marks)


PLAIN = Notation()


def notation_of(node: Node) -> Notation:
    """The notation ``node`` is drawn with: events by definition and direction, activities by type and markers."""
    if node.node_kind in (NodeKind.START, NodeKind.END, NodeKind.WAIT):
        return Notation(
            event=str(node.event_definition),
            throwing=node.node_kind == NodeKind.END or node.bpmn_element in THROWING,
            intermediate=node.bpmn_element in INTERMEDIATE,
            interrupting=node.interrupting,
        )
    if node.node_kind == NodeKind.ACTIVITY:
        return Notation(
            element=node.bpmn_element, loop=node.loop, compensation=node.for_compensation, expanded=node.expanded
        )
    return PLAIN


# -- event glyphs -----------------------------------------------------------------------------------------------


def _rect(p: PathBuilder, cx: float, cy: float, w: float, h: float) -> PathBuilder:
    left, top, right, bottom = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
    return p.polygon([(left, top), (right, top), (right, bottom), (left, bottom)])


def _star(cx: float, cy: float, r: float, points: int, turn: float = 0.0) -> list[tuple[float, float]]:
    return [
        (cx + r * math.sin(turn + 2 * math.pi * i / points), cy - r * math.cos(turn + 2 * math.pi * i / points))
        for i in range(points)
    ]


def event_glyph(event: str, box: Box, style: DiagramStyle, *, throwing: bool, fill: str) -> list[Shape]:
    """The glyph of an event definition in the event's circle: filled when the event throws, hollow when it
    catches (a timer, a condition and a link's outline are the same either way)."""
    cx, cy = box.cx, box.cy
    r = min(box.w, box.h) / 2 * 0.5  # the glyph's half size inside the inner ring
    ink = style.node_border
    line = Stroke(ink, max(1.0, style.line_width))
    solid = ink if throwing else None
    glyph_fill = solid if solid else fill
    p = PathBuilder()
    shapes: list[Shape] = []
    if event == EventDefinition.MESSAGE:
        w, h = r * 1.5, r * 1.0
        _rect(p, cx, cy, w, h)
        shapes.append(Shape(p.build(), glyph_fill, line))
        flap = PathBuilder().move(cx - w / 2, cy - h / 2).line(cx, cy + h * 0.05).line(cx + w / 2, cy - h / 2).build()
        shapes.append(Shape(flap, None, Stroke(fill if throwing else ink, line.width)))
    elif event == EventDefinition.TIMER:
        face = PathBuilder().ellipse(cx, cy, r * 1.1, r * 1.1).build()
        shapes.append(Shape(face, style.background, line))
        hands = PathBuilder().move(cx, cy - r * 0.8).line(cx, cy).line(cx + r * 0.55, cy + r * 0.15)
        for i in range(12):
            a = 2 * math.pi * i / 12
            hands.move(cx + r * 0.85 * math.sin(a), cy - r * 0.85 * math.cos(a))
            hands.line(cx + r * 1.05 * math.sin(a), cy - r * 1.05 * math.cos(a))
        shapes.append(Shape(hands.build(), None, Stroke(ink, max(1.0, style.line_width * 0.75))))
    elif event == EventDefinition.ERROR:
        bolt = [(cx - r, cy + r), (cx - r * 0.45, cy - r * 0.9), (cx + r * 0.15, cy + r * 0.15)]
        bolt += [(cx + r * 0.55, cy - r * 1.0), (cx + r * 1.0, cy - r * 0.2), (cx + r * 0.35, cy - r * 0.45)]
        bolt += [(cx - r * 0.25, cy + r * 0.5)]
        shapes.append(Shape(p.polygon(bolt).build(), glyph_fill, line))
    elif event == EventDefinition.ESCALATION:
        arrow = [(cx, cy - r), (cx + r * 0.75, cy + r), (cx, cy + r * 0.2), (cx - r * 0.75, cy + r)]
        shapes.append(Shape(p.polygon(arrow).build(), glyph_fill, line))
    elif event == EventDefinition.CANCEL:
        d, t = r * 0.85, r * 0.28
        cross = [(cx - d, cy - d + t), (cx - d + t, cy - d), (cx, cy - t), (cx + d - t, cy - d), (cx + d, cy - d + t)]
        cross += [(cx + t, cy), (cx + d, cy + d - t), (cx + d - t, cy + d), (cx, cy + t), (cx - d + t, cy + d)]
        cross += [(cx - d, cy + d - t), (cx - t, cy)]
        shapes.append(Shape(p.polygon(cross).build(), glyph_fill, line))
    elif event == EventDefinition.COMPENSATION:
        shapes.append(Shape(_rewind(cx, cy, r), glyph_fill, line))
    elif event == EventDefinition.CONDITIONAL:
        w, h = r * 1.2, r * 1.6
        _rect(p, cx, cy, w, h)
        for i in range(4):
            yy = cy - h / 2 + h * (i + 1) / 5
            p.move(cx - w / 2 + w * 0.15, yy).line(cx + w / 2 - w * 0.15, yy)
        shapes.append(Shape(p.build(), style.background, line))
    elif event == EventDefinition.LINK:
        arrow = [(cx - r, cy - r * 0.35), (cx + r * 0.2, cy - r * 0.35), (cx + r * 0.2, cy - r * 0.8), (cx + r, cy)]
        arrow += [(cx + r * 0.2, cy + r * 0.8), (cx + r * 0.2, cy + r * 0.35), (cx - r, cy + r * 0.35)]
        shapes.append(Shape(p.polygon(arrow).build(), glyph_fill, line))
    elif event == EventDefinition.SIGNAL:
        shapes.append(Shape(p.polygon(_star(cx, cy - r * 0.1, r * 1.05, 3)).build(), glyph_fill, line))
    elif event == EventDefinition.TERMINATE:
        shapes.append(Shape(p.ellipse(cx, cy, r * 1.1, r * 1.1).build(), ink, line))
    elif event == EventDefinition.MULTIPLE:
        shapes.append(Shape(p.polygon(_star(cx, cy, r * 1.05, 5)).build(), glyph_fill, line))
    elif event == EventDefinition.PARALLEL_MULTIPLE:
        a, b = r * 0.3, r * 0.95
        plus = [(cx - a, cy - b), (cx + a, cy - b), (cx + a, cy - a), (cx + b, cy - a), (cx + b, cy + a)]
        plus += [(cx + a, cy + a), (cx + a, cy + b), (cx - a, cy + b), (cx - a, cy + a), (cx - b, cy + a)]
        plus += [(cx - b, cy - a), (cx - a, cy - a)]
        shapes.append(Shape(p.polygon(plus).build(), fill, line))  # always hollow: BPMN has no throwing one
    return shapes


def _rewind(cx: float, cy: float, r: float) -> Path:
    h = r * 0.75
    p = PathBuilder()
    p.polygon([(cx - r, cy), (cx, cy - h), (cx, cy + h)])
    p.polygon([(cx, cy), (cx + r, cy - h), (cx + r, cy + h)])
    return p.build()


# -- activity markers -------------------------------------------------------------------------------------------

MARKER = 14.0
"""The side of a task-type or activity marker, in scene units."""


def task_marker(element: str, box: Box, style: DiagramStyle, fill: str) -> list[Shape]:
    """The task type's marker in the top left corner (right of the organization's stripe)."""
    if element not in TASK_MARKERS or box.w < 40 or box.h < 30:
        return []
    s = min(MARKER, box.h * 0.3)
    x, y = box.x + STRIPE_WIDTH + 4, box.y + 4
    cx, cy = x + s / 2, y + s / 2
    ink = style.node_border
    line = Stroke(ink, 1.0)
    p = PathBuilder()
    if element == "userTask":  # a head over shoulders
        p.ellipse(cx, y + s * 0.3, s * 0.22, s * 0.22)
        p.move(x + s * 0.1, y + s).curve(x + s * 0.1, y + s * 0.55, x + s * 0.9, y + s * 0.55, x + s * 0.9, y + s)
        p.close()
        return [Shape(p.build(), fill, line)]
    if element == "serviceTask":  # a gear: a toothed wheel round a hub
        teeth = []
        for i in range(16):
            a = 2 * math.pi * i / 16
            rr = s / 2 if i % 2 == 0 else s * 0.36
            teeth.append((cx + rr * math.sin(a), cy - rr * math.cos(a)))
        p.polygon(teeth).ellipse(cx, cy, s * 0.15, s * 0.15)
        return [Shape(p.build(), fill, line)]
    if element in ("sendTask", "receiveTask"):  # an envelope, filled when the task sends
        h = s * 0.7
        top = cy - h / 2
        p.polygon([(x, top), (x + s, top), (x + s, top + h), (x, top + h)])
        flap = PathBuilder().move(x, top).line(cx, top + h * 0.55).line(x + s, top).build()
        send = element == "sendTask"
        return [Shape(p.build(), ink if send else fill, line), Shape(flap, None, Stroke(fill if send else ink, 1.0))]
    if element == "manualTask":  # an open hand: a palm and three fingers
        p.rounded_box(Box(x, y + s * 0.45, s * 0.55, s * 0.55), 2)
        for i in range(3):
            fy = y + s * (0.1 + 0.15 * i)
            p.rounded_box(Box(x + s * 0.3, fy, s * 0.7, s * 0.13), 1.5)
        return [Shape(p.build(), fill, line)]
    if element == "businessRuleTask":  # a table with a header row
        p.polygon([(x, y + s * 0.15), (x + s, y + s * 0.15), (x + s, y + s * 0.85), (x, y + s * 0.85)])
        header = _rect(PathBuilder(), cx, y + s * 0.24, s, s * 0.18)
        rules = PathBuilder().move(x, y + s * 0.59).line(x + s, y + s * 0.59).move(x + s * 0.3, y + s * 0.33)
        rules.line(x + s * 0.3, y + s * 0.85)
        return [Shape(p.build(), fill, line), Shape(header.build(), ink, line), Shape(rules.build(), None, line)]
    # scriptTask: a scroll with lines of text
    p.move(x + s * 0.2, y).line(x + s, y)
    p.curve(x + s * 0.7, y + s * 0.33, x + s * 1.0, y + s * 0.66, x + s * 0.8, y + s)
    p.line(x, y + s).curve(x + s * 0.3, y + s * 0.66, x, y + s * 0.33, x + s * 0.2, y).close()
    text = PathBuilder()
    for i in range(3):
        yy = y + s * (0.28 + 0.22 * i)
        text.move(x + s * 0.25, yy).line(x + s * 0.7, yy)
    return [Shape(p.build(), fill, line), Shape(text.build(), None, line)]


def bottom_markers(marks: tuple[str, ...], box: Box, style: DiagramStyle, fill: str) -> list[Shape]:
    """The activity's loop, multi-instance, compensation, ad-hoc and collapsed sub-process markers, centred
    along its bottom edge."""
    if not marks or box.w < 40 or box.h < 30:
        return []
    s = min(MARKER, box.h * 0.3)
    gap = 3.0
    total = len(marks) * s + (len(marks) - 1) * gap
    x0, y = box.cx - total / 2, box.bottom - s - 3
    ink = style.node_border
    line = Stroke(ink, 1.2)
    shapes: list[Shape] = []
    for i, mark in enumerate(marks):
        x = x0 + i * (s + gap)
        cx, cy = x + s / 2, y + s / 2
        p = PathBuilder()
        if mark == "loop_standard":  # a circular arrow
            r = s * 0.4
            start, end = math.radians(-60), math.radians(240)
            steps = 8
            p.move(cx + r * math.cos(start), cy - r * math.sin(start))
            for k in range(1, steps + 1):
                a = start + (end - start) * k / steps
                p.line(cx + r * math.cos(a), cy - r * math.sin(a))
            tip = (cx + r * math.cos(start), cy - r * math.sin(start))
            p.move(tip[0] - s * 0.25, tip[1] - s * 0.02).line(*tip).line(tip[0] - s * 0.05, tip[1] - s * 0.25)
            shapes.append(Shape(p.build(), None, line))
        elif mark == "loop_parallel":  # three vertical bars
            for k in range(3):
                bx = x + s * (0.15 + 0.3 * k)
                p.move(bx, y + s * 0.1).line(bx, y + s * 0.9)
            shapes.append(Shape(p.build(), None, Stroke(ink, 2.0)))
        elif mark == "loop_sequential":  # three horizontal bars
            for k in range(3):
                by = y + s * (0.15 + 0.3 * k)
                p.move(x + s * 0.1, by).line(x + s * 0.9, by)
            shapes.append(Shape(p.build(), None, Stroke(ink, 2.0)))
        elif mark == "compensation":
            shapes.append(Shape(_rewind(cx, cy, s * 0.45), fill, line))
        elif mark == "ad_hoc":  # a tilde
            p.move(x + s * 0.05, cy + s * 0.1)
            p.curve(x + s * 0.3, cy - s * 0.35, x + s * 0.5, cy + s * 0.35, x + s * 0.95, cy - s * 0.1)
            shapes.append(Shape(p.build(), None, Stroke(ink, 1.5)))
        elif mark == "collapsed":  # a plus in a square: there is more inside
            p.polygon([(x, y), (x + s, y), (x + s, y + s), (x, y + s)])
            p.move(cx, y + s * 0.2).line(cx, y + s * 0.8).move(x + s * 0.2, cy).line(x + s * 0.8, cy)
            shapes.append(Shape(p.build(), fill, line))
    return shapes
