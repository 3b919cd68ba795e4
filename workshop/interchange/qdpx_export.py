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
from collections.abc import Callable
from datetime import UTC, datetime
from typing import BinaryIO
from xml.etree import ElementTree as ET

from workshop.domain.privacy import public_record, round_scores
from workshop.domain.record import SessionRecord
from workshop.domain.survey import OVERALL, rounds_in_order

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


def project_xml(record: SessionRecord) -> bytes:
    """The ``project.qde`` document, from the de-identified record."""
    record = public_record(record)
    s = record.session
    g = lambda *parts: _guid(s.id, *parts)  # noqa: E731 - short local alias keeps the tree readable
    ET.register_namespace("", NS)

    el = element
    root = ET.Element(
        f"{{{NS}}}Project", {"name": s.title, "origin": "Process Workshop", "creationDateTime": qdpx_time(s.created)}
    )
    if s.participants:
        users = el(root, "Users")
        for person in s.participants.values():
            el(users, "User", guid=g("participant", person.id), name=person.name, id=person.id)
    if s.codes:
        codes = el(el(root, "CodeBook"), "Codes")
        for code in s.codes.values():
            item = el(codes, "Code", guid=g("code", code.id), name=code.name, isCodable="true")
            if code.description:
                el(item, "Description").text = code.description
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
            author = {"creatingUser": g("participant", annotation.author_id)} if annotation.author_id else {}
            words = " ".join(annotation.text.split()[:6])
            source = el(
                sources,
                "TextSource",
                guid=g("annotation", annotation.id),
                name=f"{annotation.annotation_kind}: {words}",
                creationDateTime=qdpx_time(annotation.created),
                **author,
            )
            el(source, "PlainTextContent").text = annotation.text
            codes_here = [c for c in annotation.codes if c in s.codes]
            code_whole_text(source, g, annotation.id, annotation.text, codes_here, author)
    if s.description:
        el(root, "Description").text = s.description
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def write_qdpx(record: SessionRecord, stream: BinaryIO) -> None:
    """The .qdpx archive: a zip holding ``project.qde``."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(record))
