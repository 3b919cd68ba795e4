"""The study-level record, computed from the sittings: Table 1, ideas, boundaries, survey scores.

Nothing here is stored: every table is derived from the sittings' own
records each time, so the study record cannot disagree with them. Every
sitting's record is de-identified (:func:`workshop.domain.research.privacy.public_record`)
before anything is read from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from workshop.domain.model.annotations import AnnotationKind, IdeaStatus
from workshop.domain.model.naming import flow_name
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session
from workshop.domain.research.privacy import disclose, public_record, round_role_scores, round_scores
from workshop.domain.research.sources import SurveyRound
from workshop.domain.research.study import Sitting, Study
from workshop.domain.research.survey import OVERALL, Cell, rounds_in_order
from workshop.interchange.record_tables import boundary_history
from workshop.interchange.table import Table


@dataclass(frozen=True)
class StudyRecord:
    """A study with each sitting's de-identified record, in the order the sittings happened."""

    study: Study
    sittings: list[tuple[Sitting, SessionRecord]]


def study_record(study: Study, sittings: list[tuple[Sitting, SessionRecord]]) -> StudyRecord:
    """The study as every output may show it: each sitting's record de-identified."""
    return StudyRecord(study, [(sitting, public_record(record)) for sitting, record in sittings])


def attendance(sitting: Sitting, record: SessionRecord) -> Counter[str]:
    """Who attended, per organization name: as declared on the sitting, else the sitting's own participants.

    Participants carried forward only because a carried idea or boundary
    names them did not necessarily attend, so they are not counted.
    """
    if sitting.attendance:
        return Counter(sitting.attendance)
    carried = set(sitting.provenance.carried_participants) if sitting.provenance else set()
    s = record.session
    counts: Counter[str] = Counter()
    for person in s.participants.values():
        if person.id not in carried:
            org = s.organizations.get(person.organization_id)
            counts[org.name if org else person.organization_id] += 1
    return counts


def _per_org(counts: Counter[str]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))


def _dated(when: str, what: str) -> str:
    return f"{when}: {what}" if what else when


SITTINGS_HEADER = [
    "sitting",
    "intervention",
    "kind",
    "date",
    "time",
    "business process",
    "title",
    "attendance per organization",
    "people",
    "carried forward from",
    "operations",
]


def sittings_table(record: StudyRecord) -> Table:
    rows = []
    for sitting, session_record in record.sittings:
        origin = sitting.provenance
        rows.append(
            [
                sitting.id,
                str(sitting.intervention),
                sitting.kind.value,
                sitting.date,
                sitting.time,
                sitting.process,
                sitting.title,
                _per_org(attendance(sitting, session_record)),
                "; ".join(sitting.people),
                f"{origin.from_sitting} (operation {origin.from_seq})" if origin else "",
                # the last sequence number: the de-identified log leaves out survey answers, the count should not
                str(session_record.records[-1].seq if session_record.records else 0),
            ]
        )
    return SITTINGS_HEADER, rows


_STATUS_ORDER = [IdeaStatus.PROPOSED, IdeaStatus.AGREED, IdeaStatus.IMPLEMENTED, IdeaStatus.CHECKED]

IDEAS_HEADER = [
    "idea",
    "text",
    "explore or exploit",
    "raised by",
    "status",
    "proposed in",
    "agreed in",
    "implemented in",
    "checked in",
    "history",
]


def idea_tracker(record: StudyRecord) -> Table:
    """Every idea across the study by its id: when it reached each status, in which sitting and intervention.

    A sitting that skips a status (agreed and implemented between two
    sittings) counts as reaching the skipped ones too.
    """
    order: list[str] = []
    latest: dict[str, list[str]] = {}
    reached: dict[str, dict[str, str]] = {}
    history: dict[str, list[str]] = {}
    for sitting, session_record in record.sittings:
        s = session_record.session
        for idea in s.annotations.values():
            if idea.annotation_kind != AnnotationKind.IDEA:
                continue
            if idea.id not in latest:
                order.append(idea.id)
                reached[idea.id] = {}
                history[idea.id] = []
            status = str(idea.idea_status or IdeaStatus.PROPOSED)
            who = disclose(s, idea.author_id, idea.organization_id, anonymous=idea.anonymous).label
            latest[idea.id] = [idea.text, idea.idea_mode or "", who, status]
            where = f"{sitting.id} (intervention {sitting.intervention})"
            for level in _STATUS_ORDER[: _STATUS_ORDER.index(IdeaStatus(status)) + 1]:
                reached[idea.id].setdefault(level, where)
            entry = f"{sitting.id}: {status}"
            if not history[idea.id] or history[idea.id][-1].split(": ", 1)[1] != status:
                history[idea.id].append(entry)
    rows = []
    for idea_id in order:
        text, mode, who, status = latest[idea_id]
        statuses = [reached[idea_id].get(level, "") for level in _STATUS_ORDER]
        rows.append([idea_id, text, mode, who, status, *statuses, "; ".join(history[idea_id])])
    return IDEAS_HEADER, rows


BOUNDARIES_HEADER = [
    "boundary",
    "between",
    "type",
    "what is not shared",
    "marked in",
    "status",
    "crossed in",
    "history",
]


def boundaries_table(record: StudyRecord) -> Table:
    """Every knowledge boundary across the study by its id, with each status change and the sitting it was in."""
    order: list[str] = []
    latest: dict[str, list[str]] = {}
    marked: dict[str, str] = {}
    crossed: dict[str, str] = {}
    history: dict[str, list[str]] = {}
    for sitting, session_record in record.sittings:
        s = session_record.session
        changes = boundary_history(session_record)
        for boundary in s.boundaries.values():
            if boundary.id not in latest:
                order.append(boundary.id)
                marked[boundary.id] = sitting.id
                history[boundary.id] = []
            names = [o.name if (o := s.organizations.get(x)) else x for x in (boundary.org_a, boundary.org_b)]
            latest[boundary.id] = [" / ".join(names), boundary.boundary_type, boundary.not_shared, boundary.status]
            for status, when in changes.get(boundary.id, []):
                history[boundary.id].append(f"{sitting.id} {when.date().isoformat()}: {status}")
            if boundary.status == "crossed":
                crossed.setdefault(boundary.id, sitting.id)
    rows = []
    for boundary_id in order:
        between, kind, not_shared, status = latest[boundary_id]
        rows.append(
            [
                boundary_id,
                between,
                kind,
                not_shared,
                marked[boundary_id],
                status,
                crossed.get(boundary_id, ""),
                "; ".join(history[boundary_id]),
            ]
        )
    return BOUNDARIES_HEADER, rows


def _org_name(session: Session, org_id: str) -> str:
    org = session.organizations.get(org_id)
    return org.name if org else org_id


def _handoff(session: Session, flow_id: str | None) -> str:
    """A handoff as people read it: its label, else the activities it joins."""
    flow = session.flows.get(flow_id or "")
    if flow is None:
        return ""
    return flow_name(session, flow)


MEASURED_HEADER = ["sitting", "intervention", "date", "round", "phase"]
"""The columns :func:`_measured` fills, first in both survey tables."""

SURVEY_HEADER = [
    *MEASURED_HEADER,
    "organization",
    "about",
    "overall score",
    "respondents",
]


def _survey_rows(
    record: StudyRecord,
    scores: Callable[[SessionRecord, str], list[Cell]],
    pair: Callable[[Session, Cell], list[str]],
) -> list[list[str]]:
    """A row per overall cell of every round in every sitting: the walk and columns both survey tables share.

    ``pair`` gives the columns naming who sees whom (organizations, or organizations and roles).
    """
    return [
        [*_measured(sitting, survey), *pair(session_record.session, cell), _score(cell), str(cell.respondents)]
        for sitting, session_record in record.sittings
        for survey in rounds_in_order(session_record.session)
        for cell in scores(session_record, survey.id)
        if cell.dimension == OVERALL
    ]


def _measured(sitting: Sitting, survey: SurveyRound) -> list[str]:
    """Where and when a score was measured: the first columns of both survey tables."""
    return [sitting.id, str(sitting.intervention), sitting.date, survey.label, survey.phase]


def _score(cell: Cell) -> str:
    """A shown score to two decimals, or why it is withheld."""
    return "too few answers" if cell.mean is None else f"{cell.mean:.2f}"


def survey_table(record: StudyRecord) -> Table:
    """Relational-coordination scores (overall, aggregated, small cells withheld) of every round in every sitting."""
    rows = _survey_rows(record, round_scores, lambda s, c: [_org_name(s, c.from_org), _org_name(s, c.about_org)])
    return SURVEY_HEADER, rows


ROLE_SURVEY_HEADER = [
    *MEASURED_HEADER,
    "organization",
    "role",
    "about",
    "about role",
    "overall score",
    "respondents",
]


def survey_roles_table(record: StudyRecord) -> Table:
    """Relational coordination between roles (as the lanes name them), every round in every sitting.

    Only answers that name both roles count; cells with fewer respondents
    than the threshold are withheld, as between organizations.
    """
    rows = _survey_rows(
        record,
        round_role_scores,
        lambda s, c: [_org_name(s, c.from_org), c.from_role, _org_name(s, c.about_org), c.about_role],
    )
    return ROLE_SURVEY_HEADER, rows


CHANGE_HEADER = [
    "organization",
    "about",
    "first score",
    "first measured",
    "last score",
    "last measured",
    "change",
]


def survey_change(record: StudyRecord) -> Table:
    """Each tie's overall score the first and the last time it was shown in the study, and the change.

    Before/after across sittings: the first round may be in an interview
    before intervention 1, the last at the follow-up after intervention 3.
    Withheld cells (too few respondents) are skipped, never guessed.
    """
    _, rows = survey_table(record)
    shown: dict[tuple[str, str], list[list[str]]] = {}
    for row in rows:
        if row[7] != "too few answers":
            shown.setdefault((row[5], row[6]), []).append(row)
    result = []
    for (org, about), measured in shown.items():
        first, last = measured[0], measured[-1]
        change = f"{float(last[7]) - float(first[7]):+.2f}" if len(measured) > 1 else ""
        result.append(
            [
                org,
                about,
                first[7],
                f"{first[0]} {first[3]}",
                last[7] if len(measured) > 1 else "",
                f"{last[0]} {last[3]}" if len(measured) > 1 else "",
                change,
            ]
        )
    return CHANGE_HEADER, result
