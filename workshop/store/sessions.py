"""Opening sessions for the fronts: a live Document bound to its file, or a read-only record.

The document's sink is the file, so every applied operation is committed
before the change shows; a snapshot is written every
:data:`~workshop.store.workshop_file.SNAPSHOT_EVERY` operations.
"""

from __future__ import annotations

import contextlib
import weakref
from pathlib import Path

from pydantic import ValidationError

from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.json_text import JsonTextError, loads_strict
from workshop.domain.model.operations import describe_validation_error, unencodable_text
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session
from workshop.domain.model.source_file import UnreadableFile, read_regular_file
from workshop.store.file_format import SNAPSHOT_EVERY
from workshop.store.workshop_file import APP_NAME, LogSpan, StoreError, WorkshopFile

__all__ = [
    "LogSpan",
    "SnapshotKeeper",
    "StoreError",
    "create_document",
    "load_session_json",
    "open_document",
    "read_record",
    "read_state_and_span",
    "snapshot_keeper",
]

SESSION_SUFFIX = ".workshop"

SNAPSHOT_OVERDUE = 5 * SNAPSHOT_EVERY
"""Records after which a front that waits for quiet moments snapshots in line anyway."""

MAX_JSON_BYTES = 512_000_000
"""Largest session accepted as JSON text (a 100,000-node model is about 40 MB)."""


class SnapshotKeeper:
    """Writes the snapshots that make opening fast: every :data:`SNAPSHOT_EVERY` records as they come, or, in a
    front that offers quiet moments (the app), in those, and in line only once :data:`SNAPSHOT_OVERDUE` records
    wait.

    Writing one stops the front while the whole state is written out: some 50 ms with a room's few thousand
    ideas, which a crowd of phones waited for every thousand contributions. A snapshot only shortens the replay
    when the file is next opened, so it can wait for a pause; the cap keeps that replay short after a crash.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._in_line_every = 0  # the file's own SNAPSHOT_EVERY

    def wait_for_quiet_moments(self) -> None:
        """The front calls :meth:`write_if_due` when nothing happens for a moment; in line only when overdue."""
        self._in_line_every = SNAPSHOT_OVERDUE

    def on_record(self, record: LogRecord) -> None:
        workshop_file = self._file()
        # The state in memory is the one after the document's last record, which is ahead of ``record`` while
        # a group from Document.apply_all is being announced: snapshot it at that sequence number.
        if workshop_file is not None and workshop_file.snapshot_due(record.seq, self._in_line_every):
            try:
                workshop_file.write_snapshot(self._document.session, self._document.last_seq)
            except StoreError:
                # Outside a transaction the operation is committed already and the snapshot only speeds up
                # opening (it is tried again with the next one); inside one, the failure undoes the whole group.
                if workshop_file.in_transaction:
                    raise

    def write_if_due(self) -> None:
        """In a quiet moment: the snapshot, if one is due (a failure loses nothing and is tried again later)."""
        workshop_file = self._file()
        if workshop_file is not None and workshop_file.snapshot_due(self._document.last_seq):
            with contextlib.suppress(StoreError):
                workshop_file.write_snapshot(self._document.session, self._document.last_seq)

    def _file(self) -> WorkshopFile | None:
        sink = self._document.sink  # the file records go to now: Save As continues in the copy
        return sink if isinstance(sink, WorkshopFile) and not sink.read_only else None


_KEEPERS: weakref.WeakKeyDictionary[Document, SnapshotKeeper] = weakref.WeakKeyDictionary()


def snapshot_keeper(document: Document) -> SnapshotKeeper | None:
    """The keeper of a document bound to its file here (None for one that is not)."""
    return _KEEPERS.get(document)


def _bind(workshop_file: WorkshopFile, session: Session, last_seq: int) -> Document:
    document = Document(session, sink=workshop_file, last_seq=last_seq)
    keeper = _KEEPERS[document] = SnapshotKeeper(document)
    document.subscribe(keeper.on_record)
    return document


def open_document(path: Path, *, read_only: bool = False, program: str = APP_NAME) -> tuple[Document, WorkshopFile]:
    """Open a .workshop file as a live document (refuses edits if the file is read-only).

    ``program`` is named in the write lock, so a second writer learns who has the file open.
    """
    workshop_file = WorkshopFile.open(Path(path), read_only=read_only, program=program)
    try:
        session, last_seq = workshop_file.load()
    except StoreError:
        workshop_file.close()
        raise
    return _bind(workshop_file, session, last_seq), workshop_file


def create_document(
    path: Path, session: Session, *, program: str = APP_NAME, meta: dict[str, str] | None = None
) -> tuple[Document, WorkshopFile]:
    """Start a new .workshop file from ``session`` (an empty one, an example, an import).

    ``meta`` adds entries to the file's metadata (a study sitting's provenance).
    """
    workshop_file = WorkshopFile.create(Path(path), session, program=program, meta=meta)
    return _bind(workshop_file, session.model_copy(deep=True), 0), workshop_file


def load_session_json(path: Path) -> Session:
    """Read a session kept as JSON text (the examples in models/); errors name the line or the field."""
    path = Path(path)
    try:
        data = loads_strict(read_regular_file(path, limit=MAX_JSON_BYTES))
    except UnreadableFile as error:
        raise StoreError(str(error)) from None
    except JsonTextError as error:
        where = f"{error.line}:{error.column}" if error.column else f"{error.line}"
        raise StoreError(f"{path}:{where}: {error}") from None
    where = unencodable_text(data)
    if where:  # the file stores UTF-8: a lone surrogate ("\\ud800") could not be written
        raise StoreError(f"{path}: not a valid session: {where} holds a lone surrogate, which is not text")
    try:
        return Session.model_validate(data)
    except ValidationError as error:
        raise StoreError(f"{path}: not a valid session: {describe_validation_error(error)}") from None


def read_state_and_span(path: Path, notes: list[str] | None = None) -> tuple[Session, LogSpan]:
    """The current state and the extent of the log (count, first and last time), without reading the whole log.

    Opening checks what it reads (the latest snapshot and the operations
    after it); ``workshop verify`` checks the rest.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        return load_session_json(path), LogSpan(0, None, None)
    workshop_file = WorkshopFile.open(path, read_only=True)
    if workshop_file.note and notes is not None:
        notes.append(workshop_file.note)
    try:
        session, _ = workshop_file.load()
        return session, workshop_file.log_span()
    finally:
        workshop_file.close()


def read_record(path: Path, notes: list[str] | None = None) -> SessionRecord:
    """The state and log of a .workshop file, or the state of a .json session (with an empty log).

    ``notes`` receives what the user should know about the opening (a foreign WAL set aside).
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        return SessionRecord(load_session_json(path))
    workshop_file = WorkshopFile.open(path, read_only=True)
    if workshop_file.note and notes is not None:
        notes.append(workshop_file.note)
    try:
        session, _ = workshop_file.load()
        return SessionRecord(session, list(workshop_file.records()))
    finally:
        workshop_file.close()
