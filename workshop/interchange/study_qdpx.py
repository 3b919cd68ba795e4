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
import zipfile
from collections.abc import Callable
from typing import BinaryIO
from xml.etree import ElementTree as ET

from workshop.domain.study import Sitting
from workshop.interchange.qdpx_export import NS, code_whole_text, element, qdpx_time
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
    ET.register_namespace("", NS)

    def g(*parts: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "process-workshop-study:" + ":".join((study.id, *parts))))

    el = element
    attributes = {"name": study.title, "origin": "Process Workshop", "creationDateTime": qdpx_time(study.created)}
    root = ET.Element(f"{{{NS}}}Project", attributes)
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
    if people:
        users = el(root, "Users")
        for person_id, name in people.items():
            el(users, "User", guid=g("participant", person_id), name=name, id=person_id)
    if codes:
        codebook = el(el(root, "CodeBook"), "Codes")
        for code_id, (name, description) in codes.items():
            item = el(codebook, "Code", guid=g("code", code_id), name=name, isCodable="true")
            if description:
                el(item, "Description").text = description
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
            author = {"creatingUser": g("participant", annotation.author_id)} if annotation.author_id else {}
            words = " ".join(annotation.text.split()[:6])
            source = el(
                sources,
                "TextSource",
                guid=g("annotation", annotation.id),
                name=f"{sitting.id} {annotation.annotation_kind}: {words}",
                creationDateTime=qdpx_time(annotation.created or s.created),
                **author,
            )
            el(source, "PlainTextContent").text = annotation.text
            codes_here = [c for c in annotation.codes if c in codes]
            code_whole_text(source, g, annotation.id, annotation.text, codes_here, author)
            kind = "walkthrough capture" if annotation.walkthrough_id else "contribution"
            values(source, sitting, kind)
        for text_source in (t for t in record.study.sources if t.sitting_id == sitting.id):
            source = el(
                sources,
                "TextSource",
                guid=g("text", text_source.id),
                name=f"{sitting.id} {text_source.source_kind.value}: {text_source.name}",
                creationDateTime=qdpx_time(text_source.added),
            )
            el(source, "Description").text = f"{text_source.original_name}, attached by {text_source.added_by}"
            el(source, "PlainTextContent").text = read_text(text_source.id)
            for made in (c for c in record.study.codings if c.source_id == text_source.id):
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
            values(source, sitting, text_source.source_kind.value)
        for note in s.observations.values():  # written in the app during the sitting (never carried forward)
            words = " ".join(note.text.split()[:6])
            source = el(
                sources,
                "TextSource",
                guid=g("observation", note.id),
                name=f"{sitting.id} observation note: {words}",
                creationDateTime=qdpx_time(note.created or s.created),
            )
            el(source, "Description").text = f"observed by {note.observer or 'a researcher'}"
            el(source, "PlainTextContent").text = note.text
            values(source, sitting, "observation_note")
    if not len(sources):
        root.remove(sources)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def write_study_qdpx(record: StudyRecord, stream: BinaryIO, read_text: Callable[[str], str]) -> None:
    """The .qdpx archive: a zip holding ``project.qde``."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(record, read_text))
