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
from datetime import UTC, datetime
from typing import BinaryIO
from xml.etree import ElementTree as ET

from workshop.domain.privacy import public_record, round_scores
from workshop.domain.record import SessionRecord
from workshop.domain.survey import OVERALL, rounds_in_order

NS = "urn:QDA-XML:project:1.0"


def _guid(session_id: str, *parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "process-workshop:" + ":".join((session_id, *parts))))


def _when(value: datetime | None) -> str:
    return (value or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def project_xml(record: SessionRecord) -> bytes:
    """The ``project.qde`` document, from the de-identified record."""
    record = public_record(record)
    s = record.session
    g = lambda *parts: _guid(s.id, *parts)  # noqa: E731 - short local alias keeps the tree readable
    ET.register_namespace("", NS)

    def el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
        return ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)

    root = ET.Element(
        f"{{{NS}}}Project", {"name": s.title, "origin": "Process Workshop", "creationDateTime": _when(s.created)}
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
                creationDateTime=_when(annotation.created),
                **author,
            )
            el(source, "PlainTextContent").text = annotation.text
            codes_here = [c for c in annotation.codes if c in s.codes]
            if codes_here:
                selection = el(
                    source,
                    "PlainTextSelection",
                    guid=g("selection", annotation.id),
                    startPosition="0",
                    endPosition=str(len(annotation.text)),
                    **author,
                )
                for code_id in codes_here:
                    coding = el(selection, "Coding", guid=g("coding", annotation.id, code_id), **author)
                    el(coding, "CodeRef", targetGUID=g("code", code_id))
    if s.description:
        el(root, "Description").text = s.description
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def write_qdpx(record: SessionRecord, stream: BinaryIO) -> None:
    """The .qdpx archive: a zip holding ``project.qde``."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml(record))
