"""The Data collection panel: workshops, interviews and observations per intervention, and archival documents.

What is recorded here fills the method's summary table (File › Export, the
report, ``workshop export --format table1``) without typing anything twice.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.progress import script_of
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import add
from workshop.domain.research.sources import ArchivalDocument, DataCollectionEvent, DataCollectionKind
from workshop.ui.host import Apply
from workshop.ui.widgets import add_ok_cancel, fill_organizations


def _interventions(document: Document) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)  # an intervention not in the script can still be named
    script = script_of(document.session)
    for intervention in script.interventions if script else []:
        box.addItem(intervention.title, intervention.id)
    if box.count() == 0:
        box.addItems(["i1", "i2", "i3"])
    return box


def _chosen(box: QComboBox) -> str:
    data = box.currentData()
    return str(data) if data and box.currentText() == box.itemText(box.currentIndex()) else box.currentText().strip()


class EventDialog(QDialog):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Data collection event")
        form = QFormLayout(self)
        self.intervention = _interventions(document)
        self.kind = QComboBox()
        for kind in DataCollectionKind:
            self.kind.addItem(kind.value.replace("_", " "), kind.value)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.process = QLineEdit()
        self.process.setPlaceholderText("e.g. end-users' contact processing")
        self.attendance: dict[str, QSpinBox] = {}
        form.addRow("Intervention", self.intervention)
        form.addRow("Kind", self.kind)
        form.addRow("Date", self.date)
        form.addRow("Business process", self.process)
        for org in document.session.organizations.values():
            spin = QSpinBox()
            spin.setRange(0, 500)
            self.attendance[org.id] = spin
            form.addRow(f"People from {org.name}", spin)
        self.names = QLineEdit()
        self.names.setPlaceholderText("names or roles, separated by commas (for interviews)")
        form.addRow("Who took part", self.names)
        add_ok_cancel(self, form)

    def data_event(self) -> DataCollectionEvent:
        return DataCollectionEvent(
            id=new_id("data-event"),
            intervention_id=_chosen(self.intervention),
            event_kind=self.kind.currentData(),
            date=self.date.date().toString(Qt.DateFormat.ISODate),
            business_process=self.process.text().strip(),
            attendance={org: spin.value() for org, spin in self.attendance.items() if spin.value()},
            names=[n.strip() for n in self.names.text().split(",") if n.strip()],
        )


class ArchivalDialog(QDialog):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Archival document")
        form = QFormLayout(self)
        self.intervention = _interventions(document)
        self.title = QLineEdit()
        self.owner = QComboBox()
        fill_organizations(self.owner, document.session, "(not said)")
        self.kind = QLineEdit()
        self.kind.setPlaceholderText("e.g. minutes, plan, report")
        self.file = QLineEdit()
        browse = QPushButton("Attach…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        for label, widget in (
            ("Intervention", self.intervention),
            ("Title", self.title),
            ("Owner", self.owner),
            ("Kind", self.kind),
        ):
            form.addRow(label, widget)
        form.addRow("File", row)
        add_ok_cancel(self, form)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Archival document")
        if name:
            self.file.setText(Path(name).name)

    def document_record(self) -> ArchivalDocument:
        return ArchivalDocument(
            id=new_id("archival"),
            intervention_id=_chosen(self.intervention),
            title=self.title.text().strip(),
            owner_org_id=self.owner.currentData(),
            document_kind=self.kind.text().strip(),
            file_name=self.file.text().strip(),
        )


class DataCollectionPanel(QWidget):
    def __init__(self, document: Document, apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._apply = apply
        self.events = QTableWidget(0, 5)
        self.events.setHorizontalHeaderLabels(["Intervention", "Kind", "Date", "Business process", "Took part"])
        self.archival = QTableWidget(0, 4)
        self.archival.setHorizontalHeaderLabels(["Intervention", "Title", "Owner", "File"])
        for table in (self.events, self.archival):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.add_event_button = QPushButton("Record workshop, interview or observation…")
        self.add_event_button.clicked.connect(self.add_event_interactively)
        self.add_archival_button = QPushButton("Record archival document…")
        self.add_archival_button.clicked.connect(self.add_archival_interactively)
        layout = QVBoxLayout(self)
        layout.addWidget(self.events, 2)
        layout.addWidget(self.add_event_button)
        layout.addWidget(self.archival, 1)
        layout.addWidget(self.add_archival_button)
        self._unsubscribe = document.subscribe(self._on_record)
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, record: LogRecord) -> None:
        if any(getattr(op, "kind", None) in ("data_event", "archival") for op in record.op.primitives()):
            self.refresh()

    def refresh(self) -> None:
        s = self.document.session
        orgs = s.organizations
        events = sorted(s.data_events.values(), key=lambda e: (e.intervention_id, e.date))
        self.events.setRowCount(len(events))
        for row, event in enumerate(events):
            took_part = ", ".join(f"{orgs[o].name} {n}" for o, n in event.attendance.items() if o in orgs)
            cells = (
                event.intervention_id,
                event.event_kind.replace("_", " "),
                event.date,
                event.business_process,
                took_part or ", ".join(event.names),
            )
            for col, text in enumerate(cells):
                self.events.setItem(row, col, QTableWidgetItem(text))
        documents = list(s.archival.values())
        self.archival.setRowCount(len(documents))
        for row, doc in enumerate(documents):
            owner = orgs[doc.owner_org_id].name if doc.owner_org_id in orgs else ""
            for col, text in enumerate((doc.intervention_id, doc.title, owner, doc.file_name)):
                self.archival.setItem(row, col, QTableWidgetItem(text))
        for table in (self.events, self.archival):
            table.resizeColumnsToContents()

    def add_event_interactively(self) -> None:
        dialog = EventDialog(self.document, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._apply(add(dialog.data_event()))

    def add_archival_interactively(self) -> None:
        dialog = ArchivalDialog(self.document, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.title.text().strip():
            self._apply(add(dialog.document_record()))
