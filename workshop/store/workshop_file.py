"""The .workshop file: SQLite used as an application file format.

One file holds the operation log (the source of truth and the research
record), snapshots of the whole state (so opening does not replay
everything) and metadata. Every appended record is committed before
``append`` returns, in WAL mode with ``synchronous=FULL``: an acknowledged
operation survives a killed process and a power cut.

A file is checked read-only before anything is written to it, so a corrupt,
truncated, foreign or newer file is refused without being modified.
"""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from workshop import __version__
from workshop.domain.document import LogRecord, replay
from workshop.domain.errors import OperationError
from workshop.domain.operations import OPERATION_ADAPTER, describe_validation_error
from workshop.domain.session import Session
from workshop.domain.source_file import UnreadableFile, check_regular_file
from workshop.store.chain import GENESIS_HASH, op_hash, pack_state, snapshot_hash, unpack_state
from workshop.store.lock import LockHeld, LockInfo, SessionLock

SCHEMA_VERSION = 2
"""The file format version written by this code (``PRAGMA user_version``).

1: the op log, snapshots as JSON text. 2: each op record and snapshot
carries a chained checksum (:mod:`workshop.store.chain`); snapshots are
compressed and pruned.
"""

APPLICATION_ID = 0x57534850
"""``PRAGMA application_id``: 'WSHP', marks the database as a Process Workshop file."""

SNAPSHOT_EVERY = 1000
"""Write a snapshot after this many operations, so opening replays at most that many."""

SNAPSHOT_ON_CLOSE = 50
"""Closing writes a snapshot only if at least this many operations came after the last one."""

SNAPSHOT_KEEP_EVERY = 10_000
"""Besides the starting state and the last two, keep one snapshot per this many operations.

Snapshots are a cache of the log (``workshop verify`` checks each equals
the replay up to it); keeping every one would make the file grow with the
model size times the number of operations.
"""

APP_NAME = "Process Workshop"
"""The program named in a session's write lock when the app has it open."""

BUSY_TIMEOUT_S = 2.0
"""How long to wait for another program's short SQLite lock before saying the file is in use."""

_SQLITE_HEADER = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE ops (
    seq INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    actor TEXT NOT NULL,
    intervention_id TEXT,
    step_id TEXT,
    op TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX ops_time ON ops(time);
CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, state BLOB NOT NULL, hash TEXT NOT NULL);
"""

_OP_COLUMNS = "seq, time, actor, intervention_id, step_id, op"

Migration = Callable[[sqlite3.Connection], None]


def state_json(session: Session) -> bytes:
    """The JSON a snapshot stores: fields at their default value are left out.

    Most fields of most elements hold their default, so this keeps a snapshot about a third of the full
    dump's size, and parsing it (what opening and every ``workshop apply`` pays) about twice as fast. The
    price: a default is part of the file format. Changing one changes what old snapshots mean, so it needs a
    migration; ``tests/store/test_snapshot_defaults.py`` fails when a default changes.
    """
    return session.model_dump_json(exclude_defaults=True).encode()


def _add_checksums(db: sqlite3.Connection) -> None:
    """Format 1 -> 2: chain every existing op record and tie each snapshot to the chain."""
    db.execute("ALTER TABLE ops ADD COLUMN hash TEXT")
    db.execute("ALTER TABLE snapshots ADD COLUMN hash TEXT")
    genesis = db.execute("SELECT state FROM snapshots WHERE seq = 0").fetchone()
    previous = snapshot_hash(GENESIS_HASH, 0, unpack_state(genesis[0])) if genesis else GENESIS_HASH
    chain = {0: previous}
    for row in db.execute(f"SELECT {_OP_COLUMNS} FROM ops ORDER BY seq").fetchall():
        previous = op_hash(previous, *row)
        chain[row[0]] = previous
        db.execute("UPDATE ops SET hash = ? WHERE seq = ?", (previous, row[0]))
    for seq, state in db.execute("SELECT seq, state FROM snapshots").fetchall():
        if seq in chain:
            digest = snapshot_hash(chain[seq] if seq else GENESIS_HASH, seq, unpack_state(state))
            db.execute("UPDATE snapshots SET hash = ? WHERE seq = ?", (digest, seq))
        else:  # a snapshot past the end of the log cannot be tied to it; the log is the truth
            db.execute("DELETE FROM snapshots WHERE seq = ?", (seq,))


MIGRATIONS: dict[int, Migration] = {1: _add_checksums}
"""``MIGRATIONS[v]`` upgrades a file from format ``v`` to ``v + 1`` (inside one transaction)."""


@dataclass(frozen=True)
class LogSpan:
    """How long the log is and when it ran: what a summary needs without reading every record."""

    operations: int
    first: datetime | None
    last: datetime | None


class StoreError(Exception):
    """A .workshop file that cannot be created, opened or written; the message says why and which file."""


def _sqlite_message(error: sqlite3.Error) -> str:
    """SQLite's message without the undecodable text it may quote ("... with text '\\ufffd...'")."""
    return str(error).split(" with text ", 1)[0]


def _is_locked(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _locked_error(path: Path) -> StoreError:
    return StoreError(
        f"{path} is locked by another program that is writing to it (database is locked); try again once it is closed"
    )


def _check_header(path: Path) -> None:
    try:
        check_regular_file(path)  # a FIFO or device named x.workshop must not block the open below
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except UnreadableFile as error:
        raise StoreError(str(error)) from None
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {error.strerror}") from None
    if header != _SQLITE_HEADER:
        what = "empty" if not header else "not an SQLite database"
        raise StoreError(f"{path} is not a Process Workshop session file ({what})")


def _connect_ro_uri(path: Path) -> sqlite3.Connection:
    """SQLite's read-only open (a separate function so tests can play a folder SQLite may not write)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)


def _wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _wal_size(path: Path) -> int:
    try:
        return os.stat(_wal_path(path)).st_size
    except OSError:
        return 0


_PRIVATE_COPIES: dict[int, tempfile.TemporaryDirectory[str]] = {}
"""Temporary folders holding private copies, by the id of the connection reading them (see _close)."""


def _private_copy(path: Path) -> sqlite3.Connection:
    """Read ``path`` with its WAL through a copy of both in a private folder, where SQLite may build its index.

    The WAL is copied before the file: should a checkpoint run in between,
    the copied frames are pages the copied file already holds.
    """
    folder = tempfile.TemporaryDirectory(prefix="workshop-read-")
    copy = Path(folder.name) / "session.workshop"
    try:
        shutil.copyfile(_wal_path(path), _wal_path(copy))
        shutil.copyfile(path, copy)
        db = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        folder.cleanup()
        raise StoreError(f"{path}: cannot read it with its WAL: {error}") from None
    _PRIVATE_COPIES[id(db)] = folder
    return db


def _close(db: sqlite3.Connection) -> None:
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
        with _wal_path(path).open("rb") as handle:
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


def _foreign_wal_reason(path: Path) -> str:
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
        alone_problem = _load_problem(alone, path)
    finally:
        alone.close()
    try:
        combined = _private_copy(path)
    except StoreError as error:
        return str(error)
    try:
        if combined.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return "with it the file is not a Process Workshop session"
        if [row[0] for row in combined.execute("PRAGMA quick_check")] != ["ok"]:
            return "with it the file does not pass SQLite's integrity check"
        if own_id is not None and _session_id(combined) != own_id:
            return "it holds another session"
        combined_problem = _load_problem(combined, path)
    except sqlite3.Error as error:
        return f"with it the file cannot be read ({_sqlite_message(error)})"
    finally:
        _close(combined)
    if combined_problem and not alone_problem:
        return f"with it the log does not check out ({combined_problem})"
    return ""  # it checks out, or the file is damaged either way and opening will say so


def _load_problem(db: sqlite3.Connection, path: Path) -> str:
    """Why the session in ``db`` cannot be loaded (checksums included); empty if it loads."""
    try:
        WorkshopFile(db, path, read_only=True).load()
    except StoreError as error:
        return str(error).removeprefix(f"{path} is damaged: ").split("; 'workshop verify'", 1)[0]
    except sqlite3.Error as error:
        return _sqlite_message(error)
    return ""


def _set_aside_foreign_wal(path: Path) -> str:
    """Rename a WAL that does not belong to ``path`` out of SQLite's way; returns a note for the user, or ''."""
    if _wal_size(path) == 0:
        return ""
    reason = _foreign_wal_reason(path)
    if not reason:
        return ""
    wal = _wal_path(path)
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


@contextmanager
def _collector_paused() -> Iterator[None]:
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


def _writable(path: Path) -> bool:
    """WAL mode needs to write the file and create its -wal/-shm files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


class WorkshopFile:
    """An open .workshop file; also the document's op sink (see :meth:`append`)."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        *,
        read_only: bool,
        read_only_reason: str = "",
        lock: SessionLock | None = None,
    ):
        self._db = connection
        self.path = path
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._lock = lock
        self._writer_connected = not read_only
        self.note = ""
        """Something the user should know about the opening (e.g. a foreign WAL set aside), or ''."""
        self.version = self._scalar("PRAGMA user_version")
        self._last_snapshot_seq = self._scalar("SELECT COALESCE(MAX(seq), 0) FROM snapshots")
        # the chain continues from the last record; a reader never appends, so it need not (and, on a
        # damaged file opened to verify it, must not) look it up
        self._last_hash = GENESIS_HASH if read_only else self._hash_at(self.last_seq())

    # -- creating and opening -------------------------------------------------
    @classmethod
    def create(
        cls, path: Path, session: Session, *, program: str = APP_NAME, meta: dict[str, str] | None = None
    ) -> WorkshopFile:
        """A new file whose genesis (snapshot 0) is ``session``; refuses to overwrite anything.

        ``meta`` adds entries to the metadata table (e.g. where a study sitting's starting state came from).
        """
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise StoreError(f"{path} already exists; choose another name")
        lock = cls._lock_for_writing(path, program)
        if lock is None:
            raise StoreError(f"{path}: cannot create: the folder is not writable")
        try:
            return cls._create_locked(path, session, lock, meta or {})
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _create_locked(cls, path: Path, session: Session, lock: SessionLock, extra: dict[str, str]) -> WorkshopFile:
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as error:
            raise StoreError(f"{path}: cannot create: {error}") from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("BEGIN")
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            meta = {
                **extra,
                "session_id": session.id,
                "created": datetime.now(UTC).isoformat(),
                "app_version": __version__,
            }
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            state = state_json(session)
            db.execute(
                "INSERT INTO snapshots VALUES (0, ?, ?)", (pack_state(state), snapshot_hash(GENESIS_HASH, 0, state))
            )
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except sqlite3.Error as error:
            db.close()
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
            raise StoreError(f"{path}: cannot create: {error}") from None
        return cls(db, path, read_only=False, lock=lock)

    @staticmethod
    def _lock_for_writing(path: Path, program: str) -> SessionLock | None:
        """The session's write lock; None if the folder does not let us create it (then the file is read-only)."""
        try:
            return SessionLock.acquire(path, program)
        except LockHeld as error:
            raise StoreError(
                f"{path}: {error}; close it there first (reading it, e.g. 'workshop info', works)"
            ) from None
        except OSError:
            return None

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False, program: str = APP_NAME) -> WorkshopFile:
        """Open an existing file; checks it read-only first, then opens for writing if it may.

        Writing needs the session's lock (:mod:`workshop.store.lock`): a
        second writer is refused saying who has the file open; readers never
        wait for it.
        """
        path = Path(path)
        _check_header(path)
        reason = "opened read-only on request" if read_only else ""
        if not read_only and not _writable(path):
            read_only, reason = True, "the file (or its folder) is read-only"
        lock = None if read_only else cls._lock_for_writing(path, program)
        if not read_only and lock is None:
            read_only, reason = True, "its folder does not allow the lock file that writing needs"
        try:
            # a live writer's WAL is its own; otherwise a WAL must prove it belongs before SQLite sees it
            note = _set_aside_foreign_wal(path) if lock is not None or SessionLock.holder(path) is None else ""
            version = cls._inspect(path)
            if read_only or version == SCHEMA_VERSION:
                # a writer connects on the first write: until then nothing, not even SQLite checkpointing
                # a WAL when the connection closes, can change a file that loading may yet refuse
                db = cls._connect_read_only(path)
            else:
                db = cls._connect_writer(path)
                cls._migrate(db, path, version)
            opened = cls(db, path, read_only=read_only, read_only_reason=reason, lock=lock)
            opened._writer_connected = not read_only and version < SCHEMA_VERSION
            opened.note = note
            return opened
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @staticmethod
    def _connect_writer(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
        except sqlite3.Error as error:
            db.close()
            if _is_locked(error):
                raise _locked_error(path) from None
            raise StoreError(f"{path}: cannot open for writing: {_sqlite_message(error)}") from None
        return db

    def _start_writing(self) -> None:
        """Swap the reading connection for a writer (once, on the first write)."""
        if self._writer_connected:
            return
        writer = self._connect_writer(self.path)
        _close(self._db)
        self._db = writer
        self._writer_connected = True

    @classmethod
    def open_for_rescue(cls, path: Path) -> WorkshopFile:
        """Open a possibly damaged session read-only, without the integrity check that opening does.

        For ``verify`` and ``salvage``, which must read as far as the damage
        and name it; it still refuses what is not a session file at all.
        """
        path = Path(path)
        _check_header(path)
        note = _set_aside_foreign_wal(path) if SessionLock.holder(path) is None else ""
        try:
            db = cls._connect_read_only(path)
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as error:
            if _is_locked(error):
                raise _locked_error(path) from None
            raise StoreError(
                f"{path} is damaged beyond reading ({_sqlite_message(error)}); it was not changed"
            ) from None
        if app_id != APPLICATION_ID or not 1 <= version <= SCHEMA_VERSION:
            _close(db)
            cls._inspect(path)  # says precisely why (not a session, newer format, ...)
            raise StoreError(f"{path} is not a session file this version can read")
        try:
            opened = cls(db, path, read_only=True, read_only_reason="opened to verify or salvage")
            opened.note = note
            return opened
        except StoreError:
            _close(db)
            raise

    def integrity_problem(self) -> str:
        """SQLite's full integrity check: empty if the database structure is sound, else its first complaint."""
        try:
            problems = [row[0] for row in self._db.execute("PRAGMA integrity_check(5)")]
        except sqlite3.Error as error:
            return _sqlite_message(error)
        return "" if problems == ["ok"] else str(problems[0])

    def snapshot_seqs(self) -> list[int]:
        try:
            return [row[0] for row in self._db.execute("SELECT seq FROM snapshots ORDER BY seq")]
        except sqlite3.Error as error:
            raise self._read_error("the list of saved states", error) from None

    def snapshot_at(self, seq: int) -> Session:
        """The saved state after operation ``seq``, checked against its checksum."""
        return self._snapshot(seq)

    @staticmethod
    def _connect_read_only(path: Path) -> sqlite3.Connection:
        """A connection that cannot write to ``path``; close it with :func:`_close`.

        Without write access to the folder SQLite cannot create the WAL index
        (``-shm``) that reading a WAL needs. If the WAL holds content, reading
        the main file alone (``immutable``) would show a stale session, so a
        private copy of the file and its WAL is read instead.
        """
        try:
            db = _connect_ro_uri(path)
            db.execute("SELECT 1 FROM sqlite_master LIMIT 1")
            return db
        except sqlite3.Error as error:
            if _is_locked(error):
                raise _locked_error(path) from None
        if _wal_size(path) > 0:
            return _private_copy(path)
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None)

    @classmethod
    def _inspect(cls, path: Path) -> int:
        """Validate the file without writing to it; returns its format version."""
        try:
            db = cls._connect_read_only(path)
        except sqlite3.Error as error:
            raise StoreError(f"{path}: cannot open: {_sqlite_message(error)}") from None
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APPLICATION_ID:
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
                raise StoreError(f"{path} is damaged ({problems[0]}); it was not changed")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = {"meta", "ops", "snapshots"} - tables
            if missing:
                raise StoreError(f"{path} is damaged: table(s) {', '.join(sorted(missing))} missing")
            if db.execute("SELECT COUNT(*) FROM snapshots WHERE seq = 0").fetchone()[0] != 1:
                raise StoreError(f"{path} is damaged: its starting state (snapshot 0) is missing")
            columns = {row[1] for row in db.execute("PRAGMA table_info(ops)")}
            if ("hash" in columns) != (version >= 2):
                raise StoreError(f"{path} is damaged: its format ({version}) does not match its tables")
            return int(version)
        except sqlite3.DatabaseError as error:
            if _is_locked(error):
                raise _locked_error(path) from None
            raise StoreError(
                f"{path} is damaged or not a session file ({_sqlite_message(error)}); it was not changed"
            ) from None
        finally:
            _close(db)

    @staticmethod
    def _migrate(db: sqlite3.Connection, path: Path, version: int) -> None:
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
            db.execute("ROLLBACK")
            db.close()
            raise StoreError(f"{path}: upgrading the file failed ({error}); it was not changed") from None

    # -- the log --------------------------------------------------------------
    def append(self, record: LogRecord) -> None:
        """Write one record and commit; returns only when it is on disk."""
        if self.read_only:
            raise StoreError(f"{self.path} is read-only ({self.read_only_reason}); the change was not made")
        self._start_writing()
        columns = (
            record.seq,
            record.time.isoformat(),
            record.actor,
            record.intervention_id,
            record.step_id,
            record.op.model_dump_json(),
        )
        digest = op_hash(self._last_hash, *columns)
        try:
            self._db.execute("INSERT INTO ops VALUES (?, ?, ?, ?, ?, ?, ?)", (*columns, digest))
        except sqlite3.Error as error:
            if _is_locked(error):
                raise _locked_error(self.path) from None
            raise StoreError(f"{self.path}: could not record the change: {_sqlite_message(error)}") from None
        self._last_hash = digest

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything appended inside is committed together at the end, or nothing if it raises.

        Without it each :meth:`append` commits on its own (the app: every
        gesture is durable at once); a script applying a file of operations
        wants all of them or none.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is read-only ({self.read_only_reason}); nothing was changed")
        self._start_writing()
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot start writing: {error}") from None
        snapshot_seq, last_hash = self._last_snapshot_seq, self._last_hash
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            self._last_snapshot_seq, self._last_hash = snapshot_seq, last_hash
            if isinstance(error, sqlite3.Error):
                raise StoreError(f"{self.path}: could not record the changes ({error}); nothing was changed") from None
            raise

    def records(self, after_seq: int = 0) -> Iterator[LogRecord]:
        """The log from ``after_seq + 1`` on, in order, each checked against the checksum chain.

        A gap in the sequence, a record whose checksum does not follow from
        the one before, or one that cannot be decoded raises StoreError
        naming the first bad operation.
        """
        last = after_seq
        previous = self._hash_at(after_seq)
        try:
            for row in self._db.execute(
                f"SELECT {_OP_COLUMNS}, {self._hash_column()} FROM ops WHERE seq > ? ORDER BY seq", (after_seq,)
            ):
                *columns, stored = row
                seq = columns[0]
                if seq != last + 1:
                    raise self._damaged(f"operation {last + 1} is missing (the log jumps from {last} to {seq})")
                if stored is not None or self.version >= 2:
                    previous = op_hash(previous, *columns)
                    if stored != previous:
                        raise self._damaged(f"operation {seq} does not match its checksum")
                record = self._record(*columns)
                last = seq
                yield record
        except sqlite3.Error as error:
            try:  # the row that failed is the next one after the last read: its seq (an integer) still reads
                row = self._db.execute("SELECT MIN(seq) FROM ops WHERE seq > ?", (last,)).fetchone()
            except sqlite3.Error:
                row = None
            what = f"operation {row[0]}" if row and row[0] is not None else "the log"
            raise self._read_error(what, error) from None

    def _damaged(self, what: str) -> StoreError:
        return StoreError(
            f"{self.path} is damaged: {what}; 'workshop verify' checks it, 'workshop salvage' rescues what is intact"
        )

    def _hash_column(self) -> str:
        return "hash" if self.version >= 2 else "NULL"

    def _hash_at(self, seq: int) -> str:
        """The chain hash after operation ``seq`` as stored (GENESIS_HASH throughout a format 1 file).

        The chain starts from the starting state's own hash (snapshot 0, which
        holds the session id and creation time), so a record, or a WAL, from
        another session never continues this one's chain.
        """
        if self.version < 2:
            return GENESIS_HASH
        try:
            sql = "SELECT hash FROM snapshots WHERE seq = 0" if seq == 0 else "SELECT hash FROM ops WHERE seq = ?"
            row = self._db.execute(sql, () if seq == 0 else (seq,)).fetchone()
        except sqlite3.Error as error:
            raise self._read_error(f"operation {seq}", error) from None
        if row is None or not isinstance(row[0], str):
            raise self._damaged(f"operation {seq} is missing or has no checksum")
        return row[0]

    def _read_error(self, what: str, error: sqlite3.Error) -> StoreError:
        if _is_locked(error):
            return _locked_error(self.path)
        return StoreError(f"{self.path}: {what} cannot be read ({_sqlite_message(error)}); the file is damaged")

    def _record(
        self, seq: int, time: str, actor: str, intervention_id: str | None, step_id: str | None, op: str
    ) -> LogRecord:
        try:
            return LogRecord(
                seq=seq,
                time=datetime.fromisoformat(time),
                actor=actor,
                intervention_id=intervention_id,
                step_id=step_id,
                op=OPERATION_ADAPTER.validate_json(op),
            )
        except ValidationError as error:
            problems = describe_validation_error(error)
            raise StoreError(f"{self.path}: operation {seq} cannot be read ({problems}); the file is damaged") from None
        except (ValueError, TypeError) as error:
            raise StoreError(f"{self.path}: operation {seq} cannot be read ({error}); the file is damaged") from None

    def last_seq(self) -> int:
        return self._scalar("SELECT COALESCE(MAX(seq), 0) FROM ops")

    def log_span(self) -> LogSpan:
        """Count and first/last time of the log, from SQL alone (times are stored as UTC ISO text, so they sort)."""
        try:
            count, first, last = self._db.execute("SELECT COUNT(*), MIN(time), MAX(time) FROM ops").fetchone()
            return LogSpan(
                int(count),
                datetime.fromisoformat(first) if first else None,
                datetime.fromisoformat(last) if last else None,
            )
        except sqlite3.Error as error:
            raise self._read_error("the log", error) from None
        except ValueError as error:
            raise self._damaged(f"a time in the log cannot be read ({error})") from None

    def operation_count(self) -> int:
        return self._scalar("SELECT COUNT(*) FROM ops")

    @property
    def left_open_by(self) -> LockInfo | None:
        """Who had this file open for writing and never closed it (a crash, a killed process), if anyone."""
        return self._lock.taken_over if self._lock is not None else None

    def meta(self) -> dict[str, str]:
        try:
            return dict(self._db.execute("SELECT key, value FROM meta"))
        except sqlite3.Error as error:
            raise self._read_error("the file's metadata", error) from None

    # -- states ---------------------------------------------------------------
    def genesis(self) -> Session:
        """The state before the first operation."""
        return self._snapshot(0)

    def load(self) -> tuple[Session, int]:
        """The current state and the last sequence number: latest snapshot plus the operations after it."""
        seq = self._scalar("SELECT MAX(seq) FROM snapshots")
        return self._replay_from(seq)

    def state_at(self, *, seq: int | None = None, time: datetime | None = None) -> Session:
        """The state after operation ``seq``, or as it was at ``time`` (replayed from the genesis)."""
        start = self.genesis()
        try:
            return replay(start, self.records(), until_seq=seq, until_time=time, in_place=True)
        except OperationError as error:
            raise StoreError(f"{self.path}: {error}") from None

    def _replay_from(self, seq: int) -> tuple[Session, int]:
        start = self._snapshot(seq)
        records = list(self.records(after_seq=seq))
        try:
            state = replay(start, records, in_place=True) if records else start
        except OperationError as error:
            raise StoreError(f"{self.path}: {error}") from None
        return state, records[-1].seq if records else seq

    def _snapshot(self, seq: int) -> Session:
        try:
            sql = f"SELECT state, {self._hash_column()} FROM snapshots WHERE seq = ?"
            row = self._db.execute(sql, (seq,)).fetchone()
        except sqlite3.Error as error:
            raise self._read_error(f"the saved state at {seq}", error) from None
        if row is None:
            raise StoreError(f"{self.path}: no snapshot at {seq}")
        stored, digest = row
        try:
            state = unpack_state(stored)
        except ValueError as error:
            raise self._damaged(f"the saved state at operation {seq}: {error}") from None
        tie = GENESIS_HASH if seq == 0 else self._hash_at(seq)
        if self.version >= 2 and digest != snapshot_hash(tie, seq, state):
            raise self._damaged(f"the saved state at operation {seq} does not match its checksum")
        try:
            with _collector_paused():
                return Session.model_validate_json(state)
        except ValidationError as error:
            problems = describe_validation_error(error)
            raise self._damaged(f"the saved state at operation {seq} cannot be read ({problems})") from None

    def write_snapshot(self, session: Session, seq: int) -> None:
        """Store the whole state after operation ``seq`` so opening starts there; prune old ones."""
        if self.read_only or seq <= self._last_snapshot_seq:
            return
        self._start_writing()
        state = state_json(session)
        digest = snapshot_hash(self._hash_at(seq), seq, state)
        with self._atomic():
            self._db.execute("INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?)", (seq, pack_state(state), digest))
            self._prune_snapshots()
        self._last_snapshot_seq = seq

    def _prune_snapshots(self) -> None:
        """Keep the starting state, the last two and the first snapshot in each band of SNAPSHOT_KEEP_EVERY."""
        seqs = [row[0] for row in self._db.execute("SELECT seq FROM snapshots ORDER BY seq")]
        keep = {0, *seqs[-2:]}
        bands: set[int] = set()
        for seq in seqs:
            if seq // SNAPSHOT_KEEP_EVERY not in bands:
                bands.add(seq // SNAPSHOT_KEEP_EVERY)
                keep.add(seq)
        doomed = [(seq,) for seq in seqs if seq not in keep]
        if doomed:
            self._db.executemany("DELETE FROM snapshots WHERE seq = ?", doomed)

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """A transaction of its own, or part of the one already open (see :meth:`transaction`)."""
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def snapshot_due(self, seq: int) -> bool:
        return seq - self._last_snapshot_seq >= SNAPSHOT_EVERY

    # -- whole file -----------------------------------------------------------
    def save_as(self, target: Path) -> None:
        """Copy the whole file (consistent, including uncheckpointed WAL content) to ``target``."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise StoreError("Save As needs a different file name")
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        try:
            dest = sqlite3.connect(tmp)
            with dest:
                self._db.backup(dest)
            dest.close()
            tmp.replace(target)
        except (sqlite3.Error, OSError) as error:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"{target}: cannot save a copy: {error}") from None

    def close(self, session: Session | None = None, seq: int | None = None) -> None:
        """Close the file, first storing a snapshot of ``session`` (at ``seq``) if it is worth it.

        A snapshot costs as much as loading one (a 30,000-node state is
        16 MB of JSON); after fewer than SNAPSHOT_ON_CLOSE operations, replaying
        them when the file is next opened is cheaper than writing it now.
        """
        try:
            if session is not None and seq is not None and seq - self._last_snapshot_seq >= SNAPSHOT_ON_CLOSE:
                self.write_snapshot(session, seq)
        finally:
            _close(self._db)
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def _scalar(self, sql: str) -> int:
        try:
            value = self._db.execute(sql).fetchone()[0]
        except sqlite3.Error as error:
            raise self._read_error("the file", error) from None
        return int(value or 0)
