"""The Health panel: model-health findings of the shown model, recomputed as it changes; click to focus.

The analysis walks the whole model (0.6 s at 10,000 nodes), so it must not
run on the main thread after each edit, where it froze the window: it runs
only while the panel is on screen (a panel behind another tab computes
nothing until shown), at most once per burst of changes, in a worker thread
on a :meth:`~workshop.domain.model.session.Session.snapshot` of the session. The
findings are shown when it is done (:meth:`HealthPanel.busy` says whether one is
still to come). :meth:`HealthPanel.refresh` always analyses at once.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from workshop.domain.model.analysis import HEALTH_CHECKS, Health, analyse
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.session import Session
from workshop.ui.host import Focus
from workshop.ui.throttle import on_screen, track
from workshop.ui.widgets import literal, plain_label

log = logging.getLogger(__name__)


_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")
"""One analysis at a time, off the main thread."""


class HealthPanel(QWidget):
    _analysed = Signal(object)
    """(Health or None, the snapshot it was computed on, model id, generation): from the worker thread."""

    def __init__(
        self, document: Document, current_model: Callable[[], str | None], focus: Focus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._current_model = current_model
        self._focus = focus
        self.health: Health | None = None
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.itemActivated.connect(self._activate)
        self.tree.itemClicked.connect(self._activate)
        self.matrix = QTableWidget()
        self.matrix.setToolTip(literal("Handoffs per ordered pair of organizations: row hands work to column"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 3)
        layout.addWidget(plain_label("Handoffs (row → column)"))
        layout.addWidget(self.matrix, 1)
        self._stale = True
        """The findings shown are older than the session (computed once the panel is on screen)."""
        self._running = False
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)  # one recomputation per burst of changes
        self._timer.timeout.connect(self.request)
        self._analysed.connect(self._finished)
        self._unsubscribe = document.subscribe(self._on_record)
        self.summary.setText("Findings are computed when this panel is shown.")
        track(self)

    def busy(self) -> bool:
        """An analysis is waiting for the end of a burst or running in the worker thread."""
        try:
            return self._running or self._timer.isActive()
        except RuntimeError:  # its Qt object is gone with its window
            return False

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, _record: LogRecord) -> None:
        """Mark the findings stale and (re)start the quiet timer; whether the panel is on screen is asked then.

        Asking per record cost more than anything else a contribution does on the main thread: a panel's
        visible region is computed from every widget above it (0.7 ms), 250 times a second in a crowd.
        """
        self._stale = True
        self._timer.start()  # its timeout asks request(), which looks at the screen once per burst

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self.request)  # once the dock's tab is really in front

    def request(self) -> None:
        """Analyse again if the panel is on screen (in the background), else when it is shown."""
        self._stale = True
        if not on_screen(self):
            return
        if self._running:
            return  # _finished starts the next one: the session changed while this one ran
        model_id = self._current_model()
        if model_id is None or model_id not in self.document.session.models:
            self.refresh()
            return
        self._stale = False
        self._running = True
        self._generation += 1
        _WORKER.submit(self._analyse, self.document.session.snapshot(), model_id, self._generation)

    def _analyse(self, snapshot: Session, model_id: str, generation: int) -> None:
        """In the worker thread: the findings, handed back to the main thread."""
        try:
            health: Health | None = analyse(snapshot, model_id)
        except Exception:
            log.exception("health analysis failed")
            health = None
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            self._analysed.emit((health, snapshot, model_id, generation))

    def _finished(self, result: tuple[Health | None, Session, str, int]) -> None:
        health, snapshot, model_id, generation = result
        self._running = False
        if health is not None and generation == self._generation and model_id == self._current_model():
            self._show(health, snapshot)
        if self._stale:
            self.request()

    def refresh(self) -> None:
        """Analyse the shown model now, on this thread."""
        self._stale = False
        self._generation += 1
        model_id = self._current_model()
        if model_id is None or model_id not in self.document.session.models:
            self.tree.clear()
            self.summary.setText("No model shown.")
            return
        session = self.document.session
        self._show(analyse(session, model_id), session)

    def _show(self, health: Health, session: Session) -> None:
        self.tree.clear()
        self.health = health
        total = sum(health.handoffs.values())
        self.summary.setText(
            f"{total} handoff(s); the longest path from start to end crosses organizations "
            f"{health.longest_handoff_count} time(s). {len(health.findings)} finding(s)."
        )
        for rule, heading in HEALTH_CHECKS.items():
            findings = health.by_rule(rule)
            if not findings:
                continue
            group = QTreeWidgetItem([f"{heading} ({len(findings)})"])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            for finding in findings:
                child = QTreeWidgetItem([finding.message])
                child.setData(0, Qt.ItemDataRole.UserRole, (finding.kind, finding.element_ids[0]))
                child.setToolTip(0, literal(finding.message))
                group.addChild(child)
        self.tree.expandAll()
        orgs = sorted({o for pair in health.handoffs for o in pair}, key=lambda o: session.organizations[o].name)
        names = [session.organizations[o].name for o in orgs]
        self.matrix.setRowCount(len(orgs))
        self.matrix.setColumnCount(len(orgs))
        self.matrix.setHorizontalHeaderLabels(names)
        self.matrix.setVerticalHeaderLabels(names)
        for r, a in enumerate(orgs):
            for c, b in enumerate(orgs):
                count = health.handoffs.get((a, b), 0)
                item = QTableWidgetItem(str(count) if count else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.matrix.setItem(r, c, item)
        self.matrix.resizeColumnsToContents()

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if target and target[0] in ("node", "flow"):
            self._focus(target[0], target[1])
