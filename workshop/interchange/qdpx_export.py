"""REFI-QDA project (.qdpx) of one session for NVivo, ATLAS.ti, MAXQDA and QualCoder.

What was said becomes text sources (annotations, walkthrough captures,
quotes; each a file under ``sources/``), the theme codes the codebook, their
codings coded selections made by the facilitator or researcher who coded
(the project's users), and the organizations and the people cases: an
organization with its type and relational-coordination scores (aggregated;
never per person), a person with organization, organization type and role,
each linked to the contributions they made. GUIDs are derived from the
session's ids, so exporting twice gives the same project. An anonymous
contribution is linked to no person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from datetime import datetime
from typing import BinaryIO
from xml.etree import ElementTree as ET

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import FACILITATOR
from workshop.domain.model.operations import changes
from workshop.domain.model.process import organization_type
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session
from workshop.domain.research.privacy import public_record, round_scores
from workshop.domain.research.survey import OVERALL, rounds_in_order
from workshop.interchange.qdpx_project import ProjectBuilder, Qdpx, first_words, guid_maker

CASE_VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("organization", "Text", "A person's organization."),
    ("organization type", "Text", "IT provider, customer network, partner organization, end-users or other."),
    ("role", "Text", "A person's role in their organization, where it was recorded."),
)
"""(name, REFI type, description) of the variables people and organization cases carry."""


def _guid(session_id: str, *parts: str) -> str:
    return guid_maker("process-workshop", session_id)(*parts)


def desk_actor(record: SessionRecord) -> str:
    """Who worked the session at the desk: its most frequent actor that is no participant ("facilitator" if none)."""
    actors = Counter(r.actor for r in record.records if not r.actor.startswith("participant:"))
    return actors.most_common(1)[0][0] if actors else FACILITATOR


def contribution_coders(record: SessionRecord) -> dict[str, str]:
    """Who coded each contribution: the last person at the desk (never a participant) who recorded or changed it."""
    coders: dict[str, str] = {}
    for log in record.records:
        if log.actor.startswith("participant:"):
            continue
        change = changes(log.op)
        for kind, element_id in change.added | change.updated:
            if kind == "annotation":
                coders[element_id] = log.actor
    return coders


def organization_cases(builder: ProjectBuilder, session: Session) -> None:
    """A case per organization of ``session`` (once per project), with its type."""
    org_type = builder.variable(*CASE_VARIABLES[1])
    for org in session.organizations.values():
        case = builder.case(f"organization:{org.id}", org.name, "organization")
        case.values[org_type] = ("TextValue", organization_type(org.org_kind))


def person_case(builder: ProjectBuilder, session: Session, person_id: str, key: str = "") -> None:
    """The case of a participant of ``session`` (once per project), with organization, its type and role."""
    person = session.participants.get(person_id)
    if person is None:
        return
    case = builder.case(key or f"person:{person.id}", person.name, "person")
    org = session.organizations.get(person.organization_id)
    organization, org_type, role = (builder.variable(*v) for v in CASE_VARIABLES)
    if org is not None:
        case.values[organization] = ("TextValue", org.name)
        case.values[org_type] = ("TextValue", organization_type(org.org_kind))
    if person.role:
        case.values[role] = ("TextValue", person.role)


def contribution_source(
    builder: ProjectBuilder,
    annotation: Annotation,
    *,
    prefix: str,
    created: datetime | None,
    coder: str,
    known_codes: Container[str],
    person_key: str = "",
) -> ET.Element:
    """A contribution as a source, its whole text coded with each of its themes by ``coder`` (a name).

    Linked to its organization's case and, unless anonymous, to its author's
    (``person_key``, else ``person:<author id>``). Returns the source.
    """
    name = f"{prefix}{annotation.annotation_kind}: {first_words(annotation.text)}"
    source = builder.text_source(f"annotation:{annotation.id}", name, created, annotation.text)
    selections = [
        builder.code_span(source, annotation.id, 0, len(annotation.text), code_id, builder.coder(coder), created)
        for code_id in annotation.codes
        if code_id in known_codes
    ]
    guid = source.get("guid", "")
    for key in (f"organization:{annotation.organization_id}", person_key or f"person:{annotation.author_id}"):
        if key in builder.cases:
            builder.cases[key].link(guid, selections)
    return source


def build_project(record: SessionRecord) -> Qdpx:
    """The project of a session, from its de-identified record."""
    record = public_record(record)
    s = record.session
    g = guid_maker("process-workshop", s.id)
    builder = ProjectBuilder(s.title, s.created, g)
    for code in s.codes.values():
        builder.code(code.id, code.name, code.description)
    organization_cases(builder, s)
    rounds = rounds_in_order(s)
    scores = {survey.id: [c for c in round_scores(record, survey.id) if c.dimension == OVERALL] for survey in rounds}
    for survey in rounds:
        variable = builder.variable(
            f"Relational coordination, overall ({survey.label})",
            "Float",
            "Mean of the organization's shown overall tie scores with every other organization; "
            "cells with too few respondents are left out.",
        )
        for org in s.organizations.values():
            shown = [c.mean for c in scores[survey.id] if c.from_org == org.id and c.mean is not None]
            if shown:
                case = builder.cases[f"organization:{org.id}"]
                case.values[variable] = ("FloatValue", f"{sum(shown) / len(shown):.3f}")
    for person_id in s.participants:
        person_case(builder, s, person_id)
    coders = contribution_coders(record)
    desk = desk_actor(record)
    for annotation in (a for a in s.annotations.values() if not a.hidden):
        contribution_source(
            builder,
            annotation,
            prefix="",
            created=annotation.created,
            coder=coders.get(annotation.id, desk),
            known_codes=s.codes,
        )
    return Qdpx(builder.xml(s.description), builder.texts)


def project_xml(record: SessionRecord) -> bytes:
    """The ``project.qde`` document, from the de-identified record (its texts are in :func:`build_project`)."""
    return build_project(record).project


def write_qdpx(record: SessionRecord, stream: BinaryIO) -> None:
    """The .qdpx archive: ``project.qde`` and every text under ``sources/``."""
    build_project(record).write(stream)
