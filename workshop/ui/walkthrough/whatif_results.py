"""The what-if figures of a model: expected lead, touch and waiting minutes per scenario.

The figures are computed in ``workshop.domain.walkthrough.whatif``; this widget is the
Walkthrough panel's What-if tab (the inputs are in
``workshop.ui.panels.whatif_inputs``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from workshop.domain.model.document import Document
from workshop.domain.walkthrough.walk import org_name
from workshop.domain.walkthrough.whatif import scenarios
from workshop.ui.widgets import plain_label


class WhatIfResults(QWidget):
    """A button that calculates the what-if for the chosen model, and the results per scenario and organization.

    Its own class so the walkthrough panel does not also carry the what-if.
    """

    def __init__(self, document: Document, model: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._model = model
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Scenario, organization, handoff", "Lead", "Touch", "Waiting"])
        self.button = QPushButton("Calculate what-if for the model")
        self.button.clicked.connect(self.calculate)
        self.label = plain_label()
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.button)
        layout.addWidget(self.label)
        layout.addWidget(self.tree)

    def calculate(self) -> None:
        """Fill the results for the model chosen in the panel."""
        self.tree.clear()
        model_id = self._model()
        if not model_id:
            return
        session = self.document.session
        results, problems = scenarios(session, model_id)
        lines = ["Expected minutes per case, from durations, waiting times and branch probabilities."]
        lines += [f"Cannot calculate {p.scenario!r}: {p.message}" for p in problems]
        self.label.setText("\n".join(lines))
        for result in results:
            top = QTreeWidgetItem(
                [
                    result.scenario,
                    f"{result.lead_minutes:.0f}",
                    f"{result.touch_minutes:.0f}",
                    f"{result.wait_minutes:.0f}",
                ]
            )
            for org in result.organizations:
                top.addChild(
                    QTreeWidgetItem(
                        [org.name, f"{org.lead_minutes:.0f}", f"{org.touch_minutes:.0f}", f"{org.wait_minutes:.0f}"]
                    )
                )
            for handoff in result.handoffs:
                if handoff.wait_minutes <= 0:
                    continue
                text = (
                    f"handoff {org_name(session, handoff.from_org)} → {org_name(session, handoff.to_org)}"
                    f" (×{handoff.crossings:.2f})"
                )
                top.addChild(QTreeWidgetItem([text, "", "", f"{handoff.wait_minutes:.0f}"]))
            self.tree.addTopLevelItem(top)
        self.tree.expandToDepth(0)
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), 300))
