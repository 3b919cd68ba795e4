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
