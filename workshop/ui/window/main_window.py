"""The facilitator's window: one session, its process states as tabs, panels as docks.

Every edit goes through :meth:`MainWindow.apply`, which applies the
operation (committed to the file before anything shows) and pushes an undo
step. Panels from other modules plug in with :meth:`add_dock` and
:meth:`menu` and reach the canvas with :meth:`focus_element`.

The window composes one class per job: the tabs of models
(:class:`~workshop.ui.window.model_tabs.ModelTabs`), node editing
(:class:`~workshop.ui.window.node_actions.NodeActions`), ownership and claims
(:class:`~workshop.ui.window.ownership_actions.OwnershipActions`), lanes
(:class:`~workshop.ui.window.lane_actions.LaneActions`), and files, opening and the
theme (:class:`~workshop.ui.window.window_files.WindowFiles`); it keeps the docks,
menus, undo and closing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QToolBar,
    QWidget,
)

from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import Operation
from workshop.store.workshop_file import StoreError, WorkshopFile
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.canvas_view import CanvasView
from workshop.ui.canvas.minimap import Minimap
from workshop.ui.canvas.palette import Palette
from workshop.ui.settings import remember_file
from workshop.ui.themes import Theme, saved_theme
from workshop.ui.widgets import literal
from workshop.ui.window.commands import OperationCommand
from workshop.ui.window.file_keeping import IdleCheckpoint, close_session
from workshop.ui.window.lane_actions import LaneActions
from workshop.ui.window.model_tabs import ModelTabs
from workshop.ui.window.node_actions import NodeActions
from workshop.ui.window.note_bar import NoteBar
from workshop.ui.window.ownership_actions import OwnershipActions
from workshop.ui.window.panel_docks import PANEL_DOCKS, PanelsAfterFirstPaint
from workshop.ui.window.window_files import OPEN_FILTER, WindowFiles

if TYPE_CHECKING:
    from workshop.ui.participation.panel import ParticipantsPanel
    from workshop.ui.presenter.presenter_actions import PresenterControl
    from workshop.ui.window.step_follow import StepFollower


class _ScrollsDown(QScrollArea):
    """A dock's content: scrolls when the dock is too short, and asks for the width the panel needs.

    Panels stacked in Run (console above the step's tool) would otherwise add up their minimum heights and
    push the window past a 1080-line screen. Sideways the dock widens to the panel's own minimum (a console
    cut at "+5 m" and "Go t" is no use); only a panel wider than a dock may be (560 px) scrolls sideways.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def minimumSizeHint(self) -> QSize:
        inner = self.widget()
        base = super().minimumSizeHint()
        if inner is None:
            return base
        return QSize(inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width(), base.height())


def _fit_narrow(panel: QWidget) -> None:
    """A panel fits a dock (at most 560 px): lists do not widen to their longest entry, long notes wrap.

    A list box sized to a long step title or contract line, or a one-line note of 500 px, made the whole
    panel wider than its dock, so the console scrolled sideways and cut off its buttons at 1366 × 768.
    """
    for box in panel.findChildren(QComboBox):
        if box.sizeAdjustPolicy() == QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow:
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(10)
            box.setMinimumWidth(120)  # Qt keeps the minimum hint it computed from the items before
    for label in panel.findChildren(QLabel):
        if not label.wordWrap() and len(label.text()) > 40:
            label.setWordWrap(True)


class MainWindow(QMainWindow):
    """One session's window: docks, menus, undo, and the classes that do each job (see the module docstring)."""

    selection_changed = Signal()
    """The selection on some model's canvas changed (panels that act on "the selected node" follow it)."""

    def __init__(self, document: Document, workshop_file: WorkshopFile, *, note: str = "") -> None:
        super().__init__()
        self.document = document
        self.workshop_file = workshop_file
        self.read_only = workshop_file.read_only
        self.theme: Theme = saved_theme()
        self.undo_stack = QUndoStack(self)
        self.import_report: QMessageBox | None = None
        """What a BPMN import could not bring in, listed for the user."""
        self.recovery_box: NoteBar | None = None
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
        self._reserved: dict[str, QDockWidget] = {}
        """Docks laid out for panels not built yet (see :mod:`workshop.ui.window.panel_docks`), by title."""
        self._edit_actions: list[QAction] = []
        self.model_tabs = ModelTabs(self)
        """The tabs of process models and their canvases."""
        self.nodes = NodeActions(self)
        """Editing nodes and flows (Edit, Insert, Arrange, arrow keys, the element menu)."""
        self.ownership = OwnershipActions(self)
        """Owner, claims and resolving a contested owner."""
        self.lanes = LaneActions(self)
        """Adding lanes and the lane menu."""
        self.files = WindowFiles(self)
        """The File menu, title, Save as, dropped files and the theme."""
        self.tabs = self.model_tabs.widget
        self.scenes = self.model_tabs.scenes
        self.views = self.model_tabs.views
        self.overlays = self.model_tabs.overlays
        """The tabs' widget and the scenes, views and overlays by model id (the same objects as ``model_tabs``')."""
        self.setAcceptDrops(True)
        self.resize(1500, 950)

        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.node_palette = Palette(self.nodes.add_node_at_centre)
        self.add_dock(self.node_palette, "Palette", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.minimap = Minimap()
        overview = self.add_dock(self.minimap, "Overview", Qt.DockWidgetArea.LeftDockWidgetArea)
        palette_dock = self._docks[Qt.DockWidgetArea.LeftDockWidgetArea][0]
        self.resizeDocks([palette_dock, overview], [230, 230], Qt.Orientation.Horizontal)
        self.resizeDocks([palette_dock, overview], [430, 260], Qt.Orientation.Vertical)
        self.model_tabs.sync()
        self._unsubscribe = document.subscribe(self._on_record)
        self.idle_checkpoint = IdleCheckpoint(document, lambda: self.workshop_file, self)
        self.files.update_title()
        self.set_read_only(self.read_only)
        if note:
            self.statusBar().showMessage(note, 15000)
        for title in PANEL_DOCKS:
            self.reserve_dock(title)
        view = self.canvas_view
        self.panels = PanelsAfterFirstPaint(self, view.viewport() if view else None, self._build_panels)
        """The panels: their docks laid out now, the panels built into them after the first frame."""
        from workshop.ui.window.modes import install_modes

        self.modes = install_modes(self)  # Prepare / Run / Review instead of every panel at once
        right = self._docks.get(Qt.DockWidgetArea.RightDockWidgetArea, [])
        if right:
            facilitation = next((d for d in right if d.windowTitle() == "Facilitation"), right[0])
            QTimer.singleShot(0, facilitation.raise_)  # the console opens on the script (once the window shows)
            QTimer.singleShot(0, lambda: self.resizeDocks([right[0]], [440], Qt.Orientation.Horizontal))

    def _build_panels(self) -> None:
        """Every panel into its reserved dock, and the person at the keyboard (after the first frame)."""
        from workshop.ui.window.panels import install_panels
        from workshop.ui.window.people import install_people

        self.step_follower, self.presenter_control, self.participants_panel = install_panels(self)
        install_people(self)  # records carry the name of the person at the keyboard
        self.modes.keep_last_in_view_menu()

    # -- the API other panels use -------------------------------------------------------
    def add_dock(
        self, widget: QWidget, title: str, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea
    ) -> QDockWidget:
        """``widget`` in a dock called ``title`` (the one reserved for it, else a new one in ``area``)."""
        dock = self._reserved.pop(title, None) or self.reserve_dock(title, area, reserved=False)
        _fit_narrow(widget)
        holder = dock.widget()
        assert isinstance(holder, _ScrollsDown)
        holder.setWidget(widget)
        self.menu("View").addAction(dock.toggleViewAction())
        return dock

    def reserve_dock(
        self,
        title: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        *,
        reserved: bool = True,
    ) -> QDockWidget:
        """An empty dock called ``title``, in its place among its siblings; :meth:`add_dock` puts a panel in it."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(_ScrollsDown())
        self.addDockWidget(area, dock)
        if area == Qt.DockWidgetArea.RightDockWidgetArea:
            dock.setMaximumWidth(560)  # panels must not squeeze the projected canvas
        siblings = self._docks.setdefault(area, [])
        if siblings and area != Qt.DockWidgetArea.LeftDockWidgetArea:
            self.tabifyDockWidget(siblings[-1], dock)
        siblings.append(dock)
        if reserved:
            self._reserved[title] = dock
        return dock

    # -- opening more windows (the functions at the end of this module) ------------------------------
    def open_window(self, path: Path, parent: QWidget | None = None) -> MainWindow | None:
        """``path`` in a window of its own (also the opener a study window is given for its sittings)."""
        return open_window(path, parent or self)

    def open_choice(self, choice: Path | str | None) -> QMainWindow | None:
        return open_choice(choice, self)

    def show_window(self, document: Document, workshop_file: WorkshopFile, note: str = "") -> MainWindow:
        return show_window(document, workshop_file, note)

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
        """The id of the model shown in the current tab."""
        return self.model_tabs.current_model_id()

    @property
    def qt_window(self) -> QMainWindow:
        """This window as a Qt widget: what its helpers, typed by the protocols of ``workshop.ui.host``, parent to."""
        return self

    @property
    def canvas_view(self) -> CanvasView | None:
        return self.model_tabs.canvas_view

    @property
    def scene(self) -> CanvasScene | None:
        return self.model_tabs.scene

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
        self.model_tabs.focus_element(kind, element_id)

    def selection(self) -> tuple[str, str] | None:
        """The one selected node or flow on the shown model, if exactly one is selected."""
        scene = self.scene
        if scene is None or scene.selection_size != 1:  # kept count: no list of 50,000 ids after a select-all
            return None
        chosen = [("node", i) for i in scene.selected_node_ids()] + [("flow", i) for i in scene.selected_flow_ids()]
        return chosen[0] if len(chosen) == 1 else None

    def apply_from_canvas(self, op: Operation) -> object:
        return self.apply(op)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.model_tabs.set_read_only(read_only)
        for action in self._edit_actions:
            action.setEnabled(not read_only)
        self.node_palette.setEnabled(not read_only)

    # -- following the session -------------------------------------------------------------------
    def _on_tab_changed(self, _index: int) -> None:
        self.minimap.follow(self.canvas_view)

    def _on_record(self, record: LogRecord) -> None:
        if any(getattr(op, "kind", None) == "model" for op in record.op.primitives()):
            self.model_tabs.sync()
        if any(getattr(op, "op", None) == "set_session" for op in record.op.primitives()):
            self.files.update_title()

    # -- closing and dropping -------------------------------------------------------------------
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
        self.panels.cancel()
        self.model_tabs.detach()
        if self.presenter_control is not None:
            self.presenter_control.set_presenting(False)
        self._unsubscribe()
        self.idle_checkpoint.stop()
        close_session(self.workshop_file, self.document)
        if self in open_windows:
            open_windows.remove(self)
        from workshop.ui.files.opening import release_bulk_objects

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
        self.files.open_urls(event.mimeData().urls())

    # -- menus -----------------------------------------------------------------------------------
    def action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
        *,
        edit: bool = False,
    ) -> QAction:
        """Add ``text`` to ``menu``; an ``edit`` action is disabled while the session is read-only."""
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

    def _build_menus(self) -> None:
        self.files.fill_file_menu(self.menu("File"))

        edit = self.menu("Edit")
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "Redo")
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)  # Ctrl+Y too, everywhere; each key once
        redo.setShortcuts(keys + [QKeySequence("Ctrl+Y")] * (QKeySequence("Ctrl+Y") not in keys))
        edit.addActions([undo, redo])
        edit.addSeparator()
        flow_tool = self.nodes.fill_edit_menu(edit)

        insert = self.menu("Insert")
        self.nodes.fill_insert_menu(insert)
        insert.addSeparator()
        self.action(insert, "Lane…", self.lanes.add_lane, edit=True)

        self.nodes.fill_arrange_menu(self.menu("Arrange"))

        model_menu = self.menu("Process")
        self.action(model_menu, "New process state from this one…", self.model_tabs.new_process_state, edit=True)

        view = self.menu("View")
        self.action(
            view,
            "Zoom in",
            lambda: self._with_view(lambda v: v.zoom_by(1.25)),
            QKeySequence.StandardKey.ZoomIn,
        )
        self.action(
            view,
            "Zoom out",
            lambda: self._with_view(lambda v: v.zoom_by(0.8)),
            QKeySequence.StandardKey.ZoomOut,
        )
        self.action(view, "Zoom to fit", lambda: self._with_view(CanvasView.zoom_to_fit), "Ctrl+0")
        self.action(view, "Actual size (100 %)", lambda: self._with_view(CanvasView.zoom_actual), "Ctrl+1")
        self.files.fill_theme_menu(view.addMenu("Theme"))
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
        self.nodes.add_nudge_keys()


open_windows: list[MainWindow] = []
"""Open windows (one per session); kept here so Qt does not collect them."""


def show_window(document: Document, workshop_file: WorkshopFile, note: str = "") -> MainWindow:
    window = MainWindow(document, workshop_file, note=note)
    open_windows.append(window)
    remember_file(str(workshop_file.path))
    window.showMaximized()  # a facilitator's console: the model as large as the screen allows
    return window


def open_choice(choice: Path | str | None, parent: QWidget | None = None) -> QMainWindow | None:
    """Open what the start page chose: a session, a new workshop, the example, a study or a file the user picks."""
    from workshop.resources import example_session_path
    from workshop.ui.files.start_page import EXAMPLE, NEW, OPEN_FILE, STUDY_CHOICES

    if choice in STUDY_CHOICES or (isinstance(choice, Path) and choice.is_dir()):
        from workshop.ui.study.study_window import open_study_choice

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
    from workshop.ui.files.new_workshop import NewWorkshopDialog
    from workshop.ui.files.opening import new_workshop

    dialog = NewWorkshopDialog(parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    choice = dialog.choice()
    dialog.deleteLater()  # Qt deletes it, not Python's collector at exit after the application is gone
    if not accepted:
        return None
    try:
        document, workshop_file, note, not_imported = new_workshop(
            choice.title,
            choice.organizations,
            bpmn=choice.bpmn,
            earlier=choice.earlier,
            script=choice.script,
            organization_map=choice.organization_map,
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
    from workshop.ui.files.opening import bulk_objects, open_path, recovery_note

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
        # in a row of its own at the top of the window, not a box over the model: the facilitator reads it
        # and carries on
        window.recovery_box = NoteBar(window, recovered, name="recoveryNote")
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
