"""A study on disk: a folder with ``study.json``, one ``.workshop`` file per sitting, and attached texts.

``study.json`` is small and rewritten whole on every change, through a
temporary file in the same folder, fsync and ``os.replace``: a crash leaves
the old study file or the new one, never half of one. A change that also
writes another file (a new sitting's session, an attached text) writes that
file first and the study file last, and removes what it wrote if the study
file cannot be written, so the study never names a file that is not there.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from xml.etree import ElementTree as ET

from pydantic import ValidationError

from workshop.domain.model.ids import new_id
from workshop.domain.model.json_text import JsonTextError, loads_strict
from workshop.domain.model.operations import describe_validation_error
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session, new_session
from workshop.domain.model.source_file import UnreadableFile, read_regular_file
from workshop.domain.research.privacy import public_record
from workshop.domain.research.study import (
    STUDY_FORMAT,
    STUDY_VERSION,
    Provenance,
    Sitting,
    SittingHead,
    SittingKind,
    SourceKind,
    Study,
    StudyError,
    TextCoding,
    TextSource,
    carried_state,
)
from workshop.store.lock import LockHeld, SessionLock
from workshop.store.sessions import StoreError, create_document, read_record
from workshop.store.workshop_file import WorkshopFile

STUDY_FILE = "study.json"
SOURCES_FOLDER = "sources"
MAX_STUDY_BYTES = 50_000_000
MAX_TEXT_BYTES = 20_000_000
"""Largest transcript or note accepted (a two-hour interview is about 100 kB of text)."""
MAX_DOCX_XML_BYTES = 100_000_000
"""Largest ``word/document.xml`` read from a .docx: a zip bomb is refused before it is inflated."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def now() -> datetime:
    return datetime.now(UTC)


def study_path(folder: Path) -> Path:
    return Path(folder) / STUDY_FILE


def save_study(folder: Path, study: Study) -> None:
    """Write ``study.json`` safely: temporary file beside it, fsync, ``os.replace``."""
    target = study_path(folder)
    written = study.model_copy(update={"version": STUDY_VERSION})  # a study read as version 1 is saved as this one
    data = (written.model_dump_json(indent=2) + "\n").encode("utf-8")
    _replace_with(target, data)


_T = TypeVar("_T")


def _save_added(folder: Path, study: Study, items: list[_T], item: _T, leftovers: tuple[Path, ...] = ()) -> None:
    """Append ``item`` and save the study; if saving fails, take it out and delete its files: all or nothing."""
    items.append(item)
    try:
        save_study(folder, study)
    except StudyError:
        items.pop()
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise


def _replace_with(target: Path, data: bytes) -> None:
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise StudyError(f"{target}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(name, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise StudyError(f"{target}: cannot write: {error.strerror}") from None


def create_study(folder: Path, title: str, actor: str) -> Study:
    """A new study in ``folder`` (created; if it exists it must be empty)."""
    folder = Path(folder)
    if not title.strip():
        raise StudyError("--title: give the study a title")
    if folder.exists():
        if not folder.is_dir():
            raise StudyError(f"{folder} exists and is not a folder")
        if any(folder.iterdir()):
            raise StudyError(f"{folder} is not empty; a study needs a folder of its own")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StudyError(f"{folder}: cannot create the folder: {error.strerror}") from None
    study = Study(id=new_id("study"), title=title.strip(), created=now(), created_by=actor)
    save_study(folder, study)
    return study


def load_study(folder: Path) -> Study:
    """Read ``study.json``; errors name the file and the line or field."""
    path = study_path(folder)
    if not Path(folder).is_dir():
        raise StudyError(f"{folder} is not a study folder (no such folder)")
    if not path.exists():
        raise StudyError(f"{folder} is not a study folder (no {STUDY_FILE}; create one with 'workshop study new')")
    try:
        data = loads_strict(read_regular_file(path, limit=MAX_STUDY_BYTES))
    except UnreadableFile as error:
        raise StudyError(str(error)) from None
    except JsonTextError as error:
        raise StudyError(f"{path}:{error.line}: {error}") from None
    if not isinstance(data, dict) or data.get("format") != STUDY_FORMAT:
        raise StudyError(f"{path} is not a Process Workshop study file")
    version = data.get("version")
    if isinstance(version, int) and version > STUDY_VERSION:
        raise StudyError(f"{path} was written by a newer Process Workshop (study format {version}); update to open it")
    try:
        return Study.model_validate(data)
    except ValidationError as error:
        raise StudyError(f"{path}: not a valid study file: {describe_validation_error(error)}") from None


@contextlib.contextmanager
def study_for_writing(folder: Path, program: str, notes: list[str] | None = None) -> Iterator[Study]:
    """The study, read under its write lock (``study.json.lock``), for one change.

    ``study.json`` is rewritten whole, so two commands changing it at once
    would each write the study as they read it and one change would be lost;
    the second is told who is changing the study instead. The study is read
    after the lock is taken, so the change applies to the latest version.
    """
    load_study(folder)  # a clear error for a folder that is not a study, before any lock file appears there
    try:
        lock = SessionLock.acquire(study_path(folder), program)
    except LockHeld as error:
        raise StudyError(f"{folder}: another command is changing the study ({error}); try again") from None
    except OSError as error:
        raise StudyError(f"{folder}: cannot change the study: {error.strerror}") from None
    if lock.taken_over is not None and notes is not None:  # a killed command's lock: say whose it was
        notes.append(lock.taken_over.describe_taken_over().replace("write lock", "study's lock"))
    try:
        yield load_study(folder)
    finally:
        lock.release()


def sitting_file(folder: Path, sitting: Sitting) -> Path:
    return Path(folder) / sitting.file


def read_sitting(folder: Path, sitting: Sitting) -> SessionRecord:
    """The full record of one sitting (state and log); outputs de-identify it first."""
    try:
        return read_record(sitting_file(folder, sitting))
    except StoreError as error:
        raise StudyError(f"sitting {sitting.id}: {error}") from None


def read_sittings(
    folder: Path, study: Study, *, skipped: list[str] | None = None
) -> list[tuple[Sitting, SessionRecord]]:
    """Every sitting with its record, in the order they happened.

    With ``skipped`` a sitting that cannot be read (a damaged file) is left
    out and named there with the reason, so one damaged sitting does not keep
    the rest of the study from being exported; without it, it is an error.
    """
    read: list[tuple[Sitting, SessionRecord]] = []
    for sitting in study.in_order():
        try:
            read.append((sitting, read_sitting(folder, sitting)))
        except StudyError as error:
            if skipped is None:
                raise
            reason = str(error).removeprefix(f"sitting {sitting.id}: ")
            skipped.append(f"sitting {sitting.id} ({sitting.file}), which cannot be read: {reason}")
    return read


def _next_sitting_id(study: Study) -> str:
    taken = {s.id for s in study.sittings}
    n = len(study.sittings) + 1
    while f"s{n:02d}" in taken:
        n += 1
    return f"s{n:02d}"


def carry_forward(
    record: SessionRecord, *, from_sitting: str, described: str, session_id: str, title: str, actor: str
) -> tuple[Session, Provenance]:
    """A new session's starting state from where ``record`` ended, and the provenance that says so.

    What is carried is :func:`~workshop.domain.research.study.carried_state` of the de-identified record; a study's
    next sitting and the app's New workshop "from an earlier session" both start this way. ``described``
    names the source in the error (a state the file accepted but a fresh session would not).
    """
    try:
        start, counts, people = carried_state(public_record(record).session, session_id=session_id, title=title)
    except ValidationError as error:
        what = describe_validation_error(error)
        raise StudyError(f"{described}: cannot carry its state forward: {what}") from None
    provenance = Provenance(
        from_sitting=from_sitting,
        from_session_id=record.session.id,
        from_seq=record.records[-1].seq if record.records else 0,
        carried_at=now(),
        carried_by=actor,
        carried=counts,
        carried_participants=people,
    )
    return start, provenance


def add_sitting(
    folder: Path,
    study: Study,
    *,
    kind: SittingKind,
    intervention: int,
    process: str,
    actor: str,
    date: str = "",
    time: str = "",
    title: str = "",
    attendance: dict[str, int] | None = None,
    people: list[str] | None = None,
    from_key: str | None = None,
    file_name: str = "",
    notes: list[str] | None = None,
) -> Sitting:
    """Add a sitting and create its ``.workshop`` file, empty or carried forward from ``from_key``.

    ``file_name`` chooses the file's name (default ``sNN-KIND.workshop``). The
    file is made under a temporary name, moved to its name, and the study
    saved: a killed run leaves either a temporary file or a sitting file no
    study names, and the next add removes that leftover (``notes`` says so)
    instead of refusing the name for ever. Call it under
    :func:`study_for_writing`, which keeps a second add out meanwhile.
    """
    folder = Path(folder)
    sitting_id = _next_sitting_id(study)
    file_name = _chosen_file_name(file_name) if file_name else f"{sitting_id}-{kind.value.replace('_', '-')}.workshop"
    _clear_leftovers(folder, study, file_name, notes if notes is not None else [])
    title = title.strip() or f"{study.title}: {kind.value.replace('_', ' ')} {date}".strip()
    try:
        sitting = Sitting(
            id=sitting_id,
            kind=kind,
            intervention=intervention,
            process=process.strip(),
            date=date,
            time=time,
            file=file_name,
            title=title,
            attendance=attendance or {},
            people=people or [],
            created=now(),
            created_by=actor,
        )
    except ValidationError as error:
        raise StudyError(f"sitting: {describe_validation_error(error)}") from None
    session_id = new_id("session")
    if from_key is not None:
        earlier = study.sitting(from_key)
        if not sitting.process:
            sitting.process = earlier.process  # the same business process, unless said otherwise
        start, sitting.provenance = carry_forward(
            read_sitting(folder, earlier),
            from_sitting=earlier.id,
            described=f"sitting {earlier.id}",
            session_id=session_id,
            title=title,
            actor=actor,
        )
    else:
        start = new_session(title, session_id=session_id)
    target = folder / file_name
    meta = {"study_id": study.id, "sitting_id": sitting.id}
    if sitting.provenance is not None:  # the file says where its starting state came from, even copied elsewhere
        meta["provenance"] = sitting.provenance.model_dump_json()
    if target.exists() or target.is_symlink():
        raise StudyError(f"{target} already exists; choose another file name with --name")
    temporary = folder / f"{ADDING_PREFIX}{sitting.id}-{new_id('part')}.workshop"
    try:
        _, workshop_file = create_document(temporary, start, program="workshop study add", meta=meta)
        workshop_file.close()  # checkpointed: the file alone holds the sitting, no -wal beside it
        sitting.head = _head_of(temporary)
        _move_without_replacing(temporary, target)
        _remove_session_files(temporary)  # the empty -wal and -shm that reading it left
    except (StoreError, OSError) as error:
        _remove_session_files(temporary)
        message = str(error) if isinstance(error, StoreError) else f"{target}: cannot create: {error.strerror}"
        raise StudyError(message) from None
    _save_added(folder, study, study.sittings, sitting, _session_files(target))
    return sitting


ADDING_PREFIX = ".adding-"
"""A sitting's file while ``study add`` makes it; a file with this name is never part of a study."""


def _chosen_file_name(name: str) -> str:
    """``--name``: a plain file name in the study folder, ending in .workshop."""
    name = name.strip()
    if not name.endswith(".workshop"):
        name += ".workshop"
    if "/" in name or "\\" in name or name.startswith(".") or name in (".workshop", "study.json"):
        raise StudyError(f"--name {name!r}: give a plain file name such as s02-modeling-march.workshop")
    return name


def _session_files(path: Path) -> tuple[Path, ...]:
    return (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


def _remove_session_files(path: Path) -> None:
    for leftover in (*_session_files(path), path.with_name(path.name + ".lock")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _move_without_replacing(source: Path, target: Path) -> None:
    """Give ``source`` the name ``target`` unless something has it (a hard link fails if it exists)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise StudyError(f"{target} already exists; choose another file name with --name") from None
    except OSError:  # no hard links here (FAT sticks, some shares): the study lock keeps other adds out
        if target.exists():
            raise StudyError(f"{target} already exists; choose another file name with --name") from None
        os.replace(source, target)
        return
    source.unlink()


def _clear_leftovers(folder: Path, study: Study, file_name: str, notes: list[str]) -> None:
    """Remove what a killed ``study add`` left: its temporary files, and a new, empty sitting file no study names.

    Runs under the study's lock, so no other add is making these files now. A
    file the study does not name is removed only if it is this study's own
    sitting file with no operations (what an interrupted add leaves);
    anything else stays, and the name is refused with the way out (--name).
    """
    for temporary in folder.glob(f"{ADDING_PREFIX}*.workshop"):
        _remove_session_files(temporary)
        notes.append(f"removed {temporary.name}, left by an interrupted 'study add'")
    target = folder / file_name
    if not target.exists() or any(s.file == file_name for s in study.sittings):
        return
    try:
        record = read_record(target)
        meta_study = _meta_of(target).get("study_id")
    except (StoreError, StudyError):
        return  # not a session we can read: it stays, and the add says the name is taken
    if meta_study == study.id and not record.records:
        _remove_session_files(target)
        notes.append(f"removed {file_name}, an empty sitting file left by an interrupted 'study add'")


def _meta_of(path: Path) -> dict[str, str]:
    workshop_file = WorkshopFile.open(path, read_only=True)
    try:
        return workshop_file.meta()
    finally:
        workshop_file.close()


def _head_of(path: Path) -> SittingHead:
    """A sitting file's head now: what ``study verify`` later compares the file with."""
    workshop_file = WorkshopFile.open(path, read_only=True)
    try:
        operations, last_hash = workshop_file.head()
    finally:
        workshop_file.close()
    return SittingHead(operations=operations, last_hash=last_hash, recorded=now())


# -- attached texts -------------------------------------------------------------------------


def read_text_file(path: Path) -> str:
    """The text of a .txt, .md or .docx file, line ends as ``\\n``; errors name the file and what is wrong."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".md", ".docx"):
        raise StudyError(f"{path}: attach a .txt, .md or .docx file")
    try:
        raw = read_regular_file(path, limit=MAX_TEXT_BYTES)
    except UnreadableFile as error:
        raise StudyError(str(error)) from None
    if suffix == ".docx":
        text = _docx_text(path)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise StudyError(f"{path}:{line}: not UTF-8 text (save it as UTF-8 and attach it again)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise StudyError(f"{path}: the file holds no text")
    return text


def _docx_text(path: Path) -> str:
    """The paragraphs of a Word document's body, one per line (standard library only)."""
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise StudyError(f"{path}: not a Word document (no word/document.xml inside)") from None
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise StudyError(f"{path}: the document is too large to read ({info.file_size} bytes of text XML)")
            xml = archive.read(info)
    except (zipfile.BadZipFile, OSError) as error:
        raise StudyError(f"{path}: not a readable .docx file ({error})") from None
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as error:
        raise StudyError(f"{path}: word/document.xml is not well-formed ({error})") from None
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for element in paragraph.iter():
            if element.tag == f"{_W}t":
                parts.append(element.text or "")
            elif element.tag == f"{_W}tab":
                parts.append("\t")
            elif element.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def source_text(folder: Path, source: TextSource) -> str:
    """The stored text of an attached source."""
    path = Path(folder) / source.file
    try:
        return read_regular_file(path, limit=MAX_TEXT_BYTES).decode("utf-8")
    except UnreadableFile as error:
        raise StudyError(str(error)) from None
    except UnicodeDecodeError:
        raise StudyError(f"{path}: the stored text is damaged (not UTF-8)") from None


def attach_text(
    folder: Path, study: Study, sitting_key: str, path: Path, *, source_kind: SourceKind, actor: str
) -> TextSource:
    """Attach a transcript or note to a sitting: its text is stored in the study folder as UTF-8."""
    sitting = study.sitting(sitting_key)
    return _store_text(folder, study, path, actor=actor, sitting_id=sitting.id, source_kind=source_kind)


def archive_text(
    folder: Path,
    study: Study,
    path: Path,
    *,
    day: str,
    document_kind: str,
    actor: str,
    intervention: int | None = None,
    title: str = "",
) -> TextSource:
    """Keep an archival document (contract, minutes, e-mails) of the study or of one intervention, as UTF-8 text."""
    document_kind = " ".join(document_kind.split())
    if not document_kind:
        raise StudyError("--document-kind: say what the document is (e.g. contract, minutes, e-mail)")
    if intervention is not None and intervention < 1:
        raise StudyError(f"--intervention {intervention}: interventions are numbered from 1")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise StudyError(f"--date {day!r}: give the document's date as YYYY-MM-DD, e.g. 2026-02-14") from None
    return _store_text(
        folder,
        study,
        path,
        actor=actor,
        source_kind=SourceKind.DOCUMENT,
        name=" ".join(title.split()),
        intervention=intervention,
        date=day,
        document_kind=document_kind,
    )


def _store_text(folder: Path, study: Study, path: Path, *, actor: str, name: str = "", **fields: Any) -> TextSource:
    """Store a text under ``sources/`` (atomically) and add it to the study: all or nothing."""
    folder = Path(folder)
    text = read_text_file(path)
    source_id = new_id("text")
    relative = f"{SOURCES_FOLDER}/{source_id}.txt"
    target = folder / relative
    try:
        target.parent.mkdir(exist_ok=True)
    except OSError as error:
        raise StudyError(f"{target.parent}: cannot create: {error.strerror}") from None
    _replace_with(target, text.encode("utf-8"))
    source = TextSource(
        id=source_id,
        name=name or re.sub(r"\s+", " ", Path(path).stem).strip() or source_id,
        file=relative,
        original_name=Path(path).name,
        length=len(text),
        added=now(),
        added_by=actor,
        **fields,
    )
    _save_added(folder, study, study.sources, source, (target,))
    return source


def code_text(
    folder: Path,
    study: Study,
    sitting_key: str,
    source_key: str,
    *,
    start: int,
    end: int,
    code: str,
    actor: str,
) -> TextCoding:
    """Code characters ``start``..``end`` of an attached text with a code of the sitting's codebook.

    An archival document is coded with the codebook of a sitting of its intervention (any sitting for one of the
    whole study).
    """
    sitting = study.sitting(sitting_key)
    source = study.source(source_key)
    if source.sitting_id and source.sitting_id != sitting.id:
        raise StudyError(f"text {source.id} is attached to sitting {source.sitting_id}, not {sitting.id}")
    if source.archival and source.intervention not in (None, sitting.intervention):
        raise StudyError(
            f"text {source.id} is an archival document of intervention {source.intervention}; "
            f"code it with the codebook of one of its sittings, not {sitting.id} (intervention {sitting.intervention})"
        )
    if not 0 <= start < end <= source.length:
        raise StudyError(
            f"--start {start} --end {end}: not a selection of text {source.id} "
            f"(0 <= start < end <= {source.length} characters)"
        )
    codes = read_sitting(folder, sitting).session.codes
    wanted = code.strip().lower()
    match = [c for c in codes.values() if wanted in (c.id.lower(), c.name.lower())]
    if not match:
        known = "; ".join(c.name for c in codes.values()) or "none"
        raise StudyError(f"--code {code!r}: not in the codebook of sitting {sitting.id} (codes: {known})")
    chosen = match[0]
    coding = TextCoding(
        id=new_id("coding"),
        source_id=source.id,
        start=start,
        end=end,
        code_id=chosen.id,
        code_name=chosen.name,
        added=now(),
        added_by=actor,
    )
    _save_added(folder, study, study.codings, coding)
    return coding
