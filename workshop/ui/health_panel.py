"""The Health panel: model-health findings of the shown model, recomputed as it changes; click to focus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from workshop.domain.analysis import RULES, Health, analyse
from workshop.domain.document import Document, LogRecord
from workshop.ui.widgets import literal, plain_label

Focus = Callable[[str, str], None]


class HealthPanel(QWidget):
    def __init__(
        self, document: Document, current_model: Callable[[], str | None], focus: Focus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._current_model = current_model
        self._focus = focus
        self.health: Health | None = None
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.itemActivated.connect(self._activate)
        self.tree.itemClicked.connect(self._activate)
        self.matrix = QTableWidget()
        self.matrix.setToolTip(literal("Handoffs per ordered pair of organizations: row hands work to column"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 3)
        layout.addWidget(plain_label("Handoffs (row → column)"))
        layout.addWidget(self.matrix, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)  # one recomputation per burst of changes
        self._timer.timeout.connect(self.refresh)
        self._unsubscribe = document.subscribe(self._on_record)
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, _record: LogRecord) -> None:
        self._timer.start()

    def refresh(self) -> None:
        model_id = self._current_model()
        self.tree.clear()
        if model_id is None or model_id not in self.document.session.models:
            self.summary.setText("No model shown.")
            return
        session = self.document.session
        self.health = health = analyse(session, model_id)
        total = sum(health.handoffs.values())
        self.summary.setText(
            f"{total} handoff(s); the longest path from start to end crosses organizations "
            f"{health.longest_handoff_count} time(s). {len(health.findings)} finding(s)."
        )
        for rule, heading in RULES.items():
            findings = health.by_rule(rule)
            if not findings:
                continue
            group = QTreeWidgetItem([f"{heading} ({len(findings)})"])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            for finding in findings:
                child = QTreeWidgetItem([finding.message])
                child.setData(0, Qt.ItemDataRole.UserRole, (finding.kind, finding.element_ids[0]))
                child.setToolTip(0, literal(finding.message))
                group.addChild(child)
        self.tree.expandAll()
        orgs = sorted({o for pair in health.handoffs for o in pair}, key=lambda o: session.organizations[o].name)
        names = [session.organizations[o].name for o in orgs]
        self.matrix.setRowCount(len(orgs))
        self.matrix.setColumnCount(len(orgs))
        self.matrix.setHorizontalHeaderLabels(names)
        self.matrix.setVerticalHeaderLabels(names)
        for r, a in enumerate(orgs):
            for c, b in enumerate(orgs):
                count = health.handoffs.get((a, b), 0)
                item = QTableWidgetItem(str(count) if count else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.matrix.setItem(r, c, item)
        self.matrix.resizeColumnsToContents()

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if target and target[0] in ("node", "flow"):
            self._focus(target[0], target[1])
