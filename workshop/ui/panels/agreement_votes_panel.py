"""The Agreement and votes panel: the current step's agreement check per organization, and its dot vote."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from statistics import fmean

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.coordination import AgreementRating, Vote
from workshop.domain.facilitation.step_in_force import agreement_check_id, current_step, shown_model_id, vote_round
from workshop.domain.facilitation.voting import VOTABLE, agreement_results, check_vote, dots_left, tally, voter
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.ids import new_id
from workshop.domain.model.naming import node_name
from workshop.domain.model.operations import SetSessionOp, add, changes
from workshop.domain.model.process import Participant
from workshop.ui.host import Apply, Selection
from workshop.ui.throttle import Throttle
from workshop.ui.widgets import plain_label

PARTS = ("agreement", "votes", "voters", "targets")
"""What the panel shows, each refreshed only when a change touches it."""

ORGANIZATION_VOTER = "organization:"
"""Voter choices that stand for a whole organization rather than one person."""


class AgreementVotesPanel(QWidget):
    def __init__(
        self,
        document: Document,
        apply: Apply,
        parent: QWidget | None = None,
        selection: Selection | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._apply = apply
        self._selection = selection
        # agreement: results per organization, and a row to type in a rating said aloud in the room
        self.agreement = QTableWidget(0, 5)
        self.agreement.setHorizontalHeaderLabels(
            ["Organization", "Understanding (1–5)", "Answers", "Comments", "Predictability (1–5)"]
        )
        self.rating_org, self.rating, self.comment = QComboBox(), QSpinBox(), QLineEdit()
        self.rating.setRange(1, 5)
        self.rating.setValue(3)
        # predictability, when the check asks it: can we foresee what the others will do, and when, at the handoffs?
        self.predictability = QSpinBox()
        self.predictability.setRange(0, 5)
        self.predictability.setSpecialValueText("predictability not asked")
        self.predictability.setToolTip(
            "How well this organization can foresee what the others will do, and when, at the handoffs (1–5)"
        )
        # whether the check asks it: recorded in the session, so phones show the question too
        self.ask_predictability = QCheckBox("Ask predictability too (phones show the question)")
        self.ask_predictability.setToolTip(
            "Participants then also rate how well their organization can foresee what the others will do, "
            "and when, at the handoffs (1–5)"
        )
        self.ask_predictability.toggled.connect(self._ask_predictability)
        self.comment.setPlaceholderText("comment (optional)")
        self.rate_button = QPushButton("Record rating")
        self.rate_button.clicked.connect(self.record_rating)
        rate_row, comment_row = QHBoxLayout(), QHBoxLayout()
        for rated in (self.rating_org, self.rating, self.predictability):
            rate_row.addWidget(rated)
        comment_row.addWidget(self.comment)
        comment_row.addWidget(self.rate_button)  # two rows: in a narrow dock one row cut the predictability text
        agreement = QWidget()
        agreement_layout = QVBoxLayout(agreement)
        agreement_layout.addWidget(self.agreement, 1)
        agreement_layout.addWidget(self.ask_predictability)
        agreement_layout.addLayout(rate_row)
        agreement_layout.addLayout(comment_row)
        # votes: the round's tally, and dots placed for someone voting on paper or by hand
        self.votes = QTableWidget(0, 2)
        self.votes.setHorizontalHeaderLabels(["Idea or problem", "Dots"])
        self.voter, self.target = QComboBox(), QComboBox()
        self.voter.setToolTip("Who the dot is for: a participant, or an organization voting together")
        self.dot_button = QPushButton("Place a dot")
        self.dot_button.clicked.connect(self.place_dot)
        self.add_person_button = QPushButton("Add participant…")
        self.add_person_button.clicked.connect(self.add_participant)
        vote_row = QHBoxLayout()
        for widget in (self.voter, self.target, self.dot_button):
            vote_row.addWidget(widget)
        self.vote_status = plain_label()
        self.vote_status.setWordWrap(True)
        votes = QWidget()
        votes_layout = QVBoxLayout(votes)
        votes_layout.addWidget(self.votes, 1)
        votes_layout.addLayout(vote_row)
        votes_layout.addWidget(self.add_person_button)
        votes_layout.addWidget(self.vote_status)
        tabs = QTabWidget()
        tabs.addTab(agreement, "Agreement check")
        tabs.addTab(votes, "Dot vote")
        self.tabs = tabs
        # Enter records what was typed, as in any form: the rating said aloud, then the next organization
        for field in (self.comment, *self.rating.findChildren(QLineEdit), *self.predictability.findChildren(QLineEdit)):
            field.returnPressed.connect(self.record_rating)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        self._listed: dict[QComboBox, list[tuple[str, str]]] = {}
        """What each choice list holds, as (text, id)."""
        self._stale: set[str] = set(PARTS)
        self._new_targets: list[str] = []
        """Votable ideas added since the last refresh, appended to the target list without rebuilding it."""
        self._throttle = Throttle(self._refresh_stale, self)
        self._unsubscribe = document.subscribe(self._on_record)
        self.refresh()

    def show_tool(self, tool: str) -> None:
        """Open the tab of the step's tool: a vote step shows the dots, an agreement step the ratings."""
        self.tabs.setCurrentIndex(1 if tool == "vote" else 0)

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, record: LogRecord) -> None:
        """Mark the parts ``record`` changed; a room adding ideas touches only the target list, and only at its end.

        Every part rebuilt for every idea cost tens of milliseconds per refresh with a few thousand ideas,
        and the phones' acknowledgements waited behind it on the main thread.
        """
        changed = changes(record.op)
        kinds = changed.kinds()
        stale = set()
        if changed.session or kinds & {"agreement", "organization"}:
            stale |= {"agreement", "votes", "voters"}
        if "vote" in kinds:
            stale.add("votes")
        if "participant" in kinds:
            stale.add("voters")
        if "annotation" in kinds:
            if any(k == "annotation" for k, _ in changed.updated | changed.removed):
                stale |= {"votes", "targets"}  # a text edited, an idea hidden or removed: the lists show it
            self._new_targets += [i for k, i in sorted(changed.added) if k == "annotation"]
        if self._new_targets:
            stale.add("new targets")
        if stale:
            self._stale |= stale
            self._throttle.request()

    def refresh(self) -> None:
        """Show everything as the session has it now."""
        self._stale = set(PARTS)
        self._refresh_stale()

    def _refresh_stale(self) -> None:
        stale, self._stale = self._stale, set()
        new_targets, self._new_targets = self._new_targets, []
        if "agreement" in stale:
            self._show_agreement()
        if "votes" in stale:
            self._show_tally()
        if "voters" in stale:
            self._show_voters()
        if "targets" in stale:
            self._refill(self.target, self._targets(self.document.session.annotations.values()))
        elif new_targets:
            annotations = self.document.session.annotations
            added = self._targets(annotations[i] for i in new_targets if i in annotations)
            self._refill(self.target, [*self._listed.get(self.target, []), *added])

    @staticmethod
    def _targets(annotations: Iterable[Annotation]) -> list[tuple[str, str]]:
        """What dots can go to: ideas and problems nobody hid, as the target list shows them."""
        return [(a.text[:60], a.id) for a in annotations if a.annotation_kind in VOTABLE and not a.hidden]

    def _show_agreement(self) -> None:
        session = self.document.session
        orgs = session.organizations
        check = agreement_check_id(session)
        results = agreement_results(session, check)
        predictability: dict[str, list[int]] = {}
        for answer in session.agreements.values():
            if answer.check_id == check and answer.predictability is not None:
                predictability.setdefault(answer.organization_id, []).append(answer.predictability)
        self.agreement.setRowCount(len(results))
        for row, result in enumerate(results):
            foreseen = predictability.get(result.organization_id, [])
            cells = (
                orgs[result.organization_id].name,
                f"{result.mean:.1f}",
                str(len(result.ratings)),
                " · ".join(result.comments),
                f"{fmean(foreseen):.1f}" if foreseen else "",
            )
            for col, text in enumerate(cells):
                self.agreement.setItem(row, col, QTableWidgetItem(text))
        self.agreement.resizeColumnsToContents()
        self.ask_predictability.blockSignals(True)
        self.ask_predictability.setChecked(session.ask_predictability)
        self.ask_predictability.blockSignals(False)
        self._refill(self.rating_org, [(o.name, o.id) for o in orgs.values()])

    def _show_tally(self) -> None:
        session = self.document.session
        round_id, _budget = vote_round(session)
        counted = tally(session, round_id)
        self.votes.setRowCount(len(counted))
        for row, (annotation_id, dots) in enumerate(counted):
            self.votes.setItem(row, 0, QTableWidgetItem(session.annotations[annotation_id].text))
            self.votes.setItem(row, 1, QTableWidgetItem(str(dots)))
        self.votes.resizeColumnsToContents()

    def _show_voters(self) -> None:
        session = self.document.session
        people = sorted(session.participants.values(), key=lambda p: p.name.casefold())
        groups = [(f"{o.name} (together)", f"{ORGANIZATION_VOTER}{o.id}") for o in session.organizations.values()]
        self._refill(self.voter, [*((p.name, p.id) for p in people), *groups])

    def _refill(self, box: QComboBox, items: list[tuple[str, str]]) -> None:
        """Put ``items`` in ``box``, keeping the choice; nothing is done when they have not changed."""
        before = self._listed.get(box, [])
        if before == items:  # a thousand ideas: do not rebuild the list for each new one
            return
        self._listed[box] = items
        if len(items) > len(before) and items[: len(before)] == before:  # new ideas came in: add just those
            box.blockSignals(True)
            for text, data in items[len(before) :]:
                box.addItem(text, data)
            box.blockSignals(False)
            return
        keep = box.currentData()
        box.blockSignals(True)
        box.clear()
        for text, data in items:
            box.addItem(text, data)
        box.setCurrentIndex(max(0, box.findData(keep)) if keep else 0)
        box.blockSignals(False)

    def _ask_predictability(self, on: bool) -> None:
        """Ask (or stop asking) predictability in the check in force: one undoable change phones follow."""
        if on == self.document.session.ask_predictability:
            return
        label = "Ask predictability in the agreement check" if on else "Stop asking predictability"
        if self._apply(SetSessionOp(changes={"ask_predictability": on}, label=label)) is None:
            self.refresh()  # refused (a read-only session): show the flag as it is

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
                    predictability=self.predictability.value() or None,
                    comment=self.comment.text().strip(),
                    created=datetime.now(UTC),
                )
            )
        )
        self.comment.clear()

    def follow_selection(self) -> None:
        """A node clicked on the canvas: the dot goes to an idea or problem on it (votes without phones)."""
        chosen = self._selection() if self._selection is not None else None
        if chosen is None or chosen[0] not in ("node", "flow"):
            return
        session = self.document.session
        node = session.nodes.get(chosen[1])
        # the same step in another process state (the ideal process is a copy of the current one, with
        # new ids): the ideas said about it count on the copy too
        label = node.label.strip() if node is not None else ""
        votable = [a for a in session.annotations.values() if a.annotation_kind in VOTABLE and not a.hidden]
        # the annotations' targets are compared, not every node of the session (50,000 on a big model)
        same = {chosen[1]} | {
            a.target_id
            for a in votable
            if label
            and a.target_id is not None
            and (target := session.nodes.get(a.target_id)) is not None
            and target.label.strip() == label
        }
        on_it = [a for a in votable if a.target_id in same]
        where = f"“{node_name(node)}”" if node is not None else "this flow"
        if not on_it:
            self.vote_status.setText(f"No idea or problem on {where} yet.")
            return
        current = self.target.currentData()
        if current not in {a.id for a in on_it}:
            self.target.setCurrentIndex(max(0, self.target.findData(on_it[0].id)))
        more = f" ({len(on_it)} on it: choose in the list)" if len(on_it) > 1 else ""
        self.vote_status.setText(f"The next dot goes to “{self.target.currentText()}” on {where}{more}.")

    def place_dot(self) -> None:
        """A dot for the chosen person (within their budget) or organization, recorded by the facilitator."""
        session = self.document.session
        chosen, target = self.voter.currentData(), self.target.currentData()
        if target is None:
            self.vote_status.setText("There is nothing to vote on yet: add ideas or problems first.")
            return
        if chosen is None:
            self.vote_status.setText("Add a participant, or choose an organization, to place dots for.")
            return
        round_id, _budget = vote_round(session)
        organization = chosen.removeprefix(ORGANIZATION_VOTER) if chosen.startswith(ORGANIZATION_VOTER) else None
        person = None if organization else chosen
        try:
            check_vote(session, round_id, voter(person, organization), target)
        except OperationError as error:
            self.vote_status.setText(f"No dot placed: {error}.")  # said beside the button, not in a box to close
            return
        vote = Vote(
            id=new_id("vote"),
            round_id=round_id,
            participant_id=person,
            organization_id=organization,
            annotation_id=target,
        )
        if self._apply(add(vote)) is not None:
            who = session.organizations[organization].name if organization else session.participants[chosen].name
            self.vote_status.setText(f"A dot for {who}.")

    def add_participant(self) -> None:
        """Someone in the room without a phone: their name and organization, so their dots and answers count."""
        session = self.document.session
        if not session.organizations:
            self.vote_status.setText("Add an organization (a lane) first.")
            return
        name, ok = QInputDialog.getText(self, "Add participant", "Name")
        if not ok or not name.strip():
            return
        orgs = sorted(session.organizations.values(), key=lambda o: o.name.casefold())
        choice, ok = QInputDialog.getItem(self, "Add participant", "Organization", [o.name for o in orgs], 0, False)
        if not ok:
            return
        org = next(o for o in orgs if o.name == choice)
        person = Participant(id=new_id("participant"), name=" ".join(name.split()), organization_id=org.id)
        self._apply(add(person))
        self.voter.setCurrentIndex(self.voter.findData(person.id))

    def dots_left(self, participant_id: str) -> int:
        round_id, _budget = vote_round(self.document.session)
        return dots_left(self.document.session, round_id, voter(participant_id))
