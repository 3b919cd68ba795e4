"""The PDF session report: what the facilitator hands the organizations and the researchers keep.

Drawn from the domain model (vector diagrams, tables), never from
screenshots. DejaVu is embedded so names such as Müller, Łukasz and Nguyễn
print; every piece of user text is escaped before it reaches reportlab's
paragraph markup, so typed '<b>' or '<script>' prints as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.frames import Frame

from workshop.domain.analysis import analyse
from workshop.domain.facilitation import AgendaEntry, agenda_as_run, script_of
from workshop.domain.privacy import public_record
from workshop.domain.record import SessionRecord
from workshop.domain.walkthrough_summary import summarize
from workshop.interchange import record_tables
from workshop.interchange.report_diagram import BOLD, FONT, diagram_flowables, register_fonts
from workshop.interchange.table1 import table1

Progress = Callable[[int, int], None]


BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)
H1 = ParagraphStyle("h1", fontName=BOLD, fontSize=22, leading=27, spaceAfter=10)
H2 = ParagraphStyle("h2", fontName=BOLD, fontSize=14, leading=18, spaceBefore=12, spaceAfter=6)


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Flowable:
    if not rows:
        return _p("(none recorded)", SMALL)
    data = [[_p(h, SMALL) for h in header]] + [[_p(str(cell), SMALL) for cell in row] for row in rows]
    # A cell taller than a page (a 5,000-character annotation) splits across pages instead of failing.
    table = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0bec5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _pick(table: record_tables.Table, columns: list[str]) -> tuple[list[str], list[list[str]]]:
    header, rows = table
    index = [header.index(c) for c in columns]
    return columns, [[row[i] for i in index] for row in rows]


def _story(record: SessionRecord, width: float, wide: float, tall: float) -> list[Flowable]:
    s = record.session
    orgs = s.organizations
    story: list[Flowable] = [_p(s.title, H1)]
    if s.description:
        story.append(_p(s.description))
    times = [r.time for r in record.records]
    span = f"{min(times):%Y-%m-%d %H:%M} – {max(times):%Y-%m-%d %H:%M} UTC" if times else f"{s.created:%Y-%m-%d}"
    story += [Spacer(0, 4), _p(f"Session record: {span}. {len(record.records)} recorded operations.", SMALL)]
    story.append(_p("Organizations and participants", H2))
    rows = [
        [
            org.name,
            str(org.org_kind).replace("_", " "),
            ", ".join(
                f"{p.name} ({p.role})" if p.role else p.name
                for p in s.participants.values()
                if p.organization_id == org.id
            ),
        ]
        for org in orgs.values()
    ]
    story.append(_table(["Organization", "Kind", "Participants"], rows, [width * 0.25, width * 0.2, width * 0.55]))

    story.append(_p("Agenda as it ran", H2))
    agenda = agenda_as_run(record)
    script = script_of(s)

    def shown(entry: AgendaEntry) -> str:
        found = script.find(entry.intervention_id, entry.step_id) if script else None
        return str(found[2].shows or "") if found else ""

    story.append(
        _table(
            ["Intervention", "Step", "Model shown", "Started (UTC)", "Ended (UTC)", "Deviation"],
            [
                [
                    e.intervention_id,
                    e.title,
                    shown(e),
                    f"{e.started:%Y-%m-%d %H:%M}",
                    f"{e.ended:%H:%M}" if e.ended else "",
                    "yes" if e.deviation else "",
                ]
                for e in agenda
            ],
        )
    )

    for model in sorted(s.models.values(), key=lambda m: m.index):
        heading = model.name if str(model.state) in model.name.lower() else f"{model.name} ({model.state})"
        story += [NextPageTemplate("landscape"), PageBreak()]
        story += diagram_flowables(s, model.id, wide, tall, heading)
        health = analyse(s, model.id)
        matrix = sorted(health.handoffs.items(), key=lambda item: -item[1])
        story.append(_p("Handoffs between organizations", H2))
        story.append(_table(["From", "To", "Handoffs"], [[orgs[a].name, orgs[b].name, str(n)] for (a, b), n in matrix]))
        story.append(
            _p(
                f"The longest path from start to end crosses organizations "
                f"{health.longest_handoff_count} time(s). {len(health.findings)} model-health finding(s).",
                SMALL,
            )
        )
        story.append(NextPageTemplate("portrait"))
    story.append(PageBreak())

    story.append(_p("Knowledge boundaries", H2))
    story.append(
        _table(
            *_pick(
                record_tables.boundaries(record),
                ["organization A", "organization B", "type", "not shared", "status history", "how it was crossed"],
            )
        )
    )
    story.append(_p("Annotations", H2))
    _header, rows = record_tables.annotation_table(record)
    for kind in ("problem", "idea", "need", "requirement", "question", "quote", "comment"):
        chosen = [r for r in rows if r[1] == kind and not r[13]]
        if chosen:
            story.append(_p(kind.capitalize() + "s", ParagraphStyle("h3", parent=BODY, fontName=BOLD)))
            story.append(
                _table(
                    ["Text", "By", "Themes", "Idea status"],
                    [[r[2], r[4], r[7], r[9]] for r in chosen],
                    [width * 0.5, width * 0.2, width * 0.18, width * 0.12],
                )
            )
    story.append(_p("Agreement checks", H2))
    story.append(_table(*record_tables.agreements(record)))
    story.append(_p("Dot votes", H2))
    story.append(_table(*record_tables.votes(record)))
    if s.walkthroughs:
        story.append(_p("Walkthroughs", H2))
        for walkthrough_id in s.walkthroughs:
            summary = summarize(s, walkthrough_id)
            story.append(
                KeepTogether(
                    [
                        _p(
                            f"{summary.walkthrough.scenario or 'Walkthrough'} — {summary.model_name}, "
                            f"{len(summary.steps)} steps"
                        ),
                        _table(
                            ["#", "Where", "Organization", "Captured"],
                            [
                                [str(st.index + 1), st.label, st.organization, "; ".join(a.text for a in st.captures)]
                                for st in summary.steps
                            ],
                        ),
                    ]
                )
            )
    story.append(_p("Coordination mechanisms", H2))
    story.append(_table(*record_tables.mechanisms(record)))
    story.append(_p("Collaboration contract", H2))
    story.append(_table(*record_tables.commitments(record)))
    story.append(_p("Glossary", H2))
    story.append(
        _table(
            ["Term", "Meanings", "Agreed"],
            [
                [
                    t.term,
                    "\n".join(f"{orgs[o].name}: {m}" for o, m in t.meanings.items() if o in orgs),
                    "yes" if t.agreed else "no",
                ]
                for t in s.glossary.values()
            ],
        )
    )
    summary_header, summary_rows = table1(s)
    if summary_rows:
        story.append(_p("The research record: data collected per intervention", H2))
        story.append(_table(summary_header[:6] + summary_header[8:], [row[:6] + row[8:] for row in summary_rows]))
    scores = record_tables.survey_scores(record)
    if scores[1]:
        story.append(_p("Relational coordination (overall; cells with fewer than 3 respondents withheld)", H2))
        story.append(
            _table(
                *_pick(
                    (scores[0], [r for r in scores[1] if r[4] == "overall"]),
                    ["round", "organization", "about organization", "mean", "respondents", "note"],
                )
            )
        )
    return story


def write_report(record: SessionRecord, stream: BinaryIO, progress: Progress | None = None) -> None:
    """Write the report as PDF bytes to ``stream``; ``progress(done, total)`` is called as pages are laid out.

    Written from the de-identified record (:mod:`workshop.domain.privacy`), like every output.
    """
    record = public_record(record)
    register_fonts()
    portrait_size, landscape_size = A4, landscape(A4)
    margin = 15 * mm

    def frame(size: tuple[float, float], name: str) -> Frame:
        # No padding: the widths and heights the story is planned for are the frame's own.
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

    def footer(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 7)  # type: ignore[attr-defined]
        canvas.drawString(margin, 8 * mm, f"{record.session.title} — page {doc.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

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
    story = _story(record, width, wide, tall)
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
