"""Who owns an activity: set the owner, record an organization's claim, resolve a contested one.

The rules (what a claim records, which activities are contested, what
resolving changes) are in ``workshop.domain.model.ownership``; this class asks the
facilitator and applies what the domain builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMenu

from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import update
from workshop.domain.model.ownership import claim_op, contested, resolve_op

if TYPE_CHECKING:
    from workshop.ui.host import OwnershipHost


class OwnershipActions:
    """The window's ownership dialogs and the node menu's ownership entries.

    Exists so ownership and claims, one of the facilitator's jobs, is one
    class rather than a corner of the window; panels call it through
    ``window.ownership``.
    """

    def __init__(self, window: OwnershipHost) -> None:
        self.window = window

    def set_owner(self, node_id: str) -> None:
        from workshop.ui.window.owner_dialog import OwnerDialog

        window = self.window
        dialog = OwnerDialog(window.document.session, window.document.session.nodes[node_id], window.qt_window)
        if dialog.exec() == OwnerDialog.DialogCode.Accepted:
            window.apply(update("node", node_id, **dialog.changes()), "Set owner")

    def record_claim(self, node_id: str, organization_id: str) -> None:
        """An organization in the room says the activity is theirs; kept until the facilitator resolves it."""
        window = self.window
        try:
            op = claim_op(window.document.session, node_id, organization_id)
        except OperationError as error:
            window.qt_window.statusBar().showMessage(str(error), 8000)
            return
        window.apply(op, "Record ownership claim")

    def resolve_ownership(self, node_id: str, organization_id: str) -> None:
        self.window.apply(resolve_op(self.window.document.session, node_id, organization_id))

    def _ask_organization(self, title: str, candidates: list[str]) -> str | None:
        orgs = self.window.document.session.organizations
        names = [orgs[o].name for o in candidates]
        name, ok = QInputDialog.getItem(self.window.qt_window, title, "Organization", names, 0, False)
        return candidates[names.index(name)] if ok else None

    def claim_interactively(self, node_id: str) -> None:
        org = self._ask_organization("Ownership claim", list(self.window.document.session.organizations))
        if org is not None:
            self.record_claim(node_id, org)

    def resolve_interactively(self, node_id: str) -> None:
        org = self._ask_organization("Who owns it?", contested(self.window.document.session).get(node_id, []))
        if org is not None:
            self.resolve_ownership(node_id, org)

    def add_menu_entries(self, menu: QMenu, node_id: str) -> None:
        """Set owner, record a claim and (when contested) resolve, at the top of a node's menu."""
        read_only = self.window.read_only
        menu.addAction("Set owner…", lambda: self.set_owner(node_id)).setEnabled(not read_only)
        session = self.window.document.session
        claim = menu.addAction("Record an ownership claim…")
        claim.setEnabled(not read_only)
        claim.triggered.connect(lambda: self.claim_interactively(node_id))
        if node_id in contested(session):
            resolve = menu.addAction("Resolve contested ownership…")
            resolve.setEnabled(not read_only)
            resolve.triggered.connect(lambda: self.resolve_interactively(node_id))
