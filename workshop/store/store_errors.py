"""StoreError and the one-sentence messages SQLite failures become.

Every failure of SQLite under a session file ends as a :class:`StoreError` whose message names the file,
says what happened in plain words (disk full, read-only, an I/O error, locked by another program) and what to
do; no caller ever shows a traceback.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A .workshop file that cannot be created, opened or written; the message says why and which file."""


def sqlite_message(error: sqlite3.Error) -> str:
    """SQLite's message without the undecodable text it may quote ("... with text '\\ufffd...'")."""
    return str(error).split(" with text ", 1)[0]


def is_locked(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def locked_error(path: Path) -> StoreError:
    return StoreError(
        f"{path} is locked by another program that is writing to it (database is locked); try again once it is closed"
    )


def _plain_words(error: sqlite3.Error) -> tuple[str, str]:
    """What went wrong in plain words, and what the user can do about it, from SQLite's result code."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == sqlite3.SQLITE_FULL:
        return "the disk is full", "free some space and try again"
    if primary == sqlite3.SQLITE_READONLY:
        return "the file or its folder is read-only", "copy it somewhere you may write, or change its permissions"
    if primary == sqlite3.SQLITE_IOERR:
        return "the disk reported an I/O error", "check that the drive is still attached and working, then try again"
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or (primary is None and is_locked(error)):
        return "another program is writing to it (database is locked)", "try again once it is closed"
    if primary == sqlite3.SQLITE_CANTOPEN:
        return "it cannot be opened", "check that the file and its folder exist and may be written"
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return (
            f"it is damaged ({sqlite_message(error)})",
            "'workshop verify' names the damage and 'workshop salvage' rescues what is intact",
        )
    return sqlite_message(error), "try again; if it happens again, run 'workshop verify' on the file"


def sqlite_failure(path: Path, outcome: str, error: sqlite3.Error) -> StoreError:
    """One sentence for a failed SQLite call on ``path``: what happened, ``outcome`` (what became of the
    change, e.g. "nothing was changed") and what to do.

    Every write path turns SQLite's exceptions into this, so a full disk, a read-only stick, a pulled drive or a
    second writer reads the same way whichever command met it, and never as a traceback.
    """
    what, todo = _plain_words(error)
    return StoreError(f"{path}: {what}; {outcome}; {todo}")
