"""The Walkthrough panel: run a simulation workshop step by step, capture what each move reveals.

Start a walk on a model (optionally as a named scenario), move the token
with the buttons or the keyboard (Right/PageDown forward, Left/PageUp back,
so a presenter clicker works; 1–9 choose a branch at a decision), jump to a
node, and capture notes, problems, ideas, questions and requirements that
attach to the current node or handoff and to the walk's move. Below:
past walkthroughs, the summary of the selected one, their paths compared,
and the what-if figures of the model.

The panel holds no walk state of its own beyond which walkthrough is
active: every move is an operation, and the position is read back from the
document, so undo, replay and other fronts stay consistent with it. The
clicker keys are :class:`~workshop.ui.walkthrough.walk_keys.WalkKeys`; the Summary and
Compare tabs are in ``workshop.ui.walkthrough.walkthrough_summaries`` and the What-if
tab in ``workshop.ui.walkthrough.whatif_results``; where the walk is (the step,
what it reveals, the branches and the jump list) is
:class:`~workshop.ui.walkthrough.walk_position.WalkPosition`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.progress import walk_in_view
from workshop.domain.model.annotations import AnnotationKind
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import Operation, SetSessionOp
from workshop.domain.walkthrough.walk import (
    CAPTURE_KINDS,
    Walk,
    start_walkthrough,
    walked_choices,
)
from workshop.ui.host import Apply, Focus, HostWindow
from workshop.ui.panels.whatif_inputs import WhatIfInputs
from workshop.ui.throttle import Throttle
from workshop.ui.walkthrough.walk_keys import WalkKeys
from workshop.ui.walkthrough.walk_position import WalkPosition
from workshop.ui.walkthrough.walkthrough_overlay import WalkthroughOverlay
from workshop.ui.walkthrough.walkthrough_summaries import WalkComparison, WalkSummary
from workshop.ui.walkthrough.whatif_results import WhatIfResults
from workshop.ui.widgets import literal, only_front_tab_sized, plain_label

WATCHED_KINDS = frozenset({"walkthrough", "walk_step", "annotation", "node", "flow", "lane", "model", "boundary"})
CAPTURE_NAMES = {AnnotationKind.COMMENT: "Note"}


def _running(document: Document) -> str | None:
    running = [w for w in document.session.walkthroughs.values() if w.started is not None and w.finished is None]
    return max(running, key=lambda w: (w.started, w.id)).id if running else None


class WalkthroughPanel(QWidget):
    """Runs one walk at a time from the console: start, move, capture, and the walks so far.

    The facilitator's single place for a simulation workshop; what it shows
    about past walks and the what-if are widgets of their own, in tabs below.
    """

    def __init__(
        self,
        document: Document,
        apply: Apply,
        *,
        current_model: Callable[[], str | None] | None = None,
        focus: Focus | None = None,
        overlay: WalkthroughOverlay | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("walkthroughPanel")
        self.document = document
        self._apply = apply
        self._current_model = current_model
        self._focus = focus
        self.overlay = overlay
        self._walk_keys = WalkKeys(self, WalkthroughPanel, self)
        self._walkthrough_id: str | None = None
        self.walkthrough_id = _running(document)
        """The active walk; on opening, the one still running (as participants' phones see it)."""

        self.model_box = QComboBox()
        self.scenario_edit = QLineEdit()
        self.scenario_edit.setPlaceholderText("scenario, e.g. an end-user reports a new address by phone")
        self.start_button = QPushButton("Start walkthrough")
        self.start_button.clicked.connect(self.start)

        self.position = WalkPosition(self.step_forward)
        self.position_label, self.detail_label = self.position.label, self.position.detail_label
        self.branch_box, self.jump_box = self.position.branch_box, self.position.jump_box
        self.error_label = plain_label()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b;")

        self.back_button = QPushButton("◀ Back")
        self.back_button.setToolTip(literal("Step back (Left, PageUp)"))
        self.back_button.clicked.connect(self.step_back)
        self.forward_button = QPushButton("Forward ▶")
        self.forward_button.setToolTip(literal("Step forward (Right, PageDown)"))
        self.forward_button.clicked.connect(lambda: self.step_forward())
        self.finish_button = QPushButton("Finish")
        self.finish_button.clicked.connect(self.finish)
        self.jump_button = QPushButton("Jump")
        self.jump_button.clicked.connect(self.jump)

        self.capture_kind = QComboBox()
        for kind in CAPTURE_KINDS:
            self.capture_kind.addItem(CAPTURE_NAMES.get(kind, str(kind).capitalize()), str(kind))
        self.capture_edit = QLineEdit()
        self.capture_edit.setPlaceholderText("what is said at this step (Enter to capture)")
        self.capture_edit.returnPressed.connect(self.capture)
        self.capture_button = QPushButton("Capture")
        self.capture_button.clicked.connect(self.capture)

        self.walk_list = QListWidget()
        self.walk_list.currentItemChanged.connect(self._selected)
        self.again_button = QPushButton("Walk again")
        self.again_button.setToolTip("A new walkthrough of the selected one's scenario that takes the same branches")
        self.again_button.clicked.connect(self.walk_again)
        self.summary = WalkSummary(document)
        self.comparison = WalkComparison(document)
        self.whatif = WhatIfResults(document, self.model_box.currentData)

        self._layout()
        self._throttle = Throttle(self.refresh, self)  # a burst of phone ideas: one refresh, not one each
        unsubscribe = document.subscribe(self._on_record)
        self.destroyed.connect(lambda *_: unsubscribe())
        self._listen_for_walk_keys()
        self.refresh()

    def _layout(self) -> None:
        # starting is folded away while a walk runs: in a short dock (Run at 1366 × 768) the moves, the
        # capture and the past walks stay in sight
        self.start_box = QWidget()
        start = QFormLayout(self.start_box)
        start.setContentsMargins(0, 0, 0, 0)
        start.addRow("Model", self.model_box)
        start.addRow("Scenario", self.scenario_edit)
        start.addRow(self.start_button)
        moves = QHBoxLayout()
        # walking again sits with the moves: below the past walks it fell out of a short dock at a decision
        for button in (self.back_button, self.forward_button, self.finish_button, self.again_button):
            moves.addWidget(button)
        jump = QHBoxLayout()
        jump.addWidget(plain_label("Jump to"))
        jump.addWidget(self.jump_box, 1)
        jump.addWidget(self.jump_button)
        capture = QHBoxLayout()
        capture.addWidget(self.capture_kind)
        capture.addWidget(self.capture_edit, 1)
        capture.addWidget(self.capture_button)

        past = QWidget()
        past_layout = QVBoxLayout(past)
        past_layout.addWidget(self.walk_list)
        self.tabs = QTabWidget()
        self.tabs.addTab(past, "Past")
        self.tabs.addTab(self.summary, "Summary")
        self.tabs.addTab(self.comparison, "Compare")
        self.tabs.addTab(self.whatif, "What-if")
        self.whatif_inputs = WhatIfInputs(self.document, self._apply, self._current_model or (lambda: None))
        self.tabs.addTab(self.whatif_inputs, "What-if inputs")
        self.tabs.currentChanged.connect(lambda _i: only_front_tab_sized(self.tabs))
        only_front_tab_sized(self.tabs)

        layout = QVBoxLayout(self)
        layout.addWidget(self.start_box)
        layout.addWidget(self.position_label)
        layout.addWidget(self.detail_label)
        layout.addLayout(self.branch_box)
        layout.addLayout(moves)
        layout.addLayout(jump)
        layout.addLayout(capture)
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)

    # -- state ----------------------------------------------------------------

    @property
    def branch_buttons(self) -> list[QPushButton]:
        """One button per branch at a decision (see :class:`WalkPosition`)."""
        return self.position.branch_buttons

    @property
    def walkthrough_id(self) -> str | None:
        """The walkthrough the panel shows (a walk chosen or started)."""
        return self._walkthrough_id

    @walkthrough_id.setter
    def walkthrough_id(self, value: str | None) -> None:
        self._walkthrough_id = value
        self._listen_for_walk_keys()

    def _listen_for_walk_keys(self) -> None:
        """The clicker keys walk from the first walk on (an application-wide filter costs every event)."""
        if getattr(self, "_walkthrough_id", None) is not None:
            self._walk_keys.listen()

    def walk(self) -> Walk | None:
        """The active walk, read from the document (None if there is none or it was undone)."""
        if self.walkthrough_id is None or self.walkthrough_id not in self.document.session.walkthroughs:
            return None
        try:
            return Walk(self.document.session, self.walkthrough_id)
        except OperationError:
            return None

    def _do(self, op: Operation) -> bool:
        try:
            self._apply(op)
        except OperationError as error:
            self.error_label.setText(str(error))
            return False
        self.error_label.clear()
        return True

    def _fail(self, error: OperationError) -> None:
        self.error_label.setText(str(error))

    # -- actions --------------------------------------------------------------

    def start(self) -> None:
        model_id = self.model_box.currentData()
        if not model_id:
            self.error_label.setText("add a process model first")
            return
        try:
            wid, op = start_walkthrough(self.document.session, model_id, scenario=self.scenario_edit.text().strip())
        except OperationError as error:
            self._fail(error)
            return
        self.walkthrough_id = wid
        if self._do(op):
            self.scenario_edit.clear()
            self._after_move()

    def walk_again(self) -> None:
        """Repeat the selected walkthrough's scenario: same model, name and branches, as presets."""
        session = self.document.session
        source = session.walkthroughs.get(self.walkthrough_id or "")
        if source is None:
            self.error_label.setText("select a walkthrough to walk again")
            return
        try:
            wid, op = start_walkthrough(
                session,
                source.model_id,
                scenario=source.scenario,
                choices=walked_choices(session, source.id),
                visit_limit=source.visit_limit,
            )
        except OperationError as error:
            self._fail(error)
            return
        self.walkthrough_id = wid
        if self._do(op):
            self._after_move()

    def step_forward(self, flow_id: str | None = None) -> None:
        walk = self.walk()
        if walk is None:
            self.error_label.setText("start a walkthrough first")
            return
        try:
            op = walk.forward(flow_id)
        except OperationError as error:
            self._fail(error)
            return
        if self._do(op):
            self._after_move()

    def step_back(self) -> None:
        walk = self.walk()
        if walk is None:
            return
        try:
            op = walk.back()
        except OperationError as error:
            self._fail(error)
            return
        if self._do(op):
            self._after_move()

    def jump(self) -> None:
        walk = self.walk()
        node_id = self.jump_box.currentData()
        if walk is None or not node_id:
            return
        try:
            op = walk.jump(node_id)
        except OperationError as error:
            self._fail(error)
            return
        if self._do(op):
            self._after_move()

    def finish(self) -> None:
        walk = self.walk()
        if walk is None:
            return
        try:
            op = walk.finish()
        except OperationError as error:
            self._fail(error)
            return
        self._do(op)

    def capture(self) -> None:
        walk = self.walk()
        if walk is None:
            self.error_label.setText("start a walkthrough to capture at its steps")
            return
        try:
            op = walk.capture(self.capture_kind.currentData(), self.capture_edit.text())
        except OperationError as error:
            self._fail(error)
            return
        if self._do(op):
            self.capture_edit.clear()
            view = getattr(self.window(), "canvas_view", None)
            if view is not None:  # the clicker's Right/PageDown walk on at once, no click on the canvas needed
                view.setFocus()

    def choose_branch(self, number: int) -> None:
        """Take branch ``number`` (1-based) as listed on the branch buttons."""
        walk = self.walk()
        moves = walk.moves() if walk else []
        if 1 <= number <= len(moves) and len(moves) > 1:
            self.step_forward(moves[number - 1].flow_id)

    def _after_move(self) -> None:
        walk = self.walk()
        if walk is not None and self._focus is not None:
            self._focus(*walk.position)

    # -- showing --------------------------------------------------------------

    def _on_record(self, record: LogRecord) -> None:
        primitives = list(record.op.primitives())
        if any(isinstance(op, SetSessionOp) and "current_step" in op.changes for op in primitives):
            # the overlay follows the step at once, even while this dock is hidden behind another
            if not walk_in_view(self.document.session):
                if self.overlay is not None:
                    self.overlay.show(None)
            else:
                self.refresh()
        if any(getattr(op, "kind", None) in WATCHED_KINDS for op in primitives):
            self._throttle.request()  # a hidden dock computes nothing and catches up when shown

    def _selected(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        wid = item.data(Qt.ItemDataRole.UserRole)
        if wid != self.walkthrough_id:
            self.walkthrough_id = wid
            self.refresh()

    def refresh(self) -> None:
        session = self.document.session
        self._fill_models()
        walk = self.walk()
        self._fill_walk_list()
        self.position.show(walk)
        self.position.fill_jump(walk)
        self.summary.show_walkthrough(self.walkthrough_id)
        self.comparison.refresh()
        if self.overlay is not None:
            shown = self._current_model() if self._current_model else None
            visible = walk is not None and (shown is None or shown == walk.walkthrough.model_id)
            visible = visible and walk_in_view(session)
            self.overlay.show(walk if visible else None)
        running = walk is not None and not walk.finished
        self.start_box.setVisible(not running)
        for widget in (self.back_button, self.forward_button, self.finish_button, self.jump_button):
            widget.setEnabled(running)
        self.capture_button.setEnabled(walk is not None)
        self.again_button.setEnabled(walk is not None)
        self.start_button.setEnabled(bool(session.models))

    def _fill_models(self) -> None:
        session = self.document.session
        wanted = self.model_box.currentData()
        if self._current_model is not None and self.walk() is None:
            wanted = self._current_model() or wanted
        self.model_box.blockSignals(True)
        self.model_box.clear()
        for model in sorted(session.models.values(), key=lambda m: (m.index, m.id)):
            shown = model.name if str(model.state) in model.name.lower() else f"{model.name} ({model.state})"
            self.model_box.addItem(shown, model.id)
        index = self.model_box.findData(wanted)
        self.model_box.setCurrentIndex(max(index, 0))
        self.model_box.blockSignals(False)

    def _fill_walk_list(self) -> None:
        session = self.document.session
        self.walk_list.blockSignals(True)
        self.walk_list.clear()
        ordered = sorted(session.walkthroughs.values(), key=lambda w: (w.started is None, w.started, w.id))
        for walkthrough in ordered:
            model = session.models.get(walkthrough.model_id)
            when = walkthrough.started.strftime("%H:%M") if walkthrough.started else ""
            state = "finished" if walkthrough.finished else "running"
            text = f"{when} {walkthrough.scenario or 'walkthrough'} — {model.name if model else '?'} ({state})"
            item = QListWidgetItem(text.strip())
            item.setData(Qt.ItemDataRole.UserRole, walkthrough.id)
            self.walk_list.addItem(item)
            if walkthrough.id == self.walkthrough_id:
                self.walk_list.setCurrentItem(item)
        self.walk_list.blockSignals(False)


def install_walkthrough(window: HostWindow) -> WalkthroughPanel:
    """Add the Walkthrough dock, its overlay on the window's scene, and Session ▸ Start walkthrough."""
    panel = WalkthroughPanel(
        window.document,
        window.apply,
        current_model=window.current_model_id,
        focus=window.focus_element,
        overlay=WalkthroughOverlay(window.scene),
    )
    dock = window.add_dock(panel, "Walkthrough")
    action = QAction("Start walkthrough…", window.menu("Session"))
    action.setToolTip(literal("Walk through the shown model step by step (simulation workshop)"))

    def begin() -> None:
        dock.show()
        dock.raise_()
        panel.refresh()
        panel.scenario_edit.setFocus()

    action.triggered.connect(begin)
    window.menu("Session").addAction(action)
    return panel
