"""A sitting's log copied between copies of a study, record for record, so every copy's chain is the original's.

A sitting has one writer: its log only ever grows at the end, on the laptop
that runs it. Another copy takes the records it lacks, exactly as stored
(columns and checksums), after checking they continue what it has; a copy
whose records differ from the other's at the same place is never joined
to it (:class:`Diverged`), because one of them rewrote history.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workshop.store.file_format import RawRow
from workshop.store.sessions import StoreError, open_document
from workshop.store.workshop_file import WorkshopFile

REPLICA_PROGRAM = "workshop study sync"


@dataclass(frozen=True)
class SittingLog:
    """What identifies a sitting's log and where it stands: enough to compare two copies without reading them."""

    session_id: str
    meta: dict[str, str]
    genesis: bytes
    genesis_hash: str
    operations: int
    last_hash: str


class Diverged(StoreError):
    """Two copies of one sitting's log differ at the same place: neither is taken for the other."""


def read_log(path: Path) -> SittingLog:
    """The head, starting state and metadata of the sitting file at ``path`` (read-only)."""
    workshop_file = WorkshopFile.open(path, read_only=True)
    try:
        meta = workshop_file.meta()
        genesis, genesis_hash = workshop_file.genesis_row()
        operations, last_hash = workshop_file.head()
        return SittingLog(meta.get("session_id", ""), meta, genesis, genesis_hash, operations, last_hash)
    finally:
        workshop_file.close()


def rows_after(path: Path, after: int) -> list[RawRow]:
    """The records of ``path`` after operation ``after``, checked against the chain."""
    workshop_file = WorkshopFile.open(path, read_only=True)
    try:
        return workshop_file.raw_rows(after)
    finally:
        workshop_file.close()


def state_data(path: Path) -> tuple[int, dict[str, Any]]:
    """The log's length and the current state as plain data (see :meth:`LogReader.state_data`)."""
    workshop_file = WorkshopFile.open(path, read_only=True)
    try:
        return workshop_file.last_seq(), workshop_file.state_data()
    finally:
        workshop_file.close()


def hash_at(path: Path, seq: int) -> str:
    workshop_file = WorkshopFile.open(path, read_only=True)
    try:
        return workshop_file.hash_at(seq)
    finally:
        workshop_file.close()


def _snapshot_and_close(path: Path) -> None:
    """Open the file once as the app would and close it with a snapshot, so the next opening replays nothing."""
    document, workshop_file = open_document(path, program=REPLICA_PROGRAM)
    workshop_file.close(document.session, document.last_seq)


def build_copy(target: Path, log: SittingLog, rows: list[RawRow], *, sitting_id: str) -> None:
    """Make the sitting file ``target`` from another copy's starting state and records.

    Written under a temporary name and moved into place: a killed copy
    leaves a temporary file the next run replaces, never half a sitting
    under the sitting's name. ``sitting_id`` is the number the sitting has
    in this copy of the study (it may have been renumbered in a merge).
    """
    temporary = target.with_name(f".copying-{target.name}")
    for leftover in (temporary, temporary.with_name(temporary.name + "-wal"),
                     temporary.with_name(temporary.name + "-shm"), temporary.with_name(temporary.name + ".lock")):
        leftover.unlink(missing_ok=True)
    meta = {**log.meta, "sitting_id": sitting_id}
    created = WorkshopFile.create_replica(temporary, meta, log.genesis, log.genesis_hash, program=REPLICA_PROGRAM)
    try:
        if rows:
            created.append_rows(rows)
    finally:
        created.close()
    _snapshot_and_close(temporary)
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise StoreError(f"{target} already exists and is not this sitting; nothing was replaced") from None
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-wal"),
                         temporary.with_name(temporary.name + "-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def extend(path: Path, rows: list[RawRow]) -> int:
    """Append the records ``path`` lacks (those past its end) from ``rows``; returns how many it took."""
    if not rows:
        return 0
    workshop_file = WorkshopFile.open(path, program=REPLICA_PROGRAM)
    try:
        have = workshop_file.last_seq()
        missing = [row for row in rows if row.seq > have]
        if missing and missing[0].seq == have + 1:
            workshop_file.append_rows(missing)
        elif missing:
            raise StoreError(f"{path}: operations {have + 1} to {missing[0].seq - 1} were not received")
    finally:
        workshop_file.close()
    if len(missing) > 50:
        _snapshot_and_close(path)
    return len(missing)


def compare(mine: SittingLog, theirs: SittingLog, my_hash_at: str | None, their_hash_at: str | None) -> str:
    """How two copies of one sitting's log stand: ``same``, ``mine ahead``, ``theirs ahead``.

    ``my_hash_at`` / ``their_hash_at`` are the checksums each holds at the
    shorter one's length (the caller reads the one it needs). Raises
    :class:`Diverged` when the copies disagree at the same place.
    """
    if mine.genesis_hash != theirs.genesis_hash:
        raise Diverged("the two copies start from different states")
    if mine.operations == theirs.operations:
        if mine.last_hash != theirs.last_hash:
            raise Diverged(f"operation {mine.operations} differs between the copies")
        return "same"
    if mine.operations > theirs.operations:
        if my_hash_at != theirs.last_hash:
            raise Diverged(f"the copies differ at or before operation {theirs.operations}")
        return "mine ahead"
    if their_hash_at != mine.last_hash:
        raise Diverged(f"the copies differ at or before operation {mine.operations}")
    return "theirs ahead"
