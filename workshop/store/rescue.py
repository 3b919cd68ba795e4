"""``verify`` and ``salvage``: name the first damage in a session file, and rescue what precedes it.

Opening a file checks what opening needs (the latest snapshot and the
operations after it). ``verify_file`` checks everything: SQLite's own
integrity check, the checksum chain and the sequence of every operation,
and that each stored snapshot equals the replay of the log up to it.
``salvage_file`` writes a new session holding every operation up to the
first bad one, so a damaged research record loses only what is damaged.
Neither writes to the file it reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from workshop.domain.model.document import LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.session import Session, SessionState
from workshop.store.workshop_file import APP_NAME, StoreError, WorkshopFile

__all__ = ["CANNOT_DETECT", "SalvageReport", "VerifyReport", "salvage_file", "verify_file"]

CANNOT_DETECT = (
    "What a file alone cannot show: operations cut from its end together with their saved states (what remains "
    "is a shorter, whole log), or a rewrite that recomputes the checksums (they carry no key); "
    "'workshop study verify' compares each sitting with the length and last checksum its study recorded."
)
"""Said with every "intact": the chain shows accidents and careless edits, not everything (docs/operations.md)."""


@dataclass(frozen=True)
class VerifyReport:
    """What ``verify`` found; ``problem`` is empty for an intact file."""

    path: Path
    operations: int
    snapshots: int
    problem: str = ""
    checksums: bool = True
    """False for a format 1 file, written before records carried checksums."""
    replayed: bool = False
    """Whether the whole log was replayed and every snapshot compared with it (``verify --replay``)."""

    def describe(self) -> str:
        if self.problem:
            return f"{self.path} is damaged: {self.problem}"
        chain = (
            "checksum chain unbroken"
            if self.checksums
            else "no checksums yet (format 1; they are added when it is next opened for writing)"
        )
        return (
            f"{self.path}: intact — {self.operations} operation(s), {chain}, "
            f"{self.snapshots} snapshot(s) {self._snapshots_checked()}. {CANNOT_DETECT}"
        )

    def _snapshots_checked(self) -> str:
        if self.replayed:
            return "equal to the replay of the log"
        return (
            "tied to it by their checksums, the latest state read back "
            "(--replay also replays the whole log against every snapshot)"
        )


@dataclass(frozen=True)
class SalvageReport:
    source: Path
    target: Path
    kept: int
    stopped: str

    def describe(self) -> str:
        kept = f"operations 1..{self.kept}" if self.kept else "the starting state only"
        why = f"; stopped because {self.stopped}" if self.stopped else "; nothing was damaged"
        return f"wrote {self.target} with {kept} of {self.source}{why}"


class _Walk:
    """Reads the log of a (possibly damaged) file in order until the first problem, replaying as it goes."""

    def __init__(self, workshop_file: WorkshopFile, *, keep: bool = True) -> None:
        self.file = workshop_file
        self.problem = ""
        self.records: list[LogRecord] = []
        self.keep = keep
        """Keep the records read (salvage writes them again); verify only counts them, in constant memory."""
        self.count = 0

    def run(self, *, check_snapshots: bool) -> Session | None:
        try:
            start = self.file.genesis()
        except StoreError as error:
            self.problem = f"the starting state: {_reason(error, self.file.path)}"
            return None
        state = SessionState(start)
        snapshot_seqs = self.file.snapshot_seqs() if check_snapshots else []
        pending = [seq for seq in snapshot_seqs if seq > 0]
        records = self.file.records()
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except StoreError as error:
                self.problem = _reason(error, self.file.path)
                return state.session
            try:
                record.op.execute(state)
            except OperationError as error:
                self.problem = f"operation {record.seq} cannot be replayed ({error})"
                return state.session
            self.count += 1
            if self.keep:
                self.records.append(record)
            while pending and pending[0] == record.seq:
                seq = pending.pop(0)
                try:
                    saved = self.file.snapshot_at(seq)
                except StoreError as error:
                    self.problem = _reason(error, self.file.path)
                    return state.session
                if saved != state.session:
                    self.problem = f"the saved state at operation {seq} differs from the replay of the log"
                    return state.session
        if pending:
            self.problem = f"a saved state at operation {pending[0]} lies beyond the end of the log"
        return state.session


def _reason(error: StoreError, path: Path) -> str:
    """The error's message without the file name in front and the advice behind (the report adds both)."""
    text = str(error)
    for prefix in (f"{path} is damaged: ", f"{path}: "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text.split("; 'workshop verify'", 1)[0]


def verify_file(path: Path, *, replay: bool = False) -> VerifyReport:
    """Check ``path`` without changing it; the report names the first problem.

    By default: SQLite's full integrity check, the file's structure, every
    record against the checksum chain, every snapshot against its checksum,
    and the latest state read back as opening reads it. That finds any
    damage, in seconds for 100,000 operations. ``replay`` also replays the
    whole log and compares every snapshot with it, which finds what only a
    faulty writer could have stored (a snapshot that was wrong when it was
    written) and costs a validation of every operation (half a minute at
    100,000).
    """
    workshop_file = WorkshopFile.open_for_rescue(Path(path))
    try:
        problem = workshop_file.integrity_problem() or workshop_file.structure_problem()
        if replay or workshop_file.version < 2:  # a format 1 file has no checksums to rely on
            walk = _Walk(workshop_file, keep=False)
            walk.run(check_snapshots=True)
            found, operations, replayed = walk.problem, walk.count, True
        else:
            found = workshop_file.chain_problem() or workshop_file.snapshots_problem() or _latest_problem(workshop_file)
            operations, replayed = workshop_file.operation_count(), False
        if found:
            problem = found if not problem else f"{found} (SQLite: {problem})"
        return VerifyReport(
            Path(path),
            operations,
            len(workshop_file.snapshot_seqs()),
            problem,
            checksums=workshop_file.version >= 2,
            replayed=replayed,
        )
    finally:
        workshop_file.close()


def _latest_problem(workshop_file: WorkshopFile) -> str:
    """Why the latest state cannot be read back (the snapshot parsed, the operations after it replayed); or ''."""
    try:
        workshop_file.load()
    except StoreError as error:
        return _reason(error, workshop_file.path)
    return ""


def salvage_file(path: Path, target: Path) -> SalvageReport:
    """Write ``target``: the starting state and every operation of ``path`` before the first bad one."""
    source, target = Path(path), Path(target)
    if target.exists():
        raise StoreError(f"{target} already exists; choose another name")
    workshop_file = WorkshopFile.open_for_rescue(source)
    try:
        walk = _Walk(workshop_file)
        try:
            genesis = workshop_file.genesis()
        except StoreError as error:
            raise StoreError(f"{source}: nothing can be salvaged: {_reason(error, source)}") from None
        state = walk.run(check_snapshots=False)
    finally:
        workshop_file.close()
    rescued = WorkshopFile.create(target, genesis, program=f"{APP_NAME} salvage")
    try:
        with rescued.transaction():
            for record in walk.records:
                rescued.append(record)
            if state is not None and walk.records:
                rescued.write_snapshot(state, walk.records[-1].seq)
    except (StoreError, sqlite3.Error, ValidationError) as error:
        rescued.close()
        for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            leftover.unlink(missing_ok=True)  # never leave a half-written session behind
        raise StoreError(f"{target}: could not write the salvaged session ({error})") from None
    rescued.close()
    return SalvageReport(source, target, len(walk.records), walk.problem)
