"""One REFI-QDA project (.qdpx) for a whole study.

Every source carries *where in the study* it comes from as variables:
intervention, sitting, sitting kind, date and business process, so a
researcher can compare, in NVivo or ATLAS.ti, what was said in the first
intervention with what was said in the third. Sources are the sittings'
contributions (annotations, walkthrough captures, quotes), the observation
notes researchers wrote in the app during a sitting, and the attached
interview transcripts and observation notes with their codings.

A contribution carried forward from sitting to sitting (an idea) is one
source, in the sitting where it first appears: it is one thing said once,
however long it is followed. Everything comes from de-identified records,
so an anonymous contribution has no creating user here either.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import BinaryIO
from xml.etree import ElementTree as ET

from workshop.domain.research.study import Sitting
from workshop.interchange.qdpx_export import (
    add_codebook,
    add_users,
    annotation_source,
    element,
    first_words,
    project_bytes,
    project_root,
    qdpx_time,
    text_source,
    write_project,
)
from workshop.interchange.study_tables import StudyRecord

VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("intervention", "Integer", "The intervention (1, 2, 3, ...) the source belongs to."),
    ("sitting", "Text", "The sitting (workshop, interview, observation) the source comes from."),
    ("sitting kind", "Text", "modeling, simulation, interview, follow_up_interview, observation or feedback."),
    ("date", "Date", "The date of the sitting."),
    ("started", "DateTime", "The sitting's local start time, where it was recorded."),
    ("business process", "Text", "The business process the sitting concerned."),
    ("source kind", "Text", "contribution, or the kind of an attached text (transcript, observation note)."),
)
"""(name, REFI type, description) of the variables every source carries."""


def project_xml(record: StudyRecord, read_text: Callable[[str], str]) -> bytes:
    """The ``project.qde`` document of the study (``read_text(source_id)`` gives an attached text)."""
    study = record.study

    def g(*parts: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "process-workshop-study:" + ":".join((study.id, *parts))))

    el = element
    root = project_root(study.title, study.created)
    people: dict[str, str] = {}
    codes: dict[str, tuple[str, str]] = {}
    organizations: dict[str, str] = {}
    for _, session_record in record.sittings:
        s = session_record.session
        for person in s.participants.values():
            people.setdefault(person.id, person.name)
        for code in s.codes.values():
            codes.setdefault(code.id, (code.name, code.description))
        for org in s.organizations.values():
            organizations.setdefault(org.id, org.name)
    for made in study.codings:  # a code renamed or removed in the sitting since: the coding still names it
        codes.setdefault(made.code_id, (made.code_name, ""))
    add_users(root, g, people.items())
    add_codebook(root, g, ((code_id, name, description) for code_id, (name, description) in codes.items()))
    variables = el(root, "Variables")
    for name, kind, description in VARIABLES:
        variable = el(variables, "Variable", guid=g("variable", name), name=name, typeOfVariable=kind)
        el(variable, "Description").text = description
    if organizations:
        cases = el(root, "Cases")
        for org_id, name in organizations.items():
            el(cases, "Case", guid=g("organization", org_id), name=name)

    def values(source: ET.Element, sitting: Sitting, source_kind: str) -> None:
        given = {
            "intervention": ("IntegerValue", str(sitting.intervention)),
            "sitting": ("TextValue", sitting.label()),
            "sitting kind": ("TextValue", sitting.kind.value),
            "date": ("DateValue", sitting.date),
            "started": ("DateTimeValue", f"{sitting.date}T{sitting.time}:00" if sitting.date and sitting.time else ""),
            "business process": ("TextValue", sitting.process),
            "source kind": ("TextValue", source_kind),
        }
        for name, _, _ in VARIABLES:
            tag, text = given[name]
            if not text:
                continue
            value = el(source, "VariableValue")
            el(value, "VariableRef", targetGUID=g("variable", name))
            el(value, tag).text = text

    sources = el(root, "Sources")
    seen: set[str] = set()
    for sitting, session_record in record.sittings:
        s = session_record.session
        for annotation in s.annotations.values():
            if annotation.hidden or annotation.id in seen:
                continue
            seen.add(annotation.id)
            created = annotation.created or s.created
            source = annotation_source(
                sources, g, annotation, prefix=f"{sitting.id} ", created=created, known_codes=codes
            )
            kind = "walkthrough capture" if annotation.walkthrough_id else "contribution"
            values(source, sitting, kind)
        for attached in (t for t in record.study.sources if t.sitting_id == sitting.id):
            source = text_source(
                sources,
                g("text", attached.id),
                f"{sitting.id} {attached.source_kind.value}: {attached.name}",
                attached.added,
                read_text(attached.id),
                description=f"{attached.original_name}, attached by {attached.added_by}",
            )
            for made in (c for c in record.study.codings if c.source_id == attached.id):
                selection = el(
                    source,
                    "PlainTextSelection",
                    guid=g("selection", made.id),
                    startPosition=str(made.start),
                    endPosition=str(made.end),
                    creationDateTime=qdpx_time(made.added),
                )
                item = el(selection, "Coding", guid=g("coding", made.id), creationDateTime=qdpx_time(made.added))
                el(item, "CodeRef", targetGUID=g("code", made.code_id))
            values(source, sitting, attached.source_kind.value)
        for note in s.observations.values():  # written in the app during the sitting (never carried forward)
            source = text_source(
                sources,
                g("observation", note.id),
                f"{sitting.id} observation note: {first_words(note.text)}",
                note.created or s.created,
                note.text,
                description=f"observed by {note.observer or 'a researcher'}",
            )
            values(source, sitting, "observation_note")
    if not len(sources):
        root.remove(sources)
    return project_bytes(root)


def write_study_qdpx(record: StudyRecord, stream: BinaryIO, read_text: Callable[[str], str]) -> None:
    """The .qdpx archive: a zip holding ``project.qde``."""
    write_project(stream, project_xml(record, read_text))
