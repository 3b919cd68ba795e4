"""The Participants dock's list of contributions as they arrive: newest on top, a crowd's in one insertion."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from workshop.domain.facilitation.coordination import AgreementRating, Vote
from workshop.domain.model.annotations import Annotation, KnowledgeBoundary
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.naming import node_name
from workshop.domain.model.operations import element_id
from workshop.domain.research.anonymity import author_label
from workshop.ui.throttle import Throttle
from workshop.ui.widgets import literal

CONTRIBUTION_COLUMNS = ("Time", "Who", "What", "On", "Text")
CONTRIBUTION_KINDS = ("annotation", "boundary", "vote", "agreement")


class ContributionsList(QTreeWidget):
    """One row per contribution from a phone (who, what, on what, its text), kept up to date by records.

    Each row's data is (kind, element id). Rows are written at most once per throttle interval, however
    many contributions arrive: the phones' acknowledgements wait behind whatever the main thread does.
    """

    rows_changed = Signal()
    """Rows were added, changed or removed (the dock's buttons follow the selection)."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setUniformRowHeights(True)  # one line per row: Qt need not measure every row on each change
        self.setRootIsDecorated(False)
        self.setHeaderLabels(list(CONTRIBUTION_COLUMNS))
        self._rows: dict[tuple[str, str], QTreeWidgetItem] = {}
        self._changed_rows: dict[tuple[str, str], LogRecord] = {}
        """Contributions changed since the list was last brought up to date (with the record that first did)."""
        self._rows_throttle = Throttle(self._show_changed_rows, self)

    def note(self, record: LogRecord) -> None:
        """A record arrived: the contributions it touched are shown at the next refresh."""
        for op in record.op.primitives():
            kind = getattr(op, "kind", None)
            if kind in CONTRIBUTION_KINDS:
                touched = element_id(op)
                if touched is not None:
                    self._changed_rows.setdefault((kind, touched), record)
        if self._changed_rows:
            self._rows_throttle.request()  # a crowd's contributions: one insertion of many rows

    def _show_changed_rows(self) -> None:
        """Bring the contributions list up to date; new rows go in at the top together.

        One row inserted at the top per contribution moved every row below it and re-laid the view each time
        (a third of a millisecond per contribution on the main thread, which acknowledgements wait for).
        """
        changed, self._changed_rows = self._changed_rows, {}
        new_rows: list[QTreeWidgetItem] = []
        for (kind, touched), record in changed.items():
            self._contribution_changed(record, kind, touched, new_rows)
        if new_rows:
            first = self.topLevelItemCount() == 0
            self.insertTopLevelItems(0, new_rows[::-1])  # the newest on top
            if first:  # the time column's width is set once, not per row
                self.resizeColumnToContents(0)
        self.rows_changed.emit()

    def _contribution_changed(
        self, record: LogRecord, kind: str, element_id: str, new_rows: list[QTreeWidgetItem]
    ) -> None:
        session = self.document.session
        element = self.document.state.get(kind, element_id)
        row = self._rows.get((kind, element_id))
        if element is None:
            if row is not None:
                self.takeTopLevelItem(self.indexOfTopLevelItem(row))
                del self._rows[(kind, element_id)]
            return
        if row is None:
            if not record.actor.startswith("participant:"):
                return
            row = QTreeWidgetItem([record.time.astimezone().strftime("%H:%M:%S"), "", "", "", ""])
            row.setData(0, Qt.ItemDataRole.UserRole, (kind, element_id))
            new_rows.append(row)
            self._rows[(kind, element_id)] = row
        who, what, on, text = "", kind, "", ""
        if isinstance(element, Annotation):
            who = author_label(session, element)
            what = str(element.annotation_kind) + (" (hidden)" if element.hidden else "")
            on, text = self._where(element.target_kind, element.target_id), element.text
        elif isinstance(element, KnowledgeBoundary):
            who, what = self._person(element.raised_by), "knowledge boundary"
            on, text = self._where(element.target_kind, element.target_id), element.not_shared
        elif isinstance(element, Vote):
            voted = session.annotations.get(element.annotation_id)
            who, on, text = self._person(element.participant_id), voted.text if voted else "", f"{element.dots} dot(s)"
        elif isinstance(element, AgreementRating):
            who, what = self._person(element.participant_id), "agreement"
            text = f"{element.rating} of 5 {element.comment}".strip()
        for column, value in enumerate((who, what, on, text), start=1):
            row.setText(column, value)
            row.setToolTip(column, literal(value))

    def _where(self, target_kind: str, target_id: str | None) -> str:
        """An element as the facilitator knows it: a step's label, or 'from → to' for a flow."""
        session = self.document.session
        if target_kind == "node" and target_id in session.nodes:
            return node_name(session.nodes[target_id])
        if target_kind == "flow" and target_id in session.flows:
            flow = session.flows[target_id]
            return f"{session.nodes[flow.source_id].label} → {session.nodes[flow.target_id].label}"
        return str(target_kind)

    def _person(self, participant_id: str | None) -> str:
        person = self.document.session.participants.get(participant_id or "")
        return person.name if person else "anonymous"
