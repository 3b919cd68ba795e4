"""What the session report says, in the order the organizations read it.

The report is the feedback handed to the organizations after an
intervention, so it speaks their language: titles, names and local dates,
never ids, enum values or ISO timestamps. Per intervention it says what was
done, what was found (knowledge boundaries, problems, ideas — explore or
exploit), what was decided (coordination mechanisms, the collaboration
contract) and what is still open. The process models, the glossary and the
research record (data collected, survey scores, the agenda as run) follow.

Every piece of people's text goes through :func:`para` (escaped: typed
markup prints as typed). Headings keep with what follows them; table columns
are sized so that no word is split unless it is wider than a column can be.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Paragraph, Spacer, Table, TableStyle

from workshop.domain.analysis import analyse
from workshop.domain.annotations import Annotation
from workshop.domain.facilitation import AgendaEntry, agenda_as_run, script_of
from workshop.domain.naming import count, node_name
from workshop.domain.operations import AddOp
from workshop.domain.privacy import disclose, round_scores
from workshop.domain.record import SessionRecord
from workshop.domain.session import Session
from workshop.domain.survey import OVERALL, rounds_in_order
from workshop.domain.walkthrough_summary import summarize
from workshop.interchange.record_tables import boundary_history
from workshop.interchange.report_diagram import BOLD, FONT, diagram_flowables
from workshop.interchange.table1 import table1

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


@dataclass
class Chapter:
    """Everything one intervention (or the time outside any) produced."""

    title: str
    purpose: str = ""
    agenda: list[AgendaEntry] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    boundaries: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (
            self.agenda or self.annotations or self.boundaries or self.mechanisms or self.commitments or self.agreements
        )


def _where_made(record: SessionRecord) -> dict[tuple[str, str], str]:
    """(kind, id) -> the intervention it was added in, from the log."""
    made: dict[tuple[str, str], str] = {}
    for log in record.records:
        if not log.intervention_id:
            continue
        for op in log.op.primitives():
            if isinstance(op, AddOp):
                made.setdefault((op.kind, str(op.data.get("id", ""))), log.intervention_id)
    return made


def chapters(record: SessionRecord) -> list[Chapter]:
    """The session cut into the script's interventions, in order, then whatever belongs to none."""
    s = record.session
    script = script_of(s)
    made = _where_made(record)
    book: dict[str, Chapter] = {}
    if script:
        for number, intervention in enumerate(script.interventions, start=1):
            title = intervention.title
            title = title if title[:1].isdigit() else f"Intervention {number}: {title}"
            book[intervention.id] = Chapter(title, intervention.purpose)
    outside = Chapter("Across the session" if book else "Findings and decisions")

    def chapter(kind: str, element_id: str, own: str | None = None) -> Chapter:
        return book.get(own or made.get((kind, element_id), ""), outside)

    for entry in agenda_as_run(record):
        chapter("", "", entry.intervention_id).agenda.append(entry)
    for annotation in s.annotations.values():
        if not annotation.hidden and not annotation.walkthrough_id:
            chapter("annotation", annotation.id, annotation.intervention_id).annotations.append(annotation)
    for boundary_id in s.boundaries:
        chapter("boundary", boundary_id).boundaries.append(boundary_id)
    for mechanism_id in s.mechanisms:
        chapter("mechanism", mechanism_id).mechanisms.append(mechanism_id)
    for commitment_id in s.commitments:
        chapter("commitment", commitment_id).commitments.append(commitment_id)
    for agreement in s.agreements.values():
        book_id = made.get(("agreement", agreement.id), "")
        if not book_id and script:
            found = next((i.id for i, st in script.steps() if st.id == agreement.check_id), "")
            book_id = found
        chapter("agreement", agreement.id, book_id).agreements.append(agreement.id)
    return [c for c in [*book.values(), outside] if not c.empty() or c is not outside]


def _org(session: Session, org_id: str | None) -> str:
    org = session.organizations.get(org_id or "")
    return org.name if org else ""


def _by(session: Session, annotation: Annotation) -> str:
    """Who said it, as outputs may show it; nothing for the facilitator's or an imported model's notes."""
    if annotation.author_id is None and not annotation.organization_id and not annotation.anonymous:
        return ""
    return disclose(session, annotation.author_id, annotation.organization_id, anonymous=annotation.anonymous).label


def _step_titles(session: Session) -> dict[str, str]:
    script = script_of(session)
    return {st.id: st.title for _i, st in script.steps()} if script else {}


class Report:
    """Builds the story; ``width`` is the portrait frame's, ``wide`` × ``tall`` the landscape frame's."""

    def __init__(self, record: SessionRecord, width: float, wide: float, tall: float) -> None:
        self.record, self.s = record, record.session
        self.width, self.wide, self.tall = width, wide, tall
        self.history = boundary_history(record)
        self.steps = _step_titles(self.s)

    # -- pieces -------------------------------------------------------------------
    def _boundary_rows(self, ids: Iterable[str]) -> list[list[str]]:
        rows = []
        for boundary_id in ids:
            b = self.s.boundaries[boundary_id]
            changes = self.history.get(b.id, [])
            crossed = next((local(when) for status, when in changes if status == "crossed"), "")
            state = BOUNDARY_STATUS.get(str(b.status), human(b.status)) + (f" ({crossed})" if crossed else "")
            rows.append(
                [
                    f"{_org(self.s, b.org_a)} – {_org(self.s, b.org_b)}",
                    human(b.boundary_type),
                    b.not_shared,
                    state,
                    b.crossing_note,
                ]
            )
        return rows

    def _mechanism_rows(self, ids: Iterable[str]) -> list[list[str]]:
        rows = []
        for mechanism_id in ids:
            m = self.s.mechanisms[mechanism_id]
            rows.append(
                [
                    m.name,
                    human(m.mechanism_kind),
                    human(m.mode),
                    _org(self.s, m.owner_org_id),
                    m.cadence,
                    MECHANISM_STATUS.get(str(m.status), human(m.status)),
                    m.coordinates,
                ]
            )
        return rows

    def _commitment_rows(self, ids: Iterable[str]) -> list[list[str]]:
        rows = []
        for commitment_id in ids:
            c = self.s.commitments[commitment_id]
            rows.append(
                [
                    _org(self.s, c.from_org_id),
                    c.what,
                    _org(self.s, c.to_org_id),
                    c.form,
                    c.by_when,
                    "yes" if c.done else "not yet",
                ]
            )
        return rows

    def _agreement_rows(self, ids: Iterable[str]) -> list[list[str]]:
        ratings: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        for agreement_id in ids:
            a = self.s.agreements[agreement_id]
            ratings[(a.check_id, a.organization_id)].append(a.rating)
        rows = []
        for (check, org_id), values in sorted(ratings.items(), key=lambda item: (item[0][0], fmean(item[1]))):
            who = _org(self.s, org_id) or "an organization not shown on its own (fewer than 3 people)"
            rows.append([self.steps.get(check, "Agreement check"), who, f"{fmean(values):.1f}", str(len(values))])
        return rows

    def _annotations(self, annotations: list[Annotation], story: list[Flowable]) -> None:
        ideas = [a for a in annotations if str(a.annotation_kind) == "idea"]
        problems = [a for a in annotations if str(a.annotation_kind) == "problem"]
        others = [a for a in annotations if str(a.annotation_kind) not in ("idea", "problem")]
        if problems:
            story.append(para("Problems", H4))
            story.append(table(["Problem", "Raised by"], [[a.text, _by(self.s, a)] for a in problems], self.width))
        if ideas:
            story.append(para("Ideas", H4))
            story.append(
                table(
                    ["Idea", "Explore or exploit", "Status", "Raised by"],
                    [
                        [
                            a.text,
                            IDEA_MODES.get(str(a.idea_mode or ""), ""),
                            IDEA_STATUS.get(str(a.idea_status or ""), ""),
                            _by(self.s, a),
                        ]
                        for a in ideas
                    ],
                    self.width,
                )
            )
        if others:
            story.append(para("Needs, requirements, questions and remarks", H4))
            order = list(KIND_NAMES)
            others.sort(key=lambda a: order.index(str(a.annotation_kind)) if str(a.annotation_kind) in order else 99)
            story.append(
                table(
                    ["Kind", "What was said", "By"],
                    [[human(a.annotation_kind), a.text, _by(self.s, a)] for a in others],
                    self.width,
                )
            )

    def _chapter(self, chapter: Chapter, story: list[Flowable]) -> None:
        story.append(para(chapter.title, H2))
        if chapter.purpose:
            story.append(para(chapter.purpose, NOTE))
        if chapter.empty():
            story.append(para("Nothing was recorded in this intervention.", NOTE))
            return
        if chapter.agenda:
            story.append(para("What was done", H3))
            story.append(
                table(
                    ["Step", "When", "Note"],
                    [
                        [
                            e.title,
                            f"{local(e.started)}–{local(e.ended, date=False)}" if e.ended else local(e.started),
                            "taken out of the planned order" if e.deviation else "",
                        ]
                        for e in chapter.agenda
                    ],
                    self.width,
                )
            )
        found = chapter.boundaries or chapter.annotations
        if found:
            story.append(para("What was found", H3))
        if chapter.boundaries:
            story.append(para("Knowledge boundaries", H4))
            story.append(
                table(
                    ["Between", "Kind", "What is not shared", "Now", "How it was crossed"],
                    self._boundary_rows(chapter.boundaries),
                    self.width,
                )
            )
        self._annotations(chapter.annotations, story)
        agreed = [a for a in chapter.annotations if str(a.idea_status or "") in ("agreed", "implemented", "checked")]
        if chapter.mechanisms or chapter.commitments or chapter.agreements or agreed:
            story.append(para("What was decided", H3))
        if chapter.agreements:
            story.append(para("How well each organization understands the process (1–5)", H4))
            story.append(
                table(
                    ["Agreement check", "Organization", "Mean rating", "Answers"],
                    self._agreement_rows(chapter.agreements),
                    self.width,
                )
            )
        if agreed:
            story.append(para("Ideas agreed", H4))
            story.append(
                table(
                    ["Idea", "Status"],
                    [[a.text, IDEA_STATUS.get(str(a.idea_status), "")] for a in agreed],
                    self.width,
                )
            )
        if chapter.mechanisms:
            story.append(para("Coordination mechanisms", H4))
            story.append(
                table(
                    [
                        "Mechanism",
                        "Kind",
                        "Coordinates by",
                        "Owner",
                        "Cadence",
                        "Keep or change",
                        "What it coordinates",
                    ],
                    self._mechanism_rows(chapter.mechanisms),
                    self.width,
                )
            )
        if chapter.commitments:
            story.append(para("Collaboration contract", H4))
            story.append(
                table(
                    ["Who", "Delivers what", "To whom", "In what form", "By when", "Delivered"],
                    self._commitment_rows(chapter.commitments),
                    self.width,
                )
            )
        self._still_open(chapter, story)

    def _still_open(self, chapter: Chapter, story: list[Flowable]) -> None:
        items: list[list[str]] = []
        for boundary_id in chapter.boundaries:
            b = self.s.boundaries[boundary_id]
            if str(b.status) != "crossed":
                what = b.not_shared or human(b.boundary_type)
                items.append(
                    [
                        f"Knowledge boundary ({BOUNDARY_STATUS.get(str(b.status), '')})",
                        f"{_org(self.s, b.org_a)} – {_org(self.s, b.org_b)}: {what}",
                    ]
                )
        for a in chapter.annotations:
            kind = str(a.annotation_kind)
            if kind == "idea" and str(a.idea_status or "proposed") == "proposed":
                items.append(["Idea, not yet agreed", a.text])
            elif kind == "question":
                items.append(["Question", a.text])
        for commitment_id in chapter.commitments:
            c = self.s.commitments[commitment_id]
            if not c.done:
                due = f" (by {c.by_when})" if c.by_when else ""
                items.append(["Commitment, not yet delivered", f"{_org(self.s, c.from_org_id)}: {c.what}{due}"])
        story.append(para("Still open", H3))
        story.append(table(["What", "Detail"], items, self.width) if items else para("Nothing left open.", NOTE))

    # -- the whole ----------------------------------------------------------------
    def story(self) -> list[Flowable]:
        s = self.s
        story: list[Flowable] = [para(s.title, H1)]
        if s.description:
            story.append(para(s.description))
        times = [r.time for r in self.record.records]
        if times:
            first, last = min(times), max(times)
            same_day = first.astimezone().date() == last.astimezone().date()
            span = f"{local(first)}–{local(last, date=False)}" if same_day else f"{local(first)} – {local(last)}"
            when = f"Workshop held {span} (local time)."
        else:
            when = f"Session created {local(s.created)}."
        story.append(Spacer(0, 3))
        story.append(para(when, NOTE))
        story += self._glance()
        story.append(para("Organizations and participants", H2))
        story.append(
            table(
                ["Organization", "Kind", "Participants"],
                [
                    [
                        org.name,
                        human(org.org_kind),
                        ", ".join(
                            f"{p.name} ({p.role})" if p.role else p.name
                            for p in s.participants.values()
                            if p.organization_id == org.id
                        ),
                    ]
                    for org in s.organizations.values()
                ],
                self.width,
            )
        )
        for chapter in chapters(self.record):
            self._chapter(chapter, story)
        self._walkthroughs(story)
        self._models(story)
        self._glossary(story)
        self._research(story)
        return story

    def _glance(self) -> list[Flowable]:
        s = self.s
        open_boundaries = sum(1 for b in s.boundaries.values() if str(b.status) != "crossed")
        visible = [a for a in s.annotations.values() if not a.hidden]
        ideas = [a for a in visible if str(a.annotation_kind) == "idea"]
        explore = sum(1 for a in ideas if str(a.idea_mode or "") == "explore")
        exploit = sum(1 for a in ideas if str(a.idea_mode or "") == "exploit")
        problems = sum(1 for a in visible if str(a.annotation_kind) == "problem")
        people = count(len(s.participants), "participant") if s.participants else "no participants on record"
        lines = [
            f"{count(len(s.organizations), 'organization')}, {people}.",
            f"{count(len(s.boundaries), 'knowledge boundary', 'knowledge boundaries')} found, "
            f"{open_boundaries} still open.",
            f"{count(problems, 'problem')} and {count(len(ideas), 'idea')} ({explore} to explore new ways, "
            f"{exploit} to improve today's).",
            f"{count(len(s.mechanisms), 'coordination mechanism')} and {count(len(s.commitments), 'commitment')} "
            "in the collaboration contract.",
        ]
        return [para("At a glance", H2), *[para("• " + line) for line in lines]]

    def _walkthroughs(self, story: list[Flowable]) -> None:
        if not self.s.walkthroughs:
            return
        story.append(para("Walking through the process", H2))
        for walkthrough_id in self.s.walkthroughs:
            summary = summarize(self.s, walkthrough_id)
            story.append(
                para(
                    f"{summary.walkthrough.scenario or 'Walkthrough'} — {summary.model_name}, "
                    f"{len(summary.moves)} steps",
                    H4,
                )
            )
            story.append(
                table(
                    ["#", "Where", "Organization", "Captured"],
                    [
                        [str(st.index + 1), st.label, st.organization, "; ".join(a.text for a in st.captures)]
                        for st in summary.moves
                    ],
                    self.width,
                )
            )

    def _models(self, story: list[Flowable]) -> None:
        orgs = self.s.organizations
        for model in sorted(self.s.models.values(), key=lambda m: m.index):
            state = human(model.state)
            heading = model.name if state in model.name.lower() else f"{model.name} ({state} process)"
            story += [NextPageTemplate("landscape"), PageBreak()]
            story += diagram_flowables(self.s, model.id, self.wide, self.tall, heading)
            health = analyse(self.s, model.id)
            matrix = sorted(health.handoffs.items(), key=lambda item: -item[1])
            story.append(para("Handoffs between organizations", H3))
            story.append(
                table(
                    ["From", "To", "Handoffs"],
                    [[orgs[a].name, orgs[b].name, str(n)] for (a, b), n in matrix if a in orgs and b in orgs],
                    self.wide * 0.6,
                )
            )
            story.append(
                para(
                    "The longest path from start to end crosses organizations "
                    f"{count(health.longest_handoff_count, 'time')}; the model-health check lists "
                    f"{count(len(health.findings), 'finding')}.",
                    NOTE,
                )
            )
            claims = self._claim_rows(model.id)
            if claims:
                story.append(para("Who claims to own which activity", H3))
                story.append(table(["Activity", "Claimed by", "Resolved"], claims, self.wide * 0.8))
            story.append(NextPageTemplate("portrait"))
        if self.s.models:
            story.append(PageBreak())

    def _claim_rows(self, model_id: str) -> list[list[str]]:
        """Ownership claims on this model's activities: by organization, never by person."""
        rows = []
        for claim in self.s.claims.values():
            node = self.s.nodes.get(claim.node_id)
            if node is None or node.model_id != model_id:
                continue
            owner = _org(self.s, node.owner_org_id) if claim.resolved and node.owner_org_id else ""
            resolved = f"yes: owned by {owner}" if owner else ("yes" if claim.resolved else "not yet")
            rows.append([node_name(node), _org(self.s, claim.organization_id), resolved])
        return sorted(rows)

    def _glossary(self, story: list[Flowable]) -> None:
        orgs = self.s.organizations
        if not self.s.glossary:
            return
        story.append(para("Shared language: the glossary", H2))
        story.append(
            table(
                ["Term", "What it means to each organization", "Agreed"],
                [
                    [
                        t.term,
                        "\n".join(f"{orgs[o].name}: {m}" for o, m in t.meanings.items() if o in orgs),
                        "yes" if t.agreed else "not yet",
                    ]
                    for t in self.s.glossary.values()
                ],
                self.width,
            )
        )

    def _research(self, story: list[Flowable]) -> None:
        s = self.s
        header, rows = table1(s)
        scores = [
            (survey, [c for c in round_scores(self.record, survey.id) if c.dimension == OVERALL])
            for survey in rounds_in_order(s)
        ]
        if not rows and not any(cells for _survey, cells in scores) and not s.votes:
            return
        story.append(para("For the research record", H2))
        if rows:
            story.append(para("Data collected per intervention", H3))
            story.append(table(header[:6] + header[8:], [row[:6] + row[8:] for row in rows], self.width))
        if s.votes:
            totals: defaultdict[str, int] = defaultdict(int)
            for vote in s.votes.values():
                totals[vote.annotation_id] += vote.dots
            story.append(para("Dot votes", H3))
            story.append(
                table(
                    ["Idea or problem", "Dots"],
                    [
                        [s.annotations[a].text if a in s.annotations else "(removed)", str(n)]
                        for a, n in sorted(totals.items(), key=lambda item: -item[1])
                    ],
                    self.width,
                )
            )
        for survey, cells in scores:
            if not cells:
                continue
            story.append(
                para(f"Relational coordination: {survey.label} (cells with fewer than 3 respondents withheld)", H3)
            )
            story.append(
                table(
                    ["Organization", "About organization", "Mean", "Respondents", "Note"],
                    [
                        [
                            _org(s, c.from_org),
                            _org(s, c.about_org),
                            "" if c.mean is None else f"{c.mean:.3f}",
                            str(c.respondents),
                            "too few answers" if c.mean is None else "",
                        ]
                        for c in cells
                    ],
                    self.width,
                )
            )


def report_story(record: SessionRecord, width: float, wide: float, tall: float) -> list[Flowable]:
    """The report's flowables for a de-identified ``record`` (see :func:`workshop.domain.privacy.public_record`)."""
    return Report(record, width, wide, tall).story()
