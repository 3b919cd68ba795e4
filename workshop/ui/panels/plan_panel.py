"""The Plan panel (Prepare mode): the script's steps against the day's start and end.

Shows when each step of the chosen intervention starts, and says in one large line whether the day
fits. The day's times are kept per session in the app's settings: they are the facilitator's plan,
not part of the research record.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.day_plan import DayPlan, duration, plan_day
from workshop.domain.facilitation.progress import script_of
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.operations import SetSessionOp
from workshop.ui.settings import app_settings
from workshop.ui.widgets import big_label, literal, plain_label

ALL = "All interventions"


class PlanPanel(QWidget):
    """The chosen intervention's steps with clock times, and whether they fit the day."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.intervention = QComboBox()
        self.start = QTimeEdit()
        self.end = QTimeEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        settings = app_settings()
        self._setting = f"plan/{document.session.id}"  # the day's times, kept per session
        self.start.setTime(QTime.fromString(str(settings.value(f"{self._setting}/start", "09:00")), "HH:mm"))
        self.end.setTime(QTime.fromString(str(settings.value(f"{self._setting}/end", "12:00")), "HH:mm"))
        self.verdict = big_label(14, bold=True)
        self.verdict.setWordWrap(True)
        self.steps = QTableWidget(0, 3)
        self.steps.setHorizontalHeaderLabels(["Time", "Step", "Minutes"])
        self.steps.verticalHeader().setVisible(False)
        self.steps.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.steps.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.none = plain_label("Load a script (Facilitation panel) to plan the day with it.")

        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(plain_label("to"))
        times.addWidget(self.end)
        times.addStretch(1)
        form = QFormLayout()
        form.addRow("Plan", self.intervention)
        form.addRow("The day", times)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.verdict)
        layout.addWidget(self.none)
        layout.addWidget(self.steps, 1)

        self.intervention.currentIndexChanged.connect(lambda _i: self.refresh())
        self.start.timeChanged.connect(lambda _t: self._times_changed())
        self.end.timeChanged.connect(lambda _t: self._times_changed())
        self._unsubscribe = document.subscribe(self._on_record)
        self._fill_interventions()
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, record: LogRecord) -> None:
        if any(isinstance(op, SetSessionOp) and "script" in op.changes for op in record.op.primitives()):
            self._fill_interventions()
            self.refresh()

    def _times_changed(self) -> None:
        settings = app_settings()
        settings.setValue(f"{self._setting}/start", self.start.time().toString("HH:mm"))
        settings.setValue(f"{self._setting}/end", self.end.time().toString("HH:mm"))
        self.refresh()

    def _fill_interventions(self) -> None:
        script = script_of(self.document.session)
        keep = self.intervention.currentData()
        self.intervention.blockSignals(True)
        self.intervention.clear()
        if script is not None:
            for intervention in script.interventions:
                minutes = sum(step.timebox_minutes or 0 for step in intervention.steps)
                self.intervention.addItem(f"{intervention.title} ({duration(minutes)})", intervention.id)
            total = sum(step.timebox_minutes or 0 for _i, step in script.steps())
            self.intervention.addItem(f"{ALL} ({duration(total)})", None)
            current = self.document.session.current_step
            wanted = keep or (current.intervention_id if current else None)
            self.intervention.setCurrentIndex(max(0, self.intervention.findData(wanted)) if wanted else 0)
        self.intervention.blockSignals(False)

    def plan(self) -> DayPlan | None:
        script = script_of(self.document.session)
        if script is None:
            return None
        chosen = self.intervention.currentData()
        start, end = (time(t.hour(), t.minute()) for t in (self.start.time(), self.end.time()))
        return plan_day(script, start, end, [chosen] if chosen else None)

    def refresh(self) -> None:
        plan = self.plan()
        self.none.setVisible(plan is None)
        self.steps.setVisible(plan is not None)
        self.verdict.setVisible(plan is not None)
        if plan is None:
            return
        self.verdict.setText(plan.verdict())
        self.verdict.setStyleSheet("color: #2e7d32" if plan.spare_minutes >= 0 else "color: #b3261e")
        several = len({step.intervention for step in plan.steps}) > 1
        self.steps.setRowCount(len(plan.steps))
        for row, step in enumerate(plan.steps):
            title = f"{step.intervention} · {step.title}" if several else step.title
            cells = (
                f"{step.starts:%H:%M}–{step.ends:%H:%M}",
                title,
                "—" if step.minutes is None else f"{step.minutes:g}",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(literal(text))
                self.steps.setItem(row, column, item)
        self.steps.resizeColumnToContents(0)
        self.steps.resizeColumnToContents(2)
