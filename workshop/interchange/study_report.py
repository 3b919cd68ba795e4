"""The study report (PDF): the study-level record for the research team and the organizations.

It reuses the session report's machinery (:mod:`report_text` styles and
tables that split across pages, :mod:`report_diagram` fonts), on landscape
pages because the study tables are wide. What it shows is exactly the
tables of :mod:`workshop.interchange.study_tables`, computed from the
de-identified sittings, so it says nothing the CSV does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from workshop.interchange.report_diagram import register_fonts
from workshop.interchange.report_pdf import page_footer, page_frame
from workshop.interchange.report_text import H1, H2, NOTE, para, table
from workshop.interchange.study_coordination import commitments_table, joint_commitments_table, mechanisms_table
from workshop.interchange.study_feedback import feedback_story
from workshop.interchange.study_rc_change import survey_change_dimensions, survey_change_handoffs
from workshop.interchange.study_summaries import explore_exploit, integrating_conditions
from workshop.interchange.study_table1 import study_table1 as table1
from workshop.interchange.study_tables import (
    StudyRecord,
    boundaries_table,
    idea_tracker,
    sittings_table,
    survey_change,
    survey_roles_table,
    survey_table,
)
from workshop.interchange.table import Table

Sections = tuple[tuple[str, Callable[[StudyRecord], Table], str], ...]
"""(heading, the table's builder, a note under the heading) per section of a report."""

SECTIONS: Sections = (
    ("The sittings", sittings_table, "Each workshop, interview and observation, in the order they happened."),
    ("Table 1: data collection per intervention", table1, "As the method's paper prints it: people counted "
     "once however many sittings they attended, by organization type, never by name."),
    ("Ideas across the study", idea_tracker, "Each idea by its id, followed from sitting to sitting: where it "
     "was proposed, agreed, implemented and checked."),
    ("Explore and exploit per intervention", explore_exploit, "The ideas raised in each intervention (and "
     "contributions coded explorative or exploitative activities), with the status each reached by its end."),
    ("The three integrating conditions per intervention", integrating_conditions, "Accountability: activities "
     "with an owner organization and role; common understanding and predictability: the intervention's last "
     "agreement check, mean per organization (answers), lowest first."),
    ("Knowledge boundaries across the study", boundaries_table, "Each boundary with every status change and the "
     "sitting it happened in."),
    ("Coordination mechanisms across the study", mechanisms_table, "Each mechanism the organizations chose to "
     "keep exploring and exploiting together: its kind, owner, cadence and the handoffs it covers, followed "
     "from sitting to sitting."),
    ("The collaboration contract across the study", commitments_table, "Each line by its id: where its "
     "negotiation stands (requested, can do, cannot, counter-proposal, agreed), the handoff it serves, which "
     "organizations agreed and whether they committed to it jointly, in which sitting it was made and done, "
     "and every move of its negotiation per sitting."),
    ("Joint commitments", joint_commitments_table, "The organizations committing together, in one working "
     "session, to the agreed lines of the contract."),
    ("Relational coordination in every round", survey_table, "Overall scores per ordered pair of "
     "organizations; cells with too few respondents are withheld."),
    ("Relational coordination between roles", survey_roles_table, "Overall scores per ordered pair of roles "
     "as the lanes name them, from the answers that name both roles; small cells are withheld."),
    ("Relational coordination: first and last measurement", survey_change, "Each tie's first and last shown "
     "overall score in the study and the change."),
    ("Relational coordination: change per dimension", survey_change_dimensions, "Each of the seven dimensions "
     "(and overall), first and last shown score, for the study as a whole (the shown cells of a round pooled, "
     "weighted by respondents) and for each ordered pair of organizations; withheld cells are never shown."),
    ("Relational coordination: change per handoff", survey_change_handoffs, "Each handoff of the models, "
     "with the change in the tie between its two organizations (both directions' shown overall scores)."),
)  # fmt: skip


def _transposed(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Table 1 turned so that thirteen fields fit a page: a row per field, a column per intervention."""
    columns = ["", *(row[0] if row[0].startswith("Intervention") else f"Intervention {row[0]}" for row in rows)]
    return columns, [[field, *(row[n] for row in rows)] for n, field in enumerate(header) if n > 0]


def _sections(sections: Sections, record: StudyRecord, width: float) -> list[Flowable]:
    """A heading, a note and a table per section: how both the study and the feedback report lay out their tables."""
    story: list[Flowable] = []
    for title, make, note in sections:
        header, rows = make(record)
        if make in (table1, integrating_conditions):  # as the method writes it: a column per intervention
            header, rows = _transposed(header, rows)
        heading, explanation = para(title, H2), para(note, NOTE)
        heading.keepWithNext = explanation.keepWithNext = True  # a heading never ends a page without its table
        story += [heading, explanation, table(header, rows, width)]
    return story


def study_story(record: StudyRecord, width: float) -> list[Flowable]:
    """The report's flowables: a title, then one section per study table."""
    study = record.study
    interventions = sorted({s.intervention for s, _ in record.sittings})
    story: list[Flowable] = [
        para(study.title, H1),
        para(
            f"{len(record.sittings)} sittings in {len(interventions)} intervention(s); "
            f"{len(study.sources)} attached texts with {len(study.codings)} codings.",
            NOTE,
        ),
    ]
    return story + _sections(SECTIONS, record, width)


def _build(stream: BinaryIO, title: str, story: Callable[[float], list[Flowable]]) -> None:
    register_fonts()
    size = landscape(A4)
    margin = 15 * mm
    frame = page_frame(size, "l", margin)
    footer = page_footer(title, margin)

    doc = BaseDocTemplate(stream, pagesize=size, title=title, author="Process Workshop")
    doc.addPageTemplates([PageTemplate("landscape", [frame], onPage=footer, pagesize=size)])
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story(size[0] - 2 * margin))
    finally:
        rl_config.useA85 = a85


def write_study_report(record: StudyRecord, stream: BinaryIO) -> None:
    """Write the study report as PDF bytes to ``stream``."""
    _build(stream, record.study.title, lambda width: study_story(record, width))


def write_feedback_report(record: StudyRecord, intervention: int, stream: BinaryIO) -> None:
    """Write the feedback report of one intervention as PDF bytes to ``stream``."""
    title = f"{record.study.title} — feedback, intervention {intervention}"
    _build(stream, title, lambda width: feedback_story(record, intervention, width))
