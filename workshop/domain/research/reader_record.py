"""What a shared study's *reader* role may see: the de-identified record, with no person named at all.

Stricter than the outputs' rule (:mod:`workshop.domain.research.privacy`),
which names a participant behind a contribution made in an open step: a
reader (a student, a reviewer, the organizations' staff) gets no names
whatsoever — participants as their organization and role only, no actors,
no interviewees, no survey answer with its respondent (aggregated cells
only, small cells withheld) and no transcript text. Built from an
allow-list, so a field added later stays out until it is added here.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import public_record
from workshop.domain.research.study import Study

SITTING_FIELDS = ("id", "kind", "intervention", "process", "date", "time", "attendance")
SOURCE_FIELDS = ("id", "sitting_id", "source_kind", "length")
CODING_FIELDS = ("id", "source_id", "start", "end", "code_name")
SESSION_COLLECTIONS = ("organizations", "models", "lanes", "nodes", "flows", "codes", "annotations", "boundaries",
                       "glossary", "mechanisms", "commitments", "agreements", "votes")
PERSON_KEYS = frozenset({"author_id", "raised_by", "participant_id", "owner_participant_id", "actor"})


def reader_study(study: Study) -> dict[str, Any]:
    """The study file as a reader sees it: sittings by kind, date and attendance counts; no names."""
    data = study.model_dump(mode="json")
    return {
        "id": data["id"],
        "title": data["title"],
        "sittings": [{k: s[k] for k in SITTING_FIELDS} | {"people": len(s["people"])} for s in data["sittings"]],
        "sources": [{k: s[k] for k in SOURCE_FIELDS} for s in data["sources"]],
        "codings": [{k: c[k] for k in CODING_FIELDS} for c in data["codings"]],
    }


def _without_people(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_people(v) for k, v in value.items() if k not in PERSON_KEYS}
    if isinstance(value, list):
        return [_without_people(v) for v in value]
    return value


def reader_session(record: SessionRecord) -> dict[str, Any]:
    """A sitting's state as a reader sees it: the model and contributions, people only as organization and role."""
    public = public_record(record)
    session = public.session.model_dump(mode="json")
    roles = {
        pid: {"organization_id": p.organization_id, "role": p.role}
        for pid, p in public.session.participants.items()
    }
    return {
        "title": session["title"],
        "created": session["created"],
        "participants": list(roles.values()),
        **{name: _without_people(session[name]) for name in SESSION_COLLECTIONS},
        "survey_cells": {
            round_id: [asdict(cell) for cell in cells]
            for round_id, cells in (public.survey_cells or {}).items()
        },
    }
