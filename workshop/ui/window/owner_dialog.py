"""Set who is accountable for an activity: an organization and role, optionally a named participant."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QWidget

from workshop.domain.model.process import Node
from workshop.domain.model.session import Session
from workshop.ui.widgets import add_ok_cancel, fill_organizations


class OwnerDialog(QDialog):
    def __init__(self, session: Session, node: Node, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(f"Owner of '{node.label}'")
        form = QFormLayout(self)
        self.organization = QComboBox()
        fill_organizations(self.organization, session, "(no owner)", node.owner_org_id)
        self.role = QLineEdit(node.owner_role)
        self.role.setPlaceholderText("e.g. customer service")
        self.participant = QComboBox()
        form.addRow("Organization", self.organization)
        form.addRow("Role", self.role)
        form.addRow("Named person (optional)", self.participant)
        self.organization.currentIndexChanged.connect(lambda _i: self._fill_participants(None))
        self._fill_participants(node.owner_participant_id)
        add_ok_cancel(self, form)

    def _fill_participants(self, chosen: str | None) -> None:
        org_id = self.organization.currentData()
        self.participant.clear()
        self.participant.addItem("(nobody named)", None)
        for person in self.session.participants.values():
            if person.organization_id == org_id:
                self.participant.addItem(person.name, person.id)
        self.participant.setCurrentIndex(max(0, self.participant.findData(chosen)))

    def changes(self) -> dict[str, object]:
        org = self.organization.currentData()
        return {
            "owner_org_id": org,
            "owner_role": self.role.text().strip() if org else "",
            "owner_participant_id": self.participant.currentData() if org else None,
        }
