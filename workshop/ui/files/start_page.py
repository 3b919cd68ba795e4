"""The start page: recent sessions and studies as cards a facilitator recognises, a new workshop, the examples.

Cards say what a person remembers a session by — its title, when it was last
worked on, the step it stands at and the organizations in it — not a file
path (the path is in the tooltip). A study's card says its title and how many
sittings in how many interventions. Shown on the first start and from
File › Start page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from workshop.domain.facilitation.progress import current_script_step, script_of
from workshop.domain.research.study import StudyError
from workshop.store.sessions import read_state_and_span
from workshop.store.study_folder import load_study
from workshop.store.workshop_file import StoreError
from workshop.ui.settings import recent_files, recent_studies
from workshop.ui.widgets import big_label, literal

NEW = "new"
EXAMPLE = "example"
OPEN_FILE = "open-file"
OPEN_STUDY = "open-study"
EXAMPLE_STUDY = "example-study"
STUDY_CHOICES = (OPEN_STUDY, EXAMPLE_STUDY)


@dataclass(frozen=True)
class SessionCard:
    path: Path
    text: str
    """Title, last worked on, step, organizations: one per line."""


def session_card(path: Path) -> SessionCard:
    """What a card shows for a session file (read without changing it); a damaged file says so."""
    try:
        session, span = read_state_and_span(path)
    except (StoreError, OSError, ValueError) as error:
        return SessionCard(path, f"{path.name}\ncannot be opened: {error}")
    when = span.last or session.created
    found = current_script_step(session)
    step = (
        f"{found[1].title} · {found[2].title}" if found else ("not started" if script_of(session) else "no script yet")
    )
    organizations = ", ".join(sorted(o.name for o in session.organizations.values())) or "no organizations yet"
    lines = [session.title, f"last worked on {when.astimezone():%d %b %Y, %H:%M}", step, organizations]
    return SessionCard(path, "\n".join(lines))


def study_card(folder: Path) -> SessionCard:
    """What a card shows for a study folder: its title and its sittings, not the folder."""
    try:
        study = load_study(folder)
    except StudyError as error:
        return SessionCard(folder, f"{folder.name}\ncannot be opened: {error}")
    interventions = len({s.intervention for s in study.sittings})
    dates = sorted(s.date for s in study.sittings if s.date)
    span = f"{dates[0]} to {dates[-1]}" if dates else "no dates yet"
    lines = [
        f"Study: {study.title}",
        f"{len(study.sittings)} sittings in {interventions} intervention(s)",
        span,
    ]
    return SessionCard(folder, "\n".join(lines))


class StartPage(QDialog):
    """Choose what to open; :attr:`choice` is a session path or study folder, or one of the choices above."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Process Workshop")
        self.choice: Path | str | None = None
        layout = QVBoxLayout(self)
        heading = big_label(20, bold=True)
        heading.setText("Continue a workshop, or start a new one")
        layout.addWidget(heading)
        self.cards = QListWidget()
        self.cards.setSpacing(6)
        self.cards.setWordWrap(True)
        for name in recent_files():
            path = Path(name)
            if path.suffix == ".workshop" and path.is_file():
                card = session_card(path)
                item = QListWidgetItem(card.text)
                item.setData(Qt.ItemDataRole.UserRole, str(card.path))
                item.setToolTip(literal(str(card.path)))
                self.cards.addItem(item)
        for name in recent_studies():
            folder = Path(name)
            if folder.is_dir():
                card = study_card(folder)
                item = QListWidgetItem(card.text)
                item.setData(Qt.ItemDataRole.UserRole, str(card.path))
                item.setToolTip(literal(str(card.path)))
                self.cards.addItem(item)
        if self.cards.count():
            self.cards.setCurrentRow(0)
        self.cards.itemActivated.connect(lambda _item: self._choose_card())
        layout.addWidget(self.cards, 1)
        buttons = QDialogButtonBox()
        self.open_button = QPushButton("Open")
        self.open_button.setEnabled(self.cards.count() > 0)
        self.new_button = QPushButton("New workshop…")
        self.example_button = QPushButton("Open the example")
        self.file_button = QPushButton("Open a file…")
        self.study_button = QPushButton("Open a study…")
        self.example_study_button = QPushButton("Open the example study")
        for button, role in (
            (self.open_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.new_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.example_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.file_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.study_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.example_study_button, QDialogButtonBox.ButtonRole.ActionRole),
        ):
            buttons.addButton(button, role)
        self.open_button.clicked.connect(self._choose_card)
        self.new_button.clicked.connect(lambda: self._choose(NEW))
        self.example_button.clicked.connect(lambda: self._choose(EXAMPLE))
        self.file_button.clicked.connect(lambda: self._choose(OPEN_FILE))
        self.study_button.clicked.connect(lambda: self._choose(OPEN_STUDY))
        self.example_study_button.clicked.connect(lambda: self._choose(EXAMPLE_STUDY))
        layout.addWidget(buttons)
        self.resize(720, 520)

    def _choose_card(self) -> None:
        item = self.cards.currentItem()
        if item is not None:
            self._choose(Path(str(item.data(Qt.ItemDataRole.UserRole))))

    def _choose(self, choice: Path | str) -> None:
        self.choice = choice
        self.accept()
