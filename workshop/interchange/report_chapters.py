"""The report's chapters: the session cut into the script's interventions, and each written out.

Split out of :mod:`report_story`. :func:`chapters` decides which
intervention each finding and decision belongs to (from the operation
log); :class:`ChapterWriter` says, per chapter, what was done, what was
found, what was decided and what is still open.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean

from reportlab.platypus import Flowable

from workshop.domain.facilitation.progress import AgendaEntry, agenda_as_run, script_of
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import AddOp
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session
from workshop.domain.research.privacy import disclose
from workshop.interchange.report_text import (
    BOUNDARY_STATUS,
    H2,
    H3,
    H4,
    IDEA_MODES,
    IDEA_STATUS,
    KIND_NAMES,
    MECHANISM_STATUS,
    NOTE,
    human,
    local,
    org_name,
    para,
    table,
)


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


def _by(session: Session, annotation: Annotation) -> str:
    """Who said it, as outputs may show it; nothing for the facilitator's or an imported model's notes."""
    if annotation.author_id is None and not annotation.organization_id and not annotation.anonymous:
        return ""
    return disclose(session, annotation.author_id, annotation.organization_id, anonymous=annotation.anonymous).label


def _step_titles(session: Session) -> dict[str, str]:
    script = script_of(session)
    return {st.id: st.title for _i, st in script.steps()} if script else {}


class ChapterWriter:
    """Writes one chapter's tables; ``width`` is the portrait frame's."""

    def __init__(self, session: Session, history: dict[str, list[tuple[str, datetime]]], width: float) -> None:
        self.s, self.history, self.width = session, history, width
        self.steps = _step_titles(session)

    def _boundary_rows(self, ids: Iterable[str]) -> list[list[str]]:
        rows = []
        for boundary_id in ids:
            b = self.s.boundaries[boundary_id]
            changes = self.history.get(b.id, [])
            crossed = next((local(when) for status, when in changes if status == "crossed"), "")
            state = BOUNDARY_STATUS.get(str(b.status), human(b.status)) + (f" ({crossed})" if crossed else "")
            rows.append(
                [
                    f"{org_name(self.s, b.org_a)} – {org_name(self.s, b.org_b)}",
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
                    org_name(self.s, m.owner_org_id),
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
                    org_name(self.s, c.from_org_id),
                    c.what,
                    org_name(self.s, c.to_org_id),
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
            who = org_name(self.s, org_id) or "an organization not shown on its own (fewer than 3 people)"
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

    def write(self, chapter: Chapter, story: list[Flowable]) -> None:
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
                        f"{org_name(self.s, b.org_a)} – {org_name(self.s, b.org_b)}: {what}",
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
                items.append(["Commitment, not yet delivered", f"{org_name(self.s, c.from_org_id)}: {c.what}{due}"])
        story.append(para("Still open", H3))
        story.append(table(["What", "Detail"], items, self.width) if items else para("Nothing left open.", NOTE))
