"""Snapshots leave out fields at their default value, so every default is part of the file format.

A changed default would silently change what every stored snapshot means. This test pins the defaults of
each model a session holds; if it fails, either put the default back or add a migration for old files, then
regenerate the pinned list with ``python -m tests.store.test_snapshot_defaults``.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from workshop.domain.model.session import Session
from workshop.store.workshop_file import state_json

PINNED = Path(__file__).with_name("snapshot_defaults.json")


def _models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """Every model class reachable from ``root`` through its field annotations."""
    found: dict[str, type[BaseModel]] = {}
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            name = f"{item.__module__}.{item.__qualname__}"
            if name in found:
                continue
            found[name] = item
            stack.extend(field.annotation for field in item.model_fields.values())
        else:
            stack.extend(typing.get_args(item))
    return found


def current_defaults() -> dict[str, dict[str, str]]:
    """Each model's fields and their defaults, as text (a factory by its name)."""
    result: dict[str, dict[str, str]] = {}
    for name, model in sorted(_models(Session).items()):
        fields: dict[str, str] = {}
        for field_name, field in model.model_fields.items():
            if field.default_factory is not None:
                fields[field_name] = f"factory {getattr(field.default_factory, '__name__', field.default_factory)}"
            elif field.default is PydanticUndefined:
                fields[field_name] = "required"
            else:
                fields[field_name] = repr(field.default)
        result[name] = fields
    return result


def test_defaults_are_pinned() -> None:
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))
    assert current_defaults() == pinned, (
        "a field or its default changed: old snapshots leave defaults out, so add a migration, "
        "then run python -m tests.store.test_snapshot_defaults"
    )


def test_a_snapshot_leaves_defaults_out_and_reads_back_the_same() -> None:
    from workshop.domain.model.process import Node, ProcessModel
    from workshop.domain.model.session import new_session

    session = new_session("Defaults").model_copy(
        update={
            "models": {"m": ProcessModel(id="m", name="M")},
            "nodes": {"n": Node(id="n", model_id="m", label="Task", x=3.0)},
        }
    )
    data = state_json(session)
    assert b'"owner_role"' not in data  # at its default, so left out
    assert b'"x":3.0' in data
    assert Session.model_validate_json(data) == session


if __name__ == "__main__":
    PINNED.write_text(json.dumps(current_defaults(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {PINNED}")
