"""Bringing two copies of a study together: ``study merge DIR OTHER`` and the local half of ``study sync``.

The study file merges by :func:`~workshop.domain.research.copies_merge.merge_studies`
(one documented rule, conflicts reported); each sitting's log is copied
record for record (:mod:`workshop.store.sitting_replica`); attached texts
are copied as they are. The other copy is a :class:`StudyPeer`: another
folder here, the shared study on a PostgreSQL server in
:mod:`workshop.store.shared_study`.

Everything this copy lacks is written here before the study file is saved,
and the study file last, so a killed run leaves a study that names only
files that are there, and running it again ends as one uninterrupted run.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from workshop.domain.research.copies_merge import MergeResult, merge_studies
from workshop.domain.research.study import Sitting, Study, StudyError, TextSource
from workshop.store.file_format import RawRow
from workshop.store.sessions import StoreError
from workshop.store.sitting_replica import (
    Diverged,
    SittingLog,
    build_copy,
    compare,
    extend,
    hash_at,
    read_log,
    rows_after,
)
from workshop.store.study_folder import _replace_with, load_study, save_study, sitting_file, study_for_writing
from workshop.store.study_heads import refresh_head
from workshop.store.workshop_file import WorkshopFile

MERGE_PROGRAM = "workshop study merge"


class StudyPeer(Protocol):
    """The other copy of a study, seen from this one."""

    def study(self) -> Study: ...

    def log_of(self, sitting: Sitting) -> SittingLog | None:
        """The peer's log of ``sitting`` (as the peer's study names it), or None if it has none."""

    def rows_after(self, sitting: Sitting, after: int) -> list[RawRow]: ...

    def hash_at(self, sitting: Sitting, seq: int) -> str: ...

    def text_of(self, source: TextSource) -> str | None: ...


@dataclass
class Outcome:
    """What a merge or sync did, for the user: counts and the sentences they should read."""

    merged: MergeResult
    sittings_added: int = 0
    operations_received: int = 0
    texts_received: int = 0
    sittings_sent: int = 0
    operations_sent: int = 0
    texts_sent: int = 0
    items_sent: int = 0
    ahead: list[tuple[Sitting, SittingLog, int]] = field(default_factory=list)
    """Sittings this copy holds more of than the peer: (sitting, this copy's log, the peer's length)."""
    notes: list[str] = field(default_factory=list)

    def in_words(self) -> str:
        """What arrived and what was sent, as people say it (nothing counted that did not happen)."""

        def counted(*pairs: tuple[int, str, str]) -> str:
            return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in pairs if n)

        arrived = counted((self.sittings_added, "sitting", "sittings"),
                          (self.operations_received, "change", "changes"), (self.texts_received, "text", "texts"))
        sent = counted((self.sittings_sent, "sitting", "sittings"), (self.operations_sent, "change", "changes"),
                       (self.texts_sent, "text", "texts"), (self.items_sent, "study entry", "study entries"))
        parts = ([f"{arrived} arrived"] if arrived else []) + ([f"sent {sent}"] if sent else [])
        return "; ".join(parts) or "nothing new either way"

    def summary(self) -> str:
        """What arrived and what was sent, counted (the command line's report)."""
        return (
            f"received {self.sittings_added} sitting(s), {self.operations_received} operation(s), "
            f"{self.texts_received} text(s); sent {self.sittings_sent} sitting(s), {self.operations_sent} "
            f"operation(s), {self.texts_sent} text(s), {self.items_sent} change(s) to the study"
        )

    def lines(self) -> list[str]:
        return self.merged.describe() + self.notes


class FolderPeer:
    """Another study folder (a copy on a stick, a colleague's laptop's folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._study = load_study(self.folder)

    def study(self) -> Study:
        return self._study

    def log_of(self, sitting: Sitting) -> SittingLog | None:
        path = sitting_file(self.folder, sitting)
        if not path.exists():
            return None
        try:
            return read_log(path)
        except StoreError as error:
            raise StudyError(f"{self.folder}: sitting {sitting.id}: {error}") from None

    def rows_after(self, sitting: Sitting, after: int) -> list[RawRow]:
        return rows_after(sitting_file(self.folder, sitting), after)

    def hash_at(self, sitting: Sitting, seq: int) -> str:
        return hash_at(sitting_file(self.folder, sitting), seq)

    def text_of(self, source: TextSource) -> str | None:
        path = self.folder / source.file
        return path.read_text(encoding="utf-8") if path.is_file() else None


def _local_log(folder: Path, sitting: Sitting) -> SittingLog | None:
    path = sitting_file(folder, sitting)
    return read_log(path) if path.exists() else None


def rename_local(folder: Path, moved: dict[str, str], renumbered: dict[str, str]) -> None:
    """Give renumbered sittings' files their new names (hard link, then unlink: never two files half-named)."""
    for old, new in moved.items():
        source, target = folder / old, folder / new
        if not source.exists():
            continue  # a rerun after the rename: the new name is there
        with contextlib.suppress(FileExistsError):
            os.link(source, target)
        source.unlink()
        for suffix in ("-wal", "-shm"):
            (folder / (old + suffix)).unlink(missing_ok=True)
    if renumbered:
        for new in moved.values():
            workshop_file = WorkshopFile.open(folder / new, program=MERGE_PROGRAM)
            try:
                sitting_id = workshop_file.meta().get("sitting_id")
                if sitting_id in renumbered:
                    workshop_file.set_meta("sitting_id", renumbered[sitting_id])
            finally:
                workshop_file.close()


def take_from_peer(
    folder: Path, local: Study, peer: StudyPeer, result: MergeResult, *, peer_ids: dict[str, str]
) -> Outcome:
    """Write into ``folder`` what the merged study needs from ``peer``: new sittings, missing records, texts.

    ``peer_ids`` maps a sitting's id in the merged study to its id in the
    peer's study (they differ for a renumbered arriving sitting); a sitting
    it does not name is not in the peer's copy.
    """
    outcome = Outcome(result)
    peer_sittings = {s.id: s for s in peer.study().sittings}
    local_files = {s.id: s for s in local.sittings}
    for sitting in result.study.sittings:
        theirs = peer_sittings.get(peer_ids[sitting.id]) if sitting.id in peer_ids else None
        their_log = peer.log_of(theirs) if theirs is not None else None
        mine = local_files.get(sitting.id)
        path = sitting_file(folder, sitting)
        my_log = _local_log(folder, sitting) if mine is not None or path.exists() else None
        if their_log is None:
            if my_log is not None and theirs is not None:
                outcome.ahead.append((sitting, my_log, 0))
            continue
        assert theirs is not None
        if my_log is None:
            rows = peer.rows_after(theirs, 0)
            build_copy(path, their_log, rows, sitting_id=sitting.id)
            outcome.sittings_added += 1
            outcome.operations_received += len(rows)
            continue
        if my_log.session_id != their_log.session_id:
            outcome.notes.append(f"sitting {sitting.id}: the two copies hold different sessions; kept this one's")
            continue
        try:
            shorter = min(my_log.operations, their_log.operations)
            standing = compare(
                my_log,
                their_log,
                hash_at(path, shorter) if my_log.operations > shorter else None,
                peer.hash_at(theirs, shorter) if their_log.operations > shorter else None,
            )
        except Diverged as error:
            outcome.notes.append(
                f"sitting {sitting.id} was changed in both copies ({error}); this copy's log was kept as it is"
            )
            continue
        if standing == "theirs ahead":
            outcome.operations_received += extend(path, peer.rows_after(theirs, my_log.operations))
            recorded = mine.head.operations if mine is not None and mine.head is not None else 0
            if recorded > my_log.operations:
                outcome.notes.append(
                    f"sitting {sitting.id}: this copy's log had lost its operations after {my_log.operations} "
                    f"(the study had recorded {recorded}); they were taken back from the other copy"
                )
        elif standing == "mine ahead":
            outcome.ahead.append((sitting, my_log, their_log.operations))
    have = {s.id for s in local.sources}
    for source in result.study.sources:
        target = folder / source.file
        if source.id in have and target.exists():
            continue
        text = peer.text_of(source)
        if text is None:
            outcome.notes.append(f"text {source.name}: its content is in neither copy")
            continue
        target.parent.mkdir(exist_ok=True)
        _replace_with(target, text.encode("utf-8"))
        outcome.texts_received += 1
    return outcome


def save_merged(folder: Path, study: Study) -> None:
    """Save the merged study with each sitting's head as its file now holds it."""
    for sitting in study.sittings:
        if sitting_file(folder, sitting).exists():
            refresh_head(folder, sitting)
    save_study(folder, study)


def merge_folders(folder: Path, other: Path) -> Outcome:
    """``workshop study merge DIR OTHER``: bring into ``folder`` what ``other`` (a copy of the same study) added."""
    peer = FolderPeer(other)
    with study_for_writing(folder, MERGE_PROGRAM) as local:
        if peer.study().id != local.id:
            raise StudyError(f"{other} is another study ({peer.study().title!r}), not a copy of {local.title!r}")
        result = merge_studies(None, local, peer.study())
        peer_ids = {result.renumbered.get(s.id, s.id): s.id for s in peer.study().sittings}
        outcome = take_from_peer(folder, local, peer, result, peer_ids=peer_ids)
        save_merged(folder, result.study)
    return outcome
