"""Prepare, Run, Review: one screen per job of the workshop day instead of a wall of panels.

A facilitator does three different jobs with the same session: before the room arrives they build the
model, the organizations, the participants and the script; in the room they run the console with the
current step's tool beside it; afterwards they review health, annotations and the record. Each mode
shows the panels of its job and hides the rest, so the right side reads as a few whole tab titles, not
thirteen truncated ones. Every panel stays one View-menu click away in any mode.

In Run the step decides: moving to a step brings its tool forward and puts away the previous step's.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence
from PySide6.QtWidgets import QDockWidget, QToolBar, QToolButton

from workshop.domain.facilitation.progress import current_script_step
from workshop.domain.model.document import LogRecord
from workshop.domain.model.operations import SetSessionOp
from workshop.ui.settings import app_settings
from workshop.ui.window.step_follow import TOOL_DOCKS

if TYPE_CHECKING:
    from workshop.ui.host import ModesHost


class Mode(StrEnum):
    PREPARE = "prepare"
    RUN = "run"
    REVIEW = "review"


TITLES = {Mode.PREPARE: "Prepare", Mode.RUN: "Run", Mode.REVIEW: "Review"}
SHORTCUTS = {Mode.PREPARE: "F9", Mode.RUN: "F10", Mode.REVIEW: "F11"}  # Ctrl+1 zooms, Alt+1… adds nodes
EXPLAINED = {
    Mode.PREPARE: "Build the model, the organizations and participants, and fit the script to the time you have",
    Mode.RUN: "The console: the current step, its countdown and its tool",
    Mode.REVIEW: "Health, annotations, data collection and the record",
}
DOCKS: dict[Mode, tuple[str, ...]] = {
    Mode.PREPARE: ("Palette", "Overview", "Facilitation", "Plan", "Participants", "Glossary"),
    Mode.RUN: ("Facilitation", "Participants"),
    Mode.REVIEW: ("Overview", "Health", "Annotations", "Data collection", "Survey"),
}
"""The panels each mode shows; in Run the current step's tool joins them."""
FRONT = {Mode.PREPARE: "Plan", Mode.RUN: "Facilitation", Mode.REVIEW: "Health"}
"""The panel in front when a mode is entered (in Run, the step's tool if it has one)."""
SETTING = "window/mode"


def step_tool_dock(window: ModesHost) -> str | None:
    """The title of the dock holding the current step's tool, if the step names one."""
    found = current_script_step(window.document.session)
    tool = found[2].main_tool() if found is not None else None
    return TOOL_DOCKS[tool] if tool else None


class ModeSwitcher:
    """The three modes as a bar of large toggles (F9, F10, F11, also in the View menu)."""

    def __init__(self, window: ModesHost) -> None:
        self.window = window
        self.mode: Mode | None = None
        self.toolbar = QToolBar("Mode", window.qt_window)
        self.toolbar.setObjectName("modeToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        group = QActionGroup(window.qt_window)
        group.setExclusive(True)
        self.actions: dict[Mode, QAction] = {}
        view_menu = window.menu("View")
        self.view_actions = [view_menu.addSeparator()]
        """The modes' part of the View menu (kept at its end, below the panels)."""
        for mode in Mode:
            action = QAction(TITLES[mode], window.qt_window)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(SHORTCUTS[mode]))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.setToolTip(f"{EXPLAINED[mode]} ({SHORTCUTS[mode]})")
            action.setStatusTip(EXPLAINED[mode])
            action.triggered.connect(lambda _checked=False, m=mode: self.set_mode(m))
            group.addAction(action)
            self.toolbar.addAction(action)
            view_menu.addAction(action)
            self.view_actions.append(action)
            self.actions[mode] = action
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                font = QFont(button.font())
                font.setPointSizeF(max(font.pointSizeF(), 11.0) * 1.15)
                font.setBold(True)
                button.setFont(font)
                button.setMinimumWidth(96)
        window.qt_window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        window.document.subscribe(self._on_record)

    def keep_last_in_view_menu(self) -> None:
        """Move the modes back to the end of the View menu (the panels' entries were added after them)."""
        view_menu = self.window.menu("View")
        for action in self.view_actions:
            view_menu.removeAction(action)
            view_menu.addAction(action)

    def docks(self) -> dict[str, QDockWidget]:
        return {dock.windowTitle(): dock for dock in self.window.qt_window.findChildren(QDockWidget)}

    def set_mode(self, mode: Mode) -> None:
        """Show the panels of ``mode``, hide the others, and bring its main panel to the front."""
        self.mode = mode
        self.actions[mode].setChecked(True)
        app_settings().setValue(SETTING, mode.value)
        tool = step_tool_dock(self.window) if mode == Mode.RUN else None  # in Run the step brings its tool
        wanted = DOCKS[mode] + ((tool,) if tool and tool not in DOCKS[mode] else ())
        docks = self.docks()
        for title, dock in docks.items():
            dock.setVisible(title in wanted)
        self._arrange([docks[title] for title in wanted if title in docks], tool)
        front = tool or FRONT[mode]
        if mode == Mode.PREPARE and self.window.document.session.script is None:
            front = "Facilitation"  # choose the script first; the plan needs one
        if mode == Mode.RUN and "Facilitation" in docks:
            docks["Facilitation"].raise_()  # the console in front of its tab group; the tool is beside it
        if front in docks:
            docks[front].raise_()

    def _arrange(self, shown: list[QDockWidget], tool_title: str | None) -> None:
        """Tab the mode's right-hand panels together; in Run the step's tool sits under the console.

        The countdown and the step's prompts must stay in sight while the group works with the tool, so in
        Run the tool is not a tab behind the console but the lower half beside the canvas.
        """
        right = [d for d in shown if self.window.qt_window.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
        tool = next((d for d in right if d.windowTitle() == tool_title), None)
        console = next((d for d in right if d.windowTitle() == "Facilitation"), None)
        tabbed = [d for d in right if d is not tool] if tool is not None and console is not None else right
        for dock in tabbed[1:]:
            if dock not in self.window.qt_window.tabifiedDockWidgets(tabbed[0]):
                self.window.qt_window.tabifyDockWidget(tabbed[0], dock)
        if tool is not None and console is not None:
            # splitDockWidget would only add a tab to the console's tab group: take the tool out and put it
            # back below the whole right-hand area instead
            self.window.qt_window.removeDockWidget(tool)
            self.window.qt_window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, tool, Qt.Orientation.Vertical)
            tool.show()
            self.window.qt_window.resizeDocks([console, tool], [1, 1], Qt.Orientation.Vertical)

    def _on_record(self, record: LogRecord) -> None:
        """In Run, a new step puts the previous step's tool away and brings its own forward."""
        if self.mode != Mode.RUN:
            return
        if any(isinstance(op, SetSessionOp) and "current_step" in op.changes for op in record.op.primitives()):
            self.set_mode(Mode.RUN)


def first_mode(window: ModesHost) -> Mode:
    """Run when a step is under way (a session reopened mid-workshop), else the mode last used."""
    if window.document.session.current_step is not None:
        return Mode.RUN
    saved = app_settings().value(SETTING, Mode.PREPARE.value)
    return Mode(saved) if saved in {m.value for m in Mode} else Mode.PREPARE


def install_modes(window: ModesHost) -> ModeSwitcher:
    switcher = ModeSwitcher(window)
    switcher.set_mode(first_mode(window))
    return switcher
