"""The WAL beside a session file: reading it without writing, and refusing one that is not the session's.

SQLite replays whatever ``NAME-wal`` lies beside a database; these functions check a WAL belongs before
SQLite may see it, and read a file with its WAL through a private copy where SQLite cannot build its index.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from workshop.store.file_format import APPLICATION_ID
from workshop.store.store_errors import StoreError, sqlite_message

LoadProblem = Callable[[sqlite3.Connection, Path], str]
"""Why the session in a connection cannot be loaded (empty if it loads); supplied by the file class."""


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def wal_size(path: Path) -> int:
    try:
        return os.stat(wal_path(path)).st_size
    except OSError:
        return 0


_PRIVATE_COPIES: dict[int, tempfile.TemporaryDirectory[str]] = {}
"""Temporary folders holding private copies, by the id of the connection reading them (see _close)."""


def private_copy(path: Path) -> sqlite3.Connection:
    """Read ``path`` with its WAL through a copy of both in a private folder, where SQLite may build its index.

    The WAL is copied before the file: should a checkpoint run in between,
    the copied frames are pages the copied file already holds.
    """
    folder = tempfile.TemporaryDirectory(prefix="workshop-read-")
    copy = Path(folder.name) / "session.workshop"
    try:
        shutil.copyfile(wal_path(path), wal_path(copy))
        shutil.copyfile(path, copy)
        db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        folder.cleanup()
        raise StoreError(f"{path}: cannot read it with its WAL: {error}") from None
    _PRIVATE_COPIES[id(db)] = folder
    return db


def close_connection(db: sqlite3.Connection) -> None:
    """Close a connection and remove the private copy it may have read."""
    db.close()
    folder = _PRIVATE_COPIES.pop(id(db), None)
    if folder is not None:
        folder.cleanup()


_WAL_MAGIC = (0x377F0682, 0x377F0683)


def _wal_checksum(data: bytes, big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum over ``data`` (a multiple of 8 bytes)."""
    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    s0 = s1 = 0
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _wal_header_problem(path: Path) -> str:
    """Why the WAL beside ``path`` cannot belong to it by its header alone; empty if it may."""
    try:
        with wal_path(path).open("rb") as handle:
            header = handle.read(32)
        with path.open("rb") as handle:
            db_header = handle.read(100)
    except OSError as error:
        return f"it cannot be read ({error.strerror})"
    if len(header) < 32 or len(db_header) < 100:
        return "it is too short to be a WAL"
    magic, version, page_size, _checkpoint, _salt1, _salt2, check1, check2 = struct.unpack(">8I", header)
    if magic not in _WAL_MAGIC or version != 3007000:
        return "it is not an SQLite WAL"
    if _wal_checksum(header[:24], big_endian=magic & 1 == 1) != (check1, check2):
        return "its header checksum is wrong"
    db_page_size = struct.unpack(">H", db_header[16:18])[0]
    if page_size != (65536 if db_page_size == 1 else db_page_size):
        return f"its page size ({page_size}) is not the database's"
    return ""


def _session_id(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'session_id'").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _foreign_wal_reason(path: Path, load_problem: LoadProblem) -> str:
    """Why the non-empty WAL beside ``path`` does not belong to it; empty if it does.

    SQLite replays whatever ``NAME-wal`` lies beside a database, even one
    left by another database, and a writer would then checkpoint those pages
    into this file. So the WAL is checked first: its header (magic, page
    size, checksum), then a private copy of file + WAL must be this session
    (application id, integrity, the same session id as the file alone).
    """
    problem = _wal_header_problem(path)
    if problem:
        return problem
    alone = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None)
    try:
        own_id = _session_id(alone)
        alone_problem = load_problem(alone, path)
    finally:
        alone.close()
    try:
        combined = private_copy(path)
    except StoreError as error:
        return str(error)
    try:
        if combined.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return "with it the file is not a Process Workshop session"
        if [row[0] for row in combined.execute("PRAGMA quick_check")] != ["ok"]:
            return "with it the file does not pass SQLite's integrity check"
        if own_id is not None and _session_id(combined) != own_id:
            return "it holds another session"
        combined_problem = load_problem(combined, path)
    except sqlite3.Error as error:
        return f"with it the file cannot be read ({sqlite_message(error)})"
    finally:
        close_connection(combined)
    if combined_problem and not alone_problem:
        return f"with it the log does not check out ({combined_problem})"
    return ""  # it checks out, or the file is damaged either way and opening will say so


def set_aside_foreign_wal(path: Path, load_problem: LoadProblem) -> str:
    """Rename a WAL that does not belong to ``path`` out of SQLite's way; returns a note for the user, or ''."""
    if wal_size(path) == 0:
        return ""
    reason = _foreign_wal_reason(path, load_problem)
    if not reason:
        return ""
    wal = wal_path(path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = wal.with_name(f"{wal.name}.foreign-{stamp}")
    try:
        wal.rename(aside)
        shm = path.with_name(path.name + "-shm")
        if shm.exists():
            shm.rename(shm.with_name(f"{shm.name}.foreign-{stamp}"))
    except OSError as error:
        raise StoreError(
            f"{path}: the WAL beside it ({wal.name}) does not belong to it ({reason}) and cannot be moved away "
            f"({error.strerror}); move it elsewhere to open the session"
        ) from None
    return f"a WAL file that did not belong to it ({reason}) was set aside as {aside.name}"
