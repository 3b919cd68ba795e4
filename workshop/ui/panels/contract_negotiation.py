"""The collaboration contract negotiated in the app: request, answer, revise, agree — and each line's history.

The moves are the domain's (:mod:`workshop.domain.facilitation.contract`): this widget
only gathers what the facilitator types and hands the built operation to the
window's ``apply``, so each move is one undo step and one record under the
name of the person at the keyboard. Which moves a line allows is asked of
the domain too (:data:`NEXT_MOVES` mirrors its states; a move the domain
refuses anyway is reported in the panel, in words, never with an id).

People see organizations by name and a handoff as "Task A → Task B";
everything people typed is shown as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.contract import (
    STATE_WORDS,
    Answer,
    agree_op,
    answer_op,
    contract_history,
    request_op,
    revise_op,
)
from workshop.domain.facilitation.coordination import Commitment, ContractState
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.naming import node_name
from workshop.domain.model.operations import Operation
from workshop.domain.model.session import Session
from workshop.ui.host import Apply
from workshop.ui.widgets import fill_organizations, literal, only_front_tab_sized, plain_label

if TYPE_CHECKING:
    from workshop.domain.model.process import Flow

Records = Callable[[], Iterable[LogRecord]]

ANSWER_CHOICES = (("can do", Answer.CAN_DO), ("cannot", Answer.CANNOT), ("counter-proposal", Answer.COUNTER))

NEXT_MOVES: dict[ContractState, str] = {
    ContractState.REQUESTED: "waiting for {asked}'s answer",
    ContractState.CAN_DO: "{asked} can do it: both can agree",
    ContractState.CANNOT: "{asked} cannot: {requester} can revise the request",
    ContractState.COUNTER_PROPOSAL: "{asked} offers something else: agree to it, or {requester} revises the request",
    ContractState.AGREED: "agreed",
}
"""What a line waits for, in the words the facilitator reads aloud (the domain decides what is allowed)."""


def handoff_label(session: Session, flow: Flow) -> str:
    """A handoff as people read it: "Task A → Task B" (node labels, never ids)."""
    source, target = session.nodes.get(flow.source_id), session.nodes.get(flow.target_id)
    return f"{node_name(source) if source else '?'} → {node_name(target) if target else '?'}"


def handoffs(session: Session) -> list[tuple[str, Flow, tuple[str, str]]]:
    """Every handoff with a label to choose it by and its (from, to) organizations, in label order.

    The label names the organizations too: two lanes often hold tasks of the same name.
    """
    found = []
    orgs_named = session.organizations
    for flow in session.flows.values():
        orgs = handoff_orgs(session, flow)
        if orgs is not None:
            between = " → ".join(orgs_named[o].name if o in orgs_named else "?" for o in orgs)
            found.append((f"{handoff_label(session, flow)} ({between})", flow, orgs))
    return sorted(found, key=lambda item: item[0].casefold())


def readable(session: Session, message: str) -> str:
    """A domain refusal with the ids it names replaced by what people call those things."""
    names: dict[str, str] = {c: "this line" for c in session.commitments}
    names.update({o.id: o.name for o in session.organizations.values()})
    names.update({f.id: f"the handoff {handoff_label(session, f)}" for f in session.flows.values()})
    if not names:
        return message
    pattern = re.compile("|".join(re.escape(key) for key in sorted(names, key=len, reverse=True)))
    return pattern.sub(lambda m: names[m.group(0)], message.replace("contract line ", ""))


def _actor_name(actor: str) -> str:
    """Who made a move: the staff name the record carries; a participant stays unnamed."""
    return "a participant" if actor.startswith("participant:") else actor


class ContractNegotiation(QWidget):
    """New requests, and the moves and history of the line chosen in the contract table."""

    HISTORY_COLUMNS = ("When", "Who", "State", "What", "Answer")

    def __init__(
        self, document: Document, apply: Apply, records: Records | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._apply = apply
        self._seen: list[LogRecord] = []
        self._records: Records = records if records is not None else (lambda: self._seen)
        self.line_id: str | None = None
        self._history_of: str | None = None
        """The line the history table shows; it is read from the log again only when a contract move came in."""

        # a new request: at a handoff (the receiving organization asks the one handing over) or between any two
        self.handoff = QComboBox()
        self.handoff.setAccessibleName("Handoff")
        self.handoff.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.handoff.setMinimumContentsLength(16)  # a handoff's long name must not widen the panel
        self.handoff.currentIndexChanged.connect(lambda _i: self._handoff_chosen())
        self.requester, self.asked = QComboBox(), QComboBox()
        self.what = QLineEdit()
        self.what.setPlaceholderText("e.g. the case status every hour")
        self.request_button = QPushButton("Record request")
        self.request_button.clicked.connect(self.record_request)
        request_box = QWidget()  # in a tab of that name: no frame and title of its own (height a short dock needs)
        request_form = QFormLayout(request_box)
        request_form.addRow("At the handoff", self.handoff)
        request_form.addRow("Requested by", self.requester)
        request_form.addRow("Asked of", self.asked)
        what_row = QHBoxLayout()  # the button beside its field: one row less in a short dock
        what_row.addWidget(self.what, 1)
        what_row.addWidget(self.request_button)
        request_form.addRow("What", what_row)

        # the chosen line: where it stands, the next moves, its history
        self.line_title = plain_label("Choose a line of the contract to answer, revise or agree it.")
        self.line_title.setWordWrap(True)
        self.line_state = plain_label()
        self.line_state.setWordWrap(True)
        self.answer_kind = QComboBox()
        for text, value in ANSWER_CHOICES:
            self.answer_kind.addItem(text, value)
        self.answer_kind.currentIndexChanged.connect(lambda _i: self._update_moves())
        self.answer_note = QLineEdit()
        self.answer_note.setPlaceholderText("reason or conditions (optional)")
        self.counter_offer = QLineEdit()
        self.counter_offer.setPlaceholderText("what can be offered instead")
        self.answer_button = QPushButton("Record answer")
        self.answer_button.clicked.connect(self.record_answer)
        self.revised = QLineEdit()
        self.revised.setPlaceholderText("what is requested now")
        self.revise_button = QPushButton("Revise request")
        self.revise_button.clicked.connect(self.revise)
        self.by_when = QLineEdit()
        self.by_when.setPlaceholderText("by when (optional), e.g. 2026-07-01")
        self.agree_button = QPushButton("Agree")
        self.agree_button.clicked.connect(self.agree)
        self.history = QTableWidget(0, len(self.HISTORY_COLUMNS))
        self.history.setHorizontalHeaderLabels(self.HISTORY_COLUMNS)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setAccessibleName("History of the line")
        self.status = plain_label()
        self.status.setWordWrap(True)

        line_box = QWidget()
        line_layout = QVBoxLayout(line_box)
        line_layout.addWidget(self.line_title)
        line_layout.addWidget(self.line_state)
        answer_row = QHBoxLayout()  # two rows: four fields in one made the panel wider than its dock
        answer_row.addWidget(self.answer_kind)
        answer_row.addWidget(self.answer_button)
        answer_detail_row = QHBoxLayout()
        answer_detail_row.addWidget(self.answer_note)
        answer_detail_row.addWidget(self.counter_offer)
        revise_row = QHBoxLayout()
        revise_row.addWidget(self.revised, 1)
        revise_row.addWidget(self.revise_button)
        agree_row = QHBoxLayout()
        agree_row.addWidget(self.by_when, 1)
        agree_row.addWidget(self.agree_button)
        for row in (answer_row, answer_detail_row, revise_row, agree_row):
            line_layout.addLayout(row)
        line_layout.addWidget(self.history, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # a new request and the chosen line's moves are two tabs: both at once did not fit a dock at 1366 × 768
        self.parts = QTabWidget()
        self.parts.addTab(request_box, "New request")
        self.parts.addTab(line_box, "The chosen line")
        self.parts.currentChanged.connect(lambda _i: only_front_tab_sized(self.parts))
        only_front_tab_sized(self.parts)
        layout.addWidget(self.parts, 1)
        layout.addWidget(self.status)
        self._unsubscribe = document.subscribe(self._on_record)
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, record: LogRecord) -> None:
        self._seen.append(record)  # the history without a file (tests, a document not yet saved)
        if any(getattr(op, "kind", None) == "commitment" for op in record.op.primitives()):
            self._history_of = None  # reading a long log again only when a line moved, not on every node drag

    # -- view ----------------------------------------------------------------
    def refresh(self) -> None:
        """Refill the choices (organizations and handoffs may have changed) and the chosen line."""
        session = self.document.session
        keep = self.handoff.currentData()
        self.handoff.blockSignals(True)
        self.handoff.clear()
        self.handoff.addItem("(no handoff)", None)
        for label, flow, _orgs in handoffs(session):
            self.handoff.addItem(label, flow.id)
        self.handoff.setCurrentIndex(max(0, self.handoff.findData(keep)) if keep else 0)
        self.handoff.blockSignals(False)
        for box in (self.requester, self.asked):
            fill_organizations(box, session)
        if not self.asked.currentData() or self.asked.currentData() == self.requester.currentData():
            self.asked.setCurrentIndex(1 if self.asked.count() > 1 else 0)
        self.show_line(self.line_id)

    def _handoff_chosen(self) -> None:
        """At a handoff the receiving organization asks the one handing the work over."""
        flow = self.document.session.flows.get(str(self.handoff.currentData() or ""))
        orgs = handoff_orgs(self.document.session, flow) if flow is not None else None
        if orgs is not None:
            giver, receiver = orgs
            self.requester.setCurrentIndex(self.requester.findData(receiver))
            self.asked.setCurrentIndex(self.asked.findData(giver))

    def _line(self) -> Commitment | None:
        return self.document.session.commitments.get(self.line_id or "")

    def show_line(self, commitment_id: str | None) -> None:
        """Show where the line stands, which moves it allows and its history."""
        self.line_id = commitment_id
        session = self.document.session
        line = self._line()
        if line is not None:
            self.parts.setCurrentIndex(1)  # a line chosen in the table: its moves come to the front
        if line is None:
            self.line_id = None
            self.line_title.setText("Choose a line of the contract to answer, revise or agree it.")
            self.line_state.setText("")
            self.history.setRowCount(0)
            self._history_of = None
            self._update_moves()
            return
        orgs = session.organizations
        requester = orgs[line.to_org_id].name if line.to_org_id in orgs else "?"
        asked = orgs[line.from_org_id].name if line.from_org_id in orgs else "?"
        flow = session.flows.get(line.flow_id or "")
        at = f" at {handoff_label(session, flow)}" if flow is not None else ""
        countered = line.state == ContractState.COUNTER_PROPOSAL and line.requested
        self.line_title.setText(f"{requester} asks {asked}{at}: {line.requested if countered else line.what}")
        state = "done" if line.done else STATE_WORDS[line.state]
        waiting = NEXT_MOVES[line.state].format(asked=asked, requester=requester)
        extra = []
        if countered:
            extra.append(f"{asked} offers: {line.what}")
        if line.answer:
            extra.append(f"{asked} says: {line.answer}")
        self.line_state.setText(" — ".join([f"{state.capitalize()}: {waiting}", *extra]))
        if self._history_of != line.id:
            self._show_history(line.id)
        self._update_moves()

    def _show_history(self, line_id: str) -> None:
        moves = contract_history(self._records(), line_id, self.document.session.commitments.get(line_id))
        self._history_of = line_id
        self.history.setRowCount(len(moves))
        for row, move in enumerate(moves):
            when = move.time.astimezone().strftime("%Y-%m-%d %H:%M")  # the facilitator's own clock
            cells = (when, _actor_name(move.actor), move.state, move.what, move.answer)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(literal(text))
                self.history.setItem(row, col, item)
        self.history.resizeColumnsToContents()

    def _update_moves(self) -> None:
        line = self._line()
        state = line.state if line is not None else None
        answering = state == ContractState.REQUESTED
        for widget in (self.answer_kind, self.answer_note, self.answer_button):
            widget.setEnabled(answering)
        self.counter_offer.setEnabled(answering and self.answer_kind.currentData() == Answer.COUNTER)
        revising = state in (ContractState.CANNOT, ContractState.COUNTER_PROPOSAL)
        self.revised.setEnabled(revising)
        self.revise_button.setEnabled(revising)
        agreeing = state in (ContractState.CAN_DO, ContractState.COUNTER_PROPOSAL)
        self.by_when.setEnabled(agreeing)
        self.agree_button.setEnabled(agreeing)

    # -- moves ---------------------------------------------------------------
    def _move(self, build: Callable[[Session], Operation], said: str) -> bool:
        """Build the move with the domain and apply it as one undo step; say in the panel what happened."""
        session = self.document.session
        try:
            op = build(session)
        except OperationError as error:
            self.status.setText(f"Not recorded: {readable(session, str(error))}.")
            return False
        try:
            applied = self._apply(op)
        except OperationError as error:  # a bare document raises; the window reports and returns None
            applied, said = None, f"Not recorded: {readable(session, str(error))}."
        if applied is None:
            self.status.setText(said if said.startswith("Not recorded") else "Not recorded.")
            return False
        self.status.setText(said)
        return True

    def record_request(self) -> None:
        requester, asked = self.requester.currentData(), self.asked.currentData()
        what = self.what.text().strip()
        if requester is None or asked is None:
            self.status.setText("Add the organizations (lanes) first.")
            return
        if not what:
            self.status.setText("Say what is requested.")
            return
        flow_id = self.handoff.currentData()

        def build(session: Session) -> Operation:
            op = request_op(session, requester=str(requester), asked=str(asked), what=what, flow_id=flow_id)
            self.line_id = str(op.data["id"])
            return op

        if self._move(build, f"Request recorded: {self.requester.currentText()} asks {self.asked.currentText()}."):
            self.what.clear()
            self.show_line(self.line_id)
        else:
            self.line_id = None

    def record_answer(self) -> None:
        if self.line_id is None:
            return
        line_id, answer = self.line_id, Answer(self.answer_kind.currentData())
        note, offer = self.answer_note.text(), self.counter_offer.text()
        if answer == Answer.COUNTER and not offer.strip():
            self.status.setText("A counter-proposal says what can be offered instead.")
            return
        if self._move(lambda s: answer_op(s, line_id, answer, note=note, counter=offer), "Answer recorded."):
            self.answer_note.clear()
            self.counter_offer.clear()
            self.show_line(line_id)

    def revise(self) -> None:
        if self.line_id is None:
            return
        line_id, what = self.line_id, self.revised.text()
        if not what.strip():
            self.status.setText("Say what is requested now.")
            return
        if self._move(lambda s: revise_op(s, line_id, what), "Request revised: it is asked again."):
            self.revised.clear()
            self.show_line(line_id)

    def agree(self) -> None:
        if self.line_id is None:
            return
        line_id, by_when = self.line_id, self.by_when.text().strip()
        if self._move(lambda s: agree_op(s, line_id, by_when=by_when or None), "Agreed: the line is a commitment."):
            self.by_when.clear()
            self.show_line(line_id)
