"""Editing nodes and flows on the shown canvas: add, name, copy, delete, arrange, nudge, the element menu.

Each action builds its operation in the domain (``workshop.domain.model.edits``,
``workshop.domain.model.arrange``) from the current selection and hands it to
:meth:`MainWindow.apply`, so every edit is one undo step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QInputDialog, QMenu

from workshop.domain.model import arrange
from workshop.domain.model.edits import add_node_op, cascade_remove, default_flow_op
from workshop.domain.model.errors import OperationError
from workshop.domain.model.geometry import lane_at
from workshop.domain.model.operations import Operation, update
from workshop.domain.model.session import Session
from workshop.ui.canvas.canvas_scene import select_all_nodes
from workshop.ui.canvas.palette import KIND_LABELS

if TYPE_CHECKING:
    from workshop.ui.host import NodeHost

CLIPBOARD_TAG = "process-workshop-fragment"

ALIGNMENTS: tuple[tuple[arrange.Edge, str], ...] = (
    ("left", "left edges"),
    ("hcenter", "centres (vertical line)"),
    ("right", "right edges"),
    ("top", "top edges"),
    ("vcenter", "middles (horizontal line)"),
    ("bottom", "bottom edges"),
)


def _align(session: Session, node_ids: list[str], *, edge: arrange.Edge) -> Operation:
    return arrange.align(session, node_ids, edge)


class NodeActions:
    """The window's node and flow editing (Edit, Insert and Arrange menus, arrow keys, the element menu).

    Exists so the window does not carry every editing gesture: this class
    reads the selection from the shown canvas and applies through the window.
    """

    def __init__(self, window: NodeHost) -> None:
        self.window = window
        self.flow_tool_action: QAction | None = None
        """Edit ▸ Draw flows (checkable; also on the toolbar)."""

    # -- adding and naming ---------------------------------------------------------------------
    def add_node_at_centre(self, kind: str) -> None:
        """Add right of the one selected node (connected from it), else in the middle of the view."""
        view = self.window.canvas_view
        if view is None:
            return
        scene = view.canvas_scene()
        selected = scene.selected_node_ids()
        if len(selected) == 1:
            anchor = self.window.document.session.nodes[selected[0]]
            self.add_node(kind, QPointF(anchor.x + anchor.w + 130, anchor.y + anchor.h / 2), connect_from=anchor.id)
            return
        self.add_node(kind, view.mapToScene(view.viewport().rect().center()))

    def add_node(self, kind: str, pos: QPointF, connect_from: str | None = None) -> str | None:
        """Add a node of ``kind`` centred at ``pos`` in the lane there (and a flow from ``connect_from``)."""
        window = self.window
        model_id = window.current_model_id()
        if model_id is None:
            return None
        scene = window.scenes[model_id]
        node_id, op = add_node_op(
            window.document.session,
            model_id,
            kind,
            (pos.x(), pos.y()),
            lane_id=lane_at(scene.lane_boxes(), pos.y()),
            connect_from=connect_from,
            label=f"Add {KIND_LABELS.get(kind, kind).lower()}",
        )
        if window.apply(op) is None:
            return None
        scene.clearSelection()
        item = scene.node_item(node_id)
        if item is not None:
            item.setSelected(True)
            window.views[model_id].ensureVisible(item, 80, 80)  # added right of the selection: maybe past the edge
            window.views[model_id].edit_label("node", node_id)  # events are named by typing, like activities
        return node_id

    def set_label(self, kind: str, element_id: str, text: str) -> None:
        session = self.window.document.session
        element = session.nodes.get(element_id) if kind == "node" else session.flows.get(element_id)
        if element is not None and element.label != text:
            self.window.apply(update(kind, element_id, label=text), f"Rename {kind}")

    def edit_condition(self, flow_id: str) -> None:
        """Ask for the condition under which a flow is taken (empty: none); one undoable change."""
        flow = self.window.document.session.flows.get(flow_id)
        if flow is None:
            return
        text, ok = QInputDialog.getText(
            self.window.qt_window,
            "Condition",
            "Taken when (e.g. 'amount over 1,000 €'; empty for none):",
            text=flow.condition,
        )
        if ok and text.strip() != flow.condition:
            self.window.apply(update("flow", flow_id, condition=text.strip()), "Set the condition")

    def set_expanded(self, node_id: str, on: bool) -> None:
        """Draw a sub-process expanded (its steps in place) or collapsed (its + marker; double-click opens it)."""
        node = self.window.document.session.nodes.get(node_id)
        if node is not None and node.expanded != on:
            self.window.apply(update("node", node_id, expanded=on), "Expand the sub-process" if on else "Collapse it")

    def set_default_flow(self, flow_id: str, on: bool) -> None:
        """Mark a flow as its step's default (unmarking the step's other one) or unmark it."""
        op = default_flow_op(self.window.document.session, flow_id, on)
        if op.ops:
            self.window.apply(op)

    def rename_selected(self) -> None:
        view, scene = self.window.canvas_view, self.window.scene
        if view is None or scene is None:
            return
        nodes, flows = scene.selected_node_ids(), scene.selected_flow_ids()
        if nodes:
            view.edit_label("node", nodes[0])
        elif flows:
            view.edit_label("flow", flows[0])

    # -- removing, copying -----------------------------------------------------------------------
    def delete_selected(self) -> None:
        window = self.window
        scene = window.scene
        if scene is None:
            return
        targets = [("node", i) for i in scene.selected_node_ids()] + [("flow", i) for i in scene.selected_flow_ids()]
        if targets:
            window.apply(cascade_remove(window.document.state, targets, label=f"Delete {len(targets)} element(s)"))

    def copy_selected(self) -> None:
        scene = self.window.scene
        if scene is None or not scene.selected_node_ids():
            return
        fragment = arrange.copy_fragment(self.window.document.session, scene.selected_node_ids())
        # plain text, not QMimeData: a QMimeData handed to the clipboard is freed twice at exit by PySide6
        QGuiApplication.clipboard().setText(json.dumps({CLIPBOARD_TAG: fragment}))

    def paste(self) -> None:
        window = self.window
        model_id = window.current_model_id()
        try:
            fragment = json.loads(QGuiApplication.clipboard().text())[CLIPBOARD_TAG]
        except (ValueError, KeyError, TypeError):
            return  # the clipboard holds something else
        if model_id is None:
            return
        new_ids, op = arrange.paste_fragment(window.document.session, fragment, model_id)
        if window.apply(op) is not None:
            scene = window.scenes[model_id]
            scene.clearSelection()
            for node_id in new_ids:
                item = scene.node_item(node_id)
                if item is not None:
                    item.setSelected(True)

    def duplicate(self) -> None:
        self.copy_selected()
        self.paste()

    # -- arranging -------------------------------------------------------------------------------
    def arrange(self, build: Callable[[Session, list[str]], Operation]) -> None:
        """Apply what ``build`` makes of the selected nodes; a refusal goes to the status bar."""
        window = self.window
        scene = window.scene
        if scene is None:
            return
        try:
            op = build(window.document.session, scene.selected_node_ids())
        except OperationError as error:
            window.qt_window.statusBar().showMessage(str(error), 8000)
            return
        window.apply(op)

    def nudge(self, dx: float, dy: float) -> None:
        window = self.window
        scene = window.scene
        if scene is not None and scene.selected_node_ids() and window.canvas_view and window.canvas_view.editor is None:
            selected = scene.selected_node_ids()
            window.apply(
                arrange.nudge(window.document.session, selected, dx, dy), merge_key=f"nudge {sorted(selected)}"
            )

    def select_all(self) -> None:
        if self.window.scene is not None:
            select_all_nodes(self.window.scene)

    def set_flow_tool(self, on: bool) -> None:
        for scene in self.window.scenes.values():
            scene.flow_tool = on

    # -- the element menu ------------------------------------------------------------------------
    def element_menu(self, kind: str, element_id: str, global_pos: QPoint) -> None:
        """A node's or flow's context menu: ownership (nodes), what panels add, rename, delete."""
        window = self.window
        menu = QMenu(window.qt_window)
        if kind == "node":
            window.ownership.add_menu_entries(menu, element_id)
        for name, slot in window.element_actions:
            menu.addAction(name, slot).setEnabled(not window.read_only)
        menu.addAction("Rename", lambda: window.views[window.current_model_id() or ""].edit_label(kind, element_id))
        node = window.document.session.nodes.get(element_id) if kind == "node" else None
        if node is not None and node.is_sub_process:
            shown = menu.addAction("Show its steps in place (expanded)")
            shown.setCheckable(True)
            shown.setChecked(node.expanded)
            shown.setEnabled(not window.read_only)
            shown.toggled.connect(lambda on: self.set_expanded(element_id, on))
        flow = window.document.session.flows.get(element_id) if kind == "flow" else None
        if flow is not None:
            menu.addAction("Condition…", lambda: self.edit_condition(element_id)).setEnabled(not window.read_only)
            default = menu.addAction("Default flow (taken when no condition holds)")
            default.setCheckable(True)
            default.setChecked(flow.default_flow)
            default.setEnabled(not window.read_only)
            default.toggled.connect(lambda on: self.set_default_flow(element_id, on))
        menu.addAction("Delete", self.delete_selected).setEnabled(not window.read_only)
        menu.exec(global_pos)

    # -- menus and keys --------------------------------------------------------------------------
    def fill_edit_menu(self, edit: QMenu) -> QAction:
        """Copy … Select all and Draw flows, after Undo and Redo; returns the Draw flows action."""
        action = self.window.action
        action(edit, "Copy", self.copy_selected, QKeySequence.StandardKey.Copy)
        action(edit, "Paste", self.paste, QKeySequence.StandardKey.Paste, edit=True)
        action(edit, "Duplicate", self.duplicate, "Ctrl+D", edit=True)
        action(edit, "Delete", self.delete_selected, QKeySequence.StandardKey.Delete, edit=True)
        action(edit, "Rename", self.rename_selected, "F2", edit=True)
        action(
            edit,
            "Select all",
            self.select_all,
            QKeySequence.StandardKey.SelectAll,
        )
        flow_tool = action(edit, "Draw flows", lambda: None, "F", edit=True)
        flow_tool.setToolTip("Drag from one node to another to connect them (or drag from a node's edge, or Alt+drag)")
        flow_tool.setCheckable(True)
        flow_tool.toggled.connect(self.set_flow_tool)
        self.flow_tool_action = flow_tool
        return flow_tool

    def fill_insert_menu(self, insert: QMenu) -> None:
        for number, kind in enumerate(KIND_LABELS, start=1):
            self.window.action(
                insert, KIND_LABELS[kind], partial(self.add_node_at_centre, kind), f"Alt+{number}", edit=True
            )

    def fill_arrange_menu(self, arrange_menu: QMenu) -> None:
        action = self.window.action
        for edge, label in ALIGNMENTS:
            action(arrange_menu, f"Align {label}", partial(self.arrange, partial(_align, edge=edge)), edit=True)
        arrange_menu.addSeparator()
        action(
            arrange_menu,
            "Distribute horizontally",
            lambda: self.arrange(lambda s, ids: arrange.distribute(s, ids, "horizontal")),
            edit=True,
        )
        action(
            arrange_menu,
            "Distribute vertically",
            lambda: self.arrange(lambda s, ids: arrange.distribute(s, ids, "vertical")),
            edit=True,
        )
        self._add_layout_action(arrange_menu)

    def _add_layout_action(self, menu: QMenu) -> None:
        try:
            from workshop.domain.model.layout import layout_model
        except ImportError:
            return
        menu.addSeparator()
        window = self.window

        def lay_out() -> None:
            model_id = window.current_model_id()
            if model_id is not None:
                window.apply(layout_model(window.document.session, model_id), "Lay out left to right")

        window.action(menu, "Lay out left to right", lay_out, "Ctrl+L", edit=True)

    def add_nudge_keys(self) -> None:
        """Arrow keys move the selection 10 px (1 px with Shift) while the canvas tabs have the focus."""
        for key, dx, dy in (
            (Qt.Key.Key_Left, -1, 0),
            (Qt.Key.Key_Right, 1, 0),
            (Qt.Key.Key_Up, 0, -1),
            (Qt.Key.Key_Down, 0, 1),
        ):
            for modifier, step in ((Qt.KeyboardModifier.NoModifier, 10), (Qt.KeyboardModifier.ShiftModifier, 1)):
                shortcut = QShortcut(QKeySequence(modifier.value | key.value), self.window.tabs)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(lambda x=dx * step, y=dy * step: self.nudge(x, y))
