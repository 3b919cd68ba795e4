"""Strict JSON text: numbers that a session can store, or a message naming where they are not.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e400`` (which becomes
infinity) without complaint, and pydantic serializes those values as
``null``. A session that took one in would be written to its file as
something it cannot read back, so every JSON text entering the domain (an
operation from ``workshop apply`` or a participant, a session imported from
JSON) is read here and such numbers are refused with the line and the field.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["JsonTextError", "loads_strict"]


class JsonTextError(ValueError):
    """JSON text that cannot be taken in; ``line`` is 1-based within the text given, ``field`` the path."""

    def __init__(self, message: str, *, line: int, column: int = 0, field: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.field = field


class _NonFinite:
    """Stands in for a number the domain refuses, so the field holding it can be named."""

    def __init__(self, literal: str) -> None:
        self.literal = literal


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|-?(?:NaN|Infinity)|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?')


def _parse_float(literal: str) -> float | _NonFinite:
    value = float(literal)
    return value if math.isfinite(value) else _NonFinite(literal)


def _parse_int(literal: str) -> int | _NonFinite:
    if len(literal.lstrip("-")) > 300:  # finite, but more digits than any float or stored value can hold
        return _NonFinite(literal)
    return int(literal)


def _first_non_finite(value: Any, path: str = "") -> tuple[str, _NonFinite] | None:
    if isinstance(value, _NonFinite):
        return path or "(value)", value
    if isinstance(value, dict):
        for key, item in value.items():
            found = _first_non_finite(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_non_finite(item, f"{path}[{index}]")
            if found:
                return found
    return None


def _line_of_literal(text: str, literal: str) -> tuple[int, int]:
    """Line and column of the first ``literal`` outside a string (the one the parser refused)."""
    for match in _TOKENS.finditer(text):
        if match.group() == literal:
            start = match.start()
            line = text.count("\n", 0, start) + 1
            return line, start - (text.rfind("\n", 0, start) + 1) + 1
    return 1, 0


def loads_strict(text: str | bytes) -> Any:
    """``json.loads`` that refuses NaN, Infinity, numbers too large to be finite and invalid UTF-8.

    Raises :class:`JsonTextError` naming the line (and, for a number, the field).
    """
    if isinstance(text, bytes):
        raw = text
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            raise JsonTextError(f"not valid UTF-8 (byte {error.start + 1})", line=line) from None
    try:
        data = json.loads(text, parse_constant=_NonFinite, parse_float=_parse_float, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise JsonTextError(f"not valid JSON: {error.msg}", line=error.lineno, column=error.colno) from None
    except RecursionError:
        raise JsonTextError("not valid JSON: nested too deeply", line=1) from None
    found = _first_non_finite(data)
    if found is not None:
        field, bad = found
        line, column = _line_of_literal(text, bad.literal)
        shown = bad.literal if len(bad.literal) <= 24 else bad.literal[:20] + "..."
        raise JsonTextError(
            f"field {field!r}: {shown} is not a finite number (NaN, Infinity and out-of-range numbers are refused)",
            line=line,
            column=column,
            field=field,
        )
    return data
