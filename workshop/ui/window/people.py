"""The people at the keyboard: which facilitator or researcher records what the app records.

The method has several action researchers in a room, facilitating and taking
notes, so "the facilitator" is not enough for the research record. The
person working the app gives their name and role once (kept in the app's
settings, asked at the first start and changeable under Session › Who is at
the keyboard…); every record the app makes from then on carries that name as
its actor, as ``workshop study ... --as NAME`` does on the command line.
Names go through :func:`workshop.domain.model.document.person_actor`, so a name
can never pass for a participant's actor, whom the privacy rule hides.

Researchers also write observation notes during a sitting
(Session › Observation note…): a :class:`~workshop.domain.research.sources.ObservationNote`
under their name, never attributed to a participant and never shown on phones.
"""

from __future__ import annotations

import weakref
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QInputDialog, QLineEdit, QMessageBox, QWidget

from workshop.domain.model.document import FACILITATOR, Document, person_actor
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import add
from workshop.domain.research.sources import ObservationNote
from workshop.ui.settings import desktop_person, remember_desktop_person
from workshop.ui.widgets import add_ok_cancel, literal, plain_label

if TYPE_CHECKING:
    from workshop.ui.host import PeopleHost

ROLES = ("facilitator", "researcher")

_documents: weakref.WeakSet[Document] = weakref.WeakSet()
"""Documents open in this app: a new name applies to the windows already open too."""


def desktop_actor() -> str:
    """The actor of what the app records now: the named person, else ``facilitator``."""
    person = desktop_person()
    return person[0] if person else FACILITATOR


class PersonDialog(QDialog):
    """Name and role of the person at the keyboard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is at the keyboard?")
        form = QFormLayout(self)
        form.addRow(
            plain_label(
                "Everything you record in this app is recorded under this name,\n"
                "so the study says which facilitator or researcher made it."
            )
        )
        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.addItems(ROLES)
        person = desktop_person()
        if person:
            self.name.setText(person[0])
            self.role.setCurrentText(person[1])
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        add_ok_cancel(self, form)


def set_person(name: str, role: str) -> str:
    """Keep ``name`` as the person at the keyboard and record open sessions under it; returns the actor.

    Raises :class:`ValueError` for a name that cannot be an actor.
    """
    actor = person_actor(name)
    remember_desktop_person(actor, role if role in ROLES else ROLES[0])
    for document in list(_documents):
        document.actor = actor
    return actor


def ask_person(parent: QWidget | None = None) -> str | None:
    """Ask for the name and role; returns the actor now in use, or None if cancelled."""
    dialog = PersonDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        return set_person(dialog.name.text(), dialog.role.currentText())
    except ValueError as error:
        QMessageBox.warning(parent, "Name not kept", literal(str(error)))
        return None


def ensure_person(parent: QWidget | None = None) -> None:
    """Ask once, at the first start: later starts use the kept name without asking."""
    if desktop_person() is None:
        ask_person(parent)


def observation_note(text: str, document: Document) -> ObservationNote:
    """A researcher's observation note, under the name at the keyboard, stamped with the current step."""
    step = document.session.current_step
    return ObservationNote(
        id=new_id("observation"),
        text=text.strip(),
        observer=document.actor,
        created=datetime.now(UTC),
        intervention_id=step.intervention_id if step else None,
        step_id=step.step_id if step else None,
    )


def install_people(window: PeopleHost) -> None:
    """Name this window's records after the person at the keyboard; add the Session menu's two actions."""
    window.document.actor = desktop_actor()
    _documents.add(window.document)
    menu = window.menu("Session")
    who = menu.addAction("Who is at the keyboard…")
    who.triggered.connect(lambda _checked=False: _ask_and_show(window))
    note = menu.addAction("Observation note…")
    note.setShortcut(QKeySequence("Ctrl+Shift+O"))
    note.triggered.connect(lambda _checked=False: add_observation_interactively(window))


def _ask_and_show(window: PeopleHost) -> None:
    actor = ask_person(window.qt_window)
    if actor is not None:
        window.qt_window.statusBar().showMessage(f"What you record is now recorded as {actor}.", 10000)


def add_observation_interactively(window: PeopleHost) -> None:
    text, ok = QInputDialog.getMultiLineText(
        window.qt_window, "Observation note", f"What did you observe? (recorded as {window.document.actor})"
    )
    if ok and text.strip():
        window.apply(add(observation_note(text, window.document)), "Add observation note")
