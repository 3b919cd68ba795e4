"""The facilitator's window: one session, its process states as tabs, panels as docks.

Every edit goes through :meth:`MainWindow.apply`, which applies the
operation (committed to the file before anything shows) and pushes an undo
step. Panels from other modules plug in with :meth:`add_dock` and
:meth:`menu` and reach the canvas with :meth:`focus_element`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QDialog,
    QDockWidget,
    QFileDialog,
    QFrame,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QToolBar,
    QWidget,
)

from workshop.domain import arrange
from workshop.domain.document import Document, LogRecord
from workshop.domain.edits import cascade_remove, copy_model
from workshop.domain.errors import OperationError
from workshop.domain.geometry import lane_at, model_lanes
from workshop.domain.ids import new_id
from workshop.domain.operations import Operation, add, batch, update
from workshop.domain.organization_lanes import lanes_for_organizations_op
from workshop.domain.ownership import claim_op, contested, resolve_op
from workshop.domain.process import Flow, Node, NodeKind, ProcessState
from workshop.domain.session import Session
from workshop.store.workshop_file import StoreError, WorkshopFile
from workshop.ui.canvas_overlays import CanvasOverlay
from workshop.ui.canvas_scene import CanvasScene
from workshop.ui.canvas_view import CanvasView
from workshop.ui.commands import OperationCommand
from workshop.ui.minimap import Minimap
from workshop.ui.palette import KIND_LABELS, Palette
from workshop.ui.settings import recent_files, remember_file
from workshop.ui.study_window import open_study_choice, open_study_dialog
from workshop.ui.themes import THEMES, Theme, apply_style_sheet, save_theme, saved_theme
from workshop.ui.widgets import literal, no_mnemonic

if TYPE_CHECKING:
    from workshop.ui.participation import ParticipantsPanel
    from workshop.ui.presenter_actions import PresenterControl
    from workshop.ui.step_follow import StepFollower

CLIPBOARD_TAG = "process-workshop-fragment"
NODE_SIZES: dict[str, tuple[float, float]] = {
    NodeKind.START: (50, 50),
    NodeKind.END: (50, 50),
    NodeKind.DECISION: (110, 90),
    NodeKind.WAIT: (120, 60),
}
OPEN_FILTER = "Sessions (*.workshop);;Example models (*.json);;BPMN 2.0 (*.bpmn *.xml);;All files (*)"


def _align(session: Session, node_ids: list[str], *, edge: arrange.Edge) -> Operation:
    return arrange.align(session, node_ids, edge)


_windows: list[MainWindow] = []
"""Open windows (one per session); kept here so Qt does not collect them."""


def _state_name(name: str, old_state: str, new_state: str) -> str:
    """'Current process' → 'Ideal process'; a name without its state word gets the state added."""
    for old, new in ((old_state.capitalize(), new_state.capitalize()), (old_state, new_state)):
        if old in name:
            return name.replace(old, new, 1)
    return f"{name} ({new_state})"


class MainWindow(QMainWindow):
    selection_changed = Signal()
    """The selection on some model's canvas changed (panels that act on "the selected node" follow it)."""

    def __init__(self, document: Document, workshop_file: WorkshopFile, *, note: str = "") -> None:
        super().__init__()
        self.document = document
        self.workshop_file = workshop_file
        self.read_only = workshop_file.read_only
        self.theme: Theme = saved_theme()
        self.undo_stack = QUndoStack(self)
        self.scenes: dict[str, CanvasScene] = {}
        self.views: dict[str, CanvasView] = {}
        self.overlays: dict[str, CanvasOverlay] = {}
        self.import_report: QMessageBox | None = None
        """What a BPMN import could not bring in, listed for the user."""
        self.recovery_box: QMessageBox | None = None
        """After a crash: what the reopened session holds (not modal)."""
        self.presenter_control: PresenterControl | None = None
        """Presenter mode (set up by install_panels)."""
        self.participants_panel: ParticipantsPanel | None = None
        """Participation (set up by install_panels)."""
        self.step_follower: StepFollower | None = None
        """Brings the current step's tool and process state forward (set up by install_panels)."""
        self.element_actions: list[tuple[str, Callable[[], None]]] = []
        """Context-menu entries panels add for the selected node or flow (name, slot)."""
        self._menus: dict[str, QMenu] = {}
        self._docks: dict[Qt.DockWidgetArea, list[QDockWidget]] = {}
        self.setAcceptDrops(True)
        self.resize(1500, 950)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.node_palette = Palette(self.add_node_at_centre)
        self.add_dock(self.node_palette, "Palette", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.minimap = Minimap()
        overview = self.add_dock(self.minimap, "Overview", Qt.DockWidgetArea.LeftDockWidgetArea)
        palette_dock = self._docks[Qt.DockWidgetArea.LeftDockWidgetArea][0]
        self.resizeDocks([palette_dock, overview], [230, 230], Qt.Orientation.Horizontal)
        self.resizeDocks([palette_dock, overview], [430, 260], Qt.Orientation.Vertical)
        self._sync_tabs()
        self._unsubscribe = document.subscribe(self._on_record)
        self._update_title()
        self.set_read_only(self.read_only)
        if note:
            self.statusBar().showMessage(note, 15000)
        from workshop.ui.panels import install_panels

        install_panels(self)
        from workshop.ui.people import install_people

        install_people(self)  # records carry the name of the person at the keyboard
        from workshop.ui.modes import install_modes

        self.modes = install_modes(self)  # Prepare / Run / Review instead of every panel at once
        right = self._docks.get(Qt.DockWidgetArea.RightDockWidgetArea, [])
        if right:
            facilitation = next((d for d in right if d.windowTitle() == "Facilitation"), right[0])
            QTimer.singleShot(0, facilitation.raise_)  # the console opens on the script (once the window shows)
            QTimer.singleShot(0, lambda: self.resizeDocks([right[0]], [440], Qt.Orientation.Horizontal))

    # -- the API other panels use -------------------------------------------------------
    def add_dock(
        self, widget: QWidget, title: str, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        # Scrolled rather than squeezed: panels stacked in Run (console above the step's tool) would otherwise
        # add up their minimum heights and push the window past a 1080-line projector screen.
        holder = QScrollArea()
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(widget)
        dock.setWidget(holder)
        self.addDockWidget(area, dock)
        if area == Qt.DockWidgetArea.RightDockWidgetArea:
            dock.setMaximumWidth(560)  # panels must not squeeze the projected canvas
        siblings = self._docks.setdefault(area, [])
        if siblings and area != Qt.DockWidgetArea.LeftDockWidgetArea:
            self.tabifyDockWidget(siblings[-1], dock)
        siblings.append(dock)
        self.menu("View").addAction(dock.toggleViewAction())
        return dock

    def menu(self, name: str) -> QMenu:
        """The top-level menu called ``name``, created (before Help) if it does not exist yet."""
        existing = self._menus.get(name)
        if existing is not None:
            return existing
        created = QMenu(name, self)
        help_menu = self._menus.get("Help")
        if help_menu is not None:
            self.menuBar().insertMenu(help_menu.menuAction(), created)
        else:
            self.menuBar().addMenu(created)
        self._menus[name] = created
        return created

    def current_model_id(self) -> str | None:
        view = self.tabs.currentWidget()
        return view.canvas_scene().model_id if isinstance(view, CanvasView) else None

    @property
    def canvas_view(self) -> CanvasView | None:
        view = self.tabs.currentWidget()
        return view if isinstance(view, CanvasView) else None

    @property
    def scene(self) -> CanvasScene | None:
        view = self.canvas_view
        return view.canvas_scene() if view else None

    def apply(self, op: Operation, text: str | None = None, *, merge_key: str | None = None) -> LogRecord | None:
        """Apply ``op`` as one undoable step; a refused operation is reported, not raised.

        Steps with the same ``merge_key`` in quick succession (arrow-key nudges of
        one selection) become one undo step.
        """
        if self.read_only:
            self.statusBar().showMessage("This session is read-only; changes cannot be made.", 8000)
            return None
        try:
            record = self.document.apply(op)
        except (OperationError, StoreError) as error:
            self.report(str(error))
            return None
        self.undo_stack.push(
            OperationCommand(self.document, record.op, text or record.op.summary(), self.report, merge_key=merge_key)
        )
        return record

    def report(self, message: str) -> None:
        self.statusBar().showMessage(message, 12000)
        QMessageBox.warning(self, "Not changed", literal(message))

    def focus_element(self, kind: str, element_id: str) -> None:
        """Show a node or flow: switch to its model, select it and centre the view on it."""
        session = self.document.session
        element = session.nodes.get(element_id) if kind == "node" else session.flows.get(element_id)
        if element is None:
            return
        view = self.views.get(element.model_id)
        if view is None:
            return
        self.tabs.setCurrentWidget(view)
        scene = view.canvas_scene()
        item = scene.node_item(element_id) if kind == "node" else scene.flow_item(element_id)
        if item is None:
            return
        scene.clearSelection()
        item.setSelected(True)
        if view.zoom() < 0.6:
            view.resetTransform()
        view.centerOn(item.sceneBoundingRect().center())

    # -- tabs (process states) ---------------------------------------------------------------
    def _sync_tabs(self) -> None:
        models = sorted(self.document.session.models.values(), key=lambda m: (m.index, m.name))
        for model_id in set(self.views) - {m.id for m in models}:
            view = self.views.pop(model_id)
            scene = self.scenes.pop(model_id)
            scene.detach()
            self.overlays.pop(model_id).detach()
            self.tabs.removeTab(self.tabs.indexOf(view))
            view.deleteLater()
            scene.deleteLater()
        for position, model in enumerate(models):
            title = no_mnemonic(
                model.name if str(model.state) in model.name.lower() else f"{model.name} ({model.state})"
            )
            existing = self.views.get(model.id)
            if existing is None:
                scene = CanvasScene(self.document, model.id, self.theme, self._apply_from_canvas, parent=self)
                scene.set_read_only(self.read_only)
                scene.selectionChanged.connect(self.selection_changed)
                view = CanvasView(scene)
                view.node_dropped.connect(self.add_node)
                view.label_edited.connect(self._set_label)
                view.lane_menu_requested.connect(self.lane_menu)
                view.element_menu_requested.connect(self.element_menu)
                self.scenes[model.id], self.views[model.id] = scene, view
                self.overlays[model.id] = CanvasOverlay(scene)
                self.tabs.insertTab(position, view, title)
                QTimer.singleShot(0, view.zoom_to_fit)
            else:
                self.tabs.setTabText(self.tabs.indexOf(existing), title)

    def _apply_from_canvas(self, op: Operation) -> object:
        return self.apply(op)

    def _on_tab_changed(self, _index: int) -> None:
        self.minimap.follow(self.canvas_view)

    def _on_record(self, record: LogRecord) -> None:
        if any(getattr(op, "kind", None) == "model" for op in record.op.primitives()):
            self._sync_tabs()
        if any(getattr(op, "op", None) == "set_session" for op in record.op.primitives()):
            self._update_title()

    # -- editing -----------------------------------------------------------------------------
    def add_node_at_centre(self, kind: str) -> None:
        view = self.canvas_view
        if view is None:
            return
        scene = view.canvas_scene()
        selected = scene.selected_node_ids()
        if len(selected) == 1:
            anchor = self.document.session.nodes[selected[0]]
            self.add_node(kind, QPointF(anchor.x + anchor.w + 130, anchor.y + anchor.h / 2), connect_from=anchor.id)
            return
        self.add_node(kind, view.mapToScene(view.viewport().rect().center()))

    def add_node(self, kind: str, pos: QPointF, connect_from: str | None = None) -> str | None:
        """Add a node of ``kind`` centred at ``pos`` in the lane there (and a flow from ``connect_from``)."""
        model_id = self.current_model_id()
        if model_id is None:
            return None
        scene = self.scenes[model_id]
        w, h = NODE_SIZES.get(kind, (150.0, 74.0))
        lane_id = lane_at(scene.lane_boxes(), pos.y())
        lanes = self.document.session.lanes
        owner = lanes[lane_id].organization_id if lane_id and kind in (NodeKind.ACTIVITY, NodeKind.DECISION) else None
        node = Node(
            id=new_id("node"),
            model_id=model_id,
            node_kind=kind,
            label="",
            lane_id=lane_id,
            owner_org_id=owner,
            x=round((pos.x() - w / 2) / 10) * 10,
            y=round((pos.y() - h / 2) / 10) * 10,
            w=w,
            h=h,
        )
        ops: list[Operation] = [add(node)]
        if connect_from:
            ops.append(add(Flow(id=new_id("flow"), model_id=model_id, source_id=connect_from, target_id=node.id)))
        if self.apply(batch(f"Add {KIND_LABELS.get(kind, kind).lower()}", ops)) is None:
            return None
        scene.clearSelection()
        item = scene.node_item(node.id)
        if item is not None:
            item.setSelected(True)
            self.views[model_id].ensureVisible(item, 80, 80)  # added right of the selection: maybe past the edge
            self.views[model_id].edit_label("node", node.id)  # events are named by typing, like activities
        return node.id

    def _set_label(self, kind: str, element_id: str, text: str) -> None:
        element = (
            self.document.session.nodes.get(element_id)
            if kind == "node"
            else self.document.session.flows.get(element_id)
        )
        if element is not None and element.label != text:
            self.apply(update(kind, element_id, label=text), f"Rename {kind}")

    def rename_selected(self) -> None:
        view, scene = self.canvas_view, self.scene
        if view is None or scene is None:
            return
        nodes, flows = scene.selected_node_ids(), scene.selected_flow_ids()
        if nodes:
            view.edit_label("node", nodes[0])
        elif flows:
            view.edit_label("flow", flows[0])

    def delete_selected(self) -> None:
        scene = self.scene
        if scene is None:
            return
        targets = [("node", i) for i in scene.selected_node_ids()] + [("flow", i) for i in scene.selected_flow_ids()]
        if targets:
            self.apply(cascade_remove(self.document.state, targets, label=f"Delete {len(targets)} element(s)"))

    def copy_selected(self) -> None:
        scene = self.scene
        if scene is None or not scene.selected_node_ids():
            return
        fragment = arrange.copy_fragment(self.document.session, scene.selected_node_ids())
        # plain text, not QMimeData: a QMimeData handed to the clipboard is freed twice at exit by PySide6
        QGuiApplication.clipboard().setText(json.dumps({CLIPBOARD_TAG: fragment}))

    def paste(self) -> None:
        model_id = self.current_model_id()
        try:
            fragment = json.loads(QGuiApplication.clipboard().text())[CLIPBOARD_TAG]
        except (ValueError, KeyError, TypeError):
            return  # the clipboard holds something else
        if model_id is None:
            return
        new_ids, op = arrange.paste_fragment(self.document.session, fragment, model_id)
        if self.apply(op) is not None:
            scene = self.scenes[model_id]
            scene.clearSelection()
            for node_id in new_ids:
                item = scene.node_item(node_id)
                if item is not None:
                    item.setSelected(True)

    def duplicate(self) -> None:
        self.copy_selected()
        self.paste()

    def _arrange(self, build: Callable[[Session, list[str]], Operation]) -> None:
        scene = self.scene
        if scene is None:
            return
        try:
            op = build(self.document.session, scene.selected_node_ids())
        except OperationError as error:
            self.statusBar().showMessage(str(error), 8000)
            return
        self.apply(op)

    def nudge(self, dx: float, dy: float) -> None:
        scene = self.scene
        if scene is not None and scene.selected_node_ids() and self.canvas_view and self.canvas_view.editor is None:
            selected = scene.selected_node_ids()
            self.apply(arrange.nudge(self.document.session, selected, dx, dy), merge_key=f"nudge {sorted(selected)}")

    def selection(self) -> tuple[str, str] | None:
        """The one selected node or flow on the shown model, if exactly one is selected."""
        scene = self.scene
        if scene is None:
            return None
        chosen = [("node", i) for i in scene.selected_node_ids()] + [("flow", i) for i in scene.selected_flow_ids()]
        return chosen[0] if len(chosen) == 1 else None

    def set_owner(self, node_id: str) -> None:
        from workshop.ui.owner_dialog import OwnerDialog

        dialog = OwnerDialog(self.document.session, self.document.session.nodes[node_id], self)
        if dialog.exec() == OwnerDialog.DialogCode.Accepted:
            self.apply(update("node", node_id, **dialog.changes()), "Set owner")

    def record_claim(self, node_id: str, organization_id: str) -> None:
        """An organization in the room says the activity is theirs; kept until the facilitator resolves it."""
        try:
            op = claim_op(self.document.session, node_id, organization_id)
        except OperationError as error:
            self.statusBar().showMessage(str(error), 8000)
            return
        self.apply(op, "Record ownership claim")

    def resolve_ownership(self, node_id: str, organization_id: str) -> None:
        self.apply(resolve_op(self.document.session, node_id, organization_id))

    def _ask_organization(self, title: str, candidates: list[str]) -> str | None:
        orgs = self.document.session.organizations
        names = [orgs[o].name for o in candidates]
        name, ok = QInputDialog.getItem(self, title, "Organization", names, 0, False)
        return candidates[names.index(name)] if ok else None

    def _claim_interactively(self, node_id: str) -> None:
        org = self._ask_organization("Ownership claim", list(self.document.session.organizations))
        if org is not None:
            self.record_claim(node_id, org)

    def _resolve_interactively(self, node_id: str) -> None:
        org = self._ask_organization("Who owns it?", contested(self.document.session).get(node_id, []))
        if org is not None:
            self.resolve_ownership(node_id, org)

    def element_menu(self, kind: str, element_id: str, global_pos: QPoint) -> None:
        menu = QMenu(self)
        if kind == "node":
            menu.addAction("Set owner…", lambda: self.set_owner(element_id)).setEnabled(not self.read_only)
            session = self.document.session
            claim = menu.addAction("Record an ownership claim…")
            claim.setEnabled(not self.read_only)
            claim.triggered.connect(lambda: self._claim_interactively(element_id))
            if element_id in contested(session):
                resolve = menu.addAction("Resolve contested ownership…")
                resolve.setEnabled(not self.read_only)
                resolve.triggered.connect(lambda: self._resolve_interactively(element_id))
        for name, slot in self.element_actions:
            menu.addAction(name, slot).setEnabled(not self.read_only)
        menu.addAction("Rename", lambda: self.views[self.current_model_id() or ""].edit_label(kind, element_id))
        menu.addAction("Delete", self.delete_selected).setEnabled(not self.read_only)
        menu.exec(global_pos)

    # -- lanes and process states --------------------------------------------------------------
    def add_lane(self) -> None:
        model_id = self.current_model_id()
        if model_id is None:
            return
        session = self.document.session
        names = [o.name for o in session.organizations.values()]
        name, ok = QInputDialog.getItem(self, "Add lane", "Organization (type a new name to add one)", names, 0, True)
        if not ok or not name.strip():
            return
        role, ok = QInputDialog.getText(self, "Add lane", "Role within the organization (optional)")
        if not ok:
            return
        op = lanes_for_organizations_op(session, model_id, [name], role=role.strip())
        if op is None:
            self.statusBar().showMessage(f"{name.strip()} already has a lane{' for that role' if role else ''}.", 8000)
        else:
            self.apply(op)

    def lane_menu(self, lane_id: str, global_pos: QPoint) -> None:
        session = self.document.session
        lane = session.lanes[lane_id]
        org = session.organizations[lane.organization_id]
        menu = QMenu(self)
        menu.addAction(no_mnemonic(f"Rename {org.name}…"), lambda: self._rename_organization(org.id))
        menu.addAction("Rename role…", lambda: self._rename_lane(lane_id))
        menu.addAction(no_mnemonic(f"Colour of {org.name}…"), lambda: self._recolour(org.id))
        menu.addAction("Move up", lambda: self._move_lane(lane_id, -1))
        menu.addAction("Move down", lambda: self._move_lane(lane_id, +1))
        menu.addSeparator()
        menu.addAction("Remove lane…", lambda: self.remove_lane(lane_id))
        menu.exec(global_pos)

    def _rename_organization(self, org_id: str) -> None:
        org = self.document.session.organizations[org_id]
        name, ok = QInputDialog.getText(self, "Organization", "Name", text=org.name)
        if ok and name.strip():
            self.apply(update("organization", org_id, name=name.strip()))

    def _rename_lane(self, lane_id: str) -> None:
        lane = self.document.session.lanes[lane_id]
        role, ok = QInputDialog.getText(self, "Lane", "Role", text=lane.role)
        if ok:
            self.apply(update("lane", lane_id, role=role.strip()))

    def _recolour(self, org_id: str) -> None:
        org = self.document.session.organizations[org_id]
        from PySide6.QtGui import QColor

        colour = QColorDialog.getColor(QColor(org.colour), self, f"Colour of {org.name}")
        if colour.isValid():
            self.apply(update("organization", org_id, colour=colour.name()))

    def _move_lane(self, lane_id: str, step: int) -> None:
        lane = self.document.session.lanes[lane_id]
        lanes = model_lanes(self.document.session, lane.model_id)
        position = lanes.index(lane)
        other = position + step
        if not 0 <= other < len(lanes):
            return
        order = lanes[:]
        order[position], order[other] = order[other], order[position]
        ops: list[Operation] = [update("lane", ln.id, index=i) for i, ln in enumerate(order) if ln.index != i]
        self.apply(batch("Reorder lanes", ops))

    def remove_lane(self, lane_id: str) -> None:
        held = [n for n in self.document.session.nodes.values() if n.lane_id == lane_id]
        if held:
            answer = QMessageBox.question(
                self,
                "Remove lane",
                f"This lane holds {len(held)} node(s). Remove the lane and its nodes (with their flows)?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        targets = [("node", n.id) for n in held] + [("lane", lane_id)]
        self.apply(cascade_remove(self.document.state, targets, label="Remove lane"))

    def new_process_state(self) -> None:
        model_id = self.current_model_id()
        if model_id is None:
            return
        states = [s.value for s in ProcessState]
        state, ok = QInputDialog.getItem(self, "New process state", "State", states, 1, False)
        if not ok:
            return
        source = self.document.session.models[model_id]
        name, ok = QInputDialog.getText(
            self, "New process state", "Name", text=_state_name(source.name, str(source.state), state)
        )
        if ok and name.strip():
            new_model, op = copy_model(
                self.document.state, model_id, name=name.strip(), process_state=ProcessState(state)
            )
            if self.apply(op) is not None:
                self.tabs.setCurrentWidget(self.views[new_model])

    # -- files -----------------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = self.workshop_file.path.name
        ro = " (read-only)" if self.read_only else ""
        # no "modified" star: every change is on disk the moment it is made
        self.setWindowTitle(f"{name}{ro} — {self.document.session.title} — Process Workshop")

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for scene in self.scenes.values():
            scene.set_read_only(read_only)
        for action in self._edit_actions:
            action.setEnabled(not read_only)
        self.node_palette.setEnabled(not read_only)

    def save_as(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save session as", str(self.workshop_file.path), "Sessions (*.workshop)"
        )
        if name:
            self.save_as_path(Path(name).with_suffix(".workshop"))

    def save_as_path(self, target: Path) -> None:
        """Copy the session to ``target`` and continue working there (marks the save point)."""
        try:
            self.workshop_file.save_as(target)
            from workshop.store.workshop_file import WorkshopFile

            new_file = WorkshopFile.open(target)
        except StoreError as error:
            self.report(str(error))
            return
        self.workshop_file.close(self.document.session, self.document.last_seq)
        self.workshop_file = new_file
        self.document.rebind(new_file)
        self.undo_stack.setClean()
        remember_file(str(target))
        self._update_title()
        self.statusBar().showMessage(f"Saved as {target}; you are now working in it.", 10000)

    def closeEvent(self, event: QCloseEvent) -> None:
        connected = self.connected_participants()
        if connected:
            answer = QMessageBox.question(
                self,
                "Close the session?",
                f"{connected} participant(s) are connected on their phones. Closing takes the session away from "
                "them until you open it again (they keep their place and rejoin by themselves).",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        for scene in self.scenes.values():
            scene.detach()
        for overlay in self.overlays.values():
            overlay.detach()
        if self.presenter_control is not None:
            self.presenter_control.set_presenting(False)
        self._unsubscribe()
        self.workshop_file.close(self.document.session, self.document.last_seq)
        if self in _windows:
            _windows.remove(self)
        from workshop.ui.opening import release_bulk_objects

        release_bulk_objects()
        super().closeEvent(event)

    def connected_participants(self) -> int:
        """How many participants have a page open right now (0 when the session is closed to them)."""
        panel = self.participants_panel
        server = panel.bridge.server if panel is not None else None
        return len(server.active_participants()) if server is not None and server.running else 0

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                open_window(Path(url.toLocalFile()), parent=self)

    def _open_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open session", "", OPEN_FILTER)
        if name:
            open_window(Path(name), parent=self)

    def _open_study(self) -> None:
        open_study_dialog(self, open_session=open_window)

    def _new_dialog(self) -> None:
        title, ok = QInputDialog.getText(self, "New session", "Title of the workshop session")
        if ok and title.strip():
            from workshop.ui.opening import new_empty

            document, workshop_file, note = new_empty(title.strip())
            show_window(document, workshop_file, note)

    def show_start_page(self) -> None:
        """Recent sessions as cards, a new workshop, the example; the choice opens in a window of its own."""
        from workshop.ui.start_page import StartPage

        page = StartPage(self)
        if page.exec() == QDialog.DialogCode.Accepted:
            open_choice(page.choice, self)

    def _fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for path in recent_files():
            menu.addAction(no_mnemonic(path), partial(open_window, Path(path), self))
        if not recent_files():
            menu.addAction("(no recent sessions)").setEnabled(False)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        save_theme(theme)
        apply_style_sheet(theme)
        for scene in self.scenes.values():
            scene.set_theme(theme)

    # -- menus -----------------------------------------------------------------------------------
    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
        *,
        edit: bool = False,
    ) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if edit:
            self._edit_actions.append(action)
        return action

    def _with_view(self, action: Callable[[CanvasView], None]) -> None:
        if self.canvas_view is not None:
            action(self.canvas_view)

    def select_all(self) -> None:
        if self.scene is not None:
            self.scene.select_all_nodes()

    def _set_flow_tool(self, on: bool) -> None:
        for scene in self.scenes.values():
            scene.flow_tool = on

    def _build_menus(self) -> None:
        self._edit_actions: list[QAction] = []
        file_menu = self.menu("File")
        self._action(file_menu, "Start page…", self.show_start_page)
        self._action(file_menu, "New session…", self._new_dialog, QKeySequence.StandardKey.New)
        self._action(file_menu, "Open…", self._open_dialog, QKeySequence.StandardKey.Open)
        self._action(file_menu, "Open study…", self._open_study)
        recent = file_menu.addMenu("Open recent")
        recent.aboutToShow.connect(lambda: self._fill_recent(recent))
        self._action(file_menu, "Save as…", self.save_as, QKeySequence.StandardKey.SaveAs)
        file_menu.addSeparator()
        self._action(file_menu, "Close window", self.close, QKeySequence.StandardKey.Close)
        self._action(file_menu, "Quit", QApplication.closeAllWindows, QKeySequence.StandardKey.Quit)

        edit = self.menu("Edit")
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "Redo")
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)  # Ctrl+Y too, everywhere; each key once
        redo.setShortcuts(keys + [QKeySequence("Ctrl+Y")] * (QKeySequence("Ctrl+Y") not in keys))
        edit.addActions([undo, redo])
        edit.addSeparator()
        self._action(edit, "Copy", self.copy_selected, QKeySequence.StandardKey.Copy)
        self._action(edit, "Paste", self.paste, QKeySequence.StandardKey.Paste, edit=True)
        self._action(edit, "Duplicate", self.duplicate, "Ctrl+D", edit=True)
        self._action(edit, "Delete", self.delete_selected, QKeySequence.StandardKey.Delete, edit=True)
        self._action(edit, "Rename", self.rename_selected, "F2", edit=True)
        self._action(
            edit,
            "Select all",
            self.select_all,
            QKeySequence.StandardKey.SelectAll,
        )
        flow_tool = self._action(edit, "Draw flows", lambda: None, "F", edit=True)
        flow_tool.setToolTip("Drag from one node to another to connect them (or drag from a node's edge, or Alt+drag)")
        flow_tool.setCheckable(True)
        flow_tool.toggled.connect(self._set_flow_tool)
        self.flow_tool_action = flow_tool

        insert = self.menu("Insert")
        for number, kind in enumerate(KIND_LABELS, start=1):
            self._action(insert, KIND_LABELS[kind], partial(self.add_node_at_centre, kind), f"Alt+{number}", edit=True)
        insert.addSeparator()
        self._action(insert, "Lane…", self.add_lane, edit=True)

        arrange_menu = self.menu("Arrange")
        alignments: tuple[tuple[arrange.Edge, str], ...] = (
            ("left", "left edges"),
            ("hcenter", "centres (vertical line)"),
            ("right", "right edges"),
            ("top", "top edges"),
            ("vcenter", "middles (horizontal line)"),
            ("bottom", "bottom edges"),
        )
        for edge, label in alignments:
            self._action(
                arrange_menu,
                f"Align {label}",
                partial(self._arrange, partial(_align, edge=edge)),
                edit=True,
            )
        arrange_menu.addSeparator()
        self._action(
            arrange_menu,
            "Distribute horizontally",
            lambda: self._arrange(lambda s, ids: arrange.distribute(s, ids, "horizontal")),
            edit=True,
        )
        self._action(
            arrange_menu,
            "Distribute vertically",
            lambda: self._arrange(lambda s, ids: arrange.distribute(s, ids, "vertical")),
            edit=True,
        )
        self._add_layout_action(arrange_menu)

        model_menu = self.menu("Process")
        self._action(model_menu, "New process state from this one…", self.new_process_state, edit=True)

        view = self.menu("View")
        self._action(
            view,
            "Zoom in",
            lambda: self._with_view(lambda v: v.zoom_by(1.25)),
            QKeySequence.StandardKey.ZoomIn,
        )
        self._action(
            view,
            "Zoom out",
            lambda: self._with_view(lambda v: v.zoom_by(0.8)),
            QKeySequence.StandardKey.ZoomOut,
        )
        self._action(view, "Zoom to fit", lambda: self._with_view(CanvasView.zoom_to_fit), "Ctrl+0")
        self._action(view, "Actual size (100 %)", lambda: self._with_view(CanvasView.zoom_actual), "Ctrl+1")
        themes = view.addMenu("Theme")
        group = QActionGroup(self)
        for theme in THEMES.values():
            action = themes.addAction(theme.label)
            action.setCheckable(True)
            action.setChecked(theme.name == self.theme.name)
            action.triggered.connect(lambda _c=False, t=theme: self.set_theme(t))
            group.addAction(action)
        view.addSeparator()
        self.menu("Session")
        self.menu("Help").addAction(
            "About Process Workshop",
            lambda: QMessageBox.about(
                self, "Process Workshop", "Facilitated cross-organization process-modeling workshops."
            ),
        )

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.addActions([undo, redo])
        toolbar.addSeparator()
        toolbar.addAction(flow_tool)
        self.addToolBar(toolbar)
        for key, dx, dy in (
            (Qt.Key.Key_Left, -1, 0),
            (Qt.Key.Key_Right, 1, 0),
            (Qt.Key.Key_Up, 0, -1),
            (Qt.Key.Key_Down, 0, 1),
        ):
            for modifier, step in ((Qt.KeyboardModifier.NoModifier, 10), (Qt.KeyboardModifier.ShiftModifier, 1)):
                shortcut = QShortcut(QKeySequence(modifier.value | key.value), self.tabs)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(lambda x=dx * step, y=dy * step: self.nudge(x, y))

    def _add_layout_action(self, menu: QMenu) -> None:
        try:
            from workshop.domain.layout import layout_model
        except ImportError:
            return
        menu.addSeparator()

        def lay_out() -> None:
            model_id = self.current_model_id()
            if model_id is not None:
                self.apply(layout_model(self.document.session, model_id), "Lay out left to right")

        self._action(menu, "Lay out left to right", lay_out, "Ctrl+L", edit=True)


def show_window(document: Document, workshop_file: WorkshopFile, note: str = "") -> MainWindow:
    window = MainWindow(document, workshop_file, note=note)
    _windows.append(window)
    remember_file(str(workshop_file.path))
    window.showMaximized()  # a facilitator's console: the model as large as the screen allows
    return window


def open_choice(choice: Path | str | None, parent: QWidget | None = None) -> QMainWindow | None:
    """Open what the start page chose: a session, a new workshop, the example, a study or a file the user picks."""
    from workshop.resources import example_session_path
    from workshop.ui.start_page import EXAMPLE, NEW, OPEN_FILE, STUDY_CHOICES

    if choice in STUDY_CHOICES or (isinstance(choice, Path) and choice.is_dir()):
        return open_study_choice(choice, parent, open_session=open_window)
    if isinstance(choice, Path):
        return open_window(choice, parent)
    if choice == EXAMPLE:
        return open_window(example_session_path(), parent)
    if choice == OPEN_FILE:
        name, _ = QFileDialog.getOpenFileName(parent, "Open session", "", OPEN_FILTER)
        return open_window(Path(name), parent) if name else None
    if choice == NEW:
        return new_workshop_window(parent)
    return None


def new_workshop_window(parent: QWidget | None = None) -> MainWindow | None:
    """Ask what the new workshop needs and open it; a file it cannot start from is explained, not raised."""
    from workshop.ui.new_workshop import NewWorkshopDialog
    from workshop.ui.opening import new_workshop

    dialog = NewWorkshopDialog(parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    choice = dialog.choice()
    dialog.deleteLater()  # Qt deletes it, not Python's collector at exit after the application is gone
    if not accepted:
        return None
    try:
        document, workshop_file, note, not_imported = new_workshop(
            choice.title, choice.organizations, bpmn=choice.bpmn, earlier=choice.earlier, script=choice.script
        )
    except StoreError as error:
        QMessageBox.warning(parent, "Cannot start the workshop", literal(str(error)))
        return None
    window = show_window(document, workshop_file, note)
    if not_imported and choice.bpmn is not None:
        show_import_report(window, choice.bpmn.name, not_imported)
    return window


def open_window(path: Path, parent: QWidget | None = None) -> MainWindow | None:
    """Open ``path`` in a new window; a file that cannot be opened is explained, not raised."""
    from workshop.ui.opening import bulk_objects, open_path, recovery_note

    with bulk_objects():
        try:
            document, workshop_file, note, not_imported = open_path(path)
        except StoreError as error:
            QMessageBox.warning(parent, "Cannot open", literal(str(error)))
            return None
        window = show_window(document, workshop_file, note)
    if not_imported:
        show_import_report(window, path.name, not_imported)
    recovered = recovery_note(document, workshop_file)
    if recovered:
        box = QMessageBox(QMessageBox.Icon.Information, "Session recovered", recovered, parent=window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("recoveryNote")
        box.setWindowModality(Qt.WindowModality.NonModal)  # the facilitator reads it and carries on
        box.show()
        window.recovery_box = box
        window.statusBar().showMessage(recovered.splitlines()[1] if "\n" in recovered else recovered, 30000)
    return window


def show_import_report(window: MainWindow, file_name: str, not_imported: list[str]) -> None:
    """What a BPMN import could not bring in as it was, beside the model (not modal: it is there to look at)."""
    report = QMessageBox(
        QMessageBox.Icon.Information,
        "Import report",
        f"{len(not_imported)} element(s) of {file_name} were not imported as they were.",
        parent=window,
    )
    report.setTextFormat(Qt.TextFormat.PlainText)
    report.setDetailedText("\n".join(not_imported))
    report.setObjectName("importReport")
    report.setWindowModality(Qt.WindowModality.NonModal)
    report.show()
    window.import_report = report
