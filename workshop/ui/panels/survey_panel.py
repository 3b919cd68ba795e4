"""The Survey panel: run relational-coordination rounds, type in paper answers, read the results.

Results are shown per ordered pair of organizations ("how A sees its tie
with B"), per dimension and overall, with "too few answers" wherever fewer
respondents than the threshold answered, and before/after side by side.
Where the lanes carry roles, a paper answer can name the respondent's role and
the role it is about, and the results show the ties between roles too, with
the same withholding (relational coordination is measured between roles as
well as between organizations).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import add, update
from workshop.domain.model.session import Session
from workshop.domain.model.yaml_source import SourceError
from workshop.domain.research.sources import SurveyResponse, SurveyRound
from workshop.domain.research.survey import (
    DEFAULT_THRESHOLD,
    DIMENSIONS,
    OVERALL,
    Cell,
    Instrument,
    compare_rounds,
    describe_cell,
    load_instrument,
    rounds_in_order,
    score_round,
)
from workshop.resources import scripts_dir
from workshop.ui.host import Apply
from workshop.ui.panels.tie_network import TieNetworkView
from workshop.ui.widgets import add_ok_cancel, fill_organizations, literal, plain_label

COLUMNS = (*DIMENSIONS, OVERALL)


def default_instrument_path() -> Path:
    return scripts_dir() / "instruments" / "relational-coordination.yaml"


def _heading(dimension: str) -> str:
    return dimension.replace("_communication", "").replace("_", " ").capitalize()


NO_ROLE = "(no role named)"


def lane_roles(session: Session, org_id: str | None) -> list[str]:
    """The roles the lanes of one organization carry, in name order: the roles an answer may name."""
    return sorted(
        {lane.role for lane in session.lanes.values() if lane.organization_id == org_id and lane.role},
        key=str.casefold,
    )


class PaperAnswersDialog(QDialog):
    """Type in one paper questionnaire: who answered (organization) about whom, one rating per item."""

    def __init__(self, session: Session, survey: SurveyRound, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Paper answers — {survey.label}")
        self._instrument = Instrument.model_validate(survey.instrument)
        self._survey = survey
        form = QFormLayout(self)
        self.from_org = QComboBox()
        self.about_org = QComboBox()
        fill_organizations(self.from_org, session)
        fill_organizations(self.about_org, session)
        if self.about_org.count() > 1:
            self.about_org.setCurrentIndex(1)
        form.addRow("Respondent's organization", self.from_org)
        form.addRow("About organization", self.about_org)
        # roles only where the lanes carry them; the domain checks each named role against the lanes
        self._session = session
        self.role, self.about_role = QComboBox(), QComboBox()
        self.role.setAccessibleName("Respondent's role")
        self.about_role.setAccessibleName("About role")
        self.from_org.currentIndexChanged.connect(lambda _i: self._fill_roles(self.role, self.from_org))
        self.about_org.currentIndexChanged.connect(lambda _i: self._fill_roles(self.about_role, self.about_org))
        self._fill_roles(self.role, self.from_org)
        self._fill_roles(self.about_role, self.about_org)
        if any(lane.role for lane in session.lanes.values()):
            form.addRow("Respondent's role", self.role)
            form.addRow("About role", self.about_role)
        else:
            self.role.hide()
            self.about_role.hide()
        self.answers: dict[str, QSpinBox] = {}
        for item in self._instrument.items:
            spin = QSpinBox()
            spin.setRange(self._instrument.scale_min - 1, self._instrument.scale_max)
            spin.setSpecialValueText("no answer")
            spin.setValue(self._instrument.scale_min - 1)
            spin.setAccessibleName(item.id)
            self.answers[item.id] = spin
            text = item.text.replace("{other}", "they").replace("{process}", "the process")
            label = plain_label(text)
            label.setWordWrap(True)
            form.addRow(label, spin)
        add_ok_cancel(self, form)

    def _fill_roles(self, box: QComboBox, org: QComboBox) -> None:
        roles = lane_roles(self._session, org.currentData())
        box.clear()
        box.addItem(NO_ROLE, "")
        for role in roles:
            box.addItem(role, role)
        box.setEnabled(bool(roles))

    def response(self) -> SurveyResponse:
        lowest = self._instrument.scale_min
        answers = {item_id: spin.value() for item_id, spin in self.answers.items() if spin.value() >= lowest}
        return SurveyResponse(
            id=new_id("response"),
            round_id=self._survey.id,
            organization_id=self.from_org.currentData(),
            about_org_id=self.about_org.currentData(),
            answers=answers,
            role=str(self.role.currentData() or ""),
            about_role=str(self.about_role.currentData() or ""),
        )


class SurveyPanel(QWidget):
    """Dock content: survey rounds, paper entry, results and before/after."""

    ties_changed = Signal(object)
    """The scores to show on the canvas handoffs: a list of Cells, or None to stop showing them."""

    def __init__(self, document: Document, apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._apply = apply
        self.threshold = DEFAULT_THRESHOLD

        self.rounds = QComboBox()
        self.rounds.setAccessibleName("Survey round")
        self.open_button = QPushButton("Open round…")
        self.close_button = QPushButton("Close round")
        self.paper_button = QPushButton("Type in paper answers…")
        top = QHBoxLayout()
        top.addWidget(self.rounds, 1)
        for button in (self.open_button, self.close_button, self.paper_button):
            top.addWidget(button)

        self.results = QTableWidget(0, len(COLUMNS) + 1)
        self.results.setHorizontalHeaderLabels(["Who sees whom", *(_heading(c) for c in COLUMNS)])
        self.changes = QTableWidget(0, 4)
        self.changes.setHorizontalHeaderLabels(["Who sees whom", "Before", "After", "Change"])
        self.role_results = QTableWidget(0, len(COLUMNS) + 1)
        self.role_results.setHorizontalHeaderLabels(["Which role sees which", *(_heading(c) for c in COLUMNS)])
        self.network = TieNetworkView()
        tabs = QTabWidget()
        tabs.addTab(self.results, "Results")
        tabs.addTab(self.role_results, "Between roles")
        tabs.addTab(self.changes, "Before / after (overall)")
        tabs.addTab(self.network, "Network")
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.show_ties = QCheckBox("Colour handoffs on the canvas by tie strength")
        self.show_ties.toggled.connect(lambda _on: self._emit_ties())

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.show_ties)
        layout.addWidget(self.status)

        self.open_button.clicked.connect(self._open_round_interactively)
        self.close_button.clicked.connect(self.close_current_round)
        self.paper_button.clicked.connect(self._enter_paper_answers)
        self.rounds.currentIndexChanged.connect(lambda _i: self.refresh_results())
        self._unsubscribe = document.subscribe(self._on_record)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self.refresh()

    # -- actions -------------------------------------------------------------
    def open_round(self, instrument: Instrument, label: str, phase: str) -> str:
        """Start a survey round with ``instrument`` embedded; returns its id."""
        round_id = new_id("survey")
        self._apply(
            add(
                SurveyRound(
                    id=round_id,
                    label=label,
                    instrument=instrument.model_dump(mode="json"),
                    phase=phase,
                    opened=datetime.now(UTC),
                )
            )
        )
        self.select_round(round_id)
        return round_id

    def close_current_round(self) -> None:
        round_id = self.current_round_id()
        if round_id is not None:
            self._apply(update("survey_round", round_id, closed=datetime.now(UTC).isoformat()))

    def add_paper_response(self, response: SurveyResponse) -> None:
        try:
            self._apply(add(response))
        except OperationError as error:
            QMessageBox.warning(self, "Answers not recorded", literal(str(error)))

    def current_round_id(self) -> str | None:
        data = self.rounds.currentData()
        return str(data) if data else None

    def select_round(self, round_id: str) -> None:
        index = self.rounds.findData(round_id)
        if index >= 0:
            self.rounds.setCurrentIndex(index)

    def _open_round_interactively(self) -> None:
        choice, ok = QInputDialog.getItem(
            self, "Open survey round", "Instrument", ["Built-in (plain wording)", "From a file…"], 0, False
        )
        if not ok:
            return
        path = default_instrument_path()
        if choice != "Built-in (plain wording)":
            name, _ = QFileDialog.getOpenFileName(self, "Survey instrument", "", "Instruments (*.yaml *.yml)")
            if not name:
                return
            path = Path(name)
        try:
            instrument = load_instrument(path)
        except SourceError as error:
            QMessageBox.warning(self, "Instrument not loaded", literal(str(error)))
            return
        phase, ok = QInputDialog.getItem(self, "Open survey round", "When", ["before", "after", "follow-up"], 0, False)
        if not ok:
            return
        label, ok = QInputDialog.getText(self, "Open survey round", "Label", text=f"Survey {phase}")
        if ok and label.strip():
            self.open_round(instrument, label.strip(), phase)

    def _enter_paper_answers(self) -> None:
        round_id = self.current_round_id()
        if round_id is None:
            return
        dialog = PaperAnswersDialog(self._document.session, self._document.session.survey_rounds[round_id], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_paper_response(dialog.response())

    # -- view ----------------------------------------------------------------
    def _on_record(self, record: LogRecord) -> None:
        if any(getattr(op, "kind", "").startswith("survey") for op in record.op.primitives()):
            self.refresh()

    def refresh(self) -> None:
        keep = self.current_round_id()
        self.rounds.blockSignals(True)
        self.rounds.clear()
        for survey in rounds_in_order(self._document.session):
            state = "closed" if survey.closed else "open"
            self.rounds.addItem(f"{survey.label} ({survey.phase}, {state})", survey.id)
        if keep:
            self.select_round(keep)
        self.rounds.blockSignals(False)
        has_round = self.rounds.count() > 0
        self.close_button.setEnabled(has_round)
        self.paper_button.setEnabled(has_round)
        self.refresh_results()

    def _org(self, org_id: str) -> str:
        org = self._document.session.organizations.get(org_id)
        return org.name if org else org_id

    def refresh_results(self) -> None:
        session = self._document.session
        round_id = self.current_round_id()
        cells = score_round(session, round_id, threshold=self.threshold) if round_id else []
        pairs = sorted({(c.from_org, c.about_org) for c in cells})
        by_key = {(c.from_org, c.about_org, c.dimension): c for c in cells}
        self.results.setRowCount(len(pairs))
        for row, (frm, about) in enumerate(pairs):
            self._set(self.results, row, 0, f"{self._org(frm)} → {self._org(about)}")
            for col, dimension in enumerate(COLUMNS, start=1):
                self._set(self.results, row, col, describe_cell(by_key.get((frm, about, dimension))))
        self.results.resizeColumnsToContents()
        # the same scoring by role pair, from the answers that name both roles; small cells withheld alike
        role_cells = score_round(session, round_id, threshold=self.threshold, by_role=True) if round_id else []
        role_pairs = sorted({(c.from_org, c.from_role, c.about_org, c.about_role) for c in role_cells})
        by_role = {(c.from_org, c.from_role, c.about_org, c.about_role, c.dimension): c for c in role_cells}
        self.role_results.setRowCount(len(role_pairs))
        for row, (frm, frm_role, about, about_role) in enumerate(role_pairs):
            who = f"{self._org(frm)} ({frm_role}) → {self._org(about)} ({about_role})"
            self._set(self.role_results, row, 0, who)
            for col, dimension in enumerate(COLUMNS, start=1):
                cell = by_role.get((frm, frm_role, about, about_role, dimension))
                self._set(self.role_results, row, col, describe_cell(cell))
        self.role_results.resizeColumnsToContents()
        self.network.show_round(session, round_id, threshold=self.threshold)
        self._emit_ties(cells)

        ordered = rounds_in_order(session)
        changes = (
            [
                c
                for c in compare_rounds(session, ordered[0].id, ordered[-1].id, threshold=self.threshold)
                if c.dimension == OVERALL
            ]
            if len(ordered) >= 2
            else []
        )
        self.changes.setRowCount(len(changes))
        for row, change in enumerate(changes):
            diff = change.difference
            self._set(self.changes, row, 0, f"{self._org(change.from_org)} → {self._org(change.about_org)}")
            self._set(self.changes, row, 1, describe_cell(change.before))
            self._set(self.changes, row, 2, describe_cell(change.after))
            self._set(self.changes, row, 3, "not comparable" if diff is None else f"{diff:+.2f}")
        self.changes.resizeColumnsToContents()
        responses = sum(1 for r in session.survey_responses.values() if r.round_id == round_id)
        self.status.setText(
            f"{responses} questionnaire(s) in this round. Cells with fewer than {self.threshold} respondents "
            "are shown as “too few answers” to protect anonymity."
            if round_id
            else "No survey round yet. Open one at the start of intervention 1 and again at the end of intervention 3."
        )

    def _emit_ties(self, cells: list[Cell] | None = None) -> None:
        if not self.show_ties.isChecked():
            self.ties_changed.emit(None)
            return
        round_id = self.current_round_id()
        if cells is None:
            cells = score_round(self._document.session, round_id, threshold=self.threshold) if round_id else []
        self.ties_changed.emit(cells)

    @staticmethod
    def _set(table: QTableWidget, row: int, col: int, text: str) -> None:
        item = QTableWidgetItem(text)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        table.setItem(row, col, item)
