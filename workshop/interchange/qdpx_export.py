"""REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA and QualCoder.

What was said becomes text sources (annotations, walkthrough captures,
quotes), the theme codes the codebook, their codings coded selections,
participants users, and organizations cases whose variables carry the
relational-coordination scores (aggregated; never per person). GUIDs are
derived from the session's ids, so exporting twice gives the same project.
An anonymous contribution has no creating user.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Callable, Container, Iterable
from datetime import UTC, datetime
from typing import BinaryIO
from xml.etree import ElementTree as ET

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import public_record, round_scores
from workshop.domain.research.survey import OVERALL, rounds_in_order

NS = "urn:QDA-XML:project:1.0"


def _guid(session_id: str, *parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "process-workshop:" + ":".join((session_id, *parts))))


def qdpx_time(value: datetime | None) -> str:
    """A time as REFI-QDA writes it (UTC, seconds)."""
    return (value or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def element(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    """A child element in the REFI-QDA namespace."""
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)


def code_whole_text(
    source: ET.Element, guid: Callable[..., str], key: str, text: str, code_ids: list[str], author: dict[str, str]
) -> None:
    """Code all of a source's text with each of ``code_ids``: one selection, one coding per code."""
    if not code_ids:
        return
    selection = element(
        source,
        "PlainTextSelection",
        guid=guid("selection", key),
        startPosition="0",
        endPosition=str(len(text)),
        **author,
    )
    for code_id in code_ids:
        coding = element(selection, "Coding", guid=guid("coding", key, code_id), **author)
        element(coding, "CodeRef", targetGUID=guid("code", code_id))


def project_root(name: str, created: datetime | None) -> ET.Element:
    """The ``Project`` element: one place for what the session's and the study's projects both open with."""
    ET.register_namespace("", NS)
    attributes = {"name": name, "origin": "Process Workshop", "creationDateTime": qdpx_time(created)}
    return ET.Element(f"{{{NS}}}Project", attributes)


def add_users(root: ET.Element, guid: Callable[..., str], people: Iterable[tuple[str, str]]) -> None:
    """The ``Users`` of a project from (id, name) pairs, none when there are none: one user per participant."""
    people = list(people)
    if not people:
        return
    users = element(root, "Users")
    for person_id, name in people:
        element(users, "User", guid=guid("participant", person_id), name=name, id=person_id)


def add_codebook(root: ET.Element, guid: Callable[..., str], codes: Iterable[tuple[str, str, str]]) -> None:
    """The ``CodeBook`` from (id, name, description) triples, none when there are none: one code per theme."""
    codes = list(codes)
    if not codes:
        return
    codebook = element(element(root, "CodeBook"), "Codes")
    for code_id, name, description in codes:
        item = element(codebook, "Code", guid=guid("code", code_id), name=name, isCodable="true")
        if description:
            element(item, "Description").text = description


def text_source(
    sources: ET.Element,
    guid: str,
    name: str,
    created: datetime | None,
    text: str,
    *,
    description: str = "",
    **author: str,
) -> ET.Element:
    """A ``TextSource`` holding ``text`` in full: every source of both projects is written this one way."""
    source = element(sources, "TextSource", guid=guid, name=name, creationDateTime=qdpx_time(created), **author)
    if description:
        element(source, "Description").text = description
    element(source, "PlainTextContent").text = text
    return source


def first_words(text: str) -> str:
    """The first six words of a text: a source's name when the text itself has none."""
    return " ".join(text.split()[:6])


def annotation_source(
    sources: ET.Element,
    guid: Callable[..., str],
    annotation: Annotation,
    *,
    prefix: str,
    created: datetime | None,
    known_codes: Container[str],
) -> ET.Element:
    """A contribution as a source coded with its themes, its author (unless anonymous) the creating user."""
    author = {"creatingUser": guid("participant", annotation.author_id)} if annotation.author_id else {}
    name = f"{prefix}{annotation.annotation_kind}: {first_words(annotation.text)}"
    source = text_source(sources, guid("annotation", annotation.id), name, created, annotation.text, **author)
    codes_here = [c for c in annotation.codes if c in known_codes]
    code_whole_text(source, guid, annotation.id, annotation.text, codes_here, author)
    return source


def project_bytes(root: ET.Element) -> bytes:
    """``project.qde``'s bytes: the XML declaration and the project."""
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def write_project(stream: BinaryIO, project: bytes) -> None:
    """The .qdpx archive: a zip holding ``project.qde``; the session's and the study's are packed alike."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)


def project_xml(record: SessionRecord) -> bytes:
    """The ``project.qde`` document, from the de-identified record."""
    record = public_record(record)
    s = record.session
    g = lambda *parts: _guid(s.id, *parts)  # noqa: E731 - short local alias keeps the tree readable

    el = element
    root = project_root(s.title, s.created)
    add_users(root, g, ((person.id, person.name) for person in s.participants.values()))
    add_codebook(root, g, ((code.id, code.name, code.description) for code in s.codes.values()))
    rounds = rounds_in_order(s)
    if rounds:
        variables = el(root, "Variables")
        for survey in rounds:
            variable = el(
                variables,
                "Variable",
                guid=g("variable", survey.id),
                name=f"Relational coordination, overall ({survey.label})",
                typeOfVariable="Float",
            )
            el(variable, "Description").text = (
                "Mean of the organization's shown overall tie scores with every other organization; "
                "cells with too few respondents are left out."
            )
    if s.organizations:
        cases = el(root, "Cases")
        scores = {
            survey.id: [c for c in round_scores(record, survey.id) if c.dimension == OVERALL] for survey in rounds
        }
        for org in s.organizations.values():
            case = el(cases, "Case", guid=g("organization", org.id), name=org.name)
            for survey in rounds:
                shown = [c.mean for c in scores[survey.id] if c.from_org == org.id and c.mean is not None]
                if shown:
                    value = el(case, "VariableValue")
                    el(value, "VariableRef", targetGUID=g("variable", survey.id))
                    el(value, "FloatValue").text = f"{sum(shown) / len(shown):.3f}"
    visible = [a for a in s.annotations.values() if not a.hidden]
    if visible:
        sources = el(root, "Sources")
        for annotation in visible:
            annotation_source(sources, g, annotation, prefix="", created=annotation.created, known_codes=s.codes)
    if s.description:
        el(root, "Description").text = s.description
    return project_bytes(root)


def write_qdpx(record: SessionRecord, stream: BinaryIO) -> None:
    """The .qdpx archive: a zip holding ``project.qde``."""
    write_project(stream, project_xml(record))
