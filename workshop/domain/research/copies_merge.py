"""The one rule by which two copies of a study become one: a sync with the shared study, or ``study merge``.

Two laptops work on copies of one study offline and meet again later. What
the study file holds (sittings, attached texts, codings and whatever other
lists of items it keeps) is merged item by item, by id:

* **What was there first keeps its number and its value.** The *keeper* is
  the copy already shared: the server in a sync, the folder merged *into* in
  ``study merge``. The *arriving* copy brings what it added.
* An item only one side has is kept (nothing is ever dropped).
* An item both sides have is merged field by field against the *base*, the
  version both last agreed on: a field only one side changed takes that
  change; a field both changed differently keeps the keeper's value, and
  the arriving value is reported as a :class:`Conflict` (never dropped
  silently). Without a base (two folders that never synced), every field
  that differs is such a conflict.
* Two different sittings numbered alike (both laptops added ``s32``
  offline) are told apart by when and by whom each was created: the
  arriving one is renumbered to the next free number, and every reference
  to it (texts, provenance, any field naming a sitting) follows.

Sittings' own operation logs are not merged here: a sitting has one writer,
and its log is replicated as it is (:mod:`workshop.store.study_sync`).
This module is pure: no files, no network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from workshop.domain.research.study import Study

LOCAL_FIELDS = frozenset({"head"})
"""Fields that describe one copy, not the study: a sitting's recorded head is each copy's own bookkeeping."""


@dataclass(frozen=True)
class Conflict:
    """One field both copies changed differently: the value kept, and the one set aside."""

    item: str
    """How the user knows the item: ``sitting s05``, ``text interview-anna.txt``."""
    field: str
    kept: str
    set_aside: str

    def describe(self) -> str:
        return f"{self.item}: {self.field} changed in both copies; kept {self.kept}, set aside {self.set_aside}"


@dataclass
class MergeResult:
    """The merged study and what the user should be told about it."""

    study: Study
    renumbered: dict[str, str] = field(default_factory=dict)
    """Arriving sitting id -> the id it has in the merged study."""
    known_as: dict[str, str] = field(default_factory=dict)
    """The part of ``renumbered`` an earlier merge already did (nothing to tell the user)."""
    moved_files: dict[str, str] = field(default_factory=dict)
    """A renumbered sitting's file name in the arriving copy -> its name in the merged study."""
    conflicts: list[Conflict] = field(default_factory=list)
    arrived: dict[str, int] = field(default_factory=dict)
    """List name -> items the arriving copy added."""

    def describe(self) -> list[str]:
        lines = [f"sitting {old} is now {new}: the other copy already had a sitting {old}"
                 for old, new in self.renumbered.items() if old not in self.known_as]
        return lines + [conflict.describe() for conflict in self.conflicts]


KEY_FIELDS = ("id", "name")
"""What identifies an item of a study's list: its id, or for items without one (organizations) its name."""


def item_lists(study: Study) -> dict[str, str]:
    """The study's lists of items (sittings, texts, codings, the roster, ...) by field name, with their key field.

    Read from the model's field types, not from the values, so an empty list is known for what it holds.
    """
    lists: dict[str, str] = {}
    for name, info in type(study).model_fields.items():
        if get_origin(info.annotation) is not list:
            continue
        (item_type,) = get_args(info.annotation)
        if isinstance(item_type, type) and issubclass(item_type, BaseModel):
            key = next((k for k in KEY_FIELDS if k in item_type.model_fields), None)
            if key is not None:
                lists[name] = key
    return lists


def item_key(item: dict[str, Any], key_field: str) -> str:
    """An item's key as data: a name compares without case and spacing (one organization, however typed)."""
    value = str(item.get(key_field, ""))
    return " ".join(value.casefold().split()) if key_field == "name" else value


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _item_name(list_name: str, item: dict[str, Any]) -> str:
    singular = {"sittings": "sitting", "sources": "text", "codings": "coding"}.get(list_name, list_name.rstrip("s"))
    shown = item.get("name") or item.get("original_name") or item.get("id")
    if list_name == "codings":
        shown = f"{item.get('code_name', '')} at {item.get('start')}-{item.get('end')}"
    return f"{singular} {shown}"


def same_sitting(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two sittings with one id are the same sitting: created at the same moment by the same person."""
    return bool(one.get("created") == other.get("created") and one.get("created_by") == other.get("created_by"))


def _free_sitting_id(taken: set[str]) -> str:
    n = len(taken) + 1
    while f"s{n:02d}" in taken:
        n += 1
    return f"s{n:02d}"


def _follow_renumbering(value: Any, key: str, renumbered: dict[str, str]) -> Any:
    """``value`` with every sitting id in a field about sittings replaced by its new number."""
    if isinstance(value, dict):
        return {k: _follow_renumbering(v, k, renumbered) for k, v in value.items()}
    if isinstance(value, list):
        return [_follow_renumbering(v, key, renumbered) for v in value]
    if isinstance(value, str) and "sitting" in key and value in renumbered:
        return renumbered[value]
    return value


def follow_renumbering(data: dict[str, Any], renumbered: dict[str, str]) -> dict[str, Any]:
    """A study's data with renumbered sittings' ids followed wherever a field names a sitting."""
    followed = {
        key: (_follow_renumbering(value, "sitting", renumbered) if key == "sittings"
              else _follow_renumbering(value, key, renumbered))
        for key, value in data.items()
    }
    for sitting in followed.get("sittings", []):
        sitting["id"] = renumbered.get(sitting["id"], sitting["id"])
    return followed


def _merge_fields(
    name: str, base: dict[str, Any] | None, keeper: dict[str, Any], arriving: dict[str, Any]
) -> tuple[dict[str, Any], list[Conflict]]:
    merged = dict(keeper)
    conflicts = []
    for key in sorted(set(keeper) | set(arriving)):
        if key in LOCAL_FIELDS:
            continue
        ours, theirs = keeper.get(key), arriving.get(key)
        if ours == theirs:
            continue
        was = base.get(key) if base is not None else None
        if base is not None and ours == was:
            merged[key] = theirs  # only the arriving copy changed it
        elif base is not None and theirs == was:
            continue  # only the keeper changed it
        else:
            conflicts.append(Conflict(name, key, _shown(ours), _shown(theirs)))
    return merged, conflicts


def merge_studies(base: Study | None, keeper: Study, arriving: Study) -> MergeResult:
    """One study from ``keeper`` and ``arriving`` (see the module's rule); ``base`` is their last agreed version."""
    keeper_data = keeper.model_dump(mode="json")
    arriving_data = arriving.model_dump(mode="json")
    base_data = base.model_dump(mode="json") if base is not None else {}
    result = MergeResult(keeper)

    # sittings numbered alike but not the same: the arriving one takes the next free number
    kept_sittings = {s["id"]: s for s in keeper_data.get("sittings", [])}
    taken = set(kept_sittings) | {s["id"] for s in arriving_data.get("sittings", [])}
    for sitting in arriving_data.get("sittings", []):
        other = kept_sittings.get(sitting["id"])
        known = [kept for kept in kept_sittings.values() if same_sitting(kept, sitting)]
        if known and known[0]["id"] != sitting["id"]:  # renumbered in an earlier merge: it keeps that number
            result.renumbered[sitting["id"]] = known[0]["id"]
            result.known_as[sitting["id"]] = known[0]["id"]
        elif other is not None and not same_sitting(other, sitting):
            new = _free_sitting_id(taken)
            taken.add(new)
            result.renumbered[sitting["id"]] = new
    if result.renumbered:
        originals = [s["id"] for s in arriving_data.get("sittings", [])]
        arriving_data = follow_renumbering(arriving_data, result.renumbered)
        files = {s["file"] for s in keeper_data.get("sittings", [])}
        for old, sitting in zip(originals, arriving_data["sittings"], strict=True):
            if old in result.known_as:
                moved = kept_sittings[sitting["id"]]["file"]
                if moved != sitting["file"]:
                    result.moved_files[sitting["file"]] = moved
                    sitting["file"] = moved
            elif old in result.renumbered:
                moved = _renamed_file(sitting["file"], old, sitting["id"], files)
                if moved != sitting["file"]:
                    result.moved_files[sitting["file"]] = moved
                    sitting["file"] = moved

    lists = item_lists(keeper)
    fixed = {"id", "created", "created_by", "version", "format"}

    def scalars(data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k not in lists and k not in fixed}

    merged_data = dict(keeper_data)
    merged_scalars, conflicts = _merge_fields(
        "the study", scalars(base_data) if base is not None else None, scalars(keeper_data), scalars(arriving_data)
    )
    merged_data.update(merged_scalars)
    result.conflicts.extend(conflicts)

    for list_name, key_field in lists.items():
        kept_items = keeper_data.get(list_name, [])
        base_items = {item_key(item, key_field): item for item in base_data.get(list_name, [])}
        arriving_items = {item_key(item, key_field): item for item in arriving_data.get(list_name, [])}
        merged_items = []
        for item in kept_items:
            key = item_key(item, key_field)
            incoming = arriving_items.pop(key, None)
            if incoming is None:
                merged_items.append(item)
                continue
            merged, conflicts = _merge_fields(_item_name(list_name, item), base_items.get(key), item, incoming)
            merged_items.append(merged)
            result.conflicts.extend(conflicts)
        for item in arriving_data.get(list_name, []):
            if item_key(item, key_field) in arriving_items:  # the arriving copy's own additions, in its order
                merged_items.append(item)
                result.arrived[list_name] = result.arrived.get(list_name, 0) + 1
        merged_data[list_name] = merged_items
    result.study = Study.model_validate(merged_data)
    return result


def _renamed_file(file: str, old_id: str, new_id: str, taken: set[str]) -> str:
    """The file name a renumbered sitting's file takes: its number in the name follows; never a taken name."""
    if file.startswith(f"{old_id}-") or file == f"{old_id}.workshop":
        file = new_id + file.removeprefix(old_id)
    stem, n = file.removesuffix(".workshop"), 2
    while file in taken:
        file, n = f"{stem}-{n}.workshop", n + 1
    return file
