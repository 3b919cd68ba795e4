"""The Boundaries panel: mark knowledge boundaries, follow them from open to crossed, find them on the canvas."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.model.annotations import BoundaryManifestation, BoundaryStatus, BoundaryType, KnowledgeBoundary
from workshop.domain.model.document import Document
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import add, update
from workshop.domain.model.process import node_organization
from workshop.ui.host import Apply, Focus, Selection
from workshop.ui.throttle import refresh_on
from workshop.ui.widgets import add_ok_cancel, fill_organizations, literal

ANY = "(any)"
NEXT_STATUS = {"open": "being_crossed", "being_crossed": "crossed"}


class MarkBoundaryDialog(QDialog):
    """Type, manifestations, what is not shared, who raised it; the organizations come from the target."""

    def __init__(self, document: Document, target: tuple[str, str] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        session = document.session
        self.setWindowTitle("Mark knowledge boundary")
        self.target = target
        form = QFormLayout(self)
        self.org_a, self.org_b = QComboBox(), QComboBox()
        a, b = self._orgs_of(document, target)
        fill_organizations(self.org_a, session, chosen=a)
        fill_organizations(self.org_b, session, chosen=b)
        if not b and self.org_b.count() > 1:
            self.org_b.setCurrentIndex(1)
        where = "between the two organizations" if target is None else f"on the selected {target[0]}"
        form.addRow("Where", QLineEdit(where, readOnly=True))
        form.addRow("Organization", self.org_a)
        form.addRow("and organization", self.org_b)
        self.boundary_type = QComboBox()
        for value, text in (
            (BoundaryType.SYNTACTIC, "syntactic — no shared terms"),
            (BoundaryType.SEMANTIC, "semantic — same words, different meanings"),
            (BoundaryType.PRAGMATIC, "pragmatic — different interests or stakes"),
        ):
            self.boundary_type.addItem(text, str(value))
        self.boundary_type.setCurrentIndex(1)
        form.addRow("Type", self.boundary_type)
        self.manifestations: dict[str, QCheckBox] = {}
        for manifestation in BoundaryManifestation:
            check = QCheckBox(manifestation.value.replace("_", " "))
            self.manifestations[manifestation.value] = check
            form.addRow("" if len(self.manifestations) > 1 else "Shows up as", check)
        self.not_shared = QLineEdit()
        self.not_shared.setPlaceholderText("what is not shared, in the participants' words")
        form.addRow("Not shared", self.not_shared)
        self.raised_by = QComboBox()
        self.raised_by.addItem("(facilitator)", None)
        for person in session.participants.values():
            self.raised_by.addItem(f"{person.name} ({session.organizations[person.organization_id].name})", person.id)
        form.addRow("Raised by", self.raised_by)
        add_ok_cancel(self, form)

    @staticmethod
    def _orgs_of(document: Document, target: tuple[str, str] | None) -> tuple[str | None, str | None]:
        session = document.session
        if target is None:
            return None, None
        if target[0] == "flow":
            orgs = handoff_orgs(session, session.flows[target[1]])
            return orgs if orgs else (None, None)
        return node_organization(session.nodes[target[1]], session.lanes), None

    def boundary(self) -> KnowledgeBoundary:
        kind, target_id = self.target if self.target else ("organizations", None)
        return KnowledgeBoundary(
            id=new_id("boundary"),
            target_kind=kind,
            target_id=target_id,
            org_a=self.org_a.currentData(),
            org_b=self.org_b.currentData(),
            boundary_type=self.boundary_type.currentData(),
            manifestations=[v for v, box in self.manifestations.items() if box.isChecked()],
            not_shared=self.not_shared.text().strip(),
            raised_by=self.raised_by.currentData(),
        )


class BoundariesPanel(QWidget):
    COLUMNS = ("Organizations", "Type", "Status", "Not shared", "On")

    def __init__(
        self, document: Document, apply: Apply, selection: Selection, focus: Focus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._apply, self._selection, self._focus = apply, selection, focus
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.cellDoubleClicked.connect(lambda row, _c: self._focus_row(row))
        self.org_filter, self.type_filter, self.status_filter = QComboBox(), QComboBox(), QComboBox()
        for box, label in (
            (self.org_filter, "organization"),
            (self.type_filter, "type"),
            (self.status_filter, "status"),
        ):
            box.setAccessibleName(f"Filter by {label}")
            box.currentIndexChanged.connect(lambda _i: self.refresh_table())
        self.type_filter.addItems([ANY, *(t.value for t in BoundaryType)])
        self.status_filter.addItems([ANY, *(s.value for s in BoundaryStatus)])
        filters = QHBoxLayout()
        for box in (self.org_filter, self.type_filter, self.status_filter):
            filters.addWidget(box)
        self.mark_button = QPushButton("Mark boundary…")
        self.advance_button = QPushButton("Next status ▶")
        self.advance_button.setToolTip(literal("open → being crossed → crossed (asks how it was crossed)"))
        self.mark_button.clicked.connect(self.mark_interactively)
        self.advance_button.clicked.connect(self.advance_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.advance_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._unsubscribe = refresh_on(document, self, self.refresh, {"boundary", "organization"})
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    def refresh(self) -> None:
        fill_organizations(self.org_filter, self.document.session, ANY)
        self.refresh_table()

    def visible_boundaries(self) -> list[KnowledgeBoundary]:
        org, kind, status = (
            self.org_filter.currentData(),
            self.type_filter.currentText(),
            self.status_filter.currentText(),
        )
        return [
            b
            for b in self.document.session.boundaries.values()
            if (org is None or org in (b.org_a, b.org_b))
            and kind in (ANY, b.boundary_type)
            and status in (ANY, b.status)
        ]

    def refresh_table(self) -> None:
        session = self.document.session
        shown = self.visible_boundaries()
        self.table.setRowCount(len(shown))
        for row, b in enumerate(shown):
            on = b.target_kind if b.target_kind == "organizations" else f"{b.target_kind} {self._target_name(b)}"
            cells = (
                f"{session.organizations[b.org_a].name} ↔ {session.organizations[b.org_b].name}",
                str(b.boundary_type),
                str(b.status).replace("_", " "),
                b.not_shared,
                on,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, b.id)
                item.setToolTip(literal(b.crossing_note or text))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()

    def _target_name(self, b: KnowledgeBoundary) -> str:
        session = self.document.session
        if b.target_kind == "node" and b.target_id in session.nodes:
            return f"'{session.nodes[b.target_id].label}'"
        if b.target_kind == "flow" and b.target_id in session.flows:
            flow = session.flows[b.target_id]
            return f"'{session.nodes[flow.source_id].label}' → '{session.nodes[flow.target_id].label}'"
        return b.target_id or ""

    def selected_id(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _focus_row(self, row: int) -> None:
        item = self.table.item(row, 0)
        boundary = self.document.session.boundaries.get(str(item.data(Qt.ItemDataRole.UserRole))) if item else None
        if boundary is not None and boundary.target_kind in ("node", "flow") and boundary.target_id:
            self._focus(boundary.target_kind, boundary.target_id)

    # -- actions ---------------------------------------------------------------------
    def mark_interactively(self) -> None:
        dialog = MarkBoundaryDialog(self.document, self._selection(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._apply(add(dialog.boundary()))

    def advance_selected(self) -> None:
        boundary_id = self.selected_id()
        if boundary_id is None:
            return
        boundary = self.document.session.boundaries[boundary_id]
        following = NEXT_STATUS.get(str(boundary.status))
        if following is None:
            return
        note = boundary.crossing_note
        if following == "crossed":
            text, ok = QInputDialog.getMultiLineText(self, "Boundary crossed", "How was it crossed?", note)
            if not ok:
                return
            note = text.strip()
        self.set_status(boundary_id, following, note)

    def set_status(self, boundary_id: str, status: str, note: str = "") -> None:
        self._apply(update("boundary", boundary_id, status=status, crossing_note=note))
