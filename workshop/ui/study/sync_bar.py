"""The study window's line about its shared study: where it is shared, the last sync, what waits, and Sync.

Shown only for a study folder linked to a shared study (``workshop study
publish`` or ``clone``). Everything it says before a sync comes from the
folder alone: a sitting run offline in a room never needs the network. A
sync runs on a worker thread, so the window keeps painting while the server
answers; its outcome (what arrived, what was sent, what stays on this
laptop, any conflict) is shown as plain text, and the study is read again.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from workshop.domain.research.study import StudyError
from workshop.interchange.study_timeline import short_name
from workshop.store.shared_study import sync, sync_status, waiting_on_server
from workshop.store.study_folder import load_study
from workshop.store.study_sync import Outcome


def _when(iso: str) -> str:
    """A sync's time as people read it: local date and time, no seconds or zone."""
    if not iso:
        return "never"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d %b %Y, %H:%M")
    except ValueError:
        return iso


class SyncBar(QWidget):
    """Sync state and the Sync action of a shared study's window."""

    synced = Signal()
    """A sync ended (well or not): the window reads the study again."""
    _finished = Signal(object)
    """From the worker thread: an :class:`Outcome` or the error's sentence."""
    _looked = Signal(object)
    """From the worker thread: how many changes others sent since the last sync, or why it is not known."""

    def __init__(self, folder: Path, font: QFont | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.button = QPushButton("Sync now")
        self.button.setToolTip("Send this laptop's changes to the shared study and take the others' (Ctrl+Shift+S)")
        self.button.setShortcut("Ctrl+Shift+S")
        self.button.clicked.connect(self.start_sync)
        layout.addWidget(self.state, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        if font is not None:  # set on each: a font set on a hidden parent does not always reach its children
            for widget in (self, self.state, self.button):
                widget.setFont(font)
        self._finished.connect(self._show_outcome, Qt.ConnectionType.QueuedConnection)
        self._looked.connect(self._show_incoming, Qt.ConnectionType.QueuedConnection)
        self._worker: threading.Thread | None = None
        self._looking: threading.Thread | None = None
        self._looked_at = 0.0
        self._incoming = ""
        """What others sent since the last sync, as last seen on the server ('' until asked)."""
        self._notes: list[str] = []
        """What the last sync in this window said beyond its counts (renumbered sittings, conflicts, refusals)."""
        self.refresh()

    @property
    def syncing(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def refresh(self) -> None:
        """Read the folder's link again (after a reload, a sitting's changes, a sync)."""
        try:
            status = sync_status(self.folder)
        except StudyError as error:
            self.setVisible(True)
            self.state.setText(str(error))
            return
        self.setVisible(status is not None)
        if status is None:
            return
        waiting = (
            "nothing waits to be sent" if status.waiting == 0
            else f"{status.waiting} change{'s' if status.waiting != 1 else ''} made here wait to be sent"
        )
        last = f"last sync {_when(status.last_sync)}"
        if status.last_outcome:
            last += f" ({status.last_outcome})"
        incoming = f"; {self._incoming}" if self._incoming else ""
        if not self.syncing:
            self.state.setText(
                "\n".join([f"Shared study at {status.where}: {last}; {waiting}{incoming}.", *self._notes])
            )
        self.look_at_server()

    def look_at_server(self, *, at_most_every_s: float = 30.0) -> None:
        """Ask the server, on a worker thread, what others sent since the last sync (at most every 30 s)."""
        now = time.monotonic()
        if self.syncing or (self._looking is not None and self._looking.is_alive()):
            return
        if self._looked_at and now - self._looked_at < at_most_every_s:
            return
        self._looked_at = now
        self._looking = threading.Thread(target=self._look, name="study-sync-look", daemon=True)
        self._looking.start()

    def _look(self) -> None:
        try:
            waiting = waiting_on_server(self.folder)
            found = (
                "others sent nothing new since" if waiting == 0
                else f"others sent {waiting} change{'s' if waiting != 1 else ''} since"
            )
        except StudyError:
            found = "the shared study cannot be reached now (working offline)"
        except Exception:  # a fault must not end the window's thread silently: said, not raised
            found = "what others sent is not known"
        with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
            self._looked.emit(found)

    def _show_incoming(self, found: str) -> None:
        self._incoming = found
        if not self.syncing:
            self._looked_at = time.monotonic()
            self.refresh()

    def start_sync(self) -> None:
        """Sync on a worker thread; the button waits until it ends."""
        if self.syncing:
            return
        self.button.setEnabled(False)
        self.button.setText("Syncing…")
        self.state.setText("Syncing with the shared study…")
        self._worker = threading.Thread(target=self._run, name="study-sync", daemon=True)
        self._worker.start()

    def _run(self) -> None:
        try:
            result: Outcome | str = sync(self.folder)
        except StudyError as error:
            result = str(error)
        except Exception as error:  # a fault must not leave the button waiting for ever: shown, not raised
            result = f"the sync failed: {error}"
        with contextlib.suppress(RuntimeError):  # the window was closed meanwhile
            self._finished.emit(result)

    def _show_outcome(self, result: Outcome | str) -> None:
        self._worker = None
        self._incoming = "" if isinstance(result, str) else "others sent nothing new since"
        self.button.setEnabled(True)
        self.button.setText("Sync now")
        self._notes = [f"Not synced: {result}"] if isinstance(result, str) else self._readable(result.lines())
        self.refresh()
        self.synced.emit()

    def _readable(self, lines: list[str]) -> list[str]:
        """The sync's notes with each sitting named as people know it, not by its number in the study file."""
        try:
            study = load_study(self.folder)
        except StudyError:
            return lines
        names = {s.id: short_name(s) for s in study.sittings}
        readable = []
        for line in lines:
            renumbered = re.fullmatch(r"sitting (\S+) is now (\S+): .*", line)
            if renumbered and renumbered[2] in names:
                line = (f"{names[renumbered[2]]}: renumbered in the study file, as another laptop had added a "
                        "sitting under the same number; nothing else changed")
            readable.append(re.sub(r"sitting (s\d+)", lambda m: names.get(m[1], m[0]), line))
        return readable

    def wait(self, timeout: float = 60.0) -> None:
        """Wait for a running sync's thread (closing the window, tests)."""
        for worker in (self._worker, self._looking):
            if worker is not None:
                worker.join(timeout)
