"""One REFI-QDA project (.qdpx) for a whole study.

Every source carries *where in the study* it comes from as variables:
intervention, sitting, sitting kind, date and business process, so a
researcher can compare, in NVivo or ATLAS.ti, what was said in the first
intervention with what was said in the third. Sources are the sittings'
contributions (annotations, walkthrough captures, quotes), the observation
notes researchers wrote in the app during a sitting, the attached
interview transcripts and observation notes with their codings, and the
archival documents of the study (date, document kind and intervention as
variables) with theirs; each is a file under ``sources/``.

The project's users are the researchers and facilitators who coded. The
organizations and the people are cases: a person is one case across the
study (a participant by id as carried from sitting to sitting, an
interviewee by name) with organization, organization type, role and the
sittings attended, linked to what they said.

A contribution carried forward from sitting to sitting (an idea) is one
source, in the sitting where it first appears: it is one thing said once,
however long it is followed. Everything comes from de-identified records,
so an anonymous contribution is linked to no person here either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO
from xml.etree import ElementTree as ET

from workshop.domain.model.process import organization_type
from workshop.domain.research.people import same_name
from workshop.domain.research.study import Sitting, TextSource
from workshop.interchange.qdpx_export import (
    CASE_VARIABLES,
    contribution_coders,
    contribution_source,
    desk_actor,
    organization_cases,
    person_case,
)
from workshop.interchange.qdpx_project import ProjectBuilder, Qdpx, first_words, guid_maker
from workshop.interchange.study_coordination import coordination_text
from workshop.interchange.study_people import study_roster
from workshop.interchange.study_tables import StudyRecord

VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("intervention", "Integer", "The intervention (1, 2, 3, ...) the source belongs to."),
    ("sitting", "Text", "The sitting (workshop, interview, observation) the source comes from."),
    ("sitting kind", "Text", "modeling, simulation, interview, follow_up_interview, observation or feedback."),
    ("date", "Date", "The date of the sitting, or of an archival document."),
    ("started", "DateTime", "The sitting's local start time, where it was recorded."),
    ("business process", "Text", "The business process the sitting concerned."),
    (
        "source kind",
        "Text",
        "contribution, the kind of an attached text (transcript, observation note), archival document, "
        "or coordination outcome (an intervention's mechanisms and contract).",
    ),
    ("document kind", "Text", "What an archival document is: contract, minutes, e-mail, process description, ..."),
)
"""(name, REFI type, description) of the variables every source carries."""

ATTENDED = ("sittings attended", "Text", "The sittings a person took part in, in the order they happened.")


def _person_key(name: str) -> str:
    return "person:" + " ".join(name.casefold().split())


def build_study_project(record: StudyRecord, read_text: Callable[[str], str]) -> Qdpx:
    """The study's project (``read_text(source_id)`` gives an attached text)."""
    study = record.study
    builder = ProjectBuilder(study.title, study.created, guid_maker("process-workshop-study", study.id))
    codes: dict[str, tuple[str, str]] = {}
    for _, session_record in record.sittings:
        for code in session_record.session.codes.values():
            codes.setdefault(code.id, (code.name, code.description))
    for made in study.codings:  # a code renamed or removed in the sitting since: the coding still names it
        codes.setdefault(made.code_id, (made.code_name, ""))
    for code_id, (name, description) in codes.items():
        builder.code(code_id, name, description)
    source_variables = {name: builder.variable(name, kind, text) for name, kind, text in VARIABLES}
    attended_variable = builder.variable(*ATTENDED)
    organization, org_type, role = (builder.variable(*v) for v in CASE_VARIABLES)
    people: dict[str, str] = {}  # participant id -> person key (one person by id, and by name across ids)
    for _, session_record in record.sittings:
        s = session_record.session
        organization_cases(builder, s)
        for person in s.participants.values():
            key = people.setdefault(person.id, _person_key(person.name))
            person_case(builder, s, person.id, key)
    for entry in study_roster(record):  # the roster: one person across the study, however they were recorded
        case = builder.case(_person_key(entry.name), entry.name, "person")
        given = {
            organization: entry.organization,
            org_type: organization_type(entry.org_type) if entry.org_type else "",
            role: entry.role,
            attended_variable: ", ".join(entry.sittings),
        }
        case.values.update({variable: ("TextValue", text) for variable, text in given.items() if text})
    for org in study.organizations:  # the type the roster gives an organization is the study's word for it
        for case in builder.cases.values():
            if case.description == "organization" and same_name(case.name, org.name):
                case.values[org_type] = ("TextValue", organization_type(org.org_type))

    def values(
        source: ET.Element, sitting: Sitting | None, source_kind: str, document: TextSource | None = None
    ) -> None:
        given = {name: ("TextValue", "") for name, _, _ in VARIABLES}
        given["source kind"] = ("TextValue", source_kind)
        if sitting is not None:
            started = f"{sitting.date}T{sitting.time}:00" if sitting.date and sitting.time else ""
            given |= {
                "intervention": ("IntegerValue", str(sitting.intervention)),
                "sitting": ("TextValue", sitting.label()),
                "sitting kind": ("TextValue", sitting.kind.value),
                "date": ("DateValue", sitting.date),
                "started": ("DateTimeValue", started),
                "business process": ("TextValue", sitting.process),
            }
        if document is not None:  # an archival document: its own date, kind and intervention
            given |= {
                "intervention": ("IntegerValue", str(document.intervention or "")),
                "date": ("DateValue", document.date),
                "document kind": ("TextValue", document.document_kind),
            }
        for name, _, _ in VARIABLES:
            tag, text = given[name]
            builder.value(source, source_variables[name], tag, text)

    def coded(source: ET.Element, attached: TextSource) -> list[str]:
        return [
            builder.code_span(
                source, made.id, made.start, made.end, made.code_id, builder.coder(made.added_by), made.added
            )
            for made in record.study.codings
            if made.source_id == attached.id
        ]

    seen: set[str] = set()
    for sitting, session_record in record.sittings:
        s = session_record.session
        coders = contribution_coders(session_record)
        desk = desk_actor(session_record) if session_record.records else sitting.created_by
        for annotation in s.annotations.values():
            if annotation.hidden or annotation.id in seen:
                continue
            seen.add(annotation.id)
            source = contribution_source(
                builder,
                annotation,
                prefix=f"{sitting.id} ",
                created=annotation.created or s.created,
                coder=coders.get(annotation.id, desk),
                known_codes=codes,
                person_key=people.get(annotation.author_id or "", ""),
            )
            values(source, sitting, "walkthrough capture" if annotation.walkthrough_id else "contribution")
        for attached in (t for t in record.study.sources if t.sitting_id == sitting.id):
            source = builder.text_source(
                f"text:{attached.id}",
                f"{sitting.id} {attached.source_kind.value}: {attached.name}",
                attached.added,
                read_text(attached.id),
                description=f"{attached.original_name}, attached by {attached.added_by}",
                creating_user=builder.coder(attached.added_by),
            )
            selections = coded(source, attached)
            for name in sitting.people:  # what an interview's people said is in its transcript
                builder.cases[_person_key(name)].link(source.get("guid", ""), selections)
            values(source, sitting, attached.source_kind.value)
        for note in s.observations.values():  # written in the app during the sitting (never carried forward)
            source = builder.text_source(
                f"observation:{note.id}",
                f"{sitting.id} observation note: {first_words(note.text)}",
                note.created or s.created,
                note.text,
                description=f"observed by {note.observer or 'a researcher'}",
            )
            values(source, sitting, "observation_note")
    for document in sorted((t for t in study.sources if t.archival), key=lambda t: (t.date, t.id)):
        source = builder.text_source(
            f"text:{document.id}",
            f"archival {document.document_kind} {document.date}: {document.name}",
            document.added,
            read_text(document.id),
            description=f"{document.original_name}, kept by {document.added_by}",
            creating_user=builder.coder(document.added_by),
        )
        coded(source, document)
        values(source, None, "archival document", document)
    for intervention in sorted({sitting.intervention for sitting, _ in record.sittings}):
        here = StudyRecord(study, [(s, r) for s, r in record.sittings if s.intervention == intervention])
        text, involved = coordination_text(here)
        if not text:
            continue
        last = here.sittings[-1][0]
        source = builder.text_source(
            f"coordination:{intervention}",
            f"intervention {intervention}: coordination mechanisms and the collaboration contract",
            study.created,
            text,
            description="The mechanisms, the contract with its history and the joint commitments as the "
            "intervention left them (computed from its sittings).",
        )
        for org_id in sorted(involved):
            if f"organization:{org_id}" in builder.cases:
                builder.cases[f"organization:{org_id}"].link(source.get("guid", ""), [])
        values(source, last, "coordination outcome")
    return Qdpx(builder.xml(), builder.texts)


def project_xml(record: StudyRecord, read_text: Callable[[str], str]) -> bytes:
    """The ``project.qde`` document of the study."""
    return build_study_project(record, read_text).project


def write_study_qdpx(record: StudyRecord, stream: BinaryIO, read_text: Callable[[str], str]) -> None:
    """The .qdpx archive: ``project.qde`` and every text under ``sources/``."""
    build_study_project(record, read_text).write(stream)


__all__ = ["CASE_VARIABLES", "VARIABLES", "build_study_project", "project_xml", "write_study_qdpx"]
