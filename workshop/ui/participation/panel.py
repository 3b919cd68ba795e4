"""Live participation's widgets: the Participants panel, the open dialog, the Session menu's actions.

They steer a :class:`~workshop.ui.participation.bridge.ParticipationBridge`
(the thread glue to the participant server, in its own module) and show what
it reports: who joined, who is active, contributions as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QFont, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.model.document import LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import update
from workshop.domain.model.person_names import shown_name
from workshop.live.identity import RejoinRequest
from workshop.live.server import LiveServerError
from workshop.ui.host import Apply, HostWindow
from workshop.ui.participation.alike_names import AlikeNames, rejoin_question
from workshop.ui.participation.bridge import CloseWatcher, ParticipationBridge, network_addresses
from workshop.ui.participation.contributions_list import ContributionsList
from workshop.ui.settings import participation_host, remember_participation_host
from workshop.ui.throttle import Throttle
from workshop.ui.widgets import literal, plain_label

JoinInfoSink = Callable[[str, bytes], None]


class OpenDialog(QDialog):
    """Choose the network participants reach the server on: the remembered one, else the default route's."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open to participants")
        layout = QVBoxLayout(self)
        explanation = plain_label(
            "Participants join from their own phones or laptops. Choose the network they are on; "
            "“This computer only” exposes nothing to the network, and no phone can join there."
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        self.interfaces = QComboBox()
        for label, address in network_addresses():
            self.interfaces.addItem(label, address)
        remembered = self.interfaces.findData(participation_host())
        self.interfaces.setCurrentIndex(max(remembered, 0))
        layout.addWidget(self.interfaces)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def address(self) -> str:
        return str(self.interfaces.currentData())

    def accept(self) -> None:
        remember_participation_host(self.address())
        super().accept()


PARTICIPANT_COLUMNS = ("Name", "Organization", "Status", "Contributions")


class ParticipantsPanel(QWidget):
    """Who joined, who is active, contributions as they arrive; hide a contribution, remove a participant."""

    def __init__(
        self,
        bridge: ParticipationBridge,
        *,
        apply: Apply | None = None,
        focus: Callable[[str, str], None] | None = None,
        on_join_info: JoinInfoSink | None = None,
        read_only: Callable[[], bool] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._read_only = read_only or (lambda: False)
        self.bridge = bridge
        self.document = bridge.document
        self._apply = apply or self.document.apply
        self._focus = focus
        self._on_join_info = on_join_info
        self._active: frozenset[str] = frozenset()
        self._rejoins: list[RejoinRequest] = []
        self._alike = AlikeNames()
        self._sized_for = -1
        self._people_throttle = Throttle(self._show_people, self)
        self._counts: dict[str, int] = {}
        self._people_rows: dict[str, QTreeWidgetItem] = {}
        self._people_changed = True
        """Someone joined, left, was renamed or removed: the list is made again (else only counts change)."""
        self._build()
        self._unsubscribe = self.document.subscribe(self._on_record)
        bridge.presence_changed.connect(self._on_presence)
        bridge.opened.connect(self._show_state)
        bridge.closed.connect(self._show_state)
        bridge.rejoin_requested.connect(self._ask_rejoin)
        bridge.alert.connect(self._show_alert)
        unsubscribe = self._unsubscribe
        self.destroyed.connect(lambda *_: unsubscribe())
        self._refresh_participants()
        self._show_state()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("Open to participants…")
        self.open_button.clicked.connect(self.choose_and_open)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.bridge.close)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.alert = plain_label()
        self.alert.setTextFormat(Qt.TextFormat.PlainText)
        self.alert.setWordWrap(True)
        self.alert.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.alert.hide()
        layout.addWidget(self.alert)

        self.rejoin_box = QWidget()
        rejoin_layout = QVBoxLayout(self.rejoin_box)
        rejoin_layout.setContentsMargins(0, 0, 0, 0)
        self.rejoin_question = plain_label()
        self.rejoin_question.setTextFormat(Qt.TextFormat.PlainText)
        self.rejoin_question.setWordWrap(True)
        rejoin_buttons = QHBoxLayout()
        self.same_person_button = QPushButton("Same person")
        self.same_person_button.clicked.connect(lambda: self.answer_rejoin(same_person=True))
        self.someone_else_button = QPushButton("Someone else")
        self.someone_else_button.clicked.connect(lambda: self.answer_rejoin(same_person=False))
        rejoin_buttons.addWidget(self.same_person_button)
        rejoin_buttons.addWidget(self.someone_else_button)
        rejoin_layout.addWidget(self.rejoin_question)
        rejoin_layout.addLayout(rejoin_buttons)
        self.rejoin_box.hide()
        layout.addWidget(self.rejoin_box)

        self.lock_joining = QCheckBox("Lock joining (people already in can reconnect)")
        self.lock_joining.toggled.connect(self.bridge.set_joining_locked)
        layout.addWidget(self.lock_joining)

        self.status = plain_label()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        join = QHBoxLayout()
        self.qr = plain_label()
        self.qr.setFixedSize(180, 180)
        self.qr.setScaledContents(True)
        self.code = plain_label()
        self.code.setTextFormat(Qt.TextFormat.PlainText)
        code_font = QFont(self.code.font())
        code_font.setPointSize(code_font.pointSize() * 2)
        code_font.setBold(True)
        code_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 115)
        self.code.setFont(code_font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        join.addWidget(self.qr)
        join.addWidget(self.code, 1)
        layout.addLayout(join)

        splitter = QSplitter(Qt.Orientation.Vertical)
        people = QWidget()
        people_layout = QVBoxLayout(people)
        people_layout.setContentsMargins(0, 0, 0, 0)
        self.participants = QTreeWidget()
        self.participants.setRootIsDecorated(False)
        # one line per row: Qt then skips measuring every row on each change (a count written for 100 people
        # took 4 ms instead of 0.4)
        self.participants.setUniformRowHeights(True)
        self.participants.setHeaderLabels(list(PARTICIPANT_COLUMNS))
        self.participants.itemSelectionChanged.connect(self._selection_changed)
        self.remove_button = QPushButton("Remove participant")
        self.remove_button.clicked.connect(self.remove_selected_participant)
        people_layout.addWidget(self.participants)
        people_layout.addWidget(self.remove_button)
        splitter.addWidget(people)

        said = QWidget()
        said_layout = QVBoxLayout(said)
        said_layout.setContentsMargins(0, 0, 0, 0)
        self.contributions = ContributionsList(self.document)
        self.contributions.itemSelectionChanged.connect(self._selection_changed)
        self.contributions.rows_changed.connect(self._selection_changed)
        self.contributions.itemDoubleClicked.connect(self._focus_item)
        self.hide_button = QPushButton("Hide contribution")
        self.hide_button.clicked.connect(self.toggle_hidden)
        said_layout.addWidget(self.contributions)
        said_layout.addWidget(self.hide_button)
        splitter.addWidget(said)
        layout.addWidget(splitter, 1)

    # -- opening and closing -----------------------------------------------------------------

    def choose_and_open(self) -> None:
        dialog = OpenDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.open_on(dialog.address())

    def open_on(self, host: str) -> None:
        if self._read_only():
            QMessageBox.information(
                self, "Open to participants", "This session is open read-only; participants cannot add to it."
            )
            return
        try:
            self.bridge.open(host)
        except LiveServerError as error:
            QMessageBox.warning(self, "Open to participants", literal(str(error)))

    def _show_state(self) -> None:
        info = self.bridge.join_info()
        server = self.bridge.server
        self.open_button.setEnabled(server is None)
        self.close_button.setEnabled(server is not None)
        self.lock_joining.setEnabled(server is not None)
        if server is not None:
            server.joining_locked = self.lock_joining.isChecked()
        if info is None or server is None:
            self.status.setText("Closed to participants.")
            self.code.clear()
            self.qr.clear()
            return
        text, png = info
        self.status.setText(f"Open at {server.url} — participants join with the code or the QR code.")
        self.code.setText(server.join_code)
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.qr.setPixmap(pixmap)
        if self._on_join_info is not None:
            self._on_join_info(text, png)

    # -- following the document --------------------------------------------------------------

    def _on_record(self, record: LogRecord) -> None:
        participants_changed = any(getattr(op, "kind", None) == "participant" for op in record.op.primitives())
        counted = record.actor.startswith("participant:")
        if counted:
            author = record.actor.removeprefix("participant:")
            self._counts[author] = self._counts.get(author, 0) + 1
        self.contributions.note(record)
        self._people_changed |= participants_changed
        if participants_changed or counted:
            self._people_throttle.request()  # a burst from phones: the counts catch up at once

    def _ask_rejoin(self, request: RejoinRequest) -> None:
        """A new question, or a new attempt on one already asked: one question per person, with its count."""
        for index, asked in enumerate(self._rejoins):
            if asked.id == request.id:
                self._rejoins[index] = request
                break
        else:
            self._rejoins.append(request)
        self._show_rejoin()

    def _show_rejoin(self) -> None:
        """The oldest unanswered rejoin request, as a question the facilitator answers with one click."""
        if not self._rejoins:
            self.rejoin_box.hide()
            return
        self.rejoin_question.setText(rejoin_question(self.document.session, self._rejoins[0]))
        self.rejoin_box.show()

    def answer_rejoin(self, same_person: bool) -> None:
        """Answer the request shown: the same person gets their identity back; someone else is told to rejoin."""
        if not self._rejoins:
            return
        self.bridge.answer_rejoin(self._rejoins.pop(0), same_person)
        self._show_rejoin()

    def _show_alert(self, text: str) -> None:
        self.alert.setText(text)
        self.alert.show()

    def _on_presence(self, active: frozenset[str]) -> None:
        """Pages coming and going: 300 phones connecting at once is one rebuild of the list, not 300."""
        self._active = active
        self._people_changed = True
        self._people_throttle.request()

    def _show_people(self) -> None:
        """The list made again when people changed; otherwise only the contribution counts are written.

        A room's contributions change a count each, and the whole list rebuilt for them took milliseconds of
        the main thread a hundred times a minute.
        """
        if self._people_changed or len(self._people_rows) != self.participants.topLevelItemCount():
            self._refresh_participants()
            return
        for person_id, row in self._people_rows.items():
            count = str(self._counts.get(person_id, 0))
            if row.text(3) != count:
                row.setText(3, count)

    def _refresh_participants(self) -> None:
        self._people_changed = False
        self._people_rows = {}
        session = self.document.session
        selected = self.selected_participant()
        self.participants.clear()
        people = sorted(session.participants.values(), key=lambda p: p.name.casefold())
        similar, complete = self._alike.among(people)  # once per refresh: its key alone is as long as the list
        for person in people:
            org = session.organizations.get(person.organization_id)
            if self.bridge.is_removed(person.id):
                status = "removed"
            elif person.id in self._active:
                status = "active"
            else:
                status = ""
            alike = similar.get(person.id)
            if alike:  # flagged, never merged: the facilitator knows who is in the room
                status = ", ".join(filter(None, [status, f"similar to {', '.join(alike)}"]))
            item = QTreeWidgetItem(
                [shown_name(person.name), org.name if org else "", status, str(self._counts.get(person.id, 0))]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, person.id)
            self.participants.addTopLevelItem(item)
            self._people_rows[person.id] = item
            if person.id == selected:
                item.setSelected(True)
        if self.participants.topLevelItemCount() != self._sized_for:  # widths follow who is in, not each count
            self._sized_for = self.participants.topLevelItemCount()
            for column in range(len(PARTICIPANT_COLUMNS)):
                self.participants.resizeColumnToContents(column)
        self._selection_changed()
        if not complete:
            self._people_changed = True
            self._people_throttle.request()  # the pairs not compared yet, at the next turn

    # -- actions ------------------------------------------------------------------------------

    def selected_participant(self) -> str | None:
        items = self.participants.selectedItems()
        return str(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def selected_contribution(self) -> tuple[str, str] | None:
        items = self.contributions.selectedItems()
        if not items:
            return None
        kind, element_id = items[0].data(0, Qt.ItemDataRole.UserRole)
        return str(kind), str(element_id)

    def _selection_changed(self) -> None:
        person = self.selected_participant()
        removed = person is not None and self.bridge.is_removed(person)
        self.remove_button.setText("Let back in" if removed else "Remove participant")
        self.remove_button.setEnabled(person is not None and self.bridge.is_open)
        chosen = self.selected_contribution()
        annotation = self.document.session.annotations.get(chosen[1]) if chosen and chosen[0] == "annotation" else None
        self.hide_button.setEnabled(annotation is not None)
        self.hide_button.setText(
            "Show contribution" if annotation is not None and annotation.hidden else "Hide contribution"
        )

    def toggle_hidden(self) -> None:
        """Hide (moderate) the selected annotation, or show it again; an update, so the log keeps both."""
        chosen = self.selected_contribution()
        if chosen is None or chosen[0] != "annotation":
            return
        annotation = self.document.session.annotations.get(chosen[1])
        if annotation is None:
            return
        try:
            self._apply(update("annotation", annotation.id, hidden=not annotation.hidden))
        except OperationError as error:
            QMessageBox.warning(self, "Hide contribution", literal(str(error)))

    def remove_selected_participant(self) -> None:
        """Disconnect the participant and refuse their token, devices and name (or lift that again).

        What they said stays in the record.
        """
        person = self.selected_participant()
        if person is None:
            return
        if self.bridge.is_removed(person):
            self.bridge.lift_removal(person)
        else:
            self.bridge.remove_participant(person)
        self._refresh_participants()

    def _focus_item(self, item: QTreeWidgetItem) -> None:
        if self._focus is None:
            return
        kind, element_id = item.data(0, Qt.ItemDataRole.UserRole)
        element = self.document.state.get(str(kind), str(element_id))
        target_kind = getattr(element, "target_kind", None)
        target_id = getattr(element, "target_id", None)
        if target_kind in ("node", "flow") and isinstance(target_id, str):
            self._focus(str(target_kind), target_id)


def open_action(panel: ParticipantsPanel, parent: QObject) -> QAction:
    action = QAction("Open to participants…", parent)
    action.triggered.connect(panel.choose_and_open)
    return action


def close_action(panel: ParticipantsPanel, parent: QObject) -> QAction:
    action = QAction("Close to participants", parent)
    action.triggered.connect(panel.bridge.close)
    action.setEnabled(panel.bridge.is_open)
    panel.bridge.opened.connect(lambda: action.setEnabled(True))
    panel.bridge.closed.connect(lambda: action.setEnabled(False))
    return action


def install_participation(window: HostWindow, *, on_join_info: JoinInfoSink | None = None) -> ParticipantsPanel:
    """Add the Participants panel and the Session menu's open/close actions to the main window.

    ``on_join_info(text, qr_png)`` receives the join address and QR code to
    show on the projector (the presenter window's ``set_join_info``); it gets
    ``("", b"")`` when participation closes. The server stops when the window
    or the application goes away.
    """
    bridge = ParticipationBridge(window.document)
    panel = ParticipantsPanel(
        bridge,
        apply=window.apply,
        focus=window.focus_element,
        on_join_info=on_join_info,
        read_only=lambda: bool(getattr(window, "read_only", False)),
    )
    window.add_dock(panel, "Participants")
    session_menu = window.menu("Session")
    session_menu.addAction(open_action(panel, session_menu))
    session_menu.addAction(close_action(panel, session_menu))
    if on_join_info is not None:
        bridge.closed.connect(lambda: on_join_info("", b""))
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(bridge.close)
    panel.destroyed.connect(lambda *_: bridge.close())
    if isinstance(window, QObject):
        closer = CloseWatcher(bridge, window)
        window.installEventFilter(closer)
    return panel
