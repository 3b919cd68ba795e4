"""The Agreement & votes panel: the current step's agreement check per organization, and its dot vote."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.coordination import AgreementRating, Vote
from workshop.domain.document import Document, LogRecord
from workshop.domain.errors import OperationError
from workshop.domain.ids import new_id
from workshop.domain.operations import Operation, add
from workshop.domain.voting import VOTABLE, agreement_results, check_vote, dots_spent, tally
from workshop.live.step_rules import agreement_check_id, current_step, shown_model_id, vote_round
from workshop.ui.widgets import literal

Apply = Callable[[Operation], object]


class AgreementVotesPanel(QWidget):
    def __init__(self, document: Document, apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._apply = apply
        # agreement: results per organization, and a row to type in a rating said aloud in the room
        self.agreement = QTableWidget(0, 4)
        self.agreement.setHorizontalHeaderLabels(["Organization", "Understanding (1–5)", "Answers", "Comments"])
        self.rating_org, self.rating, self.comment = QComboBox(), QSpinBox(), QLineEdit()
        self.rating.setRange(1, 5)
        self.rating.setValue(3)
        self.comment.setPlaceholderText("comment (optional)")
        self.rate_button = QPushButton("Record rating")
        self.rate_button.clicked.connect(self.record_rating)
        rate_row = QHBoxLayout()
        for widget in (self.rating_org, self.rating, self.comment, self.rate_button):
            rate_row.addWidget(widget)
        agreement = QWidget()
        agreement_layout = QVBoxLayout(agreement)
        agreement_layout.addWidget(self.agreement, 1)
        agreement_layout.addLayout(rate_row)
        # votes: the round's tally, and dots placed for someone voting on paper or by hand
        self.votes = QTableWidget(0, 2)
        self.votes.setHorizontalHeaderLabels(["Idea or problem", "Dots"])
        self.voter, self.target = QComboBox(), QComboBox()
        self.dot_button = QPushButton("Place a dot")
        self.dot_button.clicked.connect(self.place_dot)
        vote_row = QHBoxLayout()
        for widget in (self.voter, self.target, self.dot_button):
            vote_row.addWidget(widget)
        votes = QWidget()
        votes_layout = QVBoxLayout(votes)
        votes_layout.addWidget(self.votes, 1)
        votes_layout.addLayout(vote_row)
        tabs = QTabWidget()
        tabs.addTab(agreement, "Agreement check")
        tabs.addTab(votes, "Dot vote")
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        self._unsubscribe = document.subscribe(self._on_record)
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, record: LogRecord) -> None:
        kinds = {"agreement", "vote", "annotation", "organization", "participant"}
        if any(getattr(op, "kind", None) in kinds or op.op == "set_session" for op in record.op.primitives()):
            self.refresh()

    def refresh(self) -> None:
        session = self.document.session
        orgs = session.organizations
        results = agreement_results(session, agreement_check_id(session))
        self.agreement.setRowCount(len(results))
        for row, result in enumerate(results):
            cells = (
                orgs[result.organization_id].name,
                f"{result.mean:.1f}",
                str(len(result.ratings)),
                " · ".join(result.comments),
            )
            for col, text in enumerate(cells):
                self.agreement.setItem(row, col, QTableWidgetItem(text))
        self.agreement.resizeColumnsToContents()
        self._refill(self.rating_org, [(o.name, o.id) for o in orgs.values()])
        round_id, _budget = vote_round(session)
        counted = tally(session, round_id)
        self.votes.setRowCount(len(counted))
        for row, (annotation_id, dots) in enumerate(counted):
            self.votes.setItem(row, 0, QTableWidgetItem(session.annotations[annotation_id].text))
            self.votes.setItem(row, 1, QTableWidgetItem(str(dots)))
        self.votes.resizeColumnsToContents()
        self._refill(self.voter, [(p.name, p.id) for p in session.participants.values()])
        self._refill(
            self.target,
            [
                (a.text[:60], a.id)
                for a in session.annotations.values()
                if a.annotation_kind in VOTABLE and not a.hidden
            ],
        )

    @staticmethod
    def _refill(box: QComboBox, items: list[tuple[str, str]]) -> None:
        keep = box.currentData()
        box.blockSignals(True)
        box.clear()
        for text, data in items:
            box.addItem(text, data)
        box.setCurrentIndex(max(0, box.findData(keep)) if keep else 0)
        box.blockSignals(False)

    def record_rating(self) -> None:
        session = self.document.session
        org = self.rating_org.currentData()
        if org is None:
            return
        self._apply(
            add(
                AgreementRating(
                    id=new_id("agreement"),
                    check_id=agreement_check_id(session),
                    organization_id=org,
                    model_id=shown_model_id(session, current_step(session)),
                    rating=self.rating.value(),
                    comment=self.comment.text().strip(),
                    created=datetime.now(UTC),
                )
            )
        )
        self.comment.clear()

    def place_dot(self) -> None:
        session = self.document.session
        voter, target = self.voter.currentData(), self.target.currentData()
        if voter is None or target is None:
            return
        round_id, budget = vote_round(session)
        try:
            check_vote(session, round_id, voter, target, 1, budget)
        except OperationError as error:
            QMessageBox.information(self, "No dot placed", literal(str(error)))
            return
        self._apply(add(Vote(id=new_id("vote"), round_id=round_id, participant_id=voter, annotation_id=target)))

    def dots_left(self, participant_id: str) -> int:
        round_id, budget = vote_round(self.document.session)
        return budget - dots_spent(self.document.session, round_id, participant_id)
