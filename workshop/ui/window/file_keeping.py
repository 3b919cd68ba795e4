"""The file alone is the session: checkpoint when the app is idle, and on close record the sitting's head.

Every change is committed before it shows, but SQLite keeps committed pages
in ``NAME.workshop-wal`` until a checkpoint, which it makes by itself only
after ~1,000 pages; a facilitator who copies the one file they see (to a
stick in the coffee break, to the researcher by mail) would copy an empty
session. So a moment after the last change the window asks the store to move
the WAL into the file (:meth:`~workshop.store.workshop_file.WorkshopFile.checkpoint`,
PASSIVE: it never waits for a reader), and closing empties it. The snapshot that
makes opening fast is written in those quiet moments too, not while phones wait.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from workshop.domain.model.document import Document, LogRecord
from workshop.store.sessions import snapshot_keeper
from workshop.store.study_heads import record_head_of
from workshop.store.workshop_file import APP_NAME, WorkshopFile

log = logging.getLogger(__name__)

IDLE_MS = 2000
"""How long after the last change the WAL is checkpointed into the file."""


class IdleCheckpoint(QObject):
    """Restarts a short timer on every change; when it runs out, the store checkpoints the file."""

    def __init__(self, document: Document, current_file: Callable[[], WorkshopFile], parent: QObject) -> None:
        super().__init__(parent)
        self._current_file = current_file  # Save As swaps the window's file: ask for the current one each time
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self.checkpoint_now)
        self._unsubscribe = document.subscribe(self._changed)
        self._snapshots = snapshot_keeper(document)
        if self._snapshots is not None:
            self._snapshots.wait_for_quiet_moments()  # a room of phones need not wait for one

    def _changed(self, _record: LogRecord) -> None:
        self._timer.start()  # restarting it: a burst of changes checkpoints once, after it

    def checkpoint_now(self) -> None:
        if self._snapshots is not None:
            self._snapshots.write_if_due()
        workshop_file = self._current_file()
        if workshop_file.changes_since_checkpoint and not workshop_file.checkpoint():
            self._timer.start()  # a reader held it, or the disk is full: the WAL still has it all; try again

    def stop(self) -> None:
        self._timer.stop()
        self._unsubscribe()


def close_session(workshop_file: WorkshopFile, document: Document) -> None:
    """Close the file (snapshot if worth it, then everything into the file) and tell its study how long it is."""
    note = workshop_file.close(document.session, document.last_seq)
    if note:
        log.warning("closing %s: %s", workshop_file.path, note)
    if not workshop_file.read_only and document.last_seq:
        note = record_head_of(workshop_file.path, APP_NAME)
        if note:
            log.warning("closing %s: %s", workshop_file.path, note)
