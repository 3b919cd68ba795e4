"""The report's typography: paragraph styles, plain-word labels and tables that split across pages.

Split out of :mod:`report_story` so that every part of the report (the
chapters, the back matter, the study report) sets text and tables the same
way: people's text escaped through :func:`para`, columns sized by
:func:`column_widths` so words are not split.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from workshop.domain.model.session import Session
from workshop.interchange.report_diagram import BOLD, FONT

BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)
CELL = ParagraphStyle("cell", parent=SMALL, splitLongWords=1)
HEAD = ParagraphStyle("head", parent=CELL, fontName=BOLD)
NOTE = ParagraphStyle("note", parent=SMALL, textColor=colors.HexColor("#455a64"), spaceAfter=4)
H1 = ParagraphStyle("h1", fontName=BOLD, fontSize=22, leading=27, spaceAfter=8, keepWithNext=1)
H2 = ParagraphStyle("h2", fontName=BOLD, fontSize=15, leading=19, spaceBefore=14, spaceAfter=6, keepWithNext=1)
H3 = ParagraphStyle("h3", fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=9, spaceAfter=4, keepWithNext=1)
H4 = ParagraphStyle("h4", fontName=BOLD, fontSize=9.5, leading=12.5, spaceBefore=5, spaceAfter=2, keepWithNext=1)
CELL_PADDING = 8.0
"""Left plus right padding of a table cell (set in :func:`table`: 4 + 4; reportlab's own default is 6 + 6)."""

KIND_NAMES = {
    "problem": "Problems",
    "idea": "Ideas",
    "need": "Needs",
    "requirement": "Requirements",
    "question": "Questions",
    "quote": "Quotes",
    "comment": "Comments",
}
IDEA_MODES = {"explore": "explore (a new way of working)", "exploit": "exploit (improve today's way)"}
IDEA_STATUS = {"proposed": "proposed", "agreed": "agreed", "implemented": "implemented", "checked": "checked"}
BOUNDARY_STATUS = {"open": "open", "being_crossed": "being crossed", "crossed": "crossed"}
MECHANISM_STATUS = {
    "existing_keep": "keep",
    "existing_change": "change",
    "existing_retire": "retire",
    "new": "new",
}


ACRONYMS = {"it": "IT"}


def human(value: object) -> str:
    """An enum value as words: 'plans_and_rules' -> 'plans and rules', 'it_provider' -> 'IT provider'."""
    return " ".join(ACRONYMS.get(word, word) for word in str(value or "").split("_") if word)


def local(moment: datetime | None, *, date: bool = True) -> str:
    """A moment in the reader's local time: '10 Mar 2026, 09:15' (or '09:15')."""
    if moment is None:
        return ""
    here = moment.astimezone()
    return f"{here.day} {here:%b %Y, %H:%M}" if date else f"{here:%H:%M}"


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """People's text as a paragraph: escaped (never markup), line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], total: float) -> list[float]:
    """Column widths summing to ``total``: each at least its longest word, the rest shared by content.

    Reportlab's Paragraph breaks a word only when it is wider than its
    column, so a column as wide as its longest word (plus padding) never
    splits words; only a word wider than 35 % of the page still breaks.
    """
    count = len(header)
    minimum, weight = [0.0] * count, [1.0] * count
    for index in range(count):
        cells = [header[index]] + [str(row[index]) for row in rows[:400]]
        longest = max((stringWidth(w, FONT, CELL.fontSize) for c in cells for w in c.split()), default=10.0)
        header_words = max((stringWidth(w, BOLD, CELL.fontSize) for w in header[index].split()), default=10.0)
        minimum[index] = min(max(longest, header_words) + CELL_PADDING + 1, total * 0.35)
        lengths = sorted(len(c) for c in cells[1:] or cells)
        weight[index] = max(4.0, float(lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]))
    spare = total - sum(minimum)
    if spare <= 0:
        return [m * total / sum(minimum) for m in minimum]
    return [m + spare * w / sum(weight) for m, w in zip(minimum, weight, strict=True)]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], total: float) -> Flowable:
    """A table of people's text whose rows (even a 5,000-character cell) split across pages."""
    if not rows:
        return para("None recorded.", NOTE)
    widths = column_widths(header, rows, total)
    data = [[para(h, HEAD) for h in header]] + [[para(str(cell), CELL) for cell in row] for row in rows]
    grid = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, splitInRow=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0bec5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
            ]
        )
    )
    return grid


def org_name(session: Session, org_id: str | None) -> str:
    """An organization's name, or nothing when there is none."""
    org = session.organizations.get(org_id or "")
    return org.name if org else ""
