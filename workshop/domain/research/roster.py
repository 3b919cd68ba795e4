"""The study's roster: a person is one person across the study, an organization has a type.

The same people took part in the interviews, the modeling workshops and the
simulation workshop; Table 1 counts *people*, not seats, by organization
type ("18 customer and 2 IT provider representatives"), and names no one.
So the study keeps:

* its **organizations** with their type (customer, IT provider, partner,
  end-users, other), by name as the sittings name them;
* its **people** (name, organization, role), each with a stable id;
* per sitting, who **attended** (people's ids).

A person's sittings are those they were marked as attending, the interviews
that name them (``--person``), and the sittings whose own participants (not
carried forward) bear their name: one person followed through the study
whichever way their presence was recorded. Plain data and pure functions;
the study folder stores them in ``study.json``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from workshop.domain.drawing.colours import unused_colour
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import AddOp, add
from workshop.domain.model.process import Organization, OrganizationKind, Participant
from workshop.domain.model.session import Session
from workshop.domain.research.people import (
    TABLE_WORDS,
    TYPE_WORDS,
    Person,
    RosterError,
    StudyOrganization,
    find_organization_kind,
    parse_org_type,
    same_name,
)
from workshop.domain.research.study import Sitting, Study

__all__ = ["TABLE_WORDS", "TYPE_WORDS", "RosterError", "parse_org_type"]


def find_person(study: Study, name: str) -> Person | None:
    return next((p for p in study.people if same_name(p.name, name)), None)


def find_organization(study: Study, name: str) -> StudyOrganization | None:
    return next((o for o in study.organizations if same_name(o.name, name)), None)


def set_organization(study: Study, name: str, org_type: OrganizationKind) -> StudyOrganization:
    """Add an organization or change its type."""
    name = " ".join(name.split())
    if not name:
        raise RosterError("name the organization")
    found = find_organization(study, name)
    if found is None:
        found = StudyOrganization(name=name, org_type=org_type)
        study.organizations.append(found)
    else:
        found.org_type = org_type
    return found


def put_person(
    study: Study,
    name: str,
    *,
    actor: str,
    when: datetime,
    organization: str | None = None,
    role: str | None = None,
) -> Person:
    """Add a person, or update the organization and role of the one of that name (the same person)."""
    name = " ".join(name.split())
    if not name:
        raise RosterError("name the person")
    person = find_person(study, name)
    if person is None:
        person = Person(id=new_id("person"), name=name, added=when, added_by=actor)
        study.people.append(person)
    if organization is not None and organization.strip():
        known = find_organization(study, organization)  # an organization new to the study gets its type later
        person.organization = known.name if known else " ".join(organization.split())
    if role is not None:
        person.role = role.strip()
    return person


def attend(study: Study, sitting: Sitting, names: Iterable[str], *, actor: str, when: datetime) -> list[Person]:
    """Mark people as attending ``sitting`` (a name not on the roster is added to it)."""
    marked = []
    for name in names:
        person = put_person(study, name, actor=actor, when=when)
        if person.id not in sitting.attended:
            sitting.attended.append(person.id)
        marked.append(person)
    return marked


def joining_operations(study: Study, session: Session, people: Iterable[Person]) -> tuple[list[AddOp], list[str]]:
    """The operations that make attending people participants of the sitting's own session, if not there yet.

    A person becomes a participant of their organization in the session (matched by name, case and spacing
    aside); an organization the session does not have yet is added first, with the type the study gives it.
    A person already among the session's participants (by name) is left as they are. Returns the operations,
    and the names of people who cannot join because the roster gives them no organization.
    """
    orgs = {" ".join(o.name.casefold().split()): o.id for o in session.organizations.values()}
    present = {" ".join(p.name.casefold().split()) for p in session.participants.values()}
    ops: list[AddOp] = []
    colours: list[str] = []
    without: list[str] = []
    for person in people:
        key = " ".join(person.name.casefold().split())
        if key in present:
            continue
        if not person.organization:
            without.append(person.name)
            continue
        org_key = " ".join(person.organization.casefold().split())
        if org_key not in orgs:
            kind = find_organization_kind(study.organizations, person.organization) or OrganizationKind.OTHER
            colour = unused_colour(session, tuple(colours))
            organization = Organization(id=new_id("org"), name=person.organization, org_kind=kind, colour=colour)
            orgs[org_key] = organization.id
            colours.append(colour)
            ops.append(add(organization))
        joining = Participant(
            id=new_id("participant"), name=person.name, organization_id=orgs[org_key], role=person.role
        )
        ops.append(add(joining))
        present.add(key)
    return ops, without


@dataclass
class RosterEntry:
    """A person as the roster shows them: organization, its type, role and the sittings they attended."""

    name: str
    organization: str = ""
    org_type: OrganizationKind | None = None
    role: str = ""
    sittings: list[str] = field(default_factory=list)


Participants = Mapping[str, Iterable[tuple[str, str, str, str]]]
"""sitting id -> the sitting's own participants as (name, organization, organization's kind, role)."""


def roster(study: Study, participants: Participants | None = None) -> list[RosterEntry]:
    """Everyone in the study with the sittings they attended, in the order the sittings happened.

    ``participants`` are the sittings' own participants (not those carried
    forward); a participant whose name is on the roster is that person.
    """
    entries: dict[str, RosterEntry] = {}

    def entry(name: str) -> RosterEntry:
        key = " ".join(name.casefold().split())
        if key not in entries:
            person = find_person(study, name)
            found = RosterEntry(name=person.name if person else " ".join(name.split()))
            if person is not None:
                found.organization, found.role = person.organization, person.role
            entries[key] = found
        return entries[key]

    for person in study.people:
        entry(person.name)
    by_id = {p.id: p for p in study.people}
    for sitting in study.in_order():
        here = [by_id[i].name for i in sitting.attended if i in by_id] + list(sitting.people)
        for name, organization, kind, role in (participants or {}).get(sitting.id, ()):
            found = entry(name)
            found.organization = found.organization or organization
            found.role = found.role or role
            if found.org_type is None and kind:
                found.org_type = OrganizationKind(kind)
            here.append(name)
        for name in here:
            found = entry(name)
            if sitting.id not in found.sittings:
                found.sittings.append(sitting.id)
    for found in entries.values():
        org = find_organization(study, found.organization) if found.organization else None
        if org is not None:
            found.org_type = org.org_type
    return list(entries.values())
