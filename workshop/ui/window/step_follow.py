"""The console follows the script: a step brings forward its tool and opens the process state it shows.

When the facilitator moves to a step, the dock of the step's tool (the vote,
the agreement check, boundaries, glossary, walkthrough, mechanisms, the
contract) comes to the front, and the canvas switches to the process state
the step ``shows``. If that state has no model yet, the Facilitation panel
offers to create it from the current process, in one click and one undo step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QBoxLayout, QDockWidget, QPushButton, QScrollArea, QWidget

from workshop.domain.facilitation.progress import current_script_step
from workshop.domain.model.document import LogRecord
from workshop.domain.model.edits import copy_model
from workshop.domain.model.operations import SetSessionOp
from workshop.domain.model.process import ProcessState
from workshop.domain.model.session import Session

if TYPE_CHECKING:
    from workshop.ui.host import StepHost
    from workshop.ui.panels.facilitation_panel import FacilitationPanel

TOOL_DOCKS = {
    "vote": "Agreement and votes",
    "agreement": "Agreement and votes",
    "boundaries": "Boundaries",
    "glossary": "Glossary",
    "walkthrough": "Walkthrough",
    "mechanisms": "Coordination",
    "contract": "Coordination",
    "survey": "Survey",
}
"""The dock each step tool lives in."""


def shown_state(session: Session) -> ProcessState | None:
    """The process state the current step shows, if it says."""
    found = current_script_step(session)
    return found[2].shows if found is not None else None


def _panel_of(dock: QDockWidget) -> QWidget | None:
    """The panel in a dock (docks hold their panel in a scroll area)."""
    inner = dock.widget()
    return inner.widget() if isinstance(inner, QScrollArea) else inner


class StepFollower:
    """Keeps the console on what the current step works with."""

    def __init__(self, window: StepHost, panel: FacilitationPanel) -> None:
        self.window = window
        self.create_button = QPushButton()
        self.create_button.hide()
        self.create_button.clicked.connect(self.create_shown_state)
        layout = panel.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(3, self.create_button)  # below the step's controls, above its words
        window.document.subscribe(self._on_record)

    def _on_record(self, record: LogRecord) -> None:
        if any(isinstance(op, SetSessionOp) and "current_step" in op.changes for op in record.op.primitives()):
            self.follow()

    def dock(self, title: str) -> QDockWidget | None:
        return next((d for d in self.window.qt_window.findChildren(QDockWidget) if d.windowTitle() == title), None)

    def follow(self) -> None:
        session = self.window.document.session
        found = current_script_step(session)
        tool = found[2].main_tool() if found is not None else None
        dock = self.dock(TOOL_DOCKS[tool] if tool else "Facilitation")
        if dock is not None:
            dock.show()
            dock.raise_()
            panel = _panel_of(dock)
            show_tool = getattr(panel, "show_tool", None)
            if tool is not None and callable(show_tool):
                show_tool(tool)  # a dock of two tools (agreement and vote) opens the step's
        self._show_state(shown_state(session))
        view = self.window.canvas_view
        if view is not None and tool != "walkthrough":
            # a new step starts from the whole model (the walkthrough's close-ups and its selected step, a
            # zoom of the last step's discussion): the projector follows the console, and the room sees
            # what the step is about
            view.canvas_scene().clearSelection()
            view.zoom_to_fit()

    def _show_state(self, state: ProcessState | None) -> None:
        self.create_button.hide()
        if state is None:
            return
        session = self.window.document.session
        model = next((m for m in sorted(session.models.values(), key=lambda m: m.index) if m.state == state), None)
        if model is not None:
            view = self.window.views.get(model.id)
            if view is not None:
                self.window.tabs.setCurrentWidget(view)
            return
        self.create_button.setText(f"This step works on the {state} process: create it from the current one")
        self.create_button.show()

    def create_shown_state(self) -> None:
        """The step's process state as a copy of the current process (or the shown model), as one undo step."""
        state = shown_state(self.window.document.session)
        session = self.window.document.session
        source = next((m for m in session.models.values() if m.state == ProcessState.CURRENT), None)
        source_id = source.id if source is not None else self.window.current_model_id()
        if state is None or source_id is None:
            return
        base = session.models[source_id].name
        name = base.replace(str(session.models[source_id].state).capitalize(), state.capitalize(), 1)
        if name == base:
            name = f"{state.capitalize()} process"
        new_model, op = copy_model(self.window.document.state, source_id, name=name, process_state=state)
        if self.window.apply(op, f"Create the {state} process") is not None:
            self.create_button.hide()
            self.window.tabs.setCurrentWidget(self.window.views[new_model])
