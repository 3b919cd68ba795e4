"""The window's tabs: one canvas per process model (a process state), kept in step with the session.

A model added, renamed or removed by any front (the facilitator, an undo, a
copy into a new process state) shows up here as a tab; the tabs own the
scenes, views and overlays so the window itself only lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog, QTabWidget

from workshop.domain.model.edits import copy_model, state_name
from workshop.domain.model.process import ProcessState
from workshop.domain.model.session import Session
from workshop.ui.canvas.canvas_overlays import CanvasOverlay
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.canvas_view import CanvasView
from workshop.ui.themes import Theme
from workshop.ui.widgets import no_mnemonic

if TYPE_CHECKING:
    from workshop.ui.host import TabsHost


class ModelTabs:
    """Tabs of process models: which model is shown, its canvas, and a new process state copied from it.

    Exists so the window composes the canvases instead of managing them: the
    scenes, views and overlays of every model live here, keyed by model id.
    """

    def __init__(self, window: TabsHost) -> None:
        self.window = window
        self.widget = QTabWidget()
        self.widget.setDocumentMode(True)
        self.scenes: dict[str, CanvasScene] = {}
        self.views: dict[str, CanvasView] = {}
        self.overlays: dict[str, CanvasOverlay] = {}

    @property
    def session(self) -> Session:
        return self.window.document.session

    def current_model_id(self) -> str | None:
        view = self.widget.currentWidget()
        return view.canvas_scene().model_id if isinstance(view, CanvasView) else None

    @property
    def canvas_view(self) -> CanvasView | None:
        view = self.widget.currentWidget()
        return view if isinstance(view, CanvasView) else None

    @property
    def scene(self) -> CanvasScene | None:
        view = self.canvas_view
        return view.canvas_scene() if view else None

    def sync(self) -> None:
        """One tab per model, in the models' order; a removed model's canvas is let go."""
        window = self.window
        models = sorted(self.session.models.values(), key=lambda m: (m.index, m.name))
        for model_id in set(self.views) - {m.id for m in models}:
            view = self.views.pop(model_id)
            scene = self.scenes.pop(model_id)
            scene.detach()
            self.overlays.pop(model_id).detach()
            self.widget.removeTab(self.widget.indexOf(view))
            view.deleteLater()
            scene.deleteLater()
        for position, model in enumerate(models):
            title = no_mnemonic(
                model.name if str(model.state) in model.name.lower() else f"{model.name} ({model.state})"
            )
            existing = self.views.get(model.id)
            if existing is None:
                scene = CanvasScene(
                    window.document, model.id, window.theme, window.apply_from_canvas, parent=window.qt_window
                )
                scene.set_read_only(window.read_only)
                scene.selectionChanged.connect(window.selection_changed)
                view = CanvasView(scene)
                view.node_dropped.connect(window.nodes.add_node)
                view.label_edited.connect(window.nodes.set_label)
                view.lane_menu_requested.connect(window.lanes.lane_menu)
                view.element_menu_requested.connect(window.nodes.element_menu)
                self.scenes[model.id], self.views[model.id] = scene, view
                self.overlays[model.id] = CanvasOverlay(scene)
                self.widget.insertTab(position, view, title)
                QTimer.singleShot(0, view.zoom_to_fit)
            else:
                self.widget.setTabText(self.widget.indexOf(existing), title)

    def focus_element(self, kind: str, element_id: str) -> None:
        """Show a node or flow: switch to its model, select it and centre the view on it."""
        session = self.session
        element = session.nodes.get(element_id) if kind == "node" else session.flows.get(element_id)
        if element is None:
            return
        view = self.views.get(element.model_id)
        if view is None:
            return
        self.widget.setCurrentWidget(view)
        scene = view.canvas_scene()
        scene.level.reveal(element_id if kind == "node" else session.flows[element_id].source_id)
        item = scene.node_item(element_id) if kind == "node" else scene.flow_item(element_id)
        if item is None:
            return
        scene.clearSelection()
        item.setSelected(True)
        if view.zoom() < 0.6:  # too small to read: the step at 100 %, in the middle
            view.resetTransform()
            view.centerOn(item.sceneBoundingRect().center())
        elif not view.follows_fit:  # a fitted view shows it already: moving it would cut the model off
            view.ensureVisible(item, 80, 80)

    def set_theme(self, theme: Theme) -> None:
        for scene in self.scenes.values():
            scene.set_theme(theme)

    def set_read_only(self, read_only: bool) -> None:
        for scene in self.scenes.values():
            scene.set_read_only(read_only)

    def detach(self) -> None:
        """Stop every canvas following the document (the window is closing)."""
        for scene in self.scenes.values():
            scene.detach()
        for overlay in self.overlays.values():
            overlay.detach()

    def new_process_state(self) -> None:
        """Copy the shown model into a new process state (e.g. the ideal process) and show it."""
        window = self.window
        model_id = self.current_model_id()
        if model_id is None:
            return
        states = [s.value for s in ProcessState]
        state, ok = QInputDialog.getItem(window.qt_window, "New process state", "State", states, 1, False)
        if not ok:
            return
        source = self.session.models[model_id]
        name, ok = QInputDialog.getText(
            window.qt_window, "New process state", "Name", text=state_name(source.name, str(source.state), state)
        )
        if ok and name.strip():
            new_model, op = copy_model(
                window.document.state, model_id, name=name.strip(), process_state=ProcessState(state)
            )
            if window.apply(op) is not None:
                self.widget.setCurrentWidget(self.views[new_model])
