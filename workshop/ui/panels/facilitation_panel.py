"""The Facilitation panel: the script's current step, its prompts, the timebox countdown, moving on.

The countdown turns amber in the last fifth of the timebox (at most the last
two minutes) and red when the time is up, and says so once with
``time_up`` — loud enough to notice while talking to thirty people.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.progress import (
    add_minutes_op,
    current_step_time,
    goto_op,
    is_deviation,
    load_script_op,
    pause_op,
    resume_op,
    script_of,
    step_op,
)
from workshop.domain.facilitation.script import FacilitationScript, load_script
from workshop.domain.facilitation.step_clock import Phase
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import SetSessionOp
from workshop.domain.model.yaml_source import SourceError
from workshop.resources import scripts_dir
from workshop.ui.host import Apply
from workshop.ui.themes import PHASE_COLOURS
from workshop.ui.widgets import big_label, literal

METHOD_SCRIPT = "three-interventions.yaml"
"""The built-in script of the method (the three developmental interventions)."""

Clock = Callable[[], datetime]


class FacilitationPanel(QWidget):
    time_up = Signal()

    def __init__(
        self,
        document: Document,
        apply: Apply,
        clock: Clock = lambda: datetime.now(UTC),
        started: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._apply = apply
        self._clock = clock
        self.step_started: datetime | None = None
        self._warned = False

        self.scripts = QComboBox()
        for path in sorted(scripts_dir().glob("*.yaml")):
            self.scripts.addItem(path.stem.replace("-", " "), str(path))
        method = self.scripts.findData(str(scripts_dir() / METHOD_SCRIPT))
        self.scripts.setCurrentIndex(max(method, 0))  # the method itself is offered first, not the half-day variant
        self.scripts.setAccessibleName("Facilitation script")
        self.load_button = QPushButton("Use this script")
        self.own_button = QPushButton("Load own…")
        self.load_button.clicked.connect(lambda: self.load_file(Path(self.scripts.currentData())))
        self.own_button.clicked.connect(self._load_own)
        chooser = QGridLayout()  # two rows: one row was wider than the dock and cut "Load own…"
        chooser.addWidget(self.scripts, 0, 0, 1, 2)
        chooser.addWidget(self.load_button, 1, 0)
        chooser.addWidget(self.own_button, 1, 1)

        self.intervention = big_label(12, bold=True)
        self.step = big_label(18, bold=True)
        self.aim = big_label(12)
        self.prompts = big_label(12)
        self.countdown = big_label(28, bold=True)
        self.pause_button = QPushButton("Pause ❚❚")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.add_time_button = QPushButton("+5 min")
        self.add_time_button.clicked.connect(self.add_five_minutes)
        self.previous_button, self.next_button = QPushButton("◀ Previous step"), QPushButton("Next step ▶")
        self.previous_button.clicked.connect(lambda: self.step_by(-1))
        self.next_button.clicked.connect(lambda: self.step_by(+1))
        self.jump = QComboBox()
        self.jump_button = QPushButton("Go to")
        self.jump_button.clicked.connect(self.jump_to_selected)
        moves = QHBoxLayout()
        moves.addWidget(self.previous_button)
        moves.addWidget(self.next_button)
        jumps = QHBoxLayout()
        jumps.addWidget(self.jump, 1)
        jumps.addWidget(self.jump_button)
        # choosing a script is a Prepare job: once one is loaded its chooser folds away (the console fits
        # 1366 × 768), and this button brings it back
        self.change_script_button = QPushButton("Script…")
        self.change_script_button.setCheckable(True)
        self.change_script_button.setToolTip("Choose another facilitation script")
        self.change_script_button.toggled.connect(lambda _on: self._show_chooser())
        jumps.addWidget(self.change_script_button)

        for box in (self.scripts, self.jump):
            # a long step title must not make the console wider than its dock
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)
        # The controls a clicker or a hand reaches for stay in one place at the top whatever the step says
        # (a long prompt pushed "Next step" down, and a click landed on Pause); the step's words follow,
        # and choosing a script, a Prepare job, comes last.
        layout = QVBoxLayout(self)
        clock_row = QHBoxLayout()
        clock_row.addWidget(self.countdown, 1)
        clock_row.addWidget(self.pause_button)
        clock_row.addWidget(self.add_time_button)
        layout.addLayout(clock_row)
        layout.addLayout(moves)
        layout.addLayout(jumps)
        for widget in (self.intervention, self.step, self.aim, self.prompts):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addLayout(chooser)

        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start(1000)
        self._unsubscribe = document.subscribe(self._on_record)
        if document.session.current_step is not None:
            self.step_started = started or clock()  # a reopened session continues the step's clock
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    # -- actions ---------------------------------------------------------------------------
    def load_file(self, path: Path) -> FacilitationScript | None:
        try:
            script = load_script(path)
        except SourceError as error:
            QMessageBox.warning(self, "Script not loaded", literal(str(error)))
            return None
        self._apply(load_script_op(script))
        self.change_script_button.setChecked(False)
        return script

    def _load_own(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Facilitation script", "", "Scripts (*.yaml *.yml)")
        if name:
            self.load_file(Path(name))

    def step_by(self, delta: int) -> None:
        op = step_op(self.document.session, delta, self._clock())
        if op is not None:
            self._apply(op)

    def jump_to_selected(self) -> None:
        target = self.jump.currentData()
        if target:
            self.goto(*target)

    def goto(self, intervention_id: str, step_id: str) -> None:
        session = self.document.session
        confirmed = False
        if is_deviation(session, intervention_id):
            answer = QMessageBox.question(
                self,
                "Out of order",
                "This starts an intervention before the earlier ones were reached. The method runs them in "
                "order; the deviation will be recorded. Start it anyway?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            confirmed = True
        try:
            self._apply(goto_op(session, intervention_id, step_id, confirmed_deviation=confirmed, now=self._clock()))
        except OperationError as error:
            QMessageBox.warning(self, "Step not changed", literal(str(error)))

    # -- view ------------------------------------------------------------------------------
    def _on_record(self, record: LogRecord) -> None:
        changed = [op for op in record.op.primitives() if isinstance(op, SetSessionOp)]
        if any("current_step" in op.changes for op in changed):
            self.step_started = record.time if self.document.session.current_step else None
            self._warned = False
        if changed:
            self.refresh()

    def refresh(self) -> None:
        session = self.document.session
        script = script_of(session)
        self.jump.clear()
        self._show_chooser()
        if script is None:
            self.intervention.setText("No facilitation script yet")
            self.step.setText("Choose the built-in method or load your own script.")
            for widget in (self.aim, self.prompts, self.countdown):
                widget.setText("")
            for button in (self.previous_button, self.next_button, self.jump_button, self.pause_button):
                button.setEnabled(False)
            self.add_time_button.setEnabled(False)  # no step, no clock to pause or extend
            return
        for index in range(self.scripts.count()):
            if Path(self.scripts.itemData(index)).stem == script.id:
                self.scripts.setCurrentIndex(index)
        for intervention, step in script.steps():
            self.jump.addItem(f"{intervention.title} › {step.title}", (intervention.id, step.id))
        for button in (self.previous_button, self.next_button, self.jump_button):
            button.setEnabled(True)
        ref = session.current_step
        found = script.find(ref.intervention_id, ref.step_id) if ref else None
        if found is not None:
            self.jump.setCurrentIndex(found[0])  # the list opens where the workshop stands
        if found is None:
            self.intervention.setText(script.title)
            self.step.setText("Not started — press Next step to begin.")
            self.aim.setText(script.description)
            self.prompts.setText("")
            self.countdown.setText("")
            return
        _, intervention, step = found
        self.intervention.setText(intervention.title)
        self.step.setText(step.title)
        self.aim.setText(step.aim)
        self.prompts.setText("\n".join(f"• {prompt}" for prompt in step.prompts))
        self.tick()

    def _show_chooser(self) -> None:
        """The script chooser shows while there is no script, or when the facilitator asks for it."""
        loaded = script_of(self.document.session) is not None
        self.change_script_button.setVisible(loaded)
        for widget in (self.scripts, self.load_button, self.own_button):
            widget.setVisible(not loaded or self.change_script_button.isChecked())

    def tick(self) -> None:
        time = current_step_time(self.document.session, self._clock(), self.step_started)
        has_clock = time is not None
        self.pause_button.setEnabled(has_clock)
        self.add_time_button.setEnabled(has_clock)
        if time is None:
            self.countdown.setText("")
            return
        self.pause_button.setText("Resume ▶" if time.paused else "Pause ❚❚")
        self.countdown.setText(time.text + ("  paused" if time.paused else ""))
        self.countdown.setStyleSheet(f"color: {PHASE_COLOURS[time.phase]};" if time.phase in PHASE_COLOURS else "")
        if time.phase == Phase.OVER and not self._warned:
            self._warned = True
            self.time_up.emit()

    def toggle_pause(self) -> None:
        """Pause the step's clock (the room's discussion runs on), or resume it."""
        session = self.document.session
        op = resume_op(session, self._clock()) if session.step_clock and session.step_clock.paused_at else None
        op = op or pause_op(session, self._clock())
        if op is None:
            return
        self._apply(op)
        self.tick()

    def add_five_minutes(self) -> None:
        op = add_minutes_op(self.document.session, 5)
        if op is not None:
            self._apply(op)
            self._warned = False
            self.tick()
