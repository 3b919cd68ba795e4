"""The PDF session report: what the facilitator hands the organizations and the researchers keep.

Drawn from the domain model (vector diagrams, tables), never from
screenshots. This module sets up the pages (A4 portrait for text, landscape
for models); what the report says is :mod:`report_story`, how models are
drawn and tiled :mod:`report_diagram` and its
:mod:`report_diagram_pages`. DejaVu is embedded so names such as
Müller, Łukasz and Nguyễn print; every piece of user text is escaped before
it reaches reportlab's paragraph markup, so typed '<b>' or '<script>'
prints as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.frames import Frame

from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import public_record
from workshop.interchange.report_diagram import FONT, register_fonts
from workshop.interchange.report_story import report_story

Progress = Callable[[int, int], None]


def page_frame(size: tuple[float, float], name: str, margin: float) -> Frame:
    """The page's one frame inside its margins.

    No padding: the widths and heights the story is planned for are the frame's own.
    """
    return Frame(
        margin,
        margin,
        size[0] - 2 * margin,
        size[1] - 2 * margin,
        id=name,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


def page_footer(title: str, margin: float) -> Callable[[object, object], None]:
    """The footer every page carries: the title and the page number."""

    def footer(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 7)  # type: ignore[attr-defined]
        canvas.drawString(margin, 8 * mm, f"{title} — page {doc.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    return footer


def write_report(record: SessionRecord, stream: BinaryIO, progress: Progress | None = None) -> None:
    """Write the report as PDF bytes to ``stream``; ``progress(done, total)`` is called as pages are laid out.

    Written from the de-identified record (:mod:`workshop.domain.research.privacy`), like every output.
    """
    record = public_record(record)
    register_fonts()
    portrait_size, landscape_size = A4, landscape(A4)
    margin = 15 * mm

    footer = page_footer(record.session.title, margin)

    def frame(size: tuple[float, float], name: str) -> Frame:
        return page_frame(size, name, margin)

    doc = BaseDocTemplate(stream, pagesize=portrait_size, title=record.session.title, author="Process Workshop")
    doc.addPageTemplates(
        [
            PageTemplate("portrait", [frame(portrait_size, "p")], onPage=footer, pagesize=portrait_size),
            PageTemplate("landscape", [frame(landscape_size, "l")], onPage=footer, pagesize=landscape_size),
        ]
    )
    width = portrait_size[0] - 2 * margin
    wide = landscape_size[0] - 2 * margin
    tall = landscape_size[1] - 2 * margin
    story = report_story(record, width, wide, tall)
    if progress is not None:
        total, done = len(story), [0]

        def laid_out(_flowable: Flowable) -> None:
            done[0] += 1
            progress(min(done[0], total), total)

        doc.afterFlowable = laid_out
    # Plain deflated streams: ASCII85 on top only makes the file bigger and, in pure Python, seconds slower.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story)
    finally:
        rl_config.useA85 = a85
