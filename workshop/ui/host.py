"""What a panel is given by the window that hosts it: the way to change the session, and the window itself.

Panels never apply an operation to the document themselves: they call the
window's ``apply`` (:data:`Apply`), which applies it, pushes the undo command
and reports a refusal. Declared once here so every panel means the same thing.

The helpers the main window is composed of (its tabs, node, lane and ownership
actions, files, modes, panels, people, exports, presenter control, the step
follower) see the window through the small protocols below, one per helper,
each naming exactly the members that helper uses. So none of them imports
``workshop.ui.window.main_window``, which imports them: no import cycle, type
imports included (``tests/test_import_cycles.py``). This module imports no
module of ``workshop.ui.window``; a member whose class lives there is typed by
a protocol of its own here (:class:`CanvasGestures`, :class:`LaneMenu`, …).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QPoint, QPointF, SignalInstance
    from PySide6.QtGui import QAction, QKeySequence, QUndoStack
    from PySide6.QtWidgets import QDockWidget, QGraphicsScene, QMainWindow, QMenu, QTabWidget, QWidget

    from workshop.domain.model.document import Document, LogRecord
    from workshop.domain.model.operations import Operation
    from workshop.store.workshop_file import WorkshopFile
    from workshop.ui.canvas.canvas_scene import CanvasScene
    from workshop.ui.canvas.canvas_view import CanvasView
    from workshop.ui.themes import Theme

Apply = Callable[["Operation"], object]
"""Applies an operation through the window (undo, the log, refusals shown); the result is the log record."""

Focus = Callable[[str, str], None]
"""Shows an element on the canvas: ``focus(kind, element_id)``."""

Selection = Callable[[], tuple[str, str] | None]
"""The element selected on the canvas as ``(kind, element_id)``, or None."""


class HostWindow(Protocol):
    """What the panels installed into a main window need of it (the walkthrough, participation).

    The main window is this; tests give a small stand-in with the same members.
    """

    document: Document

    @property
    def scene(self) -> QGraphicsScene | None: ...

    def add_dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea = ...) -> QDockWidget: ...

    def menu(self, name: str) -> QMenu: ...

    def focus_element(self, kind: str, element_id: str) -> None: ...

    def current_model_id(self) -> str | None: ...

    def apply(self, op: Operation) -> object: ...


# -- the parts of the main window its helpers use -------------------------------------------------------


class QtWindow(Protocol):
    """The window as a Qt widget: its helpers' dialogs, menus and actions take it as their parent."""

    @property
    def qt_window(self) -> QMainWindow: ...


class Documented(Protocol):
    """The session the window shows."""

    document: Document


class Applying(Protocol):
    """Applying an operation as one undo step (``text`` names the step; ``merge_key`` merges quick repeats)."""

    def apply(self, op: Operation, text: str | None = None, *, merge_key: str | None = None) -> LogRecord | None: ...


class ShownModel(Protocol):
    """The model of the current tab."""

    def current_model_id(self) -> str | None: ...


class Menus(Protocol):
    """The window's top-level menus by name."""

    def menu(self, name: str) -> QMenu: ...


class EditActions(Protocol):
    """Adding an action to a menu (an ``edit`` one is disabled while the session is read-only)."""

    def action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
        *,
        edit: bool = False,
    ) -> QAction: ...


class ReadOnly(Protocol):
    read_only: bool


class Themed(Protocol):
    theme: Theme


class SessionFile(Protocol):
    """The ``.workshop`` file open now (Save as puts another in its place)."""

    workshop_file: WorkshopFile


class ShownView(Protocol):
    """The canvas view of the current tab."""

    @property
    def canvas_view(self) -> CanvasView | None: ...


class ShownScene(Protocol):
    """The canvas scene of the current tab."""

    @property
    def scene(self) -> CanvasScene | None: ...


class Tabs(Protocol):
    """The tabs' widget (one tab per model)."""

    tabs: QTabWidget


class Scenes(Protocol):
    """Every model's canvas scene, by model id."""

    scenes: dict[str, CanvasScene]


class Views(Protocol):
    """Every model's canvas view, by model id."""

    views: dict[str, CanvasView]


ElementActions = list[tuple[str, Callable[[], None]]]
"""Context-menu entries panels add for the selected node or flow (name, slot)."""


class CanvasGestures(Protocol):
    """What a canvas view reports to the window's node editing (``NodeActions``): drop, label, element menu."""

    def add_node(self, kind: str, pos: QPointF, connect_from: str | None = None) -> str | None: ...

    def set_label(self, kind: str, element_id: str, text: str) -> None: ...

    def element_menu(self, kind: str, element_id: str, global_pos: QPoint) -> None: ...


class LaneMenu(Protocol):
    """A lane's context menu (``LaneActions``)."""

    def lane_menu(self, lane_id: str, global_pos: QPoint) -> None: ...


class OwnershipMenu(Protocol):
    """The ownership entries at the top of a node's menu (``OwnershipActions``)."""

    def add_menu_entries(self, menu: QMenu, node_id: str) -> None: ...


class CanvasThemes(Protocol):
    """Every canvas of the window in a new theme (``ModelTabs``)."""

    def set_theme(self, theme: Theme) -> None: ...


class TabsHost(QtWindow, Documented, ReadOnly, Themed, Protocol):
    """What the tabs of models (``ModelTabs``) use: each new canvas is wired to the window's editing."""

    @property
    def nodes(self) -> CanvasGestures: ...

    @property
    def lanes(self) -> LaneMenu: ...

    @property
    def selection_changed(self) -> SignalInstance: ...

    def apply(self, op: Operation, text: str | None = None, *, merge_key: str | None = None) -> LogRecord | None: ...

    def apply_from_canvas(self, op: Operation) -> object: ...


class NodeHost(
    QtWindow,
    Documented,
    Applying,
    ShownModel,
    EditActions,
    ReadOnly,
    ShownView,
    ShownScene,
    Tabs,
    Scenes,
    Views,
    Protocol,
):
    """What node and flow editing (``NodeActions``) uses."""

    element_actions: ElementActions

    @property
    def ownership(self) -> OwnershipMenu: ...


class LaneHost(QtWindow, Documented, Applying, ShownModel, Protocol):
    """What the lane actions (``LaneActions``) use."""


class OwnershipHost(QtWindow, Documented, Applying, ReadOnly, Protocol):
    """What the ownership actions (``OwnershipActions``) use."""


class FilesHost(QtWindow, Documented, SessionFile, ReadOnly, Themed, EditActions, Protocol):
    """What the File menu, Save as, opening and the theme (``WindowFiles``) use."""

    undo_stack: QUndoStack

    @property
    def model_tabs(self) -> CanvasThemes: ...

    def report(self, message: str) -> None: ...

    def open_window(self, path: Path, parent: QWidget | None = None) -> QMainWindow | None: ...

    def open_choice(self, choice: Path | str | None) -> QMainWindow | None: ...

    def show_window(self, document: Document, workshop_file: WorkshopFile, note: str = "") -> QMainWindow: ...


class StepHost(QtWindow, Documented, Applying, ShownModel, ShownView, Tabs, Views, Protocol):
    """What the step follower (``StepFollower``) uses: the step's process state brought to the front."""


class ModesHost(QtWindow, Documented, Menus, Protocol):
    """What Prepare / Run / Review (``ModeSwitcher``) use: the docks of the Qt window and the View menu."""


class PeopleHost(QtWindow, Documented, Applying, Menus, Protocol):
    """What the person at the keyboard and observation notes (``install_people``) use."""


class ExportHost(QtWindow, Documented, SessionFile, ShownModel, ShownView, Menus, Protocol):
    """What the Export menu (``install_export``) uses."""


class PresenterHost(QtWindow, Documented, SessionFile, Themed, ShownView, ShownScene, Tabs, Scenes, Menus, Protocol):
    """What presenter mode (``PresenterControl``) uses: the canvas it mirrors on the projector."""


class PanelsHost(StepHost, ExportHost, PresenterHost, HostWindow, Protocol):
    """What installing the panels (``install_panels``) uses; it hands the window on to each panel's installer."""

    element_actions: ElementActions

    @property
    def selection_changed(self) -> SignalInstance: ...

    def selection(self) -> tuple[str, str] | None: ...
