"""The Qt side of live participation: the bridge applies on the main thread; the panel follows and moderates."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.live.client import Participant
from tests.live.harness import example_session
from tests.ui.views import settled
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.operations import Operation, SetSessionOp, add, update
from workshop.domain.model.process import Participant as Person
from workshop.domain.model.session import StepRef
from workshop.ui.participation.bridge import LOOPBACK_LABEL, ParticipationBridge, qr_png
from workshop.ui.participation.panel import OpenDialog, ParticipantsPanel, install_participation


class Background:
    """Runs a participant's coroutine in another thread while the Qt event loop keeps running."""

    def __init__(self, scenario: Callable[[aiohttp.ClientSession], Awaitable[Any]]) -> None:
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()

        async def main() -> None:
            async with aiohttp.ClientSession() as http:
                self.result = await scenario(http)

        def run() -> None:
            try:
                asyncio.run(main())
            except BaseException as error:
                self.error = error
            finally:
                self.done.set()

        threading.Thread(target=run, daemon=True).start()

    def wait(self, qtbot: QtBot, timeout: int = 10000) -> Any:
        qtbot.waitUntil(self.done.is_set, timeout=timeout)
        if self.error is not None:
            raise self.error
        return self.result


ROOM = "Wi-Fi (127.0.0.1) — phones in the room join here"
"""A stand-in for the room's network: tests only ever listen on loopback."""


@pytest.fixture(autouse=True)
def _room_on_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "workshop.ui.participation.panel.network_addresses",
        lambda: [(ROOM, "127.0.0.1"), (LOOPBACK_LABEL, "127.0.0.1")],
    )


@pytest.fixture
def document() -> Document:
    return Document(example_session())


@pytest.fixture
def bridge(document: Document) -> Iterator[ParticipationBridge]:
    bridge = ParticipationBridge(document)
    yield bridge
    bridge.close()


def test_operations_from_the_server_thread_are_applied_on_the_main_thread(
    qtbot: QtBot, document: Document, bridge: ParticipationBridge
) -> None:
    server = bridge.open()
    threads: list[bool] = []
    document.subscribe(lambda record: threads.append(QThread.currentThread() is qtbot_main_thread()))

    async def scenario(http: aiohttp.ClientSession) -> dict[str, Any]:
        person = Participant(http, server.url)
        await person.join(server.join_code, "Ann Lee", "org-a")
        await person.connect()
        await person.send(
            {
                "type": "annotate",
                "key": "k1",
                "target_kind": "node",
                "target_id": "n-contact",
                "annotation_kind": "idea",
                "text": "Online form",
            }
        )
        return await person.receive_type("ack")

    ack = Background(scenario).wait(qtbot)
    annotation = document.session.annotations[ack["id"]]
    assert annotation.text == "Online form"
    assert threads == [True, True]  # the join and the idea, both applied on the main thread
    assert server.active_participants() <= {annotation.author_id}


def qtbot_main_thread() -> QThread:
    from PySide6.QtCore import QCoreApplication

    instance = QCoreApplication.instance()
    assert instance is not None
    return instance.thread()


def test_a_refused_operation_resolves_the_future_with_the_error(
    qtbot: QtBot, document: Document, bridge: ParticipationBridge
) -> None:
    future = bridge.submit(update("node", "no-such-node", x=1.0), "participant:p-nowak")
    qtbot.waitUntil(future.done)
    assert "no node with id 'no-such-node'" in str(future.exception())
    assert document.last_seq == 0


def test_the_panel_opens_shows_the_code_and_qr_and_follows_participants(
    qtbot: QtBot, document: Document, bridge: ParticipationBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, bytes]] = []
    panel = ParticipantsPanel(bridge, on_join_info=lambda text, png: shown.append((text, png)))
    qtbot.addWidget(panel)
    assert panel.status.text() == "Closed to participants."
    assert not panel.close_button.isEnabled()

    monkeypatch.setattr(OpenDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    server = bridge.server
    assert server is not None
    assert server.url.startswith("http://127.0.0.1:")  # the room's network, proposed first
    assert panel.code.text() == server.join_code
    assert not panel.qr.pixmap().isNull()
    assert shown[-1][0].endswith(f"Code: {server.join_code}")
    assert shown[-1][1].startswith(b"\x89PNG")

    joined: dict[str, Participant] = {}

    async def scenario(http: aiohttp.ClientSession) -> dict[str, Any]:
        person = joined["person"] = Participant(http, server.url)
        await person.join(server.join_code, "Ann Lee", "org-a")
        await person.connect()
        await person.send(
            {
                "type": "annotate",
                "key": "k1",
                "target_kind": "node",
                "target_id": "n-contact",
                "annotation_kind": "problem",
                "text": "Forms get lost",
            }
        )
        await person.receive_type("ack")
        return await person.receive_type("closed", timeout=30)  # stays connected until removed

    connected = Background(scenario)
    qtbot.waitUntil(lambda: _row(panel, "Ann Lee") == ["Ann Lee", "Customer group A", "active", "2"])  # joined + 1
    qtbot.waitUntil(lambda: panel.contributions.topLevelItemCount() == 1)
    item = panel.contributions.topLevelItem(0)
    assert item is not None
    assert [item.text(c) for c in range(1, 5)] == [
        "Ann Lee (Customer group A)",
        "problem",
        "Contact local sales unit",
        "Forms get lost",
    ]

    # moderate: hidden, kept in the log
    item.setSelected(True)
    qtbot.mouseClick(panel.hide_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    annotation_id = next(iter(document.session.annotations.keys() - example_session().annotations.keys()))
    assert document.session.annotations[annotation_id].hidden
    assert item.text(2) == "problem (hidden)"
    assert panel.hide_button.text() == "Show contribution"

    # remove the participant: disconnected, token refused
    for index in range(panel.participants.topLevelItemCount()):
        row = panel.participants.topLevelItem(index)
        assert row is not None
        row.setSelected(row.text(0) == "Ann Lee")
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert connected.wait(qtbot)["type"] == "closed"
    qtbot.waitUntil(lambda: _row(panel, "Ann Lee") == ["Ann Lee", "Customer group A", "removed", "2"])

    async def comeback(http: aiohttp.ClientSession) -> dict[str, Any]:
        return await Participant(http, server.url).connect(token=joined["person"].token)

    assert Background(comeback).wait(qtbot)["type"] == "removed", "the page is told, not asked to join again"

    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert bridge.server is None
    assert not server.running
    assert panel.status.text() == "Closed to participants."


def _row(panel: ParticipantsPanel, name: str) -> list[str] | None:
    for index in range(panel.participants.topLevelItemCount()):
        item = panel.participants.topLevelItem(index)
        if item is not None and item.text(0) == name:
            return [item.text(c) for c in range(4)]
    return None


def test_every_applied_record_reaches_the_pages(qtbot: QtBot, document: Document, bridge: ParticipationBridge) -> None:
    server = bridge.open()
    seen: list[LogRecord] = []
    document.subscribe(seen.append)

    async def scenario(http: aiohttp.ClientSession) -> dict[str, Any]:
        person = Participant(http, server.url)
        await person.join(server.join_code, "Ann Lee", "org-a")
        await person.connect()
        return await person.receive_type("changes")

    waiting = Background(scenario)
    qtbot.waitUntil(lambda: server.active_participants() != frozenset())
    document.apply(update("node", "n-contact", label="Call the local sales unit", x=250.0))  # the facilitator's edit
    changes = waiting.wait(qtbot)["changes"]
    by_id = {change["id"]: change for change in changes}
    assert by_id["n-contact"]["data"]["label"] == "Call the local sales unit"
    assert by_id["flow-01"]["data"]["route"][-1] == [250.0, 90.0]  # the flow into the moved node, rerouted


def test_qr_png_is_a_png_qt_can_read(qtbot: QtBot) -> None:
    pixmap = QPixmap()
    assert pixmap.loadFromData(qr_png("http://127.0.0.1:8000/?code=ABCDEF"), "PNG")
    assert pixmap.width() == pixmap.height() > 100


class StandInWindow(QMainWindow):
    """The part of MainWindow's API that install_participation uses."""

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self.read_only = False
        self.focused: list[tuple[str, str]] = []
        self.applied: list[Operation] = []
        self._menus: dict[str, QMenu] = {}

    def add_dock(
        self, widget: QWidget, title: str, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def menu(self, name: str) -> QMenu:
        if name not in self._menus:
            self._menus[name] = self.menuBar().addMenu(name)
        return self._menus[name]

    def focus_element(self, kind: str, element_id: str) -> None:
        self.focused.append((kind, element_id))

    def apply(self, op: Operation) -> object:
        self.applied.append(op)
        return self.document.apply(op)


def test_install_adds_the_panel_and_session_menu_actions(
    qtbot: QtBot, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = StandInWindow(document)
    qtbot.addWidget(window)
    shown: list[tuple[str, bytes]] = []
    panel = install_participation(window, on_join_info=lambda text, png: shown.append((text, png)))
    actions = {action.text(): action for action in window.menu("Session").actions()}
    assert not actions["Close to participants"].isEnabled()

    monkeypatch.setattr(OpenDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    actions["Open to participants…"].trigger()
    server = panel.bridge.server
    assert server is not None
    assert server.running
    assert actions["Close to participants"].isEnabled()
    assert shown[-1][0] == f"Join at\n127.0.0.1:{server.port}\nCode: {server.join_code}"

    actions["Close to participants"].trigger()
    assert not server.running
    assert shown[-1] == ("", b"")

    actions["Open to participants…"].trigger()
    reopened = panel.bridge.server
    assert reopened is not None
    assert reopened.join_code == server.join_code, "a reopened session keeps its code: the room need not rejoin"
    assert reopened.port == server.port
    assert reopened.secrets.secret == server.secrets.secret, "and every phone keeps its token"
    window.close()  # closing the session stops the server
    assert not reopened.running


def test_a_read_only_session_is_not_opened_to_participants(
    qtbot: QtBot, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = StandInWindow(document)
    window.read_only = True
    qtbot.addWidget(window)
    panel = install_participation(window)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    panel.open_on("127.0.0.1")
    assert panel.bridge.server is None
    assert "read-only" in told[0]


def test_a_page_opened_after_the_step_began_still_gets_its_timer(
    qtbot: QtBot, document: Document, bridge: ParticipationBridge
) -> None:
    step = {"id": "s1", "title": "Current process", "timebox_minutes": 15}
    record = document.apply(
        SetSessionOp(
            changes={
                "script": {"id": "t", "title": "T", "interventions": [{"id": "i1", "title": "I", "steps": [step]}]},
                "current_step": StepRef(intervention_id="i1", step_id="s1"),
            }
        )
    )
    server = bridge.open()

    async def scenario(http: aiohttp.ClientSession) -> dict[str, Any]:
        person = Participant(http, server.url)
        await person.join(server.join_code, "Ann Lee", "org-a")
        await person.connect()
        return person.welcome

    welcome = Background(scenario).wait(qtbot)
    assert welcome["meta"]["step"]["started"] == record.time.isoformat()
    assert welcome["meta"]["step"]["timebox_minutes"] == 15


def test_the_open_dialog_proposes_the_room_network_marks_loopback_and_remembers(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    choices = [("eth0 (10.0.0.7) — phones in the room join here", "10.0.0.7"), (LOOPBACK_LABEL, "127.0.0.1")]
    monkeypatch.setattr("workshop.ui.participation.panel.network_addresses", lambda: choices)
    dialog = OpenDialog()
    qtbot.addWidget(dialog)
    assert dialog.address() == "10.0.0.7", "the default route's network first"
    assert "phones cannot join" in dialog.interfaces.itemText(1)
    dialog.interfaces.setCurrentIndex(1)
    dialog.accept()
    again = OpenDialog()
    qtbot.addWidget(again)
    assert again.address() == "127.0.0.1", "the last choice is remembered"


def test_the_facilitator_confirms_a_rejoin_and_can_lock_joining_and_let_someone_back(
    qtbot: QtBot, document: Document, bridge: ParticipationBridge
) -> None:
    panel = ParticipantsPanel(bridge)
    qtbot.addWidget(panel)
    panel.open_on("127.0.0.1")
    server = bridge.server
    assert server is not None
    code = server.join_code

    async def ask(http: aiohttp.ClientSession) -> int:
        person = Participant(http, server.url)
        await person.join(code, "łukasz NOWAK", "org-a", device="laptop")
        return (await person.rejoin_status(code)).status

    assert Background(ask).wait(qtbot) == 202
    qtbot.waitUntil(lambda: not panel.rejoin_box.isHidden())
    assert "Łukasz Nowak (Customer group A) wants to rejoin" in panel.rejoin_question.text()
    shown = panel.rejoin_question.text()

    async def ask_again(http: aiohttp.ClientSession) -> int:
        person = Participant(http, server.url)
        return (await person.join(code, "Lukasz Nowak", "org-a", device="other-phone")).status

    assert Background(ask_again).wait(qtbot) == 409, "one question per person"
    qtbot.waitUntil(lambda: "2 attempts" in panel.rejoin_question.text())
    assert panel.rejoin_question.text().split(" (2 attempts")[0] == shown, "the same question, with its count"
    qtbot.mouseClick(panel.same_person_button, Qt.MouseButton.LeftButton)
    assert panel.rejoin_box.isHidden()

    panel.lock_joining.click()
    assert server.joining_locked

    item = next(
        panel.participants.topLevelItem(i)
        for i in range(panel.participants.topLevelItemCount())
        if panel.participants.topLevelItem(i).text(0) == "Łukasz Nowak"
    )
    item.setSelected(True)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert bridge.is_removed("p-nowak")
    assert panel.remove_button.text() == "Let back in"
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert not bridge.is_removed("p-nowak")


def test_similar_names_are_flagged_a_few_pairs_per_refresh_until_all_are_compared(
    qtbot: QtBot, document: Document, bridge: ParticipationBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """300 phones joining make 45,000 pairs: each refresh compares a share, later ones the rest."""
    monkeypatch.setattr("workshop.ui.participation.alike_names.SIMILAR_PAIRS_PER_REFRESH", 3)
    panel = ParticipantsPanel(bridge)
    qtbot.addWidget(panel)
    for number, name in enumerate(["Anne Lindqvist", "Anna Lindqvist", "Bo", "Cy", "Dee"]):
        document.apply(add(Person(id=f"p-new-{number}", name=name, organization_id="org-a")))
    qtbot.waitUntil(lambda: "similar to Anne Lindqvist" in (_row(panel, "Anna Lindqvist") or ["", "", ""])[2])
    assert "similar to Anna Lindqvist" in (_row(panel, "Anne Lindqvist") or ["", "", ""])[2]
    assert "similar" not in (_row(panel, "Bo") or ["", "", ""])[2]


def test_the_list_counts_each_persons_contributions_and_follows_renames(
    qtbot: QtBot, document: Document, bridge: ParticipationBridge
) -> None:
    """Contributions write only the count column; a rename still makes the list again."""
    from workshop.domain.model.annotations import Annotation

    panel = ParticipantsPanel(bridge)
    qtbot.addWidget(panel)
    document.apply(add(Person(id="p-count", name="Counted Person", organization_id="org-a")))
    settled(qtbot)
    assert (_row(panel, "Counted Person") or [])[3:] == ["0"]
    for number in range(3):
        idea = Annotation(id=f"idea-c{number}", annotation_kind="idea", text="x", author_id="p-count")
        document.apply(add(idea), actor="participant:p-count")
        settled(qtbot)
        assert (_row(panel, "Counted Person") or [])[3:] == [str(number + 1)]
    document.apply(update("participant", "p-count", name="Renamed Person"))
    settled(qtbot)
    assert _row(panel, "Counted Person") is None
    assert (_row(panel, "Renamed Person") or [])[3:] == ["3"]
