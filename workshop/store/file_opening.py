"""Opening a session file without changing it: the header, SQLite's read-only open, the format checks.

A file is checked read-only before anything is written to it, so a corrupt, truncated, foreign or newer file
is refused without being modified; the writer's connection is made only once the file passed.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workshop import __version__
from workshop.domain.model.source_file import UnreadableFile, check_regular_file
from workshop.store.file_format import APPLICATION_ID, BUSY_TIMEOUT_S, MIGRATIONS, SCHEMA_VERSION, SQLITE_HEADER
from workshop.store.store_errors import StoreError, is_locked, locked_error, sqlite_failure, sqlite_message
from workshop.store.wal_files import close_connection, private_copy, wal_size


def check_header(path: Path) -> None:
    try:
        check_regular_file(path)  # a FIFO or device named x.workshop must not block the open below
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except UnreadableFile as error:
        raise StoreError(str(error)) from None
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {error.strerror}") from None
    if header != SQLITE_HEADER:
        what = "empty" if not header else "not an SQLite database"
        raise StoreError(f"{path} is not a Process Workshop session file ({what})")


def connect_ro_uri(path: Path) -> sqlite3.Connection:
    """SQLite's read-only open (a separate function so tests can play a folder SQLite may not write)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large state is built.

    Building 60,000 elements triggers collections that scan the whole heap
    again and again (a third of the time to load a 33,000-node snapshot);
    the objects built are kept, so there is nothing for it to find.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def writable(path: Path) -> bool:
    """WAL mode needs to write the file and create its -wal/-shm files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to ``path``; close it with :func:`_close`.

    Without write access to the folder SQLite cannot create the WAL index
    (``-shm``) that reading a WAL needs. If the WAL holds content, reading
    the main file alone (``immutable``) would show a stale session, so a
    private copy of the file and its WAL is read instead.
    """
    try:
        db = connect_ro_uri(path)
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1")
        return db
    except sqlite3.Error as error:
        if is_locked(error):
            raise locked_error(path) from None
    if wal_size(path) > 0:
        return private_copy(path)
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None)


SALVAGE_ADVICE = "'workshop verify' names the damage and 'workshop salvage FILE -o NEW.workshop' rescues the rest"
"""What to do about a damaged file, said wherever one is refused."""

WAL_LEFT_BEHIND = (
    "is an empty SQLite database, not yet a session: if it is a copy of one, the session was still in the "
    "'-wal' file beside the original and was not copied with it; copy that '-wal' file too (or open the "
    "original), or close the session in the app first so that the file alone holds it"
)
"""A session's file copied alone while its changes were still in the WAL (before a checkpoint) looks like this."""


def structure_problem(db: sqlite3.Connection, version: int) -> str:
    """What is missing from a session file's structure (tables, starting state, metadata); empty if nothing.

    Opening refuses such a file, and ``workshop verify`` reports the same problems, so the two never disagree
    about whether a file is whole.
    """
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = {"meta", "ops", "snapshots"} - tables
    if missing:
        return f"table(s) {', '.join(sorted(missing))} missing"
    if db.execute("SELECT COUNT(*) FROM snapshots WHERE seq = 0").fetchone()[0] != 1:
        return "its starting state (snapshot 0) is missing"
    columns = {row[1] for row in db.execute("PRAGMA table_info(ops)")}
    if ("hash" in columns) != (version >= 2):
        return f"its format ({version}) does not match its tables"
    if not db.execute("SELECT 1 FROM meta WHERE key = 'session_id'").fetchone():
        return "its metadata (the session id) is missing"
    return ""


def inspect_file(path: Path) -> int:
    """Validate the file without writing to it; returns its format version."""
    try:
        db = connect_read_only(path)
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot open: {sqlite_message(error)}") from None
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            if app_id == 0 and version == 0 and not db.execute("SELECT 1 FROM sqlite_master").fetchone():
                raise StoreError(f"{path} {WAL_LEFT_BEHIND}")
            raise StoreError(f"{path} is an SQLite database, but not a Process Workshop session file")
        if version < 1:
            raise StoreError(f"{path} is an SQLite database marked as a session, but with no file format (0)")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer Process Workshop (file format {version}); "
                f"this version ({__version__}) reads formats up to {SCHEMA_VERSION}. Update the app to open it."
            )
        problems = [row[0] for row in db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise StoreError(f"{path} is damaged ({problems[0]}); it was not changed; {SALVAGE_ADVICE}")
        problem = structure_problem(db, version)
        if problem:
            raise StoreError(f"{path} is damaged: {problem}; it was not changed; {SALVAGE_ADVICE}")
        return int(version)
    except sqlite3.DatabaseError as error:
        if is_locked(error):
            raise locked_error(path) from None
        raise StoreError(
            f"{path} is damaged or not a session file ({sqlite_message(error)}); it was not changed; {SALVAGE_ADVICE}"
        ) from None
    finally:
        close_connection(db)


def connect_writer(path: Path) -> sqlite3.Connection:
    """The connection that writes (WAL, synchronous=FULL: a commit survives a power cut)."""
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as error:
        raise sqlite_failure(path, "nothing was changed", error) from None
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error as error:
        db.close()
        if is_locked(error):
            raise locked_error(path) from None
        raise sqlite_failure(path, "nothing was changed", error) from None
    return db


def migrate(db: sqlite3.Connection, path: Path, version: int) -> None:
    """Upgrade an older file to the current format in one transaction: all of it, or the file as it was."""
    try:
        db.execute("BEGIN IMMEDIATE")
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise StoreError(f"{path}: no migration from file format {version}")
            step(db)
            version += 1
        db.execute(f"PRAGMA user_version={version}")
        db.execute("COMMIT")
    except (sqlite3.Error, StoreError) as error:
        if db.in_transaction:  # SQLite may have undone it itself (a full disk)
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        db.close()
        if isinstance(error, sqlite3.Error):
            raise sqlite_failure(
                path, "upgrading it to this version's format failed and it was not changed", error
            ) from None
        raise StoreError(f"{path}: upgrading the file failed ({error}); it was not changed") from None
