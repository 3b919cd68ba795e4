"""A process model as vector pages of the PDF report, from the same geometry as the canvas.

A model is laid out once in scene units (:class:`Scene`: lanes, shapes,
flows, boundary markers and every label already wrapped to its shape) and
then drawn straight onto the PDF canvas through :class:`DiagramView`, a
flowable that clips to its own rectangle. What each shape is comes from the
one drawing (:mod:`workshop.domain.drawing`), as on the canvas, in the SVG
picture and on the phones; this module fits the labels with reportlab's font
metrics and writes the shapes as PDF path operators. Drawing with the canvas instead of
``reportlab.graphics`` shapes keeps a 20,000-node model to seconds.

No drawing is ever larger than the frame (reportlab stops the whole report
with a ``LayoutError`` otherwise), and diagram text is never printed below
:data:`MIN_PRINTED_PT`: a model that fits one page at a readable scale is
drawn on one page; a bigger one gets an overview page (shapes only, with the
parts numbered) followed by parts — bands of lanes by ranges of columns —
each saying where it sits and repeating its lanes' titles.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

from workshop.domain.drawing import (
    Path,
    Shape,
    boundary_marker,
    flow_drawing,
    lane_drawing,
    node_drawing,
    organization_colour,
)
from workshop.domain.geometry import Box, lane_boxes, model_lanes, node_box, route
from workshop.domain.handoffs import handoff_orgs
from workshop.domain.process import LANE_HEADER_WIDTH, node_organization
from workshop.domain.session import Session
from workshop.domain.style import PRINTED
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
    """A hex colour from the style table (:mod:`workshop.domain.style`): the SVG writes it as is."""
    width: float = 0.0
    """Advance width at ``size``, for centring without measuring again at drawing time."""
    bold: bool = False


@dataclass(frozen=True)
class Item:
    """One thing to draw: its shapes as the domain draws them (:mod:`workshop.domain.drawing`) and its labels.

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


@dataclass
class Scene:
    """A model laid out for printing, in scene units."""

    left: float
    top: float
    right: float
    bottom: float
    lanes: list[tuple[str, Box]] = field(default_factory=list)
    """(title, band) top to bottom."""
    items: list[Item] = field(default_factory=list)
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
    if not bad_nodes and not bad_lanes:
        return session, 0
    update = {
        "nodes": {k: v for k, v in session.nodes.items() if k not in bad_nodes},
        "lanes": {k: v for k, v in session.lanes.items() if k not in bad_lanes},
        "flows": {
            k: f for k, f in session.flows.items() if f.source_id not in bad_nodes and f.target_id not in bad_nodes
        },
    }
    return session.model_copy(update=update), len(bad_nodes) + len(bad_lanes)


def build_scene(session: Session, model_id: str) -> Scene:
    """Lay out ``model_id``: every shape, route and label, in scene units, labels fitted to their shapes."""
    register_fonts()
    session, left_out = _drawable(session, model_id)
    lanes = lane_boxes(session, model_id)
    nodes = [n for n in session.nodes.values() if n.model_id == model_id]
    boxes = {n.id: node_box(n) for n in nodes}
    right = max([b.right for b in lanes.values()] + [b.right + 60 for b in boxes.values()] + [600.0])
    left = min([-LANE_HEADER_WIDTH] + [b.x - 60 for b in boxes.values()])
    bottom = max([b.bottom for b in lanes.values()] + [b.bottom + 50 for b in boxes.values()] + [200.0])
    top = min([0.0] + [b.y - 20 for b in boxes.values()])
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
    for flow in session.flows.values():
        if flow.model_id != model_id or flow.source_id not in boxes or flow.target_id not in boxes:
            continue
        points = route(boxes[flow.source_id], boxes[flow.target_id])
        flow_drawn = flow_drawing(points, PRINTED, handoff=handoff_orgs(session, flow) is not None)
        labels = ()
        if flow.label:
            x, y = flow_drawn.label_at
            lines = fit_lines(flow.label, 180, SMALL_LABEL_SIZE, 2)
            labels = _centred(x, y - 4 - len(lines) * SMALL_LABEL_SIZE * 1.18, lines, SMALL_LABEL_SIZE)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        bounds = (min(xs) - 12, min(ys) - 40, max(xs) + 12, max(ys) + 12)
        scene.items.append(Item("flow", bounds, flow_drawn.shapes, labels))
    for node in nodes:
        b = boxes[node.id]
        colour = organization_colour(session, node_organization(node, session.lanes), PRINTED)
        kind = str(node.node_kind)
        node_drawn = node_drawing(kind, b, colour, PRINTED, str(node.gateway_kind))
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
        scene.items.append(Item(kind, (start, b.y, extent, low), node_drawn.shapes, labels, b, fitted))
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


@dataclass(frozen=True)
class Placement:
    """Scene ``window`` drawn with its top-left at (``dx``, ``dy``) points from the view's top-left."""

    window: Window
    dx: float
    items: Sequence[Item]
    lane_titles: bool = True
    """False where the lane titles are printed by a header strip beside this window."""


class DiagramView(Flowable):
    """Parts of a scene drawn at a fixed scale, clipped to their windows; never larger than its frame.

    ``with_text=False`` draws shapes only (the overview of a model too big to
    print readably on one page); ``grid`` adds numbered part outlines there.
    """

    def __init__(
        self,
        placements: Sequence[Placement],
        scale: float,
        width: float,
        height: float,
        *,
        with_text: bool = True,
        grid: Sequence[tuple[int, Window]] = (),
    ) -> None:
        super().__init__()
        self.placements, self.scale = placements, scale
        self.width, self.height = width, height
        self.with_text, self.grid = with_text, grid

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Shrink rather than fail if a frame is ever smaller than planned.
        fit = min(1.0, availWidth / max(self.width, 1e-6), availHeight / max(self.height, 1e-6))
        if fit < 1.0:
            self.scale *= fit
            self.width *= fit
            self.height *= fit
            self.placements = [Placement(p.window, p.dx * fit, p.items, p.lane_titles) for p in self.placements]
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        s = self.scale
        for placement in self.placements:
            x0, y0, x1, y1 = placement.window
            w, h = (x1 - x0) * s, (y1 - y0) * s
            c.saveState()
            path = c.beginPath()
            path.rect(placement.dx, self.height - h, w, h)
            c.clipPath(path, stroke=0, fill=0)
            c.saveState()
            c.translate(placement.dx - x0 * s, self.height + y0 * s)
            c.scale(s, -s)
            c.addLiteral("\n".join(_shape_ops(item) for item in placement.items))
            c.restoreState()
            if self.with_text:
                # Flow labels sit on lines: a ground of the background keeps them readable where a route crosses.
                c.setFillColor(_colour(PRINTED.background))
                for item in placement.items:
                    if item.kind == "flow":
                        for label in item.labels:
                            c.rect(
                                placement.dx + (label.x - label.width / 2 - x0 - 2) * s,
                                self.height - (label.y - y0 + label.size * 0.28) * s,
                                (label.width + 4) * s,
                                label.size * 1.22 * s,
                                stroke=0,
                                fill=1,
                            )
                text = c.beginText()
                colour: str | None = None
                font: tuple[str, float] | None = None
                for item in placement.items:
                    if item.kind == "lane" and not placement.lane_titles:
                        continue
                    for label in item.labels:
                        if label.colour != colour:
                            colour = label.colour
                            text.setFillColor(_colour(colour))
                        if font != (BOLD if label.bold else FONT, label.size * s):
                            font = (BOLD if label.bold else FONT, label.size * s)
                            text.setFont(*font)
                        text.setTextOrigin(
                            placement.dx + (label.x - label.width / 2 - x0) * s, self.height - (label.y - y0) * s
                        )
                        text.textOut(label.text)
                c.drawText(text)
            c.restoreState()
        if self.grid:
            x0, y0, _x1, _y1 = self.placements[0].window
            c.saveState()
            c.setStrokeColor(_colour(PRINTED.selection))
            c.setLineWidth(0.8)
            for number, (gx0, gy0, gx1, gy1) in self.grid:
                px, py = (gx0 - x0) * s, self.height - (gy1 - y0) * s
                pw, ph = (gx1 - gx0) * s, (gy1 - gy0) * s
                c.rect(px, py, pw, ph, stroke=1, fill=0)
                tag = str(number)
                if pw >= _width(tag, 8, BOLD) + 4 and ph >= 11:
                    c.setFillColor(_colour(PRINTED.background))
                    c.rect(px + 1, py + ph - 11, _width(tag, 8, BOLD) + 3, 10, stroke=0, fill=1)
                    c.setFillColor(_colour(PRINTED.selection))
                    c.setFont(BOLD, 8)
                    c.drawString(px + 2.5, py + ph - 8.8, tag)
            c.restoreState()


@functools.lru_cache(maxsize=64)
def _colour(hex_colour: str) -> Color:
    """reportlab's colour for a hex colour of the style table."""
    return HexColor(hex_colour)


@functools.lru_cache(maxsize=512)
def _rgb(hex_colour: str, tint: float = 1.0) -> str:
    """PDF colour operands for ``hex_colour`` laid over white at ``tint`` (opaque: no transparency groups)."""
    c = HexColor(hex_colour)
    return " ".join(f"{1 - tint + tint * v:.3f}" for v in (c.red, c.green, c.blue))


def _n(value: float) -> str:
    return f"{value:.1f}"


def _path_ops(path: Path) -> str:
    """PDF path construction operators for ``path`` (scene coordinates; the canvas is already flipped)."""
    ops = []
    for op, v in path.commands:
        if op == "M":
            ops.append(f"{_n(v[0])} {_n(v[1])} m")
        elif op == "L":
            ops.append(f"{_n(v[0])} {_n(v[1])} l")
        elif op == "C":
            ops.append(" ".join(_n(x) for x in v) + " c")
        else:
            ops.append("h")
    return " ".join(ops)


def _shape_ops(item: Item) -> str:
    """PDF operators painting one item's shapes, as the domain draws them (:mod:`workshop.domain.drawing`).

    Written as literal operators: reportlab's per-call number formatting is
    what made a 20,000-node report take twenty seconds. A see-through fill is
    laid over white as an opaque colour: no transparency groups to render.
    """
    ops = []
    for shape in item.shapes:
        paint = ""
        if shape.fill is not None:
            ops.append(f"{_rgb(shape.fill, shape.fill_alpha)} rg")
            paint = "f"
        if shape.stroke is not None:
            stroke = shape.stroke
            dash = f"[{_n(stroke.dash[0])} {_n(stroke.dash[1])}] 0 d" if stroke.dash else "[] 0 d"
            ops.append(f"{_rgb(stroke.colour)} RG {_n(stroke.width)} w {dash}")
            paint = "B" if paint else "S"
        if paint:
            ops.append(f"{_path_ops(shape.path)} {paint}")
    return " ".join(ops)


def _merged(spans: Iterable[tuple[float, float]], gap: float = 0.0) -> list[list[float]]:
    """(start, end) spans joined where they overlap or lie less than ``gap`` apart, in order."""
    merged: list[list[float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + gap:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def _bands(scene: Scene, limit: float) -> list[tuple[float, float]]:
    """Vertical ranges no taller than ``limit``, cut between lanes where possible.

    Only where something is drawn: a shape placed far below the lanes gives
    one more band, not thousands of empty ones.
    """
    cuts = sorted({box.bottom for _title, box in scene.lanes} | {box.y for _title, box in scene.lanes})
    occupied = _merged(((i.bounds[1], i.bounds[3]) for i in scene.items if i.kind != "flow"), limit) or [
        [scene.top, scene.bottom]
    ]
    bands: list[tuple[float, float]] = []
    for low, high in occupied:
        start = low
        while start < high - 1e-6:
            end = min(high, start + limit)
            if end < high:
                fitting = [c for c in cuts[bisect.bisect_right(cuts, start + limit * 0.3) :] if c <= end]
                if fitting:
                    end = fitting[-1]
            bands.append((start, end))
            start = end
    return bands


def _columns(items: Sequence[Item], x0: float, x1: float, limit: float) -> list[tuple[float, float]]:
    """Horizontal ranges no wider than ``limit``, of even width, cut in a gap between shapes where possible.

    Only where shapes are: empty stretches between far-apart shapes are skipped.
    """
    merged = _merged((i.bounds[0], i.bounds[2]) for i in items if i.kind not in ("lane", "flow"))
    starts = [m[0] for m in merged]
    occupied = _merged(((max(x0, a - 20), min(x1, b + 20)) for a, b in merged), limit) or [[x0, x1]]
    columns: list[tuple[float, float]] = []
    for low, high in occupied:
        step = (high - low) / max(1, math.ceil((high - low) / limit - 1e-9))  # even sections, no sliver
        start = low
        while start < high - 1e-6:
            end = min(high, start + step)
            if end < high - 1e-6:
                at = bisect.bisect_right(starts, end) - 1
                if at >= 0 and merged[at][0] < end < merged[at][1]:
                    if merged[at][0] - 4 > start + step * 0.5:
                        end = merged[at][0] - 4  # cut before the shape
                    elif merged[at][1] + 4 <= start + limit:
                        end = merged[at][1] + 4  # or after it, if that still fits
            if high - end < step * 0.25 and high - start <= limit:
                end = high  # no sliver
            columns.append((start, end))
            start = end
    return columns


def _lane_names(scene: Scene, y0: float, y1: float) -> list[str]:
    return [title for title, box in scene.lanes if box.bottom > y0 + 1 and box.y < y1 - 1]


def diagram_flowables(session: Session, model_id: str, width: float, height: float, heading: str) -> list[Flowable]:
    """The model for a landscape frame of ``width`` × ``height`` points, after ``heading``.

    One page if the whole model prints readably there; otherwise an overview
    and then numbered parts, each on its own page with a caption saying where
    it sits. The caller starts each on a fresh page.
    """
    from reportlab.platypus import KeepTogether, PageBreak

    scene = build_scene(session, model_id)
    room = height - CAPTION_RESERVE
    fit = min(MAX_SCALE, width / scene.width, room / scene.height)
    whole = (scene.left, scene.top, scene.right, scene.bottom)
    h2 = ParagraphStyle("diagram-heading", fontName=BOLD, fontSize=14, leading=18, spaceAfter=6, keepWithNext=1)
    title: list[Flowable] = [Paragraph(escape(heading), h2)]
    if scene.left_out:
        title.append(
            Paragraph(
                f"{scene.left_out} shape(s) or lane(s) with impossible coordinates or sizes are not drawn.", CAPTION
            )
        )
    if fit >= READABLE_SCALE:
        view = DiagramView([Placement(whole, 0, scene.items)], fit, scene.width * fit, scene.height * fit)
        return [KeepTogether([*title, view])]
    s = READABLE_SCALE
    header = LANE_HEADER_WIDTH * s
    content_limit = (width - header) / s
    content_x0 = max(scene.left, 0.0) if scene.left >= -LANE_HEADER_WIDTH else scene.left
    parts: list[tuple[Window, list[Item]]] = []
    for y0, y1 in _bands(scene, room / s):
        band_items = [i for i in scene.items if i.bounds[1] <= y1 and i.bounds[3] >= y0]
        columns = _columns(band_items, content_x0, scene.right, content_limit)
        starts = [c[0] for c in columns]
        buckets: list[list[Item]] = [[] for _ in columns]
        for item in band_items:
            first = max(0, bisect.bisect_right(starts, item.bounds[0]) - 1)
            last = max(0, bisect.bisect_right(starts, item.bounds[2]) - 1)
            for index in range(first, last + 1):
                buckets[index].append(item)
        band_parts = [((cx0, y0, cx1, y1), bucket) for (cx0, cx1), bucket in zip(columns, buckets, strict=True)]
        # Sections with no shape in them are left out (a band's first stays, for its lane titles).
        shown = [p for p in band_parts if any(i.kind not in ("lane", "flow") for i in p[1])]
        parts += shown or band_parts[:1]
    columns_per_band: dict[tuple[float, float], int] = {}
    for window, _items in parts:
        columns_per_band[(window[1], window[3])] = columns_per_band.get((window[1], window[3]), 0) + 1
    overview_scale = min(width / scene.width, room / scene.height)
    overview = DiagramView(
        [Placement(whole, 0, scene.items)],
        overview_scale,
        scene.width * overview_scale,
        scene.height * overview_scale,
        with_text=False,
        grid=[(n, window) for n, (window, _items) in enumerate(parts, start=1)],
    )
    note = (
        f"Overview. The model is too large to print readably on one page, so it follows in {len(parts)} parts "
        f"(outlined and numbered here), band by band from the top, left to right within a band."
    )
    flowables: list[Flowable] = [KeepTogether([*title, Paragraph(note, CAPTION), overview])]
    band_numbers = {band: n for n, band in enumerate(sorted(columns_per_band), start=1)}
    seen: dict[tuple[float, float], int] = {}
    for number, (window, items) in enumerate(parts, start=1):
        x0, y0, x1, y1 = window
        band = (y0, y1)
        seen[band] = seen.get(band, 0) + 1
        names = _lane_names(scene, y0, y1)
        lanes = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        where = f"lanes {lanes}" if names else "below the lanes"
        caption = (
            f"<b>{escape(heading)} — part {number} of {len(parts)}</b>: band {band_numbers[band]} of "
            f"{len(band_numbers)} from the top ({escape(where)}), section {seen[band]} of "
            f"{columns_per_band[band]} from the left."
        )
        header_items = [i for i in items if i.kind == "lane"]
        placements = [
            Placement((-LANE_HEADER_WIDTH, y0, 0.0, y1), 0, header_items),
            Placement(window, header, items, lane_titles=False),
        ]
        view = DiagramView(placements, s, header + (x1 - x0) * s, (y1 - y0) * s)
        # A fresh page always holds a caption and its part (planned so), so no KeepTogether: it would wrap twice.
        flowables += [PageBreak(), Paragraph(caption, CAPTION), view]
    return flowables
