"""The .workshop file: SQLite used as an application file format.

One file holds the operation log (the source of truth and the research
record), snapshots of the whole state (so opening does not replay
everything) and metadata. Every appended record is committed before
``append`` returns, in WAL mode with ``synchronous=FULL``: an acknowledged
operation survives a killed process and a power cut.

A file is checked read-only before anything is written to it, so a corrupt,
truncated, foreign or newer file is refused without being modified. The
format lives in :mod:`~workshop.store.file_format`, the read-only checks in
:mod:`~workshop.store.file_opening`, reading in :mod:`~workshop.store.log_reading`
and the WAL's guards in :mod:`~workshop.store.wal_files`; this module writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from workshop import __version__
from workshop.domain.model.document import LogRecord
from workshop.domain.model.session import Session
from workshop.store.chain import GENESIS_HASH, op_hash, pack_state, snapshot_hash
from workshop.store.file_creation import new_database
from workshop.store.file_format import (
    APP_NAME,
    APPLICATION_ID,
    SCHEMA_VERSION,
    SNAPSHOT_EVERY,
    SNAPSHOT_KEEP_EVERY,
    SNAPSHOT_ON_CLOSE,
    LogSpan,
    RawRow,
    chain_of,
    state_json,
)
from workshop.store.file_opening import (
    SALVAGE_ADVICE,
    check_header,
    connect_read_only,
    connect_writer,
    inspect_file,
    migrate,
    writable,
)
from workshop.store.lock import LockHeld, LockInfo, SessionLock
from workshop.store.log_reading import LogReader, load_problem
from workshop.store.store_errors import StoreError, is_locked, locked_error, sqlite_failure, sqlite_message
from workshop.store.wal_files import close_connection, set_aside_foreign_wal

__all__ = [
    "APP_NAME",
    "SCHEMA_VERSION",
    "SNAPSHOT_EVERY",
    "LogSpan",
    "StoreError",
    "WorkshopFile",
    "state_json",
]


class WorkshopFile(LogReader):
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
        super().__init__(connection, path)
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._lock = lock
        self._writer_connected = not read_only
        self._closed = False
        self.changes_since_checkpoint = False
        """Whether records were appended since the last :meth:`checkpoint` (the app checkpoints only then)."""
        self.note = ""
        """Something the user should know about the opening (e.g. a foreign WAL set aside), or ''."""
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
        meta = {
            **(meta or {}),
            "session_id": session.id,
            "created": datetime.now(UTC).isoformat(),
            "app_version": __version__,
        }
        state = state_json(session)
        return cls.create_replica(path, meta, pack_state(state), snapshot_hash(GENESIS_HASH, 0, state), program=program)

    @classmethod
    def create_replica(
        cls, path: Path, meta: dict[str, str], genesis: bytes, genesis_hash: str, *, program: str = APP_NAME
    ) -> WorkshopFile:
        """A new file with the metadata and the stored starting state of another (a shared study's sitting).

        The starting state is stored as it came, so the chain of records appended after it is the original's.
        """
        path = Path(path)
        if path.exists() or path.is_symlink():
            raise StoreError(f"{path} already exists; choose another name")
        lock = cls._lock_for_writing(path, program)
        if lock is None:
            raise StoreError(f"{path}: cannot create: the folder is not writable")
        try:
            created = cls(new_database(path, meta, genesis, genesis_hash), path, read_only=False, lock=lock)
        except BaseException:
            lock.release()
            raise
        created.changes_since_checkpoint = True  # the new file's tables are in its WAL until a checkpoint
        return created

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
        check_header(path)
        reason = "opened read-only on request" if read_only else ""
        if not read_only and not writable(path):
            read_only, reason = True, "the file (or its folder) is read-only"
        lock = None if read_only else cls._lock_for_writing(path, program)
        if not read_only and lock is None:
            read_only, reason = True, "its folder does not allow the lock file that writing needs"
        try:
            # a live writer's WAL is its own; otherwise a WAL must prove it belongs before SQLite sees it
            note = (
                set_aside_foreign_wal(path, load_problem)
                if lock is not None or SessionLock.holder(path) is None
                else ""
            )
            version = inspect_file(path)
            if read_only or version == SCHEMA_VERSION:
                # a writer connects on the first write: until then nothing, not even SQLite checkpointing
                # a WAL when the connection closes, can change a file that loading may yet refuse
                db = connect_read_only(path)
            else:
                db = connect_writer(path)
                migrate(db, path, version)
            opened = cls(db, path, read_only=read_only, read_only_reason=reason, lock=lock)
            opened._writer_connected = not read_only and version < SCHEMA_VERSION
            if lock is not None and lock.taken_over is not None:
                note = "; ".join(filter(None, [note, lock.taken_over.describe_taken_over()]))
            opened.note = note
            if not read_only:
                opened._refuse_if_damaged()
            return opened
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    def _start_writing(self) -> None:
        """Swap the reading connection for a writer (once, on the first write)."""
        if self._writer_connected:
            return
        writer = connect_writer(self.path)
        close_connection(self._db)
        self._db = writer
        self._writer_connected = True

    def _refuse_if_damaged(self) -> None:
        """A writer checks the file before it writes (SQLite's quick check ran in the read-only inspection).

        Appending to a damaged log would continue a chain that no longer holds
        and bury the damage under new records; the file is refused unchanged
        and the user told how to rescue it.
        """
        problem = self.head_problem()
        if problem:
            close_connection(self._db)
            raise StoreError(f"{self.path} is damaged ({problem}); nothing was written to it; {SALVAGE_ADVICE}")

    @classmethod
    def open_for_rescue(cls, path: Path) -> WorkshopFile:
        """Open a possibly damaged session read-only, without the integrity check that opening does.

        For ``verify`` and ``salvage``, which must read as far as the damage
        and name it; it still refuses what is not a session file at all.
        """
        path = Path(path)
        check_header(path)
        note = set_aside_foreign_wal(path, load_problem) if SessionLock.holder(path) is None else ""
        try:
            db = connect_read_only(path)
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as error:
            if is_locked(error):
                raise locked_error(path) from None
            raise StoreError(
                f"{path} is damaged beyond reading ({sqlite_message(error)}); it was not changed"
            ) from None
        if app_id != APPLICATION_ID or not 1 <= version <= SCHEMA_VERSION:
            close_connection(db)
            inspect_file(path)  # says precisely why (not a session, newer format, ...)
            raise StoreError(f"{path} is not a session file this version can read")
        try:
            opened = cls(db, path, read_only=True, read_only_reason="opened to verify or salvage")
            opened.note = note
            return opened
        except StoreError:
            close_connection(db)
            raise

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
            if is_locked(error):
                raise locked_error(self.path) from None
            raise sqlite_failure(self.path, "the change was not recorded", error) from None
        self._last_hash = digest
        self.changes_since_checkpoint = True

    def append_rows(self, rows: list[RawRow]) -> None:
        """Append records made elsewhere (a replica's), exactly as they were stored, all or none.

        They must continue this file's chain: the first follows the last record here, and each checksum
        follows from the one before, so a copy never takes a record that is not the original's next one.
        """
        try:
            previous = chain_of(rows, self.last_seq(), self._last_hash)
        except ValueError as error:
            raise StoreError(f"{self.path}: {error}; nothing was added") from None
        with self.transaction():
            try:
                self._db.executemany("INSERT INTO ops VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            except sqlite3.Error as error:
                raise sqlite_failure(self.path, "nothing was added", error) from None
            self._last_hash = previous
        self.changes_since_checkpoint = True

    def set_meta(self, key: str, value: str) -> None:
        """Change one metadata entry (a study's sitting renumbered in a merge); metadata is outside the chain."""
        with self.transaction():
            try:
                self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
            except sqlite3.Error as error:
                raise sqlite_failure(self.path, "nothing was changed", error) from None
        self.changes_since_checkpoint = True

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
            raise sqlite_failure(self.path, "nothing was changed", error) from None
        snapshot_seq, last_hash = self._last_snapshot_seq, self._last_hash
        try:
            yield
            if not self._db.in_transaction:  # SQLite rolled it back itself (a full disk, an I/O error)
                raise StoreError(f"{self.path}: writing failed and SQLite undid the changes; nothing was changed")
            self._db.execute("COMMIT")
        except BaseException as error:
            self._rollback()
            self._last_snapshot_seq, self._last_hash = snapshot_seq, last_hash
            if isinstance(error, sqlite3.Error):
                raise sqlite_failure(self.path, "nothing was changed", error) from None
            raise

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already (it does on a full disk or an I/O error).

        A failing ROLLBACK leaves nothing to undo either: the journal is the one to restore from, on the next
        open; it must not replace the error that brought us here.
        """
        if self._db.in_transaction:
            with suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        """Whether a :meth:`transaction` (or a write of its own) is open: a failure inside it undoes all of it."""
        return self._db.in_transaction

    @property
    def left_open_by(self) -> LockInfo | None:
        """Who had this file open for writing and never closed it (a crash, a killed process), if anyone."""
        return self._lock.taken_over if self._lock is not None else None

    def write_snapshot(self, session: Session, seq: int) -> None:
        """Store the whole state after operation ``seq`` so opening starts there; prune old ones."""
        if self.read_only or seq <= self._last_snapshot_seq:
            return
        self._start_writing()
        state = state_json(session)
        digest = snapshot_hash(self._hash_at(seq), seq, state)
        try:
            with self._atomic():
                self._db.execute("INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?)", (seq, pack_state(state), digest))
                self._prune_snapshots()
        except sqlite3.Error as error:
            raise sqlite_failure(self.path, "the saved state that speeds up opening was not written", error) from None
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
            self._rollback()
            raise

    def snapshot_due(self, seq: int, every: int = 0) -> bool:
        return seq - self._last_snapshot_seq >= (every or SNAPSHOT_EVERY)

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

    def close(self, session: Session | None = None, seq: int | None = None) -> str:
        """Close the file, first storing a snapshot of ``session`` (at ``seq``) if it is worth it.

        A snapshot costs as much as loading one (a 30,000-node state is
        16 MB of JSON); after fewer than SNAPSHOT_ON_CLOSE operations, replaying
        them when the file is next opened is cheaper than writing it now.
        Then everything is moved from the WAL into the file itself
        (:meth:`checkpoint`), so the file alone is the session.

        Every change was committed before this, so a snapshot or checkpoint
        that fails here (a full disk) loses nothing: it is returned as a note
        for the user instead of raised.
        """
        if self._closed:  # closing twice (a window closed, then its file by a test or a second handler) is harmless
            return ""
        note = ""
        try:
            if session is not None and seq is not None and seq - self._last_snapshot_seq >= SNAPSHOT_ON_CLOSE:
                try:
                    self.write_snapshot(session, seq)
                except StoreError as error:
                    note = f"{error} (every change is in the file)"
            if self._writer_connected and not self.read_only and not self.checkpoint(truncate=True):
                note = note or (
                    f"{self.path.name}-wal still holds the latest changes (another program was reading the file, "
                    "or the disk is full); nothing is lost, and they move into the file when it is next opened"
                )
        finally:
            close_connection(self._db)
            self._closed = True
            if self._lock is not None:
                self._lock.release()
                self._lock = None
        return note

    def checkpoint(self, *, truncate: bool = False) -> bool:
        """Copy what the WAL holds into the file itself; True if all of it is there now.

        Committed changes sit in ``NAME.workshop-wal`` until SQLite
        checkpoints them, which it does by itself only every ~1,000 pages: a
        workshop of an hour may never get there, and a copy of the file alone
        (the one people see, mail and put on a stick) would be empty. The app
        calls this when it has been idle a moment (PASSIVE: never waits for
        readers), and closing with ``truncate`` also empties the WAL.
        A reader or a read-only file has nothing to move; a failure (a full
        disk) loses nothing, the WAL still holds it all.
        """
        if self._closed or self.read_only or not self._writer_connected or self._db.in_transaction:
            return not self._writer_connected
        mode = "TRUNCATE" if truncate else "PASSIVE"
        try:
            busy, frames, moved = self._db.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error:
            return False
        done = not busy and frames == moved
        if done:
            self.changes_since_checkpoint = False
        return bool(done)
