"""What the what-if computes from, typed in: durations and waiting per step, probabilities per branch.

The what-if gives expected lead, touch and waiting time per organization; it
needs each step's duration and waiting time and, after each decision, how
often each branch is taken. This table is where the facilitator (or the
owners, in the room) enter them; each edit is one undoable operation, and a
value that is not a number is refused with a message, the cell put back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.naming import node_name
from workshop.domain.model.operations import update
from workshop.domain.model.process import NodeKind
from workshop.ui.host import Apply
from workshop.ui.throttle import Throttle, on_screen
from workshop.ui.widgets import plain_label

COLUMNS = ("Step or branch", "Organization", "Duration (min)", "Waiting (min)", "Probability")
EDITABLE = {2: "duration_minutes", 3: "wait_minutes", 4: "probability"}


def _number(text: str) -> float | None:
    """A typed number ("12", "12,5", "40 %" for a probability); blank means unknown."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    percent = cleaned.endswith("%")
    value = float(cleaned.rstrip("% ").strip())
    return value / 100 if percent else value


def wrapped(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    return label


class WhatIfInputs(QWidget):
    """The shown model's steps (duration, waiting) and decision branches (probability), editable."""

    def __init__(
        self, document: Document, apply: Apply, current_model: Callable[[], str | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._apply = apply
        self._current_model = current_model
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.itemChanged.connect(self._edited)
        # at least six rows in sight: a table showing one and a half rows in a short dock was no use
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + 6 * rows + 4)
        self.message = plain_label()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        note = plain_label("Durations and waiting in minutes; probabilities as 0.4 or 40 %. Blank means not known.")
        layout.addWidget(wrapped(note))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._throttle = Throttle(self.refresh, self)
        self._filling = False
        self._stale = True
        """The table is older than the model; filled when it is on screen (a row per node: 1 s at 10,000)."""
        document.subscribe(self._on_record)

    def _on_record(self, record: LogRecord) -> None:
        if any(getattr(op, "kind", None) in ("node", "flow", "lane") for op in record.op.primitives()):
            self._stale = True
            if on_screen(self):  # behind another tab or dock: refreshed when shown
                self._throttle.request()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self._refresh_if_shown)

    def paintEvent(self, event: QPaintEvent) -> None:
        # a dock brought to the front shows this page without a showEvent (it counted as visible behind)
        super().paintEvent(event)
        if self._stale:
            QTimer.singleShot(0, self._refresh_if_shown)

    def _refresh_if_shown(self) -> None:
        if self._stale and on_screen(self):
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        session = self.document.session
        model_id = self._current_model()
        nodes = sorted(
            (n for n in session.nodes.values() if n.model_id == model_id and n.node_kind not in ("start", "end")),
            key=lambda n: (n.x, n.y),
        )
        branches = sorted(
            (
                f
                for f in session.flows.values()
                if f.model_id == model_id and session.nodes[f.source_id].node_kind == NodeKind.DECISION
            ),
            key=lambda f: (session.nodes[f.source_id].x, f.id),
        )
        self._filling = True
        self.table.setRowCount(len(nodes) + len(branches))
        for row, node in enumerate(nodes):
            org = session.organizations.get(node.owner_org_id or "") or session.organizations.get(
                session.lanes[node.lane_id].organization_id if node.lane_id in session.lanes else ""
            )
            cells: tuple[object, ...] = (
                node_name(node),
                org.name if org else "",
                node.duration_minutes,
                node.wait_minutes,
                None,
            )
            self._fill(row, ("node", node.id), cells, editable={2, 3})
        for offset, flow in enumerate(branches):
            source, target = session.nodes[flow.source_id], session.nodes[flow.target_id]
            branch = flow.label or flow.condition or f"to {node_name(target)}"
            cells = (f"{node_name(source)} → {branch}", "", None, None, flow.probability)
            self._fill(len(nodes) + offset, ("flow", flow.id), cells, editable={4})
        self.table.resizeColumnsToContents()
        self._filling = False

    def _fill(self, row: int, key: tuple[str, str], cells: tuple[object, ...], editable: set[int]) -> None:
        for column, value in enumerate(cells):
            text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            flags = item.flags() & ~Qt.ItemFlag.ItemIsEditable
            if column in editable:
                flags |= Qt.ItemFlag.ItemIsEditable
            item.setFlags(flags)
            self.table.setItem(row, column, item)

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() not in EDITABLE:
            return
        kind, element_id = item.data(Qt.ItemDataRole.UserRole)
        field = EDITABLE[item.column()]
        try:
            value = _number(item.text())
        except ValueError:
            self.message.setText(f"“{item.text()}” is not a number; {COLUMNS[item.column()].lower()} not changed.")
            self.refresh()
            return
        if self._apply(update(kind, element_id, **{field: value})) is None:
            self.refresh()  # refused (say, a probability above 1): the cell shows what is recorded
            return
        self.message.setText("")
