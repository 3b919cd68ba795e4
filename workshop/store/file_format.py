"""The .workshop file format: its tables, version, markers, snapshot policy and migrations.

Kept apart from the code that opens and writes files so that what a file *is* (and what an old one is
upgraded to) can be read in one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from workshop.domain.model.session import Session
from workshop.store.chain import GENESIS_HASH, op_hash, snapshot_hash, unpack_state

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

SQLITE_HEADER = b"SQLite format 3\x00"

SCHEMA = """
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

OP_COLUMNS = "seq, time, actor, intervention_id, step_id, op"

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
    for row in db.execute(f"SELECT {OP_COLUMNS} FROM ops ORDER BY seq").fetchall():
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


class RawRow(NamedTuple):
    """One operation record exactly as stored: what replication copies, so the copy's chain is the original's."""

    seq: int
    time: str
    actor: str
    intervention_id: str | None
    step_id: str | None
    op: str
    hash: str


def chain_of(rows: list[RawRow], last_seq: int, last_hash: str) -> str:
    """The chain's hash after ``rows`` when they continue a log ending at ``last_seq`` / ``last_hash``.

    Raises ValueError naming the first record that does not follow (a gap, or a checksum of another history).
    """
    previous, last = last_hash, last_seq
    for row in rows:
        if row.seq != last + 1:
            raise ValueError(f"operation {row.seq} does not follow operation {last}")
        previous = op_hash(previous, *row[:-1])
        if previous != row.hash:
            raise ValueError(f"operation {row.seq} does not continue this file's history")
        last = row.seq
    return previous


@dataclass(frozen=True)
class LogSpan:
    """How long the log is and when it ran: what a summary needs without reading every record."""

    operations: int
    first: datetime | None
    last: datetime | None
