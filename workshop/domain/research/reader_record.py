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
from enum import Enum
from functools import cache
from typing import Any

from workshop.domain.model.entity import KINDS
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


ReaderRows = dict[tuple[str, str], dict[str, Any]]
"""(collection, element id) -> the element as a reader sees it."""

RECOMPUTE_ALL = frozenset({"participants", "survey_rounds", "survey_responses"})
"""Collections whose change can change what readers see of other elements (organization sizes, survey cells)."""


def small_organizations(state: dict[str, Any], threshold: int = THRESHOLD) -> set[str]:
    """Organizations with fewer participants than the threshold: not shown behind a contribution."""
    sizes: dict[str, int] = {}
    for person in state.get("participants", {}).values():
        organization = person.get("organization_id", "")
        sizes[organization] = sizes.get(organization, 0) + 1
    return {org for org, n in sizes.items() if n < threshold}


@cache
def _defaults(collection: str) -> dict[str, Any]:
    """Each field's default for the elements of ``collection``, as JSON data (a snapshot leaves these out)."""
    for cls in KINDS.values():
        if cls.collection == collection:
            values = {}
            for name, info in cls.model_fields.items():
                if info.default_factory is not None:
                    values[name] = info.default_factory()  # type: ignore[call-arg]
                elif not info.is_required():
                    values[name] = info.default.value if isinstance(info.default, Enum) else info.default
            return values
    return {}


def reader_element(collection: str, data: dict[str, Any], small: set[str] | frozenset[str]) -> dict[str, Any]:
    """One element as a reader sees it: no field naming a person; a small organization not behind a contribution.

    Fields at their default are left out, as in a snapshot, so an element reads the same however it was made.
    """
    defaults = _defaults(collection)
    kept = {k: v for k, v in data.items() if k not in PERSON_KEYS and (k not in defaults or defaults[k] != v)}
    if collection in CONTRIBUTION_COLLECTIONS and kept.get("organization_id") in small:
        kept.pop("organization_id")
    return kept


def reader_meta(state: dict[str, Any], threshold: int = THRESHOLD) -> dict[str, Any]:
    """What a reader sees of a sitting beyond its elements: title, people as organization and role, survey cells."""
    meta: dict[str, Any] = {
        "title": state.get("title", ""),
        "created": state.get("created", ""),
        "participants": [
            {"organization_id": p.get("organization_id", ""), "role": p.get("role", "")}
            for p in state.get("participants", {}).values()
        ],
        "small_organizations": sorted(small_organizations(state, threshold)),
    }
    rounds = state.get("survey_rounds", {})
    if rounds:  # rare and small: the survey's own scoring needs the whole model
        session = Session.model_validate(state)
        meta["survey_cells"] = {
            rid: [asdict(cell) for cell in score_round(session, rid, threshold=threshold)] for rid in rounds
        }
    return meta


def reader_rows(state: dict[str, Any], threshold: int = THRESHOLD) -> ReaderRows:
    """Every element of a sitting's state (plain data) a reader may see, as a reader sees it."""
    small = small_organizations(state, threshold)
    return {
        (name, key): reader_element(name, value, small)
        for name in (*MODEL_COLLECTIONS, *CONTRIBUTION_COLLECTIONS)
        for key, value in state.get(name, {}).items()
    }


def _primitives(op: dict[str, Any]) -> list[dict[str, Any]]:
    if op.get("op") == "batch":
        return [p for child in op.get("ops", []) for p in _primitives(child)]
    return [op]


def touched(ops: list[dict[str, Any]]) -> set[tuple[str, str]] | None:
    """The reader elements that logged operations (as JSON) change; None if readers' view must be made anew."""
    keys: set[tuple[str, str]] = set()
    for op in (p for o in ops for p in _primitives(o)):
        if op.get("op") == "set_session":
            if "title" in op.get("changes", {}):
                return None
            continue
        cls = KINDS.get(str(op.get("kind")))
        if cls is None:
            return None
        collection = cls.collection
        if collection in RECOMPUTE_ALL:
            return None
        if collection in MODEL_COLLECTIONS or collection in CONTRIBUTION_COLLECTIONS:
            key = op["data"]["id"] if op.get("op") == "add" else op.get("id")
            keys.add((collection, str(key)))
    return keys


def replay_on_rows(rows: ReaderRows, ops: list[dict[str, Any]], small: set[str] | frozenset[str]) -> ReaderRows:
    """``rows`` (the touched elements as readers saw them) after the logged operations ``ops``; removed ones absent.

    Works because a reader's element depends only on the element itself and the organizations' sizes, which
    :func:`touched` sends to a full rebuild when they may change.
    """
    rows = dict(rows)
    for op in (p for o in ops for p in _primitives(o)):
        cls = KINDS.get(str(op.get("kind")))
        if cls is None:
            continue
        collection = cls.collection
        if collection not in MODEL_COLLECTIONS and collection not in CONTRIBUTION_COLLECTIONS:
            continue
        if op.get("op") == "add":
            rows[(collection, str(op["data"]["id"]))] = reader_element(collection, op["data"], small)
        elif op.get("op") == "remove":
            rows.pop((collection, str(op["id"])), None)
        elif op.get("op") == "update" and (collection, str(op["id"])) in rows:
            key = (collection, str(op["id"]))
            rows[key] = reader_element(collection, {**rows[key], **op.get("changes", {})}, small)
    return rows
