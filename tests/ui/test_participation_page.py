"""The whole path in the app: a phone in Chromium -> server thread -> queued signal -> document -> panel."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.live.browser import chromium
from tests.live.harness import example_session
from workshop.domain.model.document import Document
from workshop.ui.participation.bridge import ParticipationBridge
from workshop.ui.participation.panel import ParticipantsPanel

pytestmark = pytest.mark.browser


def test_an_idea_from_a_phone_reaches_the_panel_and_can_be_hidden(qtbot: QtBot) -> None:
    document = Document(example_session())
    bridge = ParticipationBridge(document)
    panel = ParticipantsPanel(bridge)
    qtbot.addWidget(panel)
    panel.open_on("127.0.0.1")
    server = bridge.server
    assert server is not None
    seen_on_phone = threading.Event()
    hidden_seen = threading.Event()
    failures: list[BaseException] = []

    def phone() -> None:  # playwright's sync API blocks, so it runs off the Qt thread
        try:
            with chromium() as browser:
                page = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True).new_page()
                page.goto(server.join_url)
                page.fill("#name", "Nguyễn Thị Lan")
                page.select_option("#organization", "org-b")
                page.click("#details-form button")
                page.wait_for_selector("#main:not([hidden])")
                page.click("#fit")
                page.locator("[data-kind=node][data-id=n-b-fax]").tap()
                page.click("#kinds button[data-kind=idea]")
                page.fill("#text", "Send the form as a PDF")
                page.click("#sheet-send")
                page.wait_for_selector("#pending-count:empty", state="attached")
                page.locator("[data-kind=node][data-id=n-b-fax]").tap()
                page.wait_for_selector("#sheet-notes .text >> text=Send the form as a PDF")
                page.click("#sheet-close")
                seen_on_phone.set()
                hidden_seen.wait(15)
                page.locator("[data-kind=node][data-id=n-b-fax]").tap()
                page.wait_for_selector("#sheet-notes .text >> text=Send the form as a PDF", state="detached")
        except BaseException as error:
            failures.append(error)

    worker = threading.Thread(target=phone, daemon=True)
    worker.start()
    # Nguyễn Thị Lan is in the session already: her phone waits until the facilitator confirms it is her.
    qtbot.waitUntil(lambda: not panel.rejoin_box.isHidden() or bool(failures), timeout=20000)
    if failures:
        raise failures[0]
    assert "Nguyễn Thị Lan (Customer group B) wants to rejoin" in panel.rejoin_question.text()
    qtbot.mouseClick(panel.same_person_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.contributions.topLevelItemCount() == 1 or bool(failures), timeout=20000)
    if failures:
        raise failures[0]
    item = panel.contributions.topLevelItem(0)
    assert item is not None
    assert item.text(1) == "Nguyễn Thị Lan (Customer group B)"
    qtbot.waitUntil(lambda: seen_on_phone.is_set() or bool(failures), timeout=20000)
    item.setSelected(True)
    qtbot.mouseClick(panel.hide_button, Qt.MouseButton.LeftButton)  # the facilitator moderates
    hidden_seen.set()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20000)
    bridge.close()
    if failures:
        raise failures[0]
    idea = next(a for a in document.session.annotations.values() if a.text == "Send the form as a PDF")
    assert idea.hidden
    assert idea.author_id == "p-nguyen"
