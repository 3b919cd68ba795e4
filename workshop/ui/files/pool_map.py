"""The New workshop dialog's table of the BPMN file's pools beside the organizations typed.

Each pool of the file is a row: its name and lanes as the file says, and the workshop organization it
becomes (an editable list of the typed names, proposed by name; the facilitator picks another to merge,
types a new name to rename, or keeps the file's own). Typed organizations no pool becomes get a lane of
their own. The answer is the organization map :func:`workshop.ui.files.opening.new_workshop` applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from workshop.domain.model.organization_map import name_key, propose_map
from workshop.domain.model.session import Session
from workshop.ui.widgets import plain_label


def pools_of(session: Session) -> list[tuple[str, str, list[str]]]:
    """(organization id, name, lane roles) of an imported model, in the file's lane order."""
    roles: dict[str, list[str]] = {org_id: [] for org_id in session.organizations}
    for lane in sorted(session.lanes.values(), key=lambda lane: lane.index):
        if lane.role and lane.organization_id in roles:
            roles[lane.organization_id].append(lane.role)
    return [(org.id, org.name, roles[org.id]) for org in session.organizations.values()]


class PoolMap(QWidget):
    """The file's pools and the workshop organization each becomes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["In the file", "Becomes the organization"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(140)
        self.added = plain_label("")
        self.added.setWordWrap(True)
        layout.addWidget(self.table)
        layout.addWidget(self.added)
        self._pools: list[tuple[str, str, list[str]]] = []
        self._typed: list[str] = []
        self._chosen_by_hand: set[str] = set()
        self._filling = False
        """True while the dialog fills the lists itself: only the facilitator's own choices are kept."""
        self.setVisible(False)

    def show_pools(self, pools: Sequence[tuple[str, str, list[str]]], typed: Sequence[str]) -> None:
        """Show a newly chosen file's pools, each with the typed organization proposed for it."""
        self._pools = list(pools)
        self._chosen_by_hand.clear()
        self.table.setRowCount(len(self._pools))
        for row, (_org_id, name, roles) in enumerate(self._pools):
            text = name + (f"\nlanes: {', '.join(roles)}" if roles else "")
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            box = QComboBox()
            box.setEditable(True)
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            box.setAccessibleName(f"Organization for {name}")
            box.currentTextChanged.connect(lambda _t, org=_org_id: self._by_hand(org))
            self.table.setCellWidget(row, 1, box)
        self.table.resizeRowsToContents()
        self.setVisible(bool(self._pools))
        self.typed_changed(typed)

    def _by_hand(self, org_id: str) -> None:
        if not self._filling:
            self._chosen_by_hand.add(org_id)
        self._say_added()

    def typed_changed(self, typed: Sequence[str]) -> None:
        """The typed organizations changed: offer them, and propose again where the facilitator chose nothing."""
        self._typed = [" ".join(t.split()) for t in typed if t.strip()]
        proposal = propose_map({org_id: name for org_id, name, _ in self._pools}, self._typed)
        self._filling = True
        try:
            for row, (org_id, name, _roles) in enumerate(self._pools):
                box = self.table.cellWidget(row, 1)
                assert isinstance(box, QComboBox)
                current = box.currentText()
                box.clear()
                for option in [*self._typed, name]:
                    if box.findText(option, Qt.MatchFlag.MatchFixedString) < 0:
                        box.addItem(option)
                box.setCurrentText(current if org_id in self._chosen_by_hand else proposal[org_id])
        finally:
            self._filling = False
        self._say_added()

    def _say_added(self) -> None:
        chosen = {name_key(name) for name in self.mapping().values()}
        alone = [t for t in self._typed if name_key(t) not in chosen]
        self.added.setText(f"Lanes of their own, with no pool of the file: {', '.join(alone)}" if alone else "")

    def mapping(self) -> dict[str, str]:
        """Organization id in the file -> the workshop organization's name it becomes."""
        result: dict[str, str] = {}
        for row, (org_id, name, _roles) in enumerate(self._pools):
            box = self.table.cellWidget(row, 1)
            if isinstance(box, QComboBox):
                result[org_id] = " ".join(box.currentText().split()) or name
        return result


def read_pools(path: Path) -> list[tuple[str, str, list[str]]]:
    """The pools of a BPMN file as the import will make them; raises ValueError/OSError naming what is wrong."""
    from workshop.interchange.bpmn_session import read_bpmn_file

    return pools_of(read_bpmn_file(path).session)
