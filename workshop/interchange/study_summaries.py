"""The method's summaries per intervention: explore vs exploit, and the three integrating conditions.

Like every study table (:mod:`workshop.interchange.study_tables`) these are
computed from the de-identified sittings each time, never typed:

* **Explore vs exploit**: the ideas (and other contributions coded
  *explorative* or *exploitative activities*) raised in each intervention,
  counted and listed by mode, each with the status it reached by the end of
  the intervention.
* **The three integrating conditions** — accountability, predictability and
  common understanding — as the intervention ended: *accountability* is how
  many activities of its process models have an owner organization (and a
  named role); *common understanding* is the intervention's latest agreement
  check (mean rating per organization); *predictability* is the rating the
  same check asks when it asks it (``predictability`` on an answer).
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean

from workshop.domain.facilitation.coordination import AgreementRating
from workshop.domain.model.annotations import Annotation, AnnotationKind, IdeaMode, IdeaStatus
from workshop.domain.model.process import NodeKind
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session
from workshop.domain.research.study import Sitting
from workshop.interchange.study_tables import StudyRecord
from workshop.interchange.table import Table

MODE_CODES = {"code-explorative": IdeaMode.EXPLORE, "code-exploitative": IdeaMode.EXPLOIT}
"""The default codebook's two themes that classify a contribution as explorative or exploitative."""


def mode_of(annotation: Annotation) -> IdeaMode | None:
    """Explore or exploit: an idea's own mode, else the explorative/exploitative code it carries, else None."""
    if annotation.idea_mode is not None:
        return annotation.idea_mode
    for code, mode in MODE_CODES.items():
        if code in annotation.codes:
            return mode
    return None


def _interventions(record: StudyRecord) -> list[tuple[int, list[tuple[Sitting, SessionRecord]]]]:
    numbers = sorted({s.intervention for s, _ in record.sittings})
    return [(n, [(s, r) for s, r in record.sittings if s.intervention == n]) for n in numbers]


EXPLORE_HEADER = [
    "intervention",
    "business process",
    "explore",
    "exploit",
    "ideas not classified",
    "explorative ideas and activities",
    "exploitative ideas and activities",
]


def explore_exploit(record: StudyRecord) -> Table:
    """Per intervention: what was raised in it, explorative vs exploitative, counted and listed.

    An idea counts for the intervention it was first raised in (ideas are
    carried forward with their ids, so a later sitting would count it
    again); it is listed with the status it had at the end of that
    intervention. Ideas without a mode are counted as not classified.
    """
    first_seen: dict[str, int] = {}
    rows = []
    for number, sittings in _interventions(record):
        latest: dict[str, Annotation] = {}
        for _, session_record in sittings:
            for annotation in session_record.session.annotations.values():
                if annotation.hidden:
                    continue
                if annotation.annotation_kind != AnnotationKind.IDEA and mode_of(annotation) is None:
                    continue
                if first_seen.setdefault(annotation.id, number) == number:
                    latest[annotation.id] = annotation
        listed: dict[IdeaMode | None, list[str]] = defaultdict(list)
        for annotation in latest.values():
            status = ""
            if annotation.annotation_kind == AnnotationKind.IDEA:
                status = f" ({annotation.idea_status or IdeaStatus.PROPOSED})"
            else:
                status = f" ({annotation.annotation_kind})"
            listed[mode_of(annotation)].append(annotation.text + status)
        processes = "; ".join(dict.fromkeys(s.process for s, _ in sittings if s.process))
        rows.append(
            [
                str(number),
                processes,
                str(len(listed[IdeaMode.EXPLORE])),
                str(len(listed[IdeaMode.EXPLOIT])),
                str(len(listed[None])),
                "; ".join(listed[IdeaMode.EXPLORE]),
                "; ".join(listed[IdeaMode.EXPLOIT]),
            ]
        )
    return EXPLORE_HEADER, rows


CONDITIONS_HEADER = [
    "intervention",
    "accountability: activities with an owner",
    "accountability: activities with an owner role",
    "accountability: activities without an owner",
    "common understanding (agreement check, 1-5)",
    "common understanding per organization",
    "predictability (1-5)",
    "predictability per organization",
    "measured in",
]


def _latest_check(sittings: list[tuple[Sitting, SessionRecord]]) -> tuple[Sitting, Session, list[AgreementRating]]:
    """The intervention's last agreement check: the latest sitting with answers, its latest-answered check."""
    for sitting, session_record in reversed(sittings):
        answers = list(session_record.session.agreements.values())
        if not answers:
            continue
        last_time: dict[str, str] = {}
        for position, answer in enumerate(answers):
            key = answer.created.isoformat() if answer.created else f"{position:09d}"
            last_time[answer.check_id] = max(last_time.get(answer.check_id, ""), key)
        check = max(last_time, key=lambda c: last_time[c])
        return sitting, session_record.session, [a for a in answers if a.check_id == check]
    raise LookupError("no agreement check")


def _means(session: Session, answers: list[tuple[str, int]]) -> tuple[str, str]:
    """Overall mean and 'organization mean (n)' for (organization id, rating) pairs."""
    if not answers:
        return "not asked", ""
    per_org: defaultdict[str, list[int]] = defaultdict(list)
    for org_id, value in answers:
        per_org[org_id].append(value)
    parts = []
    for org_id, values in sorted(per_org.items(), key=lambda item: fmean(item[1])):
        org = session.organizations.get(org_id)
        parts.append(f"{org.name if org else 'organization not named'} {fmean(values):.2f} ({len(values)})")
    return f"{fmean(v for _, v in answers):.2f}", "; ".join(parts)


def integrating_conditions(record: StudyRecord) -> Table:
    """Per intervention: accountability, common understanding and predictability as the intervention ended.

    Accountability is read from the intervention's last sitting that has
    activities in its models (the process as it was left); understanding
    and predictability from its last agreement check, lowest organization
    first (where to talk next).
    """
    rows = []
    for number, sittings in _interventions(record):
        owned = roles = 0
        unowned: list[str] = []
        total = 0
        where: list[str] = []
        for sitting, session_record in reversed(sittings):
            activities = [n for n in session_record.session.nodes.values() if n.node_kind == NodeKind.ACTIVITY]
            if activities:
                total = len(activities)
                owned = sum(1 for n in activities if n.owner_org_id)
                roles = sum(1 for n in activities if n.owner_org_id and n.owner_role)
                unowned = sorted(n.label or "(unnamed)" for n in activities if not n.owner_org_id)
                where.append(f"owners: {sitting.id}")
                break
        try:
            sitting, session, answers = _latest_check(sittings)
        except LookupError:
            understanding = predictability = ("no agreement check", "")
        else:
            where.append(f"agreement check: {sitting.id}")
            understanding = _means(session, [(a.organization_id, a.rating) for a in answers])
            predictability = _means(
                session, [(a.organization_id, a.predictability) for a in answers if a.predictability is not None]
            )
        rows.append(
            [
                str(number),
                f"{owned} of {total}" if total else "no activities modeled",
                f"{roles} of {total}" if total else "",
                "; ".join(unowned),
                understanding[0],
                understanding[1],
                predictability[0],
                predictability[1],
                ", ".join(where),
            ]
        )
    return CONDITIONS_HEADER, rows
