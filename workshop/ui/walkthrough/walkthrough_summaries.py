"""What past walkthroughs showed: one walk's summary, and the paths of all walks compared.

The figures are computed in ``workshop.domain.walkthrough.summary``; these
widgets lay them out as the Walkthrough panel's Summary and Compare tabs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from workshop.domain.model.document import Document
from workshop.domain.walkthrough.summary import compare_paths, summarize
from workshop.domain.walkthrough.walk import org_name
from workshop.ui.widgets import plain_label


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "running"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


class WalkSummary(QWidget):
    """The Summary tab: one walkthrough's steps with their times, captures, handoffs and slowest steps.

    Its own class so the panel that runs a walk does not also lay out its report.
    """

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.label = plain_label()
        self.label.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["#", "Time", "Step", "Organization", "Note"])
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.tree)

    def show_walkthrough(self, walkthrough_id: str | None) -> None:
        """Summarize ``walkthrough_id`` (or ask for one to be selected)."""
        self.tree.clear()
        if walkthrough_id is None or walkthrough_id not in self.document.session.walkthroughs:
            self.label.setText("Select a walkthrough.")
            return
        session = self.document.session
        summary = summarize(session, walkthrough_id)
        pairs = ", ".join(
            f"{org_name(session, a)} → {org_name(session, b)} ×{n}" for (a, b), n in sorted(summary.handoffs.items())
        )
        longest = "; ".join(f"{s.index} {s.label} ({_minutes(s.seconds)})" for s in summary.longest())
        self.label.setText(
            f"{_count(len(summary.moves), 'step')} in {_minutes(summary.total_seconds)}, "
            f"{_count(summary.capture_count, 'capture')}, "
            f"{_count(len(summary.boundary_ids), 'knowledge boundary', 'knowledge boundaries')} met.\n"
            f"Handoffs: {pairs or 'none'}.\nMost time at steps: {longest or '—'}."
        )
        slow = {s.index for s in summary.longest()}
        for move in summary.moves:
            row = QTreeWidgetItem(
                [str(move.index), _minutes(move.seconds), move.label, move.organization, move.note or move.move]
            )
            if move.index in slow:
                font = row.font(1)
                font.setBold(True)
                row.setFont(1, font)
            for annotation in move.captures:
                row.addChild(QTreeWidgetItem(["", "", f"{annotation.annotation_kind}: {annotation.text}"]))
            self.tree.addTopLevelItem(row)
        self.tree.expandAll()
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, min(self.tree.columnWidth(column), 280))


class WalkComparison(QTableWidget):
    """The Compare tab: which nodes and flows each walkthrough visited, side by side."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document

    def refresh(self) -> None:
        session = self.document.session
        ordered = sorted(session.walkthroughs.values(), key=lambda w: (w.started is None, w.started, w.id))
        comparison = compare_paths(session, [w.id for w in ordered])
        self.clear()
        self.setColumnCount(len(ordered))
        self.setRowCount(len(comparison.elements))
        self.setHorizontalHeaderLabels([w.scenario or w.id for w in ordered])
        self.setVerticalHeaderLabels([label for _k, _i, label in comparison.elements])
        for row, (kind, element_id, _label) in enumerate(comparison.elements):
            visits = comparison.visits[(kind, element_id)]
            for column, walkthrough in enumerate(ordered):
                count = visits.get(walkthrough.id, 0)
                self.setItem(row, column, QTableWidgetItem("✓" * min(count, 3) if count else ""))
