"""Reading a session file's log and saved states, each checked against the checksum chain.

Everything that only reads lives here (``info``, ``log``, ``replay``, ``verify`` use it directly through
:class:`~workshop.store.workshop_file.WorkshopFile`, which adds writing on top), so the checks a read makes are
the same whichever command makes it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workshop.domain.model.document import LogRecord, replay
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import OPERATION_ADAPTER, describe_validation_error
from workshop.domain.model.session import Session
from workshop.store.chain import GENESIS_HASH, op_hash, pack_state, snapshot_hash, unpack_state
from workshop.store.file_format import OP_COLUMNS, LogSpan, RawRow
from workshop.store.file_opening import collector_paused, structure_problem
from workshop.store.store_errors import StoreError, is_locked, locked_error, sqlite_failure, sqlite_message

FULL_CHAIN_CHECK_UP_TO = 20_000
"""A writer checks every record's checksum, and SQLite's full integrity check, when the log is at most this
long (a day's workshop is a few thousand operations; 20,000 take about 0.25 s); a longer log gets the cheap
check of its end, and ``workshop verify`` checks all of it."""


class LogReader:
    """An open session database, read: the log, the saved states and the metadata."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self.version = self._scalar("PRAGMA user_version")
        self._last_snapshot_seq = self._scalar("SELECT COALESCE(MAX(seq), 0) FROM snapshots")

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
                f"SELECT {OP_COLUMNS}, {self._hash_column()} FROM ops WHERE seq > ? ORDER BY seq", (after_seq,)
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

    def raw_rows(self, after_seq: int = 0) -> list[RawRow]:
        """The stored records from ``after_seq + 1`` on, exactly as stored, each checked against the chain.

        What replication sends (:mod:`workshop.store.sitting_replica`): the columns and checksums travel as
        they are, so the copy's chain is the original's.
        """
        rows: list[RawRow] = []
        previous, last = self._hash_at(after_seq), after_seq
        try:
            for row in self._db.execute(f"SELECT {OP_COLUMNS}, hash FROM ops WHERE seq > ? ORDER BY seq", (after_seq,)):
                if row[0] != last + 1:
                    raise self._damaged(f"operation {last + 1} is missing (the log jumps from {last} to {row[0]})")
                previous = op_hash(previous, *row[:-1])
                if row[-1] != previous:
                    raise self._damaged(f"operation {row[0]} does not match its checksum")
                rows.append(RawRow(*row))
                last = row[0]
        except sqlite3.Error as error:
            raise self._read_error("the log", error) from None
        return rows

    def genesis_row(self) -> tuple[bytes, str]:
        """The starting state as stored (compressed) and its checksum: where a copy's chain begins."""
        try:
            row = self._db.execute("SELECT state, hash FROM snapshots WHERE seq = 0").fetchone()
        except sqlite3.Error as error:
            raise self._read_error("the starting state", error) from None
        if row is None:
            raise self._damaged("its starting state (snapshot 0) is missing")
        state = row[0] if isinstance(row[0], bytes) else pack_state(unpack_state(row[0]))
        return state, row[1]

    def head_problem(self) -> str:
        """What a cheap look at the log's end finds wrong; empty if nothing.

        Cheap enough for every opening that will write: the numbering has no
        gap (the count equals the last number, read through two different
        b-trees), the time index reads, the last record follows from the one
        before it by the checksum chain, and, for a log of ordinary length,
        the whole chain holds. With SQLite's quick check and the latest
        snapshot (checked on loading, against the chain) this is what a writer
        checks before it writes; ``workshop verify`` checks everything.
        """
        try:
            span = self.log_span()  # reads the time index at both ends
            count, last = span.operations, self.last_seq()
            if count != last:
                return f"the log holds {count} operation(s) but is numbered up to {last}: some are missing"
            if last and self.version >= 2:
                row = self._db.execute(f"SELECT {OP_COLUMNS}, hash FROM ops WHERE seq = ?", (last,)).fetchone()
                if op_hash(self._hash_at(last - 1), *row[:-1]) != row[-1]:
                    return f"operation {last}, the last, does not match its checksum"
            if self._last_snapshot_seq > last:
                return f"a saved state at operation {self._last_snapshot_seq} lies beyond the end of the log ({last})"
        except StoreError as error:
            return self._reason(error)
        except sqlite3.Error as error:
            return sqlite_message(error)
        if count > FULL_CHAIN_CHECK_UP_TO:
            return ""
        # a log of ordinary length gets everything but the replay: SQLite's full check (which, unlike the quick
        # one, also finds an index that no longer matches its table) and the whole chain
        return self.integrity_problem() or self.chain_problem() or self.snapshots_problem()

    def head(self) -> tuple[int, str]:
        """The log's length and the checksum of its last record (the starting state's for an empty log).

        What a study records of each sitting, to find later what the file alone cannot show: a cut tail.
        """
        last = self.last_seq()
        return last, self._hash_at(last)

    def hash_at(self, seq: int) -> str:
        """The chain's checksum after operation ``seq`` as stored (0: the starting state's)."""
        return self._hash_at(seq)

    def structure_problem(self) -> str:
        """What is missing from the file's structure (tables, starting state, metadata); empty if nothing."""
        try:
            return structure_problem(self._db, self.version)
        except sqlite3.Error as error:
            return sqlite_message(error)

    def snapshots_problem(self) -> str:
        """The first stored snapshot whose checksum does not hold (decompressed and hashed, not parsed); or ''."""
        if self.version < 2:
            return ""
        try:
            last = self.last_seq()
            for seq in self.snapshot_seqs():
                if seq > last:
                    return f"a saved state at operation {seq} lies beyond the end of the log"
                row = self._db.execute("SELECT state, hash FROM snapshots WHERE seq = ?", (seq,)).fetchone()
                tie = GENESIS_HASH if seq == 0 else self._hash_at(seq)
                if row[1] != snapshot_hash(tie, seq, unpack_state(row[0])):
                    return f"the saved state at operation {seq} does not match its checksum"
        except ValueError as error:
            return f"the saved state at operation {seq}: {error}"
        except StoreError as error:
            return self._reason(error)
        except sqlite3.Error as error:
            return f"the saved states cannot be read ({sqlite_message(error)})"
        return ""

    def chain_problem(self) -> str:
        """Where the checksum chain breaks, reading only the stored columns (no decoding); empty if it holds.

        About a microsecond per record, so a writer can afford it for a
        session of ordinary length (:data:`FULL_CHAIN_CHECK_UP_TO`) and
        ``workshop verify`` for any.
        """
        if self.version < 2:
            return ""
        try:
            previous = self._hash_at(0)
            expected = 1
            for row in self._db.execute(f"SELECT {OP_COLUMNS}, hash FROM ops ORDER BY seq"):
                if row[0] != expected:
                    return f"operation {expected} is missing (the log jumps from {expected - 1} to {row[0]})"
                previous = op_hash(previous, *row[:-1])
                if previous != row[-1]:
                    return f"operation {expected} does not match its checksum"
                expected += 1
        except StoreError as error:
            return self._reason(error)
        except sqlite3.Error as error:
            return f"operation {expected} cannot be read ({sqlite_message(error)})"
        return ""

    def _reason(self, error: StoreError) -> str:
        """A StoreError's message without the file name in front and the advice behind."""
        text = str(error).removeprefix(f"{self.path} is damaged: ").removeprefix(f"{self.path}: ")
        return text.split("; 'workshop verify'", 1)[0]

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
        """A failed read: the drive (an I/O error, a pulled stick) said in its words, anything else is damage."""
        if is_locked(error):
            return locked_error(self.path)
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
            return sqlite_failure(self.path, f"{what} was not read and nothing was changed", error)
        return StoreError(f"{self.path}: {what} cannot be read ({sqlite_message(error)}); the file is damaged")

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
            # three subqueries: SQLite answers a lone MIN or MAX from the time index in a step, but all three in
            # one query scan it (a third of a second at 300,000 operations)
            count, first, last = self._db.execute(
                "SELECT (SELECT COUNT(*) FROM ops), (SELECT MIN(time) FROM ops), (SELECT MAX(time) FROM ops)"
            ).fetchone()
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

    def state_data(self) -> dict[str, Any]:
        """The current state as plain JSON data (fields at their default left out), without building the model
        when the latest snapshot is the current state (a closed file): a summary of a large sitting then reads
        in a fraction of the time a :meth:`load` takes."""
        seq = self._scalar("SELECT MAX(seq) FROM snapshots")
        if seq == self.last_seq():
            data = json.loads(self._snapshot_json(seq))
            if isinstance(data, dict):
                return data
        session, _ = self.load()
        return session.model_dump(mode="json", exclude_defaults=True)

    def _snapshot(self, seq: int) -> Session:
        state = self._snapshot_json(seq)
        try:
            with collector_paused():
                return Session.model_validate_json(state)
        except ValidationError as error:
            problems = describe_validation_error(error)
            raise self._damaged(f"the saved state at operation {seq} cannot be read ({problems})") from None

    def _snapshot_json(self, seq: int) -> bytes:
        """The stored state after operation ``seq``, checked against its checksum (and the chain)."""
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
        return state

    def integrity_problem(self) -> str:
        """SQLite's full integrity check: empty if the database structure is sound, else its first complaint."""
        try:
            problems = [row[0] for row in self._db.execute("PRAGMA integrity_check(5)")]
        except sqlite3.Error as error:
            return sqlite_message(error)
        return "" if problems == ["ok"] else str(problems[0])

    def snapshot_seqs(self) -> list[int]:
        try:
            return [row[0] for row in self._db.execute("SELECT seq FROM snapshots ORDER BY seq")]
        except sqlite3.Error as error:
            raise self._read_error("the list of saved states", error) from None

    def snapshot_at(self, seq: int) -> Session:
        """The saved state after operation ``seq``, checked against its checksum."""
        return self._snapshot(seq)

    def _scalar(self, sql: str) -> int:
        try:
            value = self._db.execute(sql).fetchone()[0]
        except sqlite3.Error as error:
            raise self._read_error("the file", error) from None
        return int(value or 0)


def load_problem(db: sqlite3.Connection, path: Path) -> str:
    """Why the session in ``db`` cannot be loaded (checksums included); empty if it loads."""
    try:
        LogReader(db, path).load()
    except StoreError as error:
        return str(error).removeprefix(f"{path} is damaged: ").split("; 'workshop verify'", 1)[0]
    except sqlite3.Error as error:
        return sqlite_message(error)
    return ""
