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
    Item,
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


def _columns(items: Sequence[Item], x0: float, x1: float, limit: float) -> list[tuple[float, float]]:
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
        shown = [p for p in band_parts if any(i.kind not in ("lane", "flow", "group") for i in p[1])]
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
