"""The New workshop dialog: a title, the script, the organizations, and what the model starts from.

A facilitator preparing a workshop knows who is coming and usually has a model already: a BPMN file
from one of the organizations, or the state the last workshop ended with. One dialog takes all of it,
so the session opens with a lane per organization and the method's script loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workshop.resources import scripts_dir
from workshop.ui.files.pool_map import PoolMap, read_pools
from workshop.ui.widgets import add_ok_cancel, plain_label

NO_SCRIPT = "(no script: model only)"


@dataclass(frozen=True)
class NewWorkshopChoice:
    """What the dialog was told: the arguments of :func:`workshop.ui.files.opening.new_workshop`."""

    title: str
    organizations: list[str]
    bpmn: Path | None
    earlier: Path | None
    script: Path | None
    organization_map: dict[str, str] | None = None
    """Which workshop organization each of the BPMN file's pools becomes (organization id -> name)."""


def script_choices() -> list[tuple[str, Path | None]]:
    """The built-in scripts by name, the method's own first, then working without one."""
    scripts = sorted(scripts_dir().glob("*.yaml"), key=lambda p: (p.stem != "three-interventions", p.stem))
    return [*((path.stem.replace("-", " ").capitalize(), path) for path in scripts), (NO_SCRIPT, None)]


class NewWorkshopDialog(QDialog):
    """Asks what a new workshop needs; :meth:`choice` says what to build."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New workshop")
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Contact processing, intervention 1")
        self.script = QComboBox()
        for name, path in script_choices():
            self.script.addItem(name, str(path) if path else None)
        self.organizations = QPlainTextEdit()
        self.organizations.setPlaceholderText("One organization per line, e.g.\nCustomer group A\nIT provider")
        self.organizations.setTabChangesFocus(True)
        self.organizations.setFixedHeight(110)

        self.empty = QRadioButton("An empty model")
        self.from_bpmn = QRadioButton("A BPMN file")
        self.from_earlier = QRadioButton("Where an earlier session ended")
        self.empty.setChecked(True)
        self.starts = QButtonGroup(self)
        self.paths: dict[QRadioButton, Path | None] = {self.from_bpmn: None, self.from_earlier: None}
        self.path_labels = {button: plain_label("") for button in self.paths}
        start = QVBoxLayout()
        start.addWidget(self.empty)
        self.starts.addButton(self.empty)
        for button, caption, pattern in (
            (self.from_bpmn, "Choose a BPMN file", "BPMN 2.0 (*.bpmn *.xml)"),
            (self.from_earlier, "Choose a session", "Process Workshop sessions (*.workshop)"),
        ):
            self.starts.addButton(button)
            row = QHBoxLayout()
            row.addWidget(button)
            choose = QPushButton("Choose…")
            choose.clicked.connect(lambda _c=False, b=button, c=caption, p=pattern: self._choose(b, c, p))
            row.addWidget(choose)
            row.addWidget(self.path_labels[button], 1)
            start.addLayout(row)
        self.problem = plain_label("")
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.setWordWrap(True)
        self.pool_map = PoolMap()
        self.organizations.textChanged.connect(lambda: self.pool_map.typed_changed(self.organization_names()))
        self.starts.buttonToggled.connect(
            lambda _b, _on: self.pool_map.setVisible(self.from_bpmn.isChecked() and self.pool_map.table.rowCount() > 0)
        )

        form.addRow("Title", self.title)
        form.addRow("Script", self.script)
        form.addRow("Organizations", self.organizations)
        form.addRow("Start from", start)
        form.addRow(self.pool_map)
        form.addRow(self.problem)
        add_ok_cancel(self, form)

    def _choose(self, button: QRadioButton, caption: str, pattern: str) -> None:
        name, _ = QFileDialog.getOpenFileName(self, caption, "", pattern)
        if name:
            self.choose_file(button, Path(name))

    def choose_file(self, button: QRadioButton, path: Path) -> None:
        """Start from ``path``; a BPMN file's pools are listed beside the organizations typed."""
        self.paths[button] = path
        self.path_labels[button].setText(path.name)
        button.setChecked(True)
        self.problem.setText("")
        if button is self.from_bpmn:
            try:
                pools = read_pools(path)
            except (OSError, ValueError) as error:
                self.paths[button] = None
                self.path_labels[button].setText("")
                self.problem.setText(str(error))
                pools = []
            self.pool_map.show_pools(pools, self.organization_names())

    def accept(self) -> None:
        """Stay open, saying what is missing, until the choice is complete."""
        problem = ""
        if not self.title.text().strip():
            problem = "Give the workshop a title."
        else:
            chosen = self.starts.checkedButton()
            if chosen in self.paths and self.paths[chosen] is None:
                problem = "Choose the file to start from, or start from an empty model."
        self.problem.setText(problem)
        if not problem:
            super().accept()

    def organization_names(self) -> list[str]:
        return [line.strip() for line in self.organizations.toPlainText().splitlines() if line.strip()]

    def choice(self) -> NewWorkshopChoice:
        chosen = self.starts.checkedButton()
        script = self.script.currentData()
        return NewWorkshopChoice(
            title=self.title.text().strip(),
            organizations=self.organization_names(),
            bpmn=self.paths[self.from_bpmn] if chosen is self.from_bpmn else None,
            earlier=self.paths[self.from_earlier] if chosen is self.from_earlier else None,
            script=Path(script) if script else None,
            organization_map=self.pool_map.mapping() if chosen is self.from_bpmn else None,
        )
