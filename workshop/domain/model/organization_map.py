"""Mapping a model's organizations onto the workshop's: rename, merge, keep.

A BPMN file from one of the organizations has its own pools ("EO",
"Employment Office (IT)") while the facilitator has typed the organizations
who are coming ("Employment office"). Importing both side by side gave the
room two lanes for one organization, one of them empty. The facilitator
decides, per organization of the file, which workshop organization it is;
this module proposes that match by name and turns the decision into one
operation: an organization mapped onto another is merged into it (every
element referring to it — lanes, owners, participants, glossary meanings —
now refers to the other), and one mapped onto a new name is renamed, keeping
its colour and lanes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from workshop.domain.model.entity import Entity
from workshop.domain.model.operations import Operation, batch, remove, update
from workshop.domain.model.session import Session, SessionState

SIMILAR = 0.8
"""How alike two names must be (difflib's ratio of their comparison keys) to be proposed as one organization."""


def name_key(name: str) -> str:
    """A name as compared: case, spacing and punctuation ignored ("Employment-Office" is "employment office")."""
    return " ".join(re.sub(r"[\W_]+", " ", name).split()).casefold()


def _alike(left: str, right: str) -> bool:
    a, b = name_key(left), name_key(right)
    if not a or not b:
        return False
    if a == b:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    if words_a <= words_b or words_b <= words_a:  # "Employment office" and "Employment office (EO)"
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR


def propose_map(names: Mapping[str, str], typed: Sequence[str]) -> dict[str, str]:
    """For each organization (id -> its name in the file), the typed name it most likely is, else its own name.

    Exact matches (by :func:`name_key`) are taken first, then the closest alike name; a typed name is
    proposed for several of the file's organizations only when each is alike to it (two pools of one
    organization are then merged, which the facilitator can undo in the dialog).
    """
    typed = [" ".join(t.split()) for t in typed if t.strip()]
    proposal: dict[str, str] = {}
    for org_id, name in names.items():
        exact = next((t for t in typed if name_key(t) == name_key(name)), None)
        if exact is not None:
            proposal[org_id] = exact
            continue
        alike = [t for t in typed if _alike(name, t)]
        if alike:
            proposal[org_id] = max(
                alike, key=lambda t: difflib.SequenceMatcher(None, name_key(name), name_key(t)).ratio()
            )
        else:
            proposal[org_id] = name
    return proposal


def _retarget(entity: Entity, source: str, target: str) -> dict[str, Any]:
    """The changes that make ``entity`` refer to organization ``target`` wherever it referred to ``source``."""
    changes: dict[str, Any] = {}
    for field, ref_kind in entity.refs.items():
        if ref_kind != "organization":
            continue
        value = getattr(entity, field)
        if isinstance(value, list):
            if source in value:
                merged = [target if v == source else v for v in value]
                changes[field] = list(dict.fromkeys(merged))
        elif value == source:
            changes[field] = target
    meanings = getattr(entity, "meanings", None)
    if isinstance(meanings, dict) and source in meanings:
        merged_meanings = {k: v for k, v in meanings.items() if k != source}
        merged_meanings.setdefault(target, meanings[source])
        changes["meanings"] = merged_meanings
    return changes


def map_organizations_op(session: Session, mapping: Mapping[str, str], *, label: str = "") -> Operation | None:
    """One operation that makes each organization in ``mapping`` (id -> name) the organization of that name.

    A name already held by another organization (compared by :func:`name_key`) merges this one into it;
    several mapped to one new name become one organization (the first keeps its id and colour) under that
    name; an organization mapped to its own name is left alone. None when nothing changes.
    """
    state = SessionState(session)
    organizations = session.organizations
    mapping = {org_id: " ".join(name.split()) for org_id, name in mapping.items() if org_id in organizations}
    holder_of: dict[str, str] = {}
    """name key -> the organization that will carry that name."""
    for org in organizations.values():
        if org.id not in mapping:
            holder_of.setdefault(name_key(org.name), org.id)
    for org_id, name in mapping.items():
        if name:
            holder_of.setdefault(name_key(name), org_id)
    ops: list[Operation] = []
    merged: list[str] = []
    pending: dict[tuple[str, str], dict[str, Any]] = {}
    for org_id, name in mapping.items():
        if not name:
            continue
        target = holder_of[name_key(name)]
        if target == org_id:
            if organizations[org_id].name != name:
                ops.append(update("organization", org_id, name=name))
            continue
        for kind, holder_id in sorted(state.referrers("organization", org_id)):
            entity = state.get(kind, holder_id)
            assert entity is not None
            current = entity.model_copy(update=pending.get((kind, holder_id), {}))
            changes = _retarget(current, org_id, target)
            if changes:
                pending.setdefault((kind, holder_id), {}).update(changes)
        merged.append(org_id)
    ops.extend(update(kind, holder_id, **changes) for (kind, holder_id), changes in pending.items())
    ops.extend(remove("organization", org_id) for org_id in merged)
    if not ops:
        return None
    return batch(label or "Map the model's organizations", ops)
