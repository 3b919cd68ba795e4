"""Lanes of the shown model: add one, and the lane menu (rename, recolour, reorder, remove).

The operations are built in the domain (``workshop.domain.model.organization_lanes``
for adding and reordering, ``workshop.domain.model.edits`` for removing); this class
asks the facilitator and applies them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QInputDialog, QMenu, QMessageBox

from workshop.domain.model.edits import remove_lane_op
from workshop.domain.model.operations import update
from workshop.domain.model.organization_lanes import lanes_for_organizations_op, move_lane_op
from workshop.ui.widgets import no_mnemonic

if TYPE_CHECKING:
    from workshop.ui.host import LaneHost


class LaneActions:
    """Insert ▸ Lane… and a lane's context menu.

    Exists so lane operations are one class the window composes, not dialogs
    spread through the window.
    """

    def __init__(self, window: LaneHost) -> None:
        self.window = window

    def add_lane(self) -> None:
        """A lane for an organization (a new one if the name is new), with an optional role."""
        window = self.window
        model_id = window.current_model_id()
        if model_id is None:
            return
        session = window.document.session
        names = [o.name for o in session.organizations.values()]
        name, ok = QInputDialog.getItem(
            window.qt_window, "Add lane", "Organization (type a new name to add one)", names, 0, True
        )
        if not ok or not name.strip():
            return
        role, ok = QInputDialog.getText(window.qt_window, "Add lane", "Role within the organization (optional)")
        if not ok:
            return
        op = lanes_for_organizations_op(session, model_id, [name], role=role.strip())
        if op is None:
            taken = f"{name.strip()} already has a lane{' for that role' if role else ''}."
            window.qt_window.statusBar().showMessage(taken, 8000)
        else:
            window.apply(op)

    def lane_menu(self, lane_id: str, global_pos: QPoint) -> None:
        session = self.window.document.session
        lane = session.lanes[lane_id]
        org = session.organizations[lane.organization_id]
        menu = QMenu(self.window.qt_window)
        menu.addAction(no_mnemonic(f"Rename {org.name}…"), lambda: self.rename_organization(org.id))
        menu.addAction("Rename role…", lambda: self.rename_lane(lane_id))
        menu.addAction(no_mnemonic(f"Colour of {org.name}…"), lambda: self.recolour(org.id))
        menu.addAction("Move up", lambda: self.move_lane(lane_id, -1))
        menu.addAction("Move down", lambda: self.move_lane(lane_id, +1))
        menu.addSeparator()
        menu.addAction("Remove lane…", lambda: self.remove_lane(lane_id))
        menu.exec(global_pos)

    def rename_organization(self, org_id: str) -> None:
        org = self.window.document.session.organizations[org_id]
        name, ok = QInputDialog.getText(self.window.qt_window, "Organization", "Name", text=org.name)
        if ok and name.strip():
            self.window.apply(update("organization", org_id, name=name.strip()))

    def rename_lane(self, lane_id: str) -> None:
        lane = self.window.document.session.lanes[lane_id]
        role, ok = QInputDialog.getText(self.window.qt_window, "Lane", "Role", text=lane.role)
        if ok:
            self.window.apply(update("lane", lane_id, role=role.strip()))

    def recolour(self, org_id: str) -> None:
        org = self.window.document.session.organizations[org_id]
        colour = QColorDialog.getColor(QColor(org.colour), self.window.qt_window, f"Colour of {org.name}")
        if colour.isValid():
            self.window.apply(update("organization", org_id, colour=colour.name()))

    def move_lane(self, lane_id: str, step: int) -> None:
        op = move_lane_op(self.window.document.session, lane_id, step)
        if op is not None:
            self.window.apply(op)

    def remove_lane(self, lane_id: str) -> None:
        """Remove the lane; if it holds nodes, only after the facilitator agrees they go too."""
        window = self.window
        held = sum(1 for n in window.document.session.nodes.values() if n.lane_id == lane_id)
        if held:
            answer = QMessageBox.question(
                window.qt_window,
                "Remove lane",
                f"This lane holds {held} node(s). Remove the lane and its nodes (with their flows)?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        window.apply(remove_lane_op(window.document.state, lane_id))
