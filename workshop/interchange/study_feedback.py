"""The written feedback report to the organizations after one intervention: readable, and naming no one.

What the method's organizations received after each intervention: what was
done, the process as modelled (the flowchart), what the parties did not yet
understand of each other, the shared language (glossary), the problems and
ideas and what became of them, what was said — quoted by role and
organization type ("a customer network representative (service desk)"),
never by name — and the coordination mechanisms, the contract and the joint
commitments agreed.

No ids, no names: tables are the study record's without their id columns
and without who raised what, sittings are called by what they were and
when ("the process modeling workshop of 10.3.2026"), and taking part is
counted by organization type. Everything comes from the de-identified
sittings, so an anonymous contribution stays anonymous here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from workshop.domain.model.annotations import AnnotationKind
from workshop.domain.model.process import organization_type
from workshop.domain.model.session import Session
from workshop.domain.research.study import Sitting
from workshop.interchange.report_diagram_pages import diagram_flowables
from workshop.interchange.report_text import H1, H2, NOTE, para, table
from workshop.interchange.study_coordination import commitments_table, joint_commitments_table, mechanisms_table
from workshop.interchange.study_summaries import explore_exploit, integrating_conditions
from workshop.interchange.study_table1 import _date, _People, representatives
from workshop.interchange.study_tables import StudyRecord, boundaries_table, idea_tracker, survey_table
from workshop.interchange.table import Table

KIND_WORDS = {
    "modeling": "process modeling workshop",
    "simulation": "simulation workshop",
    "interview": "interview",
    "follow_up_interview": "follow-up interview",
    "observation": "observation",
    "feedback": "feedback meeting",
}

ID_COLUMNS = {"idea", "boundary", "commitment", "mechanism", "joint commitment", "raised by", "sitting"}
"""Columns of the study tables the organizations do not read: ids, and who raised what."""


def intervention_record(record: StudyRecord, intervention: int) -> StudyRecord:
    """The study cut to one intervention's sittings (tables computed from it speak of that intervention only)."""
    return StudyRecord(record.study, [(s, r) for s, r in record.sittings if s.intervention == intervention])


def sitting_words(sitting: Sitting) -> str:
    """A sitting as people call it: "the process modeling workshop of 10.3.2026"."""
    what = KIND_WORDS.get(sitting.kind.value, sitting.kind.value.replace("_", " "))
    return f"the {what} of {_date(sitting.date, 'paper')}" if sitting.date else f"the {what}"


def readable(make: Callable[[StudyRecord], Table], record: StudyRecord) -> Callable[[StudyRecord], Table]:
    """A study table without its id columns, sittings called by what they were instead of their ids."""
    names = {s.id: sitting_words(s) for s, _ in record.sittings}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b") if names else None

    def words(text: str) -> str:
        return pattern.sub(lambda m: names[m.group(1)], text) if pattern else text

    def build(cut: StudyRecord) -> Table:
        header, rows = make(cut)
        keep = [n for n, column in enumerate(header) if column not in ID_COLUMNS]
        return [header[n] for n in keep], [[words(row[n]) for n in keep] for row in rows]

    return build


def _article(words: str) -> str:
    return f"an {words}" if words[:1].lower() in "aeiou" or words.startswith("IT ") else f"a {words}"


def attribution(session: Session, author_id: str | None, organization_id: str | None) -> str:
    """Who said it, as the organizations may read it: role and organization type, never a name."""
    org = session.organizations.get(organization_id or "")
    kind = organization_type(org.org_kind) if org else ""
    person = session.participants.get(author_id or "")
    role = f" ({person.role})" if person and person.role else ""
    return f"{_article(kind)} representative{role}" if kind else "a participant"


def _what_we_did(record: StudyRecord) -> Table:
    people = _People(record)
    rows = [
        [sitting_words(s).removeprefix("the "), s.process, representatives(people.counted([s]))]
        for s, _ in record.sittings
    ]
    return ["sitting", "business process", "taking part"], rows


def _said(record: StudyRecord) -> Table:
    rows: list[list[str]] = []
    seen: set[str] = set()
    for sitting, session_record in record.sittings:
        s = session_record.session
        for a in s.annotations.values():
            if a.hidden or a.id in seen or a.annotation_kind != AnnotationKind.QUOTE:
                continue
            seen.add(a.id)
            rows.append([a.text, attribution(s, a.author_id, a.organization_id), sitting_words(sitting)])
    return ["what was said", "said by", "when"], rows


def _glossary(record: StudyRecord) -> Table:
    if not record.sittings:
        return ["term", "meanings", "agreed"], []
    s = record.sittings[-1][1].session  # the shared language as the intervention left it
    rows = [
        [
            term.term,
            "; ".join(
                f"{s.organizations[o].name if o in s.organizations else 'an organization'}: {meaning}"
                for o, meaning in term.meanings.items()
            ),
            "yes" if term.agreed else "not yet",
        ]
        for term in s.glossary.values()
    ]
    return ["term", "meanings", "agreed"], rows


def _problems(record: StudyRecord) -> Table:
    rows: list[list[str]] = []
    seen: set[str] = set()
    for sitting, session_record in record.sittings:
        for a in session_record.session.annotations.values():
            if a.hidden or a.id in seen or a.annotation_kind not in (AnnotationKind.PROBLEM, AnnotationKind.NEED):
                continue
            seen.add(a.id)
            rows.append([str(a.annotation_kind), a.text, sitting_words(sitting)])
    return ["kind", "problem or need", "raised in"], rows


def _ideas(upto: StudyRecord, intervention: int) -> Callable[[StudyRecord], Table]:
    """The ideas of one intervention with their true history: from the first sitting that had them, however early
    (``upto``: the study up to and including the intervention; the table is built from it, whatever it is given)."""

    def build(_cut: StudyRecord) -> Table:
        here = {
            a.id
            for s, r in upto.sittings
            if s.intervention == intervention
            for a in r.session.annotations.values()
            if a.annotation_kind == AnnotationKind.IDEA
        }
        header, rows = idea_tracker(upto)
        return header, [row for row in rows if row[0] in here]

    return build


def feedback_story(record: StudyRecord, intervention: int, width: float) -> list[Flowable]:
    """The feedback report for the organizations after one intervention."""
    here = intervention_record(record, intervention)
    upto = StudyRecord(record.study, [(s, r) for s, r in record.sittings if s.intervention <= intervention])
    processes = "; ".join(dict.fromkeys(s.process for s, _ in here.sittings if s.process))
    dates = sorted(s.date for s, _ in here.sittings if s.date)
    span = f", {_date(dates[0], 'paper')} to {_date(dates[-1], 'paper')}" if dates else ""
    story: list[Flowable] = [
        para(f"Feedback to the organizations: intervention {intervention}", H1),
        para(
            f"{record.study.title}. {processes or 'Business process not named'}{span}; {len(here.sittings)} sittings.",
            NOTE,
        ),
    ]
    sections: tuple[tuple[str, Callable[[StudyRecord], Table], str], ...] = (
        ("What we did", _what_we_did, "The workshops, interviews and observations of this intervention, and who "
         "took part, by organization type."),
        ("Explore and exploit", readable(explore_exploit, here), "The ideas raised, by whether they explore new "
         "ways of working or refine today's, with where each stands."),
        ("Accountability, predictability, common understanding", readable(integrating_conditions, here), "Who "
         "owns the activities, and how each organization rated its understanding at the last check."),
        ("Knowledge boundaries", readable(boundaries_table, here), "Where the organizations did not yet "
         "understand each other, and what became of it."),
        ("Our shared language", _glossary, "The terms we agreed on, with what each organization means by them."),
        ("Problems and needs", _problems, "What the organizations found hard in today's process."),
        ("Ideas and what became of them", readable(_ideas(upto, intervention), upto), "Each idea of this "
         "intervention followed from the sitting it was first proposed in, earlier interventions included: "
         "proposed, agreed, implemented, checked."),
        ("What was said", _said, "Quotes, by role and organization type, never by name."),
        ("Coordination mechanisms", readable(mechanisms_table, here), "What will keep the organizations working "
         "together: groups, routines, roles and plans, who owns each, and how often it meets or runs."),
        ("The collaboration contract", readable(commitments_table, here), "What was requested, answered and "
         "agreed between the organizations, who agreed, and what was done."),
        ("Joint commitments", readable(joint_commitments_table, here), "The organizations committing together "
         "to the agreed lines."),
        ("Relational coordination", readable(survey_table, here), "Overall scores per ordered pair of "
         "organizations; cells with too few respondents are withheld."),
    )  # fmt: skip
    for title, make, note in sections:
        header, rows = make(here)
        heading, explanation = para(title, H2), para(note, NOTE)
        heading.keepWithNext = explanation.keepWithNext = True
        story += [heading, explanation, table(header, rows, width)]
    if here.sittings:
        last = here.sittings[-1][1].session
        tall = landscape(A4)[1] - 30 * mm - 40
        for model in last.models.values():
            if any(n.model_id == model.id for n in last.nodes.values()):
                story.append(PageBreak())
                story += diagram_flowables(last, model.id, width, tall, f"The process as modelled: {model.name}")
    return story
