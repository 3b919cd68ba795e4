"""The study's people as the record shows them: the roster with the sittings each person attended.

A person is followed through the study (:mod:`workshop.domain.research.roster`):
marked as attending, named as an interviewee, or one of a sitting's own
participants (not those carried forward, who did not necessarily attend).
"""

from __future__ import annotations

from workshop.domain.model.process import OrganizationKind
from workshop.domain.research.people import TABLE_WORDS
from workshop.domain.research.roster import Participants, RosterEntry, roster
from workshop.interchange.study_tables import StudyRecord
from workshop.interchange.table import Table


def sitting_participants(record: StudyRecord) -> Participants:
    """Each sitting's own participants as (name, organization, organization's kind, role)."""
    found: dict[str, list[tuple[str, str, str, str]]] = {}
    for sitting, session_record in record.sittings:
        s = session_record.session
        carried = set(sitting.provenance.carried_participants) if sitting.provenance else set()
        here = found.setdefault(sitting.id, [])
        for person in s.participants.values():
            if person.id in carried:
                continue
            org = s.organizations.get(person.organization_id)
            here.append((person.name, org.name if org else "", str(org.org_kind) if org else "", person.role))
    return found


def study_roster(record: StudyRecord) -> list[RosterEntry]:
    """Everyone in the study with the sittings they attended; an organization's type, where the study gives it
    none, as the sittings' organizations of that name have it."""
    kinds: dict[str, OrganizationKind] = {}
    for _, session_record in record.sittings:
        for org in session_record.session.organizations.values():
            kinds.setdefault(" ".join(org.name.casefold().split()), OrganizationKind(org.org_kind))
    entries = roster(record.study, sitting_participants(record))
    for entry in entries:
        if entry.org_type is None and entry.organization:
            entry.org_type = kinds.get(" ".join(entry.organization.casefold().split()))
    return entries


ROSTER_HEADER = ["person", "organization", "organization type", "role", "sittings attended"]


def roster_table(record: StudyRecord) -> Table:
    """The roster: a row per person (who took part; it says nothing of who said what)."""
    rows = [
        [e.name, e.organization, TABLE_WORDS[e.org_type] if e.org_type else "", e.role, ", ".join(e.sittings)]
        for e in study_roster(record)
    ]
    return ROSTER_HEADER, rows
