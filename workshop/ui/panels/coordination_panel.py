"""The Coordination panel: mechanisms that keep the organizations coordinated, and the collaboration contract.

Mechanisms (plans and rules, roles, routines, boundary objects, meetings and
groups, proximity) carry an owner, a cadence, how they coordinate and which
handoffs they cover — the Health panel reports handoffs no mechanism covers.
Commitments say who delivers what to whom, in what form, by when; a line can
be negotiated (request, answer, revise, agree) below the contract table
(:mod:`workshop.ui.panels.contract_negotiation`), which shows its history.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.contract import STATE_WORDS
from workshop.domain.facilitation.coordination import (
    Commitment,
    CoordinationMechanism,
    CoordinationMode,
    MechanismKind,
    MechanismStatus,
)
from workshop.domain.model.document import Document
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import add, update
from workshop.ui.host import Apply
from workshop.ui.panels.contract_negotiation import ContractNegotiation, Records, handoff_label
from workshop.ui.throttle import refresh_on
from workshop.ui.widgets import add_ok_cancel, fill_organizations, only_front_tab_sized

ALL = "(all organizations)"


def _combo(values: list[tuple[str, str | None]], current: str | None = None) -> QComboBox:
    box = QComboBox()
    for text, data in values:
        box.addItem(text, data)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    return box


def _checked(items: QListWidget) -> list[str]:
    return [
        items.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(items.count())
        if items.item(i).checkState() == Qt.CheckState.Checked
    ]


def _words(value: str) -> str:
    return value.replace("existing_", "").replace("_", " ")


class MechanismDialog(QDialog):
    def __init__(self, document: Document, mechanism: CoordinationMechanism | None, parent: QWidget | None = None):
        super().__init__(parent)
        session = document.session
        self.setWindowTitle("Coordination mechanism")
        m = mechanism
        form = QFormLayout(self)
        self.name = QLineEdit(m.name if m else "")
        self.kind = _combo([(_words(k.value), k.value) for k in MechanismKind], m.mechanism_kind if m else None)
        self.mode = _combo([(_words(k.value), k.value) for k in CoordinationMode], m.mode if m else None)
        self.owner = _combo(
            [("(no owner yet)", None), *((o.name, o.id) for o in session.organizations.values())],
            m.owner_org_id if m else None,
        )
        self.cadence = QLineEdit(m.cadence if m else "")
        self.cadence.setPlaceholderText("e.g. every second week")
        self.coordinates = QLineEdit(m.coordinates if m else "")
        self.status = _combo([(_words(s.value), s.value) for s in MechanismStatus], m.status if m else "new")
        self.handoffs = QListWidget()
        chosen = set(m.flow_ids) if m else set()
        for flow in session.flows.values():
            orgs = handoff_orgs(session, flow)
            if orgs is None:
                continue
            names = " → ".join(session.organizations[o].name for o in orgs)
            label = f"{names}: {session.nodes[flow.source_id].label} → {session.nodes[flow.target_id].label}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, flow.id)
            item.setCheckState(Qt.CheckState.Checked if flow.id in chosen else Qt.CheckState.Unchecked)
            self.handoffs.addItem(item)
        self.boundaries = QListWidget()
        covered = set(m.boundary_ids) if m else set()
        for boundary in session.boundaries.values():
            pair = f"{session.organizations[boundary.org_a].name} ↔ {session.organizations[boundary.org_b].name}"
            item = QListWidgetItem(f"{pair}: {boundary.not_shared or boundary.boundary_type}")
            item.setData(Qt.ItemDataRole.UserRole, boundary.id)
            item.setCheckState(Qt.CheckState.Checked if boundary.id in covered else Qt.CheckState.Unchecked)
            self.boundaries.addItem(item)
        for label, widget in (
            ("Name", self.name),
            ("Kind", self.kind),
            ("Coordinates by", self.mode),
            ("Owner", self.owner),
            ("Cadence", self.cadence),
            ("What it coordinates", self.coordinates),
            ("Status", self.status),
            ("Handoffs it covers", self.handoffs),
            ("Knowledge boundaries it addresses", self.boundaries),
        ):
            form.addRow(label, widget)
        add_ok_cancel(self, form)

    def values(self) -> dict[str, object]:
        return {
            "name": self.name.text().strip(),
            "mechanism_kind": self.kind.currentData(),
            "mode": self.mode.currentData(),
            "owner_org_id": self.owner.currentData(),
            "cadence": self.cadence.text().strip(),
            "coordinates": self.coordinates.text().strip(),
            "status": self.status.currentData(),
            "flow_ids": _checked(self.handoffs),
            "boundary_ids": _checked(self.boundaries),
        }


class CommitmentDialog(QDialog):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Commitment")
        orgs = [(o.name, o.id) for o in document.session.organizations.values()]
        form = QFormLayout(self)
        self.from_org = _combo(list(orgs))
        self.to_org = _combo(list(orgs))
        if self.to_org.count() > 1:
            self.to_org.setCurrentIndex(1)
        self.what, self.form, self.by_when = QLineEdit(), QLineEdit(), QLineEdit()
        self.form.setPlaceholderText("e.g. a web form with the customer number")
        self.by_when.setPlaceholderText("e.g. 2026-05-01")
        for label, widget in (
            ("Who delivers", self.from_org),
            ("To whom", self.to_org),
            ("What", self.what),
            ("In what form", self.form),
            ("By when", self.by_when),
        ):
            form.addRow(label, widget)
        add_ok_cancel(self, form)

    def commitment(self) -> Commitment:
        return Commitment(
            id=new_id("commitment"),
            from_org_id=self.from_org.currentData(),
            to_org_id=self.to_org.currentData(),
            what=self.what.text().strip(),
            form=self.form.text().strip(),
            by_when=self.by_when.text().strip(),
        )


class CoordinationPanel(QWidget):
    MECHANISM_COLUMNS = ("Mechanism", "Kind", "Owner", "Cadence", "Status", "Handoffs")
    COMMITMENT_COLUMNS = ("Who", "Delivers what", "To whom", "In what form", "By when", "Done", "Handoff", "State")

    def __init__(
        self, document: Document, apply: Apply, records: Records | None = None, parent: QWidget | None = None
    ) -> None:
        """``records`` reads the session's log (the history of each contract line); without it, what is seen."""
        super().__init__(parent)
        self.document = document
        self._apply = apply
        self.organization = QComboBox()
        self.organization.currentIndexChanged.connect(lambda _i: self.refresh_tables())
        self.mechanisms = self._table(self.MECHANISM_COLUMNS)
        self.mechanisms.cellDoubleClicked.connect(lambda row, _c: self.edit_mechanism(row))
        self.commitments = self._table(self.COMMITMENT_COLUMNS)
        self.commitments.setEditTriggers(
            QTableWidget.EditTrigger.DoubleClicked | QTableWidget.EditTrigger.EditKeyPressed
        )
        self.commitments.itemChanged.connect(self._commitment_edited)
        self.commitments.itemSelectionChanged.connect(self._line_chosen)
        self.negotiation = ContractNegotiation(document, apply, records)
        self.add_mechanism_button = QPushButton("Add mechanism…")
        self.add_mechanism_button.clicked.connect(lambda: self.edit_mechanism(None))
        self.add_commitment_button = QPushButton("Add commitment…")
        self.add_commitment_button.clicked.connect(self.add_commitment_interactively)
        self.done_button = QPushButton("Mark delivered")
        self.done_button.clicked.connect(self.mark_selected_done)
        mechanisms = QWidget()
        box = QVBoxLayout(mechanisms)  # actions above their list: in a short dock they stay in sight
        box.addWidget(self.add_mechanism_button)
        box.addWidget(self.mechanisms, 1)
        lines = QWidget()
        contract_layout = QVBoxLayout(lines)
        contract_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.add_commitment_button)
        row.addWidget(self.done_button)
        contract_layout.addLayout(row)
        contract_layout.addWidget(self.commitments, 1)
        contract = QSplitter(Qt.Orientation.Vertical)
        contract.addWidget(lines)
        contract.addWidget(self.negotiation)
        # in a short dock the moves come first: the lines' table gives up its height, the form keeps its own
        self.commitments.setMinimumHeight(72)
        contract.setStretchFactor(0, 1)
        contract.setStretchFactor(1, 0)
        contract.setCollapsible(1, False)
        tabs = QTabWidget()
        tabs.addTab(mechanisms, "Mechanisms")
        tabs.addTab(contract, "Collaboration contract")
        self.tabs = tabs
        layout = QVBoxLayout(self)
        layout.addWidget(self.organization)
        layout.addWidget(tabs, 1)
        # each tab's own height counts only when it is in front: the contract's two parts made the
        # mechanisms tab as tall as they are, pushing its button out of a short dock
        tabs.currentChanged.connect(lambda _i: only_front_tab_sized(tabs))
        only_front_tab_sized(tabs)
        kinds = {"mechanism", "commitment", "organization", "flow", "node", "lane"}  # handoffs read "Task → Task"
        self._unsubscribe = refresh_on(document, self, self.refresh, kinds)
        self.refresh()

    @staticmethod
    def _table(columns: tuple[str, ...]) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setHorizontalHeaderLabels(columns)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        return table

    def detach(self) -> None:
        self._unsubscribe()
        self.negotiation.detach()

    def show_tool(self, tool: str) -> None:
        """Open the tab of the step's tool: mechanisms, or the collaboration contract."""
        self.tabs.setCurrentIndex(1 if tool == "contract" else 0)

    def refresh(self) -> None:
        fill_organizations(self.organization, self.document.session, ALL)
        self.refresh_tables()
        self.negotiation.refresh()

    def shown_mechanisms(self) -> list[CoordinationMechanism]:
        org = self.organization.currentData()
        return [m for m in self.document.session.mechanisms.values() if org in (None, m.owner_org_id)]

    def shown_commitments(self) -> list[Commitment]:
        org = self.organization.currentData()
        return [c for c in self.document.session.commitments.values() if org in (None, c.from_org_id, c.to_org_id)]

    def refresh_tables(self) -> None:
        orgs = self.document.session.organizations

        def name(org_id: str | None) -> str:
            return orgs[org_id].name if org_id in orgs else ""

        rows: list[tuple[str, list[str]]] = [
            (
                m.id,
                [
                    m.name,
                    _words(m.mechanism_kind),
                    name(m.owner_org_id),
                    m.cadence,
                    _words(m.status),
                    str(len(m.flow_ids)),
                ],
            )
            for m in self.shown_mechanisms()
        ]
        self._fill(self.mechanisms, rows)
        session = self.document.session

        def at(flow_id: str | None) -> str:
            flow = session.flows.get(flow_id or "")
            return handoff_label(session, flow) if flow is not None else ""

        chosen = self.negotiation.line_id
        self._fill(
            self.commitments,
            [
                (
                    c.id,
                    [
                        name(c.from_org_id),
                        c.what,
                        name(c.to_org_id),
                        c.form,
                        c.by_when,
                        "yes" if c.done else "",
                        at(c.flow_id),
                        STATE_WORDS[c.state],
                    ],
                )
                for c in self.shown_commitments()
            ],
            frozenset(self.EDITABLE),
        )
        self._select_line(chosen)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, list[str]]], editable: frozenset[int] = frozenset()) -> None:
        table.blockSignals(True)
        table.setRowCount(len(rows))
        for r, (element_id, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, element_id)
                if c not in editable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(r, c, item)
        table.blockSignals(False)
        table.resizeColumnsToContents()

    EDITABLE: ClassVar[dict[int, str]] = {1: "what", 3: "form", 4: "by_when"}
    """Commitment columns edited in place: delivers what, in what form, by when."""

    def _commitment_edited(self, item: QTableWidgetItem) -> None:
        field = self.EDITABLE.get(item.column())
        commitment = self.document.session.commitments.get(str(item.data(Qt.ItemDataRole.UserRole)))
        if field is None or commitment is None or getattr(commitment, field) == item.text().strip():
            return
        if field == "what" and not item.text().strip():
            item.setText(commitment.what)  # a commitment must say what is delivered
            return
        self._apply(update("commitment", commitment.id, **{field: item.text().strip()}))

    def _select_line(self, commitment_id: str | None) -> None:
        """Keep the chosen line chosen across a rebuild of the table."""
        for row in range(self.commitments.rowCount()):
            item = self.commitments.item(row, 0)
            if commitment_id is not None and item is not None and item.data(Qt.ItemDataRole.UserRole) == commitment_id:
                self.commitments.blockSignals(True)
                self.commitments.selectRow(row)
                self.commitments.blockSignals(False)
                return

    def _line_chosen(self) -> None:
        row = self.commitments.currentRow()
        item = self.commitments.item(row, 0) if row >= 0 else None
        self.negotiation.show_line(str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None)

    def edit_mechanism(self, row: int | None) -> None:
        shown = self.shown_mechanisms()
        mechanism = shown[row] if row is not None and 0 <= row < len(shown) else None
        dialog = MechanismDialog(self.document, mechanism, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.values()["name"]:
            return
        if mechanism is None:
            self._apply(add(CoordinationMechanism(id=new_id("mechanism"), **dialog.values())))
        else:
            self._apply(update("mechanism", mechanism.id, **dialog.values()))

    def add_commitment_interactively(self) -> None:
        dialog = CommitmentDialog(self.document, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.what.text().strip():
            self._apply(add(dialog.commitment()))

    def mark_selected_done(self) -> None:
        row = self.commitments.currentRow()
        item = self.commitments.item(row, 0) if row >= 0 else None
        if item is not None:
            self._apply(update("commitment", str(item.data(Qt.ItemDataRole.UserRole)), done=True))
