"""Each sitting's head (log length and last checksum) kept in the study, and ``study verify`` that compares.

A session file's checksum chain carries no key, and its end carries nothing
after it: operations cut from the end together with their snapshots leave a
shorter log that is whole. Only something kept elsewhere can tell. The study
records each sitting's head whenever a command or the app has written to it,
and ``workshop study verify`` checks every sitting (as ``workshop verify``)
and that its log still reaches, and passes through, the recorded head.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workshop.domain.research.study import Sitting, SittingHead, Study, StudyError
from workshop.store.lock import LockHeld
from workshop.store.rescue import verify_file
from workshop.store.sessions import StoreError
from workshop.store.study_folder import STUDY_FILE, load_study, now, save_study, sitting_file, study_for_writing
from workshop.store.workshop_file import WorkshopFile

__all__ = ["SittingCheck", "record_head_of", "refresh_head", "verify_study"]


def _read_head(path: Path) -> tuple[int, str, dict[str, str]]:
    workshop_file = WorkshopFile.open(path, read_only=True)
    try:
        operations, last_hash = workshop_file.head()
        return operations, last_hash, workshop_file.meta()
    finally:
        workshop_file.close()


def refresh_head(folder: Path, sitting: Sitting) -> None:
    """Set ``sitting.head`` from its file now (the caller, holding the study, saves it)."""
    operations, last_hash, _meta = _read_head(sitting_file(folder, sitting))
    sitting.head = SittingHead(operations=operations, last_hash=last_hash, recorded=now())


def record_head_of(path: Path, program: str) -> str:
    """Record the head of ``path`` in its study, if it is a study's sitting; returns a note for the user, or ''.

    Called after a command or the app wrote to a session. A file that is no
    study's sitting is left alone; a study another command is changing right
    now is not waited for (the note says so, and the next write records it).
    """
    path = Path(path)
    folder = path.parent
    if not (folder / STUDY_FILE).is_file():
        return ""
    try:
        operations, last_hash, meta = _read_head(path)
    except StoreError:
        return ""  # the file says why when it is next opened
    study_id, sitting_id = meta.get("study_id"), meta.get("sitting_id")
    if not study_id or not sitting_id:
        return ""
    try:
        with study_for_writing(folder, program) as study:
            sitting = next((s for s in study.sittings if s.id == sitting_id and s.file == path.name), None)
            if study.id != study_id or sitting is None:
                return ""
            sitting.head = SittingHead(operations=operations, last_hash=last_hash, recorded=now())
            save_study(folder, study)
    except (StudyError, LockHeld) as error:
        return f"the study did not record the sitting's new length ({error})"
    return ""


@dataclass(frozen=True)
class SittingCheck:
    """What ``study verify`` found for one sitting; ``problem`` is empty when it is whole."""

    sitting: Sitting
    operations: int
    problem: str = ""

    def describe(self) -> str:
        if self.problem:
            return f"{self.sitting.id} ({self.sitting.file}): {self.problem}"
        recorded = (
            f", reaching the {self.sitting.head.operations} the study recorded"
            if self.sitting.head is not None
            else "; the study has no length recorded for it yet"
        )
        return f"{self.sitting.id} ({self.sitting.file}): intact — {self.operations} operation(s){recorded}"


def _compare(path: Path, head: SittingHead) -> str:
    """Why the file no longer matches the recorded head; empty if its log reaches and passes through it."""
    workshop_file = WorkshopFile.open_for_rescue(path)
    try:
        operations, _ = workshop_file.head()
        if operations < head.operations:
            return (
                f"its log ends at operation {operations}, but the study recorded {head.operations} "
                f"(on {head.recorded:%Y-%m-%d %H:%M} UTC): operations were cut from its end"
            )
        if workshop_file.hash_at(head.operations) != head.last_hash:
            return (
                f"operation {head.operations} is not the one the study recorded: the log was rewritten "
                "from there or before"
            )
    finally:
        workshop_file.close()
    return ""


def verify_study(folder: Path) -> list[SittingCheck]:
    """Check every sitting of the study in ``folder``, in the order they happened; writes nothing."""
    study: Study = load_study(folder)
    checks: list[SittingCheck] = []
    for sitting in study.in_order():
        path = sitting_file(folder, sitting)
        try:
            report = verify_file(path)
            problem = report.problem or (_compare(path, sitting.head) if sitting.head is not None else "")
            checks.append(SittingCheck(sitting, report.operations, problem))
        except StoreError as error:
            checks.append(SittingCheck(sitting, 0, str(error).removeprefix(f"{path}: ")))
    return checks
