"""Load YAML files into pydantic models with errors that name the file, the line and the field.

Facilitators and researchers write these files by hand (facilitation
scripts, survey instruments); "invalid" is no help to them, so every error
points at ``file:line: field.path: what is wrong``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class SourceError(ValueError):
    """A hand-written file that cannot be used; the message names file, line and field."""


def _line_of(node: yaml.Node, loc: tuple[int | str, ...]) -> int:
    """The 1-based line of the deepest YAML node the error location reaches."""
    current = node
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            match = next((v for k, v in current.value if getattr(k, "value", None) == part), None)
            if match is None:
                break
            current = match
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and part < len(current.value):
            current = current.value[part]
        else:
            break
    return current.start_mark.line + 1


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(document)"


def parse_yaml_model(text: str, model: type[M], *, source: str) -> M:
    """Parse YAML ``text`` into ``model``; ``source`` names the file in errors."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark else 0
        raise SourceError(f"{source}:{line}: YAML syntax: {error.problem}") from None
    if node is None:
        raise SourceError(f"{source}:1: the file is empty")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{source}:{_line_of(node, tuple(p['loc']))}: {_field_path(tuple(p['loc']))}: {p['msg']}"
            for p in error.errors()
        ]
        raise SourceError("\n".join(problems)) from None


def load_yaml_model(path: Path, model: type[M]) -> M:
    """Read and parse a YAML file into ``model`` (see :func:`parse_yaml_model`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read: {error}") from None
    return parse_yaml_model(text, model, source=str(path))
