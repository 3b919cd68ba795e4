"""What a shared study's *reader* role may see: the de-identified record, with no person named at all.

Stricter than the outputs' rule (:mod:`workshop.domain.research.privacy`),
which may name a participant behind a contribution made in an open step: a
reader (a student, a reviewer, the organizations' staff) gets no names
whatsoever — participants only as their organization and role; no actors,
no interviewees, no transcript text; contributions with no person and,
for an organization smaller than the anonymity threshold, no organization
either, whatever step they were made in; survey answers never, only the
aggregated cells with small cells withheld. Built from allow-lists, so a
field added later stays out until it is added here.

It works on the state as plain data (what a snapshot stores), so a large
sitting's reader record costs a JSON parse, not a replay of its log.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from workshop.domain.model.session import Session
from workshop.domain.research.privacy import PERSON_FIELDS, THRESHOLD
from workshop.domain.research.study import Study
from workshop.domain.research.survey import score_round

SITTING_FIELDS = ("id", "kind", "intervention", "process", "date", "time", "attendance")
SOURCE_FIELDS = ("id", "sitting_id", "source_kind", "length")
CODING_FIELDS = ("id", "source_id", "start", "end", "code_name")
MODEL_COLLECTIONS = ("organizations", "models", "lanes", "nodes", "flows", "codes", "glossary", "mechanisms",
                     "commitments")
CONTRIBUTION_COLLECTIONS = ("annotations", "boundaries", "votes", "agreements", "claims")
PERSON_KEYS = PERSON_FIELDS | {"owner_participant_id", "actor"}


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


def reader_session(state: dict[str, Any], threshold: int = THRESHOLD) -> dict[str, Any]:
    """A sitting's state (plain data) as a reader sees it: the model and the contributions, no person named."""
    participants = state.get("participants", {})
    sizes: dict[str, int] = {}
    for person in participants.values():
        sizes[person.get("organization_id", "")] = sizes.get(person.get("organization_id", ""), 0) + 1
    small = {org for org, n in sizes.items() if n < threshold}

    def element(data: dict[str, Any]) -> dict[str, Any]:
        kept = {k: v for k, v in data.items() if k not in PERSON_KEYS}
        if kept.get("organization_id") in small:
            kept.pop("organization_id")
        return kept

    record: dict[str, Any] = {
        "title": state.get("title", ""),
        "created": state.get("created", ""),
        "participants": [
            {"organization_id": p.get("organization_id", ""), "role": p.get("role", "")} for p in participants.values()
        ],
    }
    for name in MODEL_COLLECTIONS:
        record[name] = {key: {k: v for k, v in value.items() if k not in PERSON_KEYS}
                        for key, value in state.get(name, {}).items()}
    for name in CONTRIBUTION_COLLECTIONS:
        record[name] = {key: element(value) for key, value in state.get(name, {}).items()}
    rounds = state.get("survey_rounds", {})
    if rounds:  # rare and small: the survey's own scoring needs the whole model
        session = Session.model_validate(state)
        record["survey_cells"] = {
            rid: [asdict(cell) for cell in score_round(session, rid, threshold=threshold)] for rid in rounds
        }
    return record
