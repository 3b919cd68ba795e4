"""A study in the app: its timeline, each sitting opening in the main window, new sittings added here.

Interventions are columns and sittings are cards that say what a researcher
remembers a sitting by (kind, date, business process, how many took part),
never its id or file. A card opens the sitting's ``.workshop`` file in a
main window of its own. A sitting is added through the same store function
the command line uses (:func:`workshop.store.study_folder.add_sitting`,
under the study's write lock), so the app and ``workshop study add`` cannot
make different studies.

Text on the timeline is at least 11 pt: it is read at arm's length while
planning the next sitting, often with others looking at the same screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.research.study import Sitting, SittingKind, Study, StudyError
from workshop.interchange.study_timeline import KIND_TITLES, InterventionColumn, SittingCard, short_name, timeline
from workshop.store.study_folder import add_sitting, load_study, study_for_writing
from workshop.store.workshop_file import APP_NAME
from workshop.ui.settings import remember_study
from workshop.ui.themes import FONT_FAMILY
from workshop.ui.widgets import add_ok_cancel, big_label, literal
from workshop.ui.window.people import desktop_actor

TIMELINE_POINT_SIZE = 12
"""The timeline's body text; headings are larger. Never below 11 pt (see the module docstring)."""

COLUMN_WIDTH = 380
"""Every intervention's column as wide as the others, so the timeline reads as a grid."""

KIND_COLOURS: dict[SittingKind, str] = {
    SittingKind.MODELING: "#1565c0",
    SittingKind.SIMULATION: "#2e7d32",
    SittingKind.INTERVIEW: "#ef6c00",
    SittingKind.FOLLOW_UP_INTERVIEW: "#ad1457",
    SittingKind.OBSERVATION: "#6a1b9a",
    SittingKind.FEEDBACK: "#546e7a",
}
"""A stripe per kind, so a column reads at a glance (workshops, interviews, feedback)."""

_study_windows: list[StudyWindow] = []
"""Open study windows; kept here so Qt does not collect them."""


def _font(size: int, *, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPointSize(size)
    font.setBold(bold)
    return font


class CardWidget(QFrame):
    """One sitting: plain-text lines and an Open button; a click anywhere on the card opens it too."""

    opened = Signal(str)
    """The sitting id of the card (what the study window opens)."""

    def __init__(self, card: SittingCard, kind: SittingKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = card
        self.setObjectName("sittingCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "QFrame#sittingCard { border: 1px solid #90a4ae; border-left: 8px solid "
            f"{KIND_COLOURS[kind]}; border-radius: 6px; background: palette(base); }}"
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        heading = big_label(14, bold=True)
        heading.setText(card.kind)
        layout.addWidget(heading)
        for line in card.lines()[1:]:
            label = big_label(TIMELINE_POINT_SIZE)
            label.setText(line)
            layout.addWidget(label)
        self.open_button = QPushButton("Open")
        self.open_button.setFont(_font(TIMELINE_POINT_SIZE))
        self.open_button.setToolTip(literal(card.title or card.kind))
        self.open_button.clicked.connect(lambda: self.opened.emit(card.sitting_id))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self.setToolTip(literal(card.title))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.opened.emit(self.card.sitting_id)
        super().mouseReleaseEvent(event)


class TimelineView(QWidget):
    """Interventions side by side, each a column of its sittings in the order they happened."""

    opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(_font(TIMELINE_POINT_SIZE))
        self.row = QHBoxLayout(self)
        self.row.setSpacing(18)
        self.cards: list[CardWidget] = []

    def show_columns(self, study: Study, columns: list[InterventionColumn]) -> None:
        kinds = {s.id: s.kind for s in study.sittings}
        for column in columns:
            box = QVBoxLayout()
            box.setSpacing(10)
            heading = big_label(16, bold=True)
            heading.setText(column.heading)
            heading.setObjectName(f"intervention-{column.number}")
            box.addWidget(heading)
            for card in column.cards:
                widget = CardWidget(card, kinds[card.sitting_id])
                widget.opened.connect(self.opened)
                self.cards.append(widget)
                box.addWidget(widget)
            box.addStretch(1)
            holder = QWidget()
            holder.setFixedWidth(COLUMN_WIDTH)
            holder.setLayout(box)
            self.row.addWidget(holder, 0, Qt.AlignmentFlag.AlignTop)
        if not columns:
            empty = big_label(TIMELINE_POINT_SIZE + 2)
            empty.setText("No sittings yet. Add the first one: a process modeling workshop, an interview …")
            self.row.addWidget(empty, 0, Qt.AlignmentFlag.AlignTop)
        self.row.addStretch(1)


@dataclass(frozen=True)
class SittingRequest:
    """What the Add-a-sitting form asks for; the same fields as ``workshop study add``."""

    kind: SittingKind
    intervention: int
    process: str
    date: str
    time: str = ""
    title: str = ""
    from_sitting: str | None = None


class AddSittingDialog(QDialog):
    """Kind, date, intervention, business process and where to carry forward from."""

    def __init__(self, study: Study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a sitting")
        self.setFont(_font(TIMELINE_POINT_SIZE))
        form = QFormLayout(self)
        self.kind = QComboBox()
        for kind, title in KIND_TITLES.items():
            self.kind.addItem(title, kind.value)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.clock = QLineEdit()
        self.clock.setPlaceholderText("HH:MM (optional)")
        self.intervention = QSpinBox()
        self.intervention.setRange(1, 99)
        latest = max((s.intervention for s in study.sittings), default=1)
        self.intervention.setValue(latest)
        self.process = QComboBox()
        self.process.setEditable(True)
        for name in dict.fromkeys(s.process for s in study.in_order() if s.process):
            self.process.addItem(name)
        self.process.setCurrentText(next((s.process for s in reversed(study.in_order()) if s.process), ""))
        self.carry = QComboBox()
        self.carry.addItem("Start empty", None)
        for sitting in reversed(study.in_order()):  # the latest first: usually the one to continue from
            self.carry.addItem(f"{short_name(sitting)} — {sitting.process or 'no process'}", sitting.id)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("optional; made from the study title, kind and date")
        form.addRow("Kind", self.kind)
        form.addRow("Date", self.day)
        form.addRow("Time", self.clock)
        form.addRow("Intervention", self.intervention)
        form.addRow("Business process", self.process)
        form.addRow("Carry forward from", self.carry)
        form.addRow("Title", self.title_edit)
        add_ok_cancel(self, form)

    def request(self) -> SittingRequest:
        chosen = self.carry.currentData()
        return SittingRequest(
            kind=SittingKind(self.kind.currentData()),
            intervention=self.intervention.value(),
            process=self.process.currentText().strip(),
            date=self.day.date().toString("yyyy-MM-dd"),
            time=self.clock.text().strip(),
            title=self.title_edit.text().strip(),
            from_sitting=str(chosen) if chosen else None,
        )


OpenSession = Callable[[Path, QWidget | None], QMainWindow | None]
"""Opens a session file in a window of its own (the main window's ``open_window``).

Passed in by whoever opens the study, so this module does not import the main
window, which imports it to open studies (no import cycle).
"""


class StudyWindow(QMainWindow):
    """One study: its title, the timeline, and Add a sitting."""

    def __init__(self, folder: Path, study: Study, open_session: OpenSession) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.study = study
        self.open_session = open_session
        self.setWindowTitle(f"{study.title} — study — Process Workshop")
        page = QWidget()
        page.setFont(_font(TIMELINE_POINT_SIZE))
        outer = QVBoxLayout(page)
        top = QHBoxLayout()
        self.heading = big_label(20, bold=True)
        top.addWidget(self.heading, 1)
        self.add_button = QPushButton("Add a sitting…")
        self.reload_button = QPushButton("Reload")
        for button in (self.add_button, self.reload_button):
            button.setFont(_font(TIMELINE_POINT_SIZE))
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.add_button.clicked.connect(self.add_sitting_interactively)
        self.reload_button.clicked.connect(self.reload)
        outer.addLayout(top)
        self.summary = big_label(TIMELINE_POINT_SIZE)
        outer.addWidget(self.summary)
        from workshop.ui.study.sync_bar import SyncBar

        self.sync_bar = SyncBar(self.folder, _font(TIMELINE_POINT_SIZE))
        self.sync_bar.synced.connect(self.reload)
        outer.addWidget(self.sync_bar)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(self.scroll_area, 1)
        self.setCentralWidget(page)
        self.timeline = TimelineView()
        from workshop.ui.study.study_texts import StudyTexts

        self.texts = StudyTexts(self.folder, study)
        self.texts.changed.connect(self.reload)
        texts_dock = QDockWidget("Transcripts and notes", self)
        texts_dock.setObjectName("dock-texts")
        texts_dock.setWidget(self.texts)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, texts_dock)
        from workshop.ui.study.study_people import StudyPeople

        self.people = StudyPeople(self.folder, study)
        people_dock = QDockWidget("People", self)
        people_dock.setObjectName("dock-people")
        people_dock.setWidget(self.people)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, people_dock)
        self.tabifyDockWidget(texts_dock, people_dock)
        texts_dock.raise_()
        self.resizeDocks([texts_dock], [640], Qt.Orientation.Horizontal)  # room to read a transcript
        self.resize(1400, 900)
        self._show()

    # -- showing ---------------------------------------------------------------------------------
    def _show(self) -> None:
        self.heading.setText(self.study.title)
        interventions = len({s.intervention for s in self.study.sittings})
        sittings = len(self.study.sittings)
        self.summary.setText(
            f"{sittings} sitting{'s' if sittings != 1 else ''} in {interventions} "
            f"intervention{'s' if interventions != 1 else ''}. Open a card to work in that sitting."
        )
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.deleteLater()  # not at once: a card's click may still be on the stack
        self.timeline = TimelineView()
        self.timeline.show_columns(self.study, timeline(self.folder, self.study))
        self.timeline.opened.connect(self.open_sitting)
        self.scroll_area.setWidget(self.timeline)

    def reload(self) -> None:
        """Read the study again (another researcher or a command may have added a sitting)."""
        try:
            self.study = load_study(self.folder)
        except StudyError as error:
            self.statusBar().showMessage(str(error), 12000)
            return
        self._show()
        self.texts.set_study(self.study)
        self.people.set_study(self.study)
        self.sync_bar.refresh()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            QTimer.singleShot(0, self.reload)  # back from a sitting's window: its attendance may have changed
        return super().event(event)

    # -- acting ---------------------------------------------------------------------------------
    def card(self, sitting_id: str) -> CardWidget:
        """The card of a sitting (tests click it)."""
        return next(c for c in self.timeline.cards if c.card.sitting_id == sitting_id)

    def open_sitting(self, sitting_id: str) -> QMainWindow | None:
        """Open the sitting's session in a main window of its own."""
        try:
            sitting = self.study.sitting(sitting_id)
        except StudyError as error:
            QMessageBox.warning(self, "Cannot open", literal(str(error)))
            return None
        return self.open_session(self.folder / sitting.file, self)

    def add_sitting_interactively(self) -> Sitting | None:
        dialog = AddSittingDialog(self.study, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.add_sitting(dialog.request())

    def add_sitting(self, request: SittingRequest) -> Sitting | None:
        """Add a sitting as ``workshop study add`` does, recorded as the person at the keyboard."""
        if request.time and not _clock_time(request.time):
            QMessageBox.warning(self, "Not added", literal(f"Time {request.time!r}: give it as HH:MM, e.g. 09:30"))
            return None
        try:
            with study_for_writing(self.folder, APP_NAME) as study:
                sitting = add_sitting(
                    self.folder,
                    study,
                    kind=request.kind,
                    intervention=request.intervention,
                    process=request.process,
                    actor=desktop_actor(),
                    date=request.date,
                    time=request.time,
                    title=request.title,
                    from_key=request.from_sitting,
                )
        except StudyError as error:
            QMessageBox.warning(self, "Not added", literal(str(error)))
            return None
        self.reload()
        self.statusBar().showMessage(f"Added the {short_name(sitting)}.", 10000)
        return sitting


def _clock_time(text: str) -> bool:
    hours, sep, minutes = text.partition(":")
    return (
        bool(sep)
        and hours.isdigit()
        and minutes.isdigit()
        and len(hours) == len(minutes) == 2
        and (int(hours) < 24 and int(minutes) < 60)
    )


def open_study(folder: Path, parent: QWidget | None = None, *, open_session: OpenSession) -> StudyWindow | None:
    """Show the study in ``folder``; a folder that is not a study is explained, not raised."""
    try:
        study = load_study(Path(folder))
    except StudyError as error:
        QMessageBox.warning(parent, "Cannot open the study", literal(str(error)))
        return None
    window = StudyWindow(Path(folder), study, open_session)
    remember_study(str(Path(folder).resolve()))
    _study_windows.append(window)
    window.destroyed.connect(lambda *_: _study_windows.remove(window) if window in _study_windows else None)
    window.show()
    return window


def open_study_choice(
    choice: Path | str | None, parent: QWidget | None = None, *, open_session: OpenSession
) -> StudyWindow | None:
    """What the start page chose about studies: a study folder, one to pick, or the example study."""
    from workshop.ui.files.start_page import EXAMPLE_STUDY, OPEN_STUDY

    if isinstance(choice, Path):
        return open_study(choice, parent, open_session=open_session)
    if choice == OPEN_STUDY:
        return open_study_dialog(parent, open_session=open_session)
    if choice == EXAMPLE_STUDY:
        from workshop.interchange.example_study import example_study_folder

        try:
            folder = example_study_folder()
        except StudyError as error:
            QMessageBox.warning(parent, "Cannot open the example study", literal(str(error)))
            return None
        return open_study(folder, parent, open_session=open_session)
    return None


def open_study_dialog(parent: QWidget | None = None, *, open_session: OpenSession) -> StudyWindow | None:
    """File › Open study…: choose a study folder (the one with study.json in it)."""
    name = QFileDialog.getExistingDirectory(parent, "Open study (the folder with study.json)")
    return open_study(Path(name), parent, open_session=open_session) if name else None
