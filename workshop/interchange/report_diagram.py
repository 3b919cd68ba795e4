"""A process model as vector pages of the PDF report, from the same geometry as the canvas.

A model is laid out once in scene units (:class:`Scene`: lanes, shapes,
flows, boundary markers and every label already wrapped to its shape) and
then drawn straight onto the PDF canvas through
:class:`~workshop.interchange.report_diagram_draw.DiagramView`, a
flowable that clips to its own rectangle. What each shape is comes from the
one drawing (:mod:`workshop.domain.drawing.shapes`), as on the canvas, in the SVG
picture and on the phones; the labels are fitted with reportlab's font
metrics and the shapes written as PDF path operators. Drawing with the canvas instead of
``reportlab.graphics`` shapes keeps a 20,000-node model to seconds.

No drawing is ever larger than the frame (reportlab stops the whole report
with a ``LayoutError`` otherwise), and diagram text is never printed below
:data:`MIN_PRINTED_PT`: a model that fits one page at a readable scale is
drawn on one page; a bigger one gets an overview page (shapes only, with the
parts numbered) followed by parts — bands of lanes by ranges of columns —
each saying where it sits and repeating its lanes' titles.

This module lays the scene out (fonts, label fitting, :func:`build_scene`);
:mod:`report_diagram_draw` paints it and :mod:`report_diagram_pages` tiles
it into pages (:func:`~workshop.interchange.report_diagram_pages.diagram_flowables`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont

from workshop.domain.drawing.notation import notation_of
from workshop.domain.drawing.shapes import (
    PathBuilder,
    Shape,
    boundary_marker,
    flow_drawing,
    flow_label,
    flow_mark,
    flow_stroke,
    group_drawing,
    lane_drawing,
    longest_word,
    node_drawing,
    node_fill,
    organization_colour,
    route_path,
)
from workshop.domain.drawing.style import PRINTED
from workshop.domain.model.geometry import Box, Point, lane_boxes, model_lanes, node_box, route
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.process import LANE_HEADER_WIDTH, node_organization
from workshop.domain.model.session import Session
from workshop.domain.model.sub_processes import shown_at
from workshop.resources import assets_dir

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
GLYPH = {"open": "!", "being_crossed": "…", "crossed": "✓"}
ELLIPSIS = "…"

MIN_PRINTED_PT = 7.0
"""The smallest diagram text the report prints, in points (what a reader can still read on paper)."""
LABEL_SIZE, SMALL_LABEL_SIZE, LANE_TITLE_SIZE = 13.0, 12.0, 15.0
"""Scene font sizes: activity labels, event/gateway/flow labels, lane titles."""
READABLE_SCALE = MIN_PRINTED_PT / SMALL_LABEL_SIZE * 1.03
"""Points per scene unit at which the smallest scene text prints at :data:`MIN_PRINTED_PT` (plus a little)."""
MAX_SCALE = 1.0
"""Small models are not blown up beyond scene size."""
CAPTION = ParagraphStyle("diagram-caption", fontName=FONT, fontSize=8.5, leading=11, spaceAfter=3)
CAPTION_RESERVE = 40.0
"""Points kept free above a diagram on its page for a heading or caption."""


def register_fonts() -> None:
    """Register DejaVu (the built-in PDF fonts cover WinAnsi only: no Ł, no ễ, no …)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(assets_dir() / "fonts" / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(assets_dir() / "fonts" / "DejaVuSans-Bold.ttf")))
        registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@functools.lru_cache(maxsize=1 << 16)
def _width(text: str, size: float, font: str = FONT) -> float:
    """Advance width in points; cached, since labels repeat their words (a 20,000-node model measures millions)."""
    return pdfmetrics.stringWidth(text, font, size)


def _pieces(word: str, width: float, size: float, font: str) -> list[tuple[str, float]]:
    """A word wider than a line, in pieces that each fit (URLs, long compounds, a key held down)."""
    pieces: list[tuple[str, float]] = []
    current, used = "", 0.0
    for char in word:
        advance = _width(char, size, font)
        if current and used + advance > width:
            pieces.append((current, used))
            current, used = "", 0.0
        current += char
        used += advance
    return [*pieces, (current, used)] if current else pieces


def fit_lines(text: str, width: float, size: float, max_lines: int, font: str = FONT) -> list[str]:
    """``text`` wrapped to ``width`` at ``size`` in at most ``max_lines`` lines; what does not fit ends in '…'.

    Words wider than a line are broken between characters, so a label never
    spills out of its shape sideways; cutting lines off with an ellipsis keeps
    it inside vertically. Stops reading once the lines are full, so a
    5,000-character label costs no more than a short one.
    """
    register_fonts()
    max_lines = max(1, max_lines)
    space = _width(" ", size, font)
    lines: list[str] = []
    used = 0.0  # widths add up (no kerning in reportlab's TrueType text), so each word is measured once
    for word in text.split():
        advance = _width(word, size, font)
        pieces = [(word, advance)] if advance <= width else _pieces(word, width, size, font)
        for piece, piece_width in pieces:
            if lines and used + space + piece_width <= width:
                lines[-1] += " " + piece
                used += space + piece_width
            else:
                lines.append(piece)
                used = piece_width
            if len(lines) > max_lines:
                break
        if len(lines) > max_lines:
            break
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and _width(last + ELLIPSIS, size, font) > width:
        last = last[:-1].rstrip()
    return [*lines[: max_lines - 1], last + ELLIPSIS]


def wrap_words(text: str, width: float, size: float) -> list[str]:
    """Up to four lines of ``text`` within ``width`` (scene units) at ``size``, the last ending '…' if cut."""
    return fit_lines(text, width, size, 4)


Bounds = tuple[float, float, float, float]
"""x0, y0, x1, y1 in scene units (y grows down)."""


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    """Baseline, scene units."""
    text: str
    size: float
    colour: str = PRINTED.text
    """A hex colour from the style table (:mod:`workshop.domain.drawing.style`): the SVG writes it as is."""
    width: float = 0.0
    """Advance width at ``size``, for centring without measuring again at drawing time."""
    bold: bool = False


@dataclass(frozen=True)
class Item:
    """One thing to draw: its shapes as the domain draws them (:mod:`workshop.domain.drawing.shapes`) and its labels.

    ``kind`` is "lane", "flow", "marker" or the node's kind; ``bounds`` is
    where it reaches, labels included (for picking what a part of a large
    model shows).
    """

    kind: str
    bounds: Bounds
    shapes: tuple[Shape, ...] = ()
    labels: tuple[Label, ...] = ()
    box: Box | None = None
    """A node's box, and the box its labels were fitted into (inside the shape, or below a small one)."""
    label_box: Box | None = None
    element_id: str | None = None
    """The node or flow drawn (to find the parts of a huge model that hold what the workshop discussed)."""


@dataclass(frozen=True, slots=True)
class Sketch:
    """A step or flow of an overview: its tinted box or its line, no label, shapes made only when drawn.

    A 60,000-step model kept as full :class:`Item` objects took 160 MB for a picture where a step is a speck.
    """

    kind: str
    element_id: str
    bounds: Bounds
    box: Box | None = None
    """A step's box (it is drawn filled with ``tint``)."""
    tint: str = ""
    route: tuple[Point, ...] = ()
    """A flow's route (it is drawn as a line, a handoff's dashed)."""
    handoff: bool = False
    labels: tuple[Label, ...] = ()
    label_box: Box | None = None

    @property
    def shapes(self) -> tuple[Shape, ...]:
        if self.box is not None:
            return (Shape(PathBuilder().rounded_box(self.box, 0).build(), self.tint),)
        return (Shape(route_path(self.route), None, flow_stroke(PRINTED, handoff=self.handoff)),)


Drawn = Item | Sketch
"""What a scene holds: items drawn in full, and sketches on an overview."""


@dataclass
class Scene:
    """A model laid out for printing, in scene units."""

    left: float
    top: float
    right: float
    bottom: float
    lanes: list[tuple[str, Box]] = field(default_factory=list)
    """(title, band) top to bottom."""
    items: list[Drawn] = field(default_factory=list)
    left_out: int = 0
    """Shapes and lanes not drawn because their coordinates or sizes are not drawable numbers."""

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _centred(
    x: float, top: float, lines: Sequence[str], size: float, colour: str = PRINTED.text, *, bold: bool = False
) -> tuple[Label, ...]:
    """Lines centred on ``x`` whose first line's top is at ``top``."""
    step = size * 1.18
    font = BOLD if bold else FONT
    return tuple(
        Label(x, top + size * 0.95 + i * step, line, size, colour, _width(line, size, font), bold)
        for i, line in enumerate(lines)
    )


DRAWABLE_EXTENT = 10_000_000.0
"""No coordinate beyond this (scene units, 1 unit ~ 1 px) is drawn."""
DRAWABLE_SIZE = 100_000.0
"""No shape or lane larger than this is drawn: it would take thousands of pages at a readable scale."""


def _drawable(session: Session, model_id: str) -> tuple[Session, int]:
    """``session`` without the model's nodes and lanes whose numbers cannot be drawn (inf, nan, absurdly large).

    The domain should refuse such numbers; the report must still never fail
    on a file that has them, so they are left out of the drawing and counted.
    """

    def fine(*values: float, limit: float) -> bool:
        return all(math.isfinite(v) and abs(v) <= limit for v in values)

    bad_nodes = {
        n.id
        for n in session.nodes.values()
        if n.model_id == model_id
        and not (fine(n.x, n.y, limit=DRAWABLE_EXTENT) and fine(n.w, n.h, limit=DRAWABLE_SIZE))
    }
    bad_lanes = {
        lane.id
        for lane in session.lanes.values()
        if lane.model_id == model_id and not fine(lane.height, limit=DRAWABLE_SIZE)
    }
    inside = {  # a collapsed sub-process's steps are on a view of their own, not on the process's picture
        n.id for n in session.nodes.values() if n.model_id == model_id and not shown_at(n, session.nodes, None)
    }
    if not bad_nodes and not bad_lanes and not inside:
        return session, 0
    update = {
        "nodes": {k: v for k, v in session.nodes.items() if k not in bad_nodes and k not in inside},
        "lanes": {k: v for k, v in session.lanes.items() if k not in bad_lanes},
        "flows": {k: f for k, f in session.flows.items() if not {f.source_id, f.target_id} & (bad_nodes | inside)},
    }
    return session.model_copy(update=update), len(bad_nodes) + len(bad_lanes)


def build_scene(session: Session, model_id: str, *, sketch: bool = False) -> Scene:
    """Lay out ``model_id``: every shape, route and label, in scene units, labels fitted to their shapes.

    A ``sketch`` draws each step as its tinted box and each flow as its line, without labels: the overview of
    a model where a step is a speck. Drawing a 60,000-step model in full took most of the report's time and
    memory, for pages nobody reads.
    """
    register_fonts()
    session, left_out = _drawable(session, model_id)
    lanes = lane_boxes(session, model_id)
    nodes = [n for n in session.nodes.values() if n.model_id == model_id]
    boxes = {n.id: node_box(n) for n in nodes}
    groups = [g for g in session.groups.values() if g.model_id == model_id]
    framed = [*boxes.values(), *(Box(g.x, g.y, g.w, g.h) for g in groups)]
    right = max([b.right for b in lanes.values()] + [b.right + 60 for b in framed] + [600.0])
    left = min([-LANE_HEADER_WIDTH] + [b.x - 60 for b in framed])
    bottom = max([b.bottom for b in lanes.values()] + [b.bottom + 50 for b in framed] + [200.0])
    top = min([0.0] + [b.y - 20 for b in framed])
    scene = Scene(left, top, right, bottom, left_out=left_out)
    for lane in model_lanes(session, model_id):
        box = lanes[lane.id]
        org = session.organizations.get(lane.organization_id)
        colour = organization_colour(session, lane.organization_id, PRINTED)
        title = (org.name if org else "?") + (f" — {lane.role}" if lane.role else "")
        scene.lanes.append((title, box))
        drawing = lane_drawing(box, colour, PRINTED)
        room = max(1, int(drawing.title_box.h // (LANE_TITLE_SIZE * 1.18)))
        lines = fit_lines(title, drawing.title_box.w, LANE_TITLE_SIZE, min(room, 6), BOLD)
        labels = _centred(drawing.title_box.cx, box.y + 8, lines, LANE_TITLE_SIZE, PRINTED.on_colour, bold=True)
        scene.items.append(Item("lane", (box.x, box.y, box.right, box.bottom), drawing.shapes, labels))
    for group in groups:  # frames above the lanes, below the steps and flows they frame
        frame = Box(group.x, group.y, group.w, group.h)
        group_drawn = group_drawing(frame, PRINTED)
        fitted = group_drawn.label_box
        lines = fit_lines(group.label, fitted.w, SMALL_LABEL_SIZE, 1) if group.label else []
        labels = _centred(fitted.cx, fitted.y, lines, SMALL_LABEL_SIZE)
        scene.items.append(Item("group", (frame.x, frame.y, frame.right, frame.bottom), group_drawn.shapes, labels))
    for flow in session.flows.values():
        if flow.model_id != model_id or flow.source_id not in boxes or flow.target_id not in boxes:
            continue
        points = route(boxes[flow.source_id], boxes[flow.target_id])
        handoff = handoff_orgs(session, flow) is not None
        if sketch:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            bounds = (min(xs), min(ys), max(xs), max(ys))
            scene.items.append(Sketch("flow", flow.id, bounds, route=tuple(points), handoff=handoff))
            continue
        text = flow_label(flow)
        flow_drawn = flow_drawing(points, PRINTED, handoff=handoff, mark=flow_mark(session, flow), label=text)
        labels = ()
        if text:
            x, y = flow_drawn.label_at
            lines = fit_lines(text, 180, SMALL_LABEL_SIZE, 2)
            labels = _centred(x, y - 4 - len(lines) * SMALL_LABEL_SIZE * 1.18, lines, SMALL_LABEL_SIZE)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        bounds = (min(xs) - 12, min(ys) - 40, max(xs) + 12, max(ys) + 12)
        scene.items.append(Item("flow", bounds, flow_drawn.shapes, labels, element_id=flow.id))
    for node in nodes:
        b = boxes[node.id]
        colour = organization_colour(session, node_organization(node, session.lanes), PRINTED)
        if sketch:
            kind = str(node.node_kind)
            bounds = (b.x, b.y, b.right, b.bottom)
            scene.items.append(Sketch(kind, node.id, bounds, box=b, tint=node_fill(kind, colour, PRINTED)))
            continue
        kind = str(node.node_kind)
        node_drawn = node_drawing(
            kind, b, colour, PRINTED, str(node.gateway_kind), notation_of(node), longest_word(node.label)
        )
        fitted = node_drawn.label_box  # inside the shape, or below it when it is an event or too small
        if not node.label:
            labels = ()
        elif not node_drawn.label_below:
            room = max(1, int((fitted.h + 4) // (LABEL_SIZE * 1.18)))
            lines = fit_lines(node.label, fitted.w, LABEL_SIZE, room)
            height = LABEL_SIZE * (1.18 * (len(lines) - 1) + 1.0)
            labels = _centred(fitted.cx, fitted.cy - height / 2, lines, LABEL_SIZE)
        else:
            lines = fit_lines(node.label, fitted.w, SMALL_LABEL_SIZE, 3)
            labels = _centred(fitted.cx, fitted.y + 2, lines, SMALL_LABEL_SIZE)
        extent = max([b.right] + [lb.x + lb.width / 2 for lb in labels])
        start = min([b.x] + [lb.x - lb.width / 2 for lb in labels])
        low = max([b.bottom] + [lb.y + lb.size * 0.3 for lb in labels])
        scene.items.append(Item(kind, (start, b.y, extent, low), node_drawn.shapes, labels, b, fitted, node.id))
    for boundary in session.boundaries.values():
        anchor = None
        if boundary.target_kind == "node" and boundary.target_id in boxes:
            target_box = boxes[boundary.target_id]
            anchor = (target_box.right, target_box.y)
        elif boundary.target_kind == "flow" and boundary.target_id in session.flows:
            flow = session.flows[boundary.target_id]
            if flow.model_id == model_id and flow.source_id in boxes and flow.target_id in boxes:
                points_list = route(boxes[flow.source_id], boxes[flow.target_id])
                (ax, ay), (bx2, by2) = points_list[len(points_list) // 2 - 1], points_list[len(points_list) // 2]
                anchor = ((ax + bx2) / 2, (ay + by2) / 2)
        if anchor is not None:
            x, y = anchor
            glyph = _centred(
                x, y + 5.5 - LANE_TITLE_SIZE * 0.95, [GLYPH[boundary.status]], LANE_TITLE_SIZE, PRINTED.on_colour
            )
            marker = boundary_marker(anchor, boundary.status, PRINTED)
            scene.items.append(Item("marker", (x - 14, y - 14, x + 14, y + 14), (marker,), glyph))
    return scene


Window = Bounds
"""The part of the scene a view shows."""
