"""Load YAML files into pydantic models with errors that name the file, the line and the field.

Facilitators and researchers write these files by hand (facilitation
scripts, survey instruments); "invalid" is no help to them, so every error
points at ``file:line: field.path: what is wrong``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workshop.domain.model.source_file import UnreadableFile, read_regular_file

M = TypeVar("M", bound=BaseModel)

MAX_SOURCE_BYTES = 256_000
"""Largest script or instrument accepted: hand-written files are a few kilobytes, and parsing
this much already takes about half a second, so a larger file is refused unread."""

MAX_DEPTH = 40
"""Deepest nesting accepted; scripts nest four levels, and deeper input would exhaust the parser's recursion."""

MAX_VALUES = 50_000
"""Most values a document may hold, counting each use of an alias (``*ref``) in full: against 'billion laughs'."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""Control characters (NUL, BEL, ESC, ...) that no hand-written text contains; tab and line ends are fine."""

_DASHES = re.compile(r"(?:-\s+)*")

_STRUCTURE = re.compile(r"[\[\]{}\"'\n]")

_KEY = re.compile(r"^\s*(?:-\s+)*([^\s:#][^:#]*?)\s*:")


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


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _where(text: str, index: int) -> str:
    """``line: field`` for a position: the key written on that line, if any."""
    line = _line_at(text, index)
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    match = _KEY.match(text[start : end if end >= 0 else len(text)])
    key = _CONTROL.sub("?", match.group(1)) if match else ""
    return f"{line}: {key}" if key else f"{line}"


def _check_text(text: str, source: str) -> None:
    """Refuse what no hand-written file holds before the parser sees it: control characters, deep nesting."""
    control = _CONTROL.search(text)
    if control:
        code = ord(control.group())
        raise SourceError(f"{source}:{_where(text, control.start())}: control character U+{code:04X} is not allowed")
    depth = 0
    quote = ""
    line_start = 0
    for match in _STRUCTURE.finditer(text):
        char, index = match.group(), match.start()
        if char == "\n":
            line_start = index + 1
            quote = ""  # a stray quote must not hide nesting on the following lines
            continue
        if quote:
            if char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
            continue
        depth = depth + 1 if char in "[{" else max(0, depth - 1)
        indent_levels = (index - line_start) // 2
        if depth > MAX_DEPTH or (char in "[{" and depth + indent_levels > 2 * MAX_DEPTH):
            raise SourceError(f"{source}:{_where(text, index)}: nested more than {MAX_DEPTH} levels deep")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        dashes = _DASHES.match(stripped)  # "- - - x" nests a sequence per dash
        levels = (len(line) - len(stripped)) // 2 + (len(dashes.group()) // 2 if dashes else 0)
        if levels > MAX_DEPTH:
            raise SourceError(f"{source}:{number}: nested more than {MAX_DEPTH} levels deep")


def _expanded_size(node: yaml.Node) -> int:
    """How many values the document holds once aliases are expanded (linear time: sizes are memoized)."""
    sizes: dict[int, int] = {}

    def size(current: yaml.Node) -> int:
        known = sizes.get(id(current))
        if known is not None:
            return known
        total = 1
        if isinstance(current, yaml.SequenceNode):
            total += sum(size(item) for item in current.value)
        elif isinstance(current, yaml.MappingNode):
            total += sum(size(key) + size(value) for key, value in current.value)
        sizes[id(current)] = min(total, MAX_VALUES + 1)
        return sizes[id(current)]

    return size(node)


def _compose(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if _expanded_size(node) > MAX_VALUES:
            raise SourceError(f"{source}: holds more than {MAX_VALUES:,} values (counting each alias in full)")
        return node, loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark else 0
        raise SourceError(f"{source}:{line}: YAML syntax: {error.problem}") from None
    except yaml.reader.ReaderError as error:
        raise SourceError(f"{source}:{_line_at(text, error.position)}: {error.reason}") from None
    except yaml.YAMLError as error:
        raise SourceError(f"{source}: YAML syntax: {error}") from None
    except RecursionError:
        raise SourceError(f"{source}: nested too deeply") from None
    finally:
        loader.dispose()


def parse_yaml_model(text: str, model: type[M], *, source: str) -> M:
    """Parse YAML ``text`` into ``model``; ``source`` names the file in errors.

    Oversized, deeply nested or control-character input is refused before
    parsing, so a hostile or corrupted file costs milliseconds, not a hang
    or a RecursionError.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_SOURCE_BYTES:
        raise SourceError(f"{source}: too large ({size:,} bytes; at most {MAX_SOURCE_BYTES:,})")
    _check_text(text, source)
    node, data = _compose(text, source)
    if node is None:
        raise SourceError(f"{source}:1: the file is empty")
    try:
        return model.model_validate(data)
    except RecursionError:
        raise SourceError(f"{source}: nested too deeply") from None
    except ValidationError as error:
        problems = [
            f"{source}:{_line_of(node, tuple(p['loc']))}: {_field_path(tuple(p['loc']))}: {p['msg']}"
            for p in error.errors()
        ]
        raise SourceError("\n".join(problems)) from None


def load_yaml_model(path: Path, model: type[M]) -> M:
    """Read and parse a YAML file into ``model`` (see :func:`parse_yaml_model`)."""
    try:
        raw = read_regular_file(path, limit=MAX_SOURCE_BYTES)
    except UnreadableFile as error:
        raise SourceError(str(error)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise SourceError(f"{path}:{line}: not valid UTF-8 (byte {error.start + 1} of the file)") from None
    return parse_yaml_model(text, model, source=str(path))
