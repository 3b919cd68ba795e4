"""The Glossary panel: the shared language being built — each organization's meaning side by side."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.model.annotations import GlossaryTerm
from workshop.domain.model.document import Document
from workshop.domain.model.glossary_match import meanings_conflict
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import BatchOp, add, remove, update
from workshop.ui.host import Apply
from workshop.ui.throttle import refresh_on
from workshop.ui.widgets import add_ok_cancel, literal


class TermDialog(QDialog):
    def __init__(self, document: Document, term: GlossaryTerm | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary term")
        form = QFormLayout(self)
        self.term = QLineEdit(term.term if term else "")
        form.addRow("Term", self.term)
        self.meanings: dict[str, QLineEdit] = {}
        for org in document.session.organizations.values():
            edit = QLineEdit(term.meanings.get(org.id, "") if term else "")
            edit.setPlaceholderText(f"what '{org.name}' means by it")
            self.meanings[org.id] = edit
            form.addRow(org.name, edit)
        self.agreed = QCheckBox("The organizations agree the meanings are the same")
        self.agreed.setChecked(bool(term and term.agreed))
        form.addRow(self.agreed)
        add_ok_cancel(self, form)

    def values(self) -> dict[str, object]:
        meanings = {org: edit.text().strip() for org, edit in self.meanings.items() if edit.text().strip()}
        return {"term": self.term.text().strip(), "meanings": meanings, "agreed": self.agreed.isChecked()}


class GlossaryPanel(QWidget):
    def __init__(self, document: Document, apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._apply = apply
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.cellDoubleClicked.connect(lambda row, _c: self.edit_row(row))
        self.add_button, self.edit_button, self.merge_button = (
            QPushButton("Add term…"),
            QPushButton("Edit…"),
            QPushButton("Merge selected"),
        )
        self.merge_button.setToolTip(
            "Two rows that name the same thing: keep the first, fill in its gaps from the second"
        )
        self.add_button.clicked.connect(self.add_interactively)
        self.edit_button.clicked.connect(lambda: self.edit_row(self.table.currentRow()))
        self.merge_button.clicked.connect(self.merge_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.merge_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._unsubscribe = refresh_on(document, self, self.refresh, {"term", "organization"})
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    def terms(self) -> list[GlossaryTerm]:
        return sorted(self.document.session.glossary.values(), key=lambda t: t.term.lower())

    def refresh(self) -> None:
        orgs = list(self.document.session.organizations.values())
        self.table.setColumnCount(len(orgs) + 2)
        self.table.setHorizontalHeaderLabels(["Term", *(o.name for o in orgs), "Agreed"])
        terms = self.terms()
        self.table.setRowCount(len(terms))
        for row, term in enumerate(terms):
            cells = [term.term, *(term.meanings.get(o.id, "") for o in orgs), "yes" if term.agreed else ""]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, term.id)
                item.setToolTip(literal(text))
                if meanings_conflict(term):
                    item.setBackground(QColor("#fce4ec"))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()

    def add_interactively(self) -> None:
        dialog = TermDialog(self.document, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.values()["term"]:
            self._apply(add(GlossaryTerm(id=new_id("term"), **dialog.values())))

    def edit_row(self, row: int) -> None:
        if not 0 <= row < len(self.terms()):
            return
        term = self.terms()[row]
        dialog = TermDialog(self.document, term, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.values()["term"]:
            self._apply(update("term", term.id, **dialog.values()))

    def merge_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if len(rows) != 2:
            QMessageBox.information(self, "Merge terms", "Select exactly two terms to merge.")
            return
        terms = self.terms()
        self.merge(terms[rows[0]].id, terms[rows[1]].id)

    def merge(self, keep_id: str, drop_id: str) -> None:
        """One undo step: the kept term gains the other's meanings where it has none; the other goes."""
        glossary = self.document.session.glossary
        keep, drop = glossary[keep_id], glossary[drop_id]
        meanings = {**drop.meanings, **keep.meanings}
        self._apply(
            BatchOp(
                label=f"Merge '{drop.term}' into '{keep.term}'",
                ops=[update("term", keep_id, meanings=meanings), remove("term", drop_id)],
            )
        )
