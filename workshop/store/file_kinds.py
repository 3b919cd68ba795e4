"""One rule for what a file is, by its name: every command and the app read a file as what its suffix says.

``.bpmn``, ``.bpmn2`` and ``.xml`` are BPMN 2.0 from a modeling tool, ``.json``
an example model, anything else a ``.workshop`` session. A command that needs
one kind refuses the others in one sentence that says which files it reads
(``workshop import session.workshop`` used to import a BPMN file named so,
while ``workshop info`` read the same name as a session and refused it).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class FileKind(StrEnum):
    BPMN = "bpmn"
    EXAMPLE = "example"
    SESSION = "session"


BPMN_SUFFIXES = (".bpmn", ".bpmn2", ".xml")
EXAMPLE_SUFFIXES = (".json",)

DESCRIBED = {
    FileKind.BPMN: "a BPMN file (.bpmn, .bpmn2, .xml)",
    FileKind.EXAMPLE: "an example model (.json)",
    FileKind.SESSION: "a session (.workshop)",
}


class WrongFileKind(ValueError):
    """A file of a kind the command does not read; the message names the file and what the command reads."""


def file_kind(path: Path) -> FileKind:
    """What ``path`` is, by its suffix (case ignored)."""
    suffix = path.suffix.lower()
    if suffix in BPMN_SUFFIXES:
        return FileKind.BPMN
    if suffix in EXAMPLE_SUFFIXES:
        return FileKind.EXAMPLE
    return FileKind.SESSION


def expect(path: Path, command: str, *kinds: FileKind) -> FileKind:
    """``path``'s kind if ``command`` reads it, else :class:`WrongFileKind` saying what it is and what is read."""
    kind = file_kind(path)
    if kind in kinds:
        return kind
    wanted = " or ".join(DESCRIBED[k] for k in kinds)
    raise WrongFileKind(f"{path}: {command} reads {wanted}; by its name this is {DESCRIBED[kind]}")
