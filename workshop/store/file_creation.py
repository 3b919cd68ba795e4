"""Making a new session file: its tables, metadata and starting state, in one transaction.

All or nothing: a failure removes what SQLite had made, so no half-made file
keeps a name the next attempt needs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workshop.store.file_format import APPLICATION_ID, BUSY_TIMEOUT_S, SCHEMA, SCHEMA_VERSION
from workshop.store.store_errors import sqlite_failure


def new_database(path: Path, meta: dict[str, str], genesis: bytes, genesis_hash: str) -> sqlite3.Connection:
    """A new session database at ``path`` (WAL, synchronous=FULL) with its metadata and stored starting state."""
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as error:
        raise sqlite_failure(path, "no session was created", error) from None
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN")
        for statement in filter(str.strip, SCHEMA.split(";")):
            db.execute(statement)
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.execute("INSERT INTO snapshots VALUES (0, ?, ?)", (genesis, genesis_hash))
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("COMMIT")
    except sqlite3.Error as error:
        db.close()
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise sqlite_failure(path, "no session was created", error) from None
    return db
