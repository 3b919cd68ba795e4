"""Where the active walk is, on the Walkthrough panel: the step, what it reveals, its branches, the jump list.

Split out of :mod:`walkthrough_panel`, which runs the walk; this shows its
position as read back from the document: the step in large type, the
scenario, the step's note and the knowledge boundaries it meets, one button
per branch at a decision (the scenario's preset marked), and the model's
nodes to jump to.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QPushButton, QVBoxLayout

from workshop.domain.walkthrough.walk import Move, Walk, node_name, org_name
from workshop.ui.widgets import literal, plain_label

BRANCH_PX = 400
"""A branch button's text is at most this wide (all of it in the tooltip): the dock is at most 560 px."""


class WalkPosition:
    """The panel's widgets that show where the walk is; ``step_forward(flow_id)`` takes a branch."""

    def __init__(self, step_forward: Callable[[str | None], None]) -> None:
        self._step_forward = step_forward
        self.label = plain_label()
        self.label.setObjectName("walkPosition")
        self.label.setWordWrap(True)
        font = QFont(self.label.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.label.setFont(font)
        self.detail_label = plain_label()
        self.detail_label.setWordWrap(True)
        self.branch_box = QVBoxLayout()
        self.branch_buttons: list[QPushButton] = []
        self.jump_box = QComboBox()

    def show(self, walk: Walk | None) -> None:
        for button in self.branch_buttons:
            self.branch_box.removeWidget(button)
            button.deleteLater()
        self.branch_buttons = []
        if walk is None:
            self.label.setText("No walkthrough running. Choose a model and start one.")
            self.detail_label.clear()
            return
        last = walk.last_move
        scenario = walk.walkthrough.scenario
        self.label.setText(f"Step {last.index}: {walk.describe()}")
        details = []
        if scenario:
            details.append(f"Scenario: {scenario}")
        if last.note:
            details.append(last.note)
        for boundary in walk.boundaries():
            between = f"{org_name(walk.session, boundary.org_a)} / {org_name(walk.session, boundary.org_b)}"
            details.append(f"Knowledge boundary ({boundary.boundary_type}, {between}): {boundary.not_shared}")
        self.detail_label.setText("\n".join(details))
        if walk.finished:
            return
        moves = walk.moves()
        if len(moves) > 1:
            preset = walk.preset_move()
            for number, move in enumerate(moves, start=1):
                self._branch_button(number, move, preset)

    def _branch_button(self, number: int, move: Move, preset: Move | None) -> None:
        text = f"{number}. {move.label}"
        if preset is not None and preset.flow_id == move.flow_id:
            text += "  (scenario)"
        button = QPushButton()
        # a long branch name must not widen the panel past its dock
        button.setText(_short(button, text))
        button.setEnabled(not move.blocked)
        button.setToolTip(literal(f"{text}\n{move.blocked or f'take this branch (key {number})'}"))
        button.clicked.connect(lambda _checked=False, flow=move.flow_id: self._step_forward(flow))
        self.branch_box.addWidget(button)
        self.branch_buttons.append(button)

    def fill_jump(self, walk: Walk | None) -> None:
        self.jump_box.clear()
        if walk is None:
            return
        nodes = [n for n in walk.session.nodes.values() if n.model_id == walk.walkthrough.model_id]
        for node in sorted(nodes, key=lambda n: (n.x, n.y, n.id)):
            self.jump_box.addItem(node_name(node), node.id)


def _short(button: QPushButton, text: str) -> str:
    text = " ".join(text.split())
    return button.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, BRANCH_PX).replace("&", "&&")
