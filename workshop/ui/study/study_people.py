"""The study window's *People* dock: the roster, one person across the study, with the sittings they attended.

Read-only: people are added and marked as attending with ``workshop study
person`` and ``workshop study attend``; this shows who they are (organization,
its type, role) and where they took part, sittings by their names ("Process
modeling workshop, 10 Mar 2026"), never by id.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from workshop.domain.research.people import TABLE_WORDS
from workshop.domain.research.study import Study
from workshop.interchange.study_people import study_roster
from workshop.interchange.study_tables import study_record
from workshop.interchange.study_timeline import short_name
from workshop.store.study_folder import read_sittings
from workshop.ui.widgets import literal

COLUMNS = ("Person", "Organization", "Type", "Role", "Took part in")


class StudyPeople(QWidget):
    """Everyone in the study with organization, type, role and the sittings they attended."""

    def __init__(self, folder: Path, study: Study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        layout = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.set_study(study)

    def set_study(self, study: Study) -> None:
        """Show the roster of ``study`` (its sittings are read again: a command may have changed them)."""
        skipped: list[str] = []
        entries = study_roster(study_record(study, read_sittings(self.folder, study, skipped=skipped)))
        names = {s.id: short_name(s) for s in study.sittings}
        self.note.setText(
            f"{len(entries)} people across the study"
            + (f"; {len(skipped)} sitting(s) could not be read" if skipped else "")
            + ". Add people and attendance with 'workshop study person' and 'workshop study attend'."
        )
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (
                entry.name,
                entry.organization,
                TABLE_WORDS[entry.org_type] if entry.org_type else "",
                entry.role,
                "; ".join(names.get(s, s) for s in entry.sittings),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(literal(text))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    def rows(self) -> list[list[str]]:
        """What the table shows, row by row (for tests and screen readers alike)."""
        shown = []
        for r in range(self.table.rowCount()):
            items = [self.table.item(r, c) for c in range(len(COLUMNS))]
            shown.append([item.text() if item is not None else "" for item in items])
        return shown
