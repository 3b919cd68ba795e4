"""Tiling a diagram into report pages: one page when it prints readably, else an overview and numbered parts.

Split out of :mod:`report_diagram` (the scene) and :mod:`report_diagram_draw`
(the painting): this module decides what goes on which page. A model too big
to print at :data:`~workshop.interchange.report_diagram.MIN_PRINTED_PT` is cut
into bands of lanes by ranges of columns, cut in gaps between shapes where
possible, and each part is captioned with where it sits.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from workshop.domain.model.process import LANE_HEADER_WIDTH
from workshop.domain.model.session import Session
from workshop.interchange.report_diagram import (
    BOLD,
    CAPTION,
    CAPTION_RESERVE,
    MAX_SCALE,
    READABLE_SCALE,
    Drawn,
    Scene,
    Window,
    build_scene,
)
from workshop.interchange.report_diagram_draw import DiagramView, Placement


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
    occupied = _merged(((i.bounds[1], i.bounds[3]) for i in scene.items if i.kind not in ("flow", "group")), limit) or [
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


def _columns(items: Sequence[Drawn], x0: float, x1: float, limit: float) -> list[tuple[float, float]]:
    """Horizontal ranges no wider than ``limit``, of even width, cut in a gap between shapes where possible.

    Only where shapes are: empty stretches between far-apart shapes are skipped.
    """
    merged = _merged((i.bounds[0], i.bounds[2]) for i in items if i.kind not in ("lane", "flow", "group"))
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


MAX_PARTS = 40
"""Parts a model is printed in at most; a bigger one prints its overview and the parts holding what was discussed.

Nobody reads a thousand pages of a 20,000-task model (and making them took half a minute): the record's
interest is where the workshop annotated, marked a boundary or claimed ownership."""


def _discussed_parts(session: Session, parts: list[tuple[Window, list[Drawn]]]) -> list[tuple[Window, list[Drawn]]]:
    """The parts holding something the workshop discussed, the most discussed first, at most :data:`MAX_PARTS`
    (then in their reading order)."""
    discussed = {a.target_id for a in session.annotations.values() if a.target_id and not a.hidden}
    discussed |= {c.node_id for c in session.claims.values()}
    discussed |= {b.target_id for b in session.boundaries.values() if b.target_id}
    weight = [
        sum(1 for i in items if i.kind == "marker" or (i.element_id is not None and i.element_id in discussed))
        for _window, items in parts
    ]
    chosen = sorted((i for i in range(len(parts)) if weight[i]), key=lambda i: -weight[i])[:MAX_PARTS]
    return [parts[i] for i in sorted(chosen)]


def _around(session: Session, parts: list[tuple[Window, list[Drawn]]]) -> Session:
    """``session`` holding only the steps and flows these parts show (and each flow's ends): what is drawn in
    full for them costs what they hold, not what the model holds."""
    flows = {i.element_id for _window, items in parts for i in items if i.kind == "flow" and i.element_id}
    nodes = {i.element_id for _window, items in parts for i in items if i.kind != "flow" and i.element_id}
    for flow_id in flows:
        nodes |= {session.flows[flow_id].source_id, session.flows[flow_id].target_id}
    return session.model_copy(
        update={
            "nodes": {k: session.nodes[k] for k in nodes if k in session.nodes},
            "flows": {k: session.flows[k] for k in flows},
        }
    )


ROW_GAP = 8.0
"""Points between the rows of a folded overview."""


def _overview(scene: Scene, width: float, room: float, grid: list[tuple[int, Window]]) -> DiagramView:
    """The whole model on one page, without text, the printed parts outlined and numbered.

    A long process (thousands of steps in a few lanes) at one page's width is a hairline; it is folded into
    rows like lines of text, as many as make each step largest, so a reader still sees the lanes, where the
    work piles up and where each numbered part sits.
    """

    def scale_with(rows: int) -> float:
        return min(width * rows / scene.width, (room - ROW_GAP * (rows - 1)) / (rows * scene.height))

    most = max(1, math.ceil(math.sqrt((room + ROW_GAP) * scene.width / (width * scene.height))) + 1)
    rows = max(range(1, most + 1), key=scale_with)
    step = scene.width / rows
    scale = scale_with(rows)
    in_row: list[list[Drawn]] = [[] for _ in range(rows)]
    for item in scene.items:  # each item into the rows it reaches, in one pass
        first = min(rows - 1, max(0, int((item.bounds[0] - scene.left) / step)))
        last = min(rows - 1, max(0, int((item.bounds[2] - scene.left) / step)))
        for row in range(first, last + 1):
            in_row[row].append(item)
    placements = []
    for row in range(rows):
        x0, x1 = scene.left + row * step, scene.left + (row + 1) * step
        dy = row * (scene.height * scale + ROW_GAP)
        placements.append(Placement((x0, scene.top, x1, scene.bottom), 0, in_row[row], dy=dy))
    height = rows * scene.height * scale + ROW_GAP * (rows - 1)
    return DiagramView(placements, scale, step * scale, height, with_text=False, grid=grid)


def _lane_names(scene: Scene, y0: float, y1: float) -> list[str]:
    return [title for title, box in scene.lanes if box.bottom > y0 + 1 and box.y < y1 - 1]


def _parts(scene: Scene, width: float, room: float) -> list[tuple[Window, list[Drawn]]]:
    """The windows a model too big for one page is printed in at the readable scale, with what each shows."""
    s = READABLE_SCALE
    content_limit = (width - LANE_HEADER_WIDTH * s) / s
    content_x0 = max(scene.left, 0.0) if scene.left >= -LANE_HEADER_WIDTH else scene.left
    parts: list[tuple[Window, list[Drawn]]] = []
    for y0, y1 in _bands(scene, room / s):
        band_items = [i for i in scene.items if i.bounds[1] <= y1 and i.bounds[3] >= y0]
        columns = _columns(band_items, content_x0, scene.right, content_limit)
        starts = [c[0] for c in columns]
        buckets: list[list[Drawn]] = [[] for _ in columns]
        for item in band_items:
            first = max(0, bisect.bisect_right(starts, item.bounds[0]) - 1)
            last = max(0, bisect.bisect_right(starts, item.bounds[2]) - 1)
            for index in range(first, last + 1):
                buckets[index].append(item)
        band_parts = [((cx0, y0, cx1, y1), bucket) for (cx0, cx1), bucket in zip(columns, buckets, strict=True)]
        # Sections with no shape in them are left out (a band's first stays, for its lane titles).
        shown = [p for p in band_parts if any(i.kind not in ("lane", "flow", "group") for i in p[1])]
        parts += shown or band_parts[:1]
    return parts


def _positions(parts: list[tuple[Window, list[Drawn]]]) -> tuple[dict[tuple[float, float], int], dict[Window, int]]:
    """Sections per band (top, bottom), and each window's section number from the left within its band."""
    columns_per_band: dict[tuple[float, float], int] = {}
    section_of: dict[Window, int] = {}
    for window, _items in parts:
        band = (window[1], window[3])
        columns_per_band[band] = section_of[window] = columns_per_band.get(band, 0) + 1
    return columns_per_band, section_of


def diagram_flowables(session: Session, model_id: str, width: float, height: float, heading: str) -> list[Flowable]:
    """The model for a landscape frame of ``width`` × ``height`` points, after ``heading``.

    One page if the whole model prints readably there; otherwise an overview
    and then numbered parts, each on its own page with a caption saying where
    it sits. The caller starts each on a fresh page.
    """
    from reportlab.platypus import KeepTogether, PageBreak

    room = height - CAPTION_RESERVE
    sketch = build_scene(session, model_id, sketch=True)  # no text laid out: cheap at any size
    every = _parts(sketch, width, room)
    huge = len(every) > MAX_PARTS
    if huge:  # the overview and the parts holding what was discussed: only their steps are drawn in full
        chosen = _discussed_parts(session, every)
        scene = sketch
        full = {i.element_id: i for i in build_scene(_around(session, chosen), model_id).items if i.element_id}
        parts = [(w, [full.get(i.element_id, i) if i.element_id else i for i in items]) for w, items in chosen]
    else:
        scene = build_scene(session, model_id)
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
    if not huge:
        parts = every = _parts(scene, width, room)
    columns_per_band, section_of = _positions(every)
    every_part = len(every)
    overview = _overview(scene, width, room, [(n, window) for n, (window, _items) in enumerate(parts, start=1)])
    if huge:
        nodes = sum(1 for i in scene.items if i.box is not None)
        which = (
            f"The {len(parts)} parts that hold what the workshop discussed (annotations, knowledge boundaries, "
            "ownership claims) follow, outlined and numbered here"
            if parts
            else "Nothing in it was annotated, marked or claimed, so no part follows"
        )
        note = (
            f"Overview. The model has {nodes:,} shapes; printed readably it would take {every_part:,} pages. "
            f"{which}. The whole model is in the BPMN and JSON exports."
        )
    else:
        note = (
            f"Overview. The model is too large to print readably on one page, so it follows in {len(parts)} parts "
            f"(outlined and numbered here), band by band from the top, left to right within a band."
        )
    flowables: list[Flowable] = [KeepTogether([*title, Paragraph(note, CAPTION), overview])]
    band_numbers = {band: n for n, band in enumerate(sorted(columns_per_band), start=1)}
    for number, (window, items) in enumerate(parts, start=1):
        x0, y0, x1, y1 = window
        band = (y0, y1)
        names = _lane_names(scene, y0, y1)
        lanes = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        where = f"lanes {lanes}" if names else "below the lanes"
        caption = (
            f"<b>{escape(heading)} — part {number} of {len(parts)}</b>: band {band_numbers[band]} of "
            f"{len(band_numbers)} from the top ({escape(where)}), section {section_of[window]} of "
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
