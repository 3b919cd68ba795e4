"""The collaboration contract negotiated in the Coordination panel: request, counter, revise, can do, agree.

Driven as a facilitator would: choose the handoff, type, click. Each move is
one undo step of the window, recorded under the person at the keyboard, and
the line's history is read back from the session's log. Nothing on screen is
an internal id.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from tests.domain.builders import two_org_document
from tests.ui.canvas_helpers import example_window, show_dock
from tests.ui.views import settled
from workshop.domain.facilitation.coordination import ContractState
from workshop.ui.panels.coordination_panel import CoordinationPanel
from workshop.ui.widgets import literal

IDS = re.compile(r"\b(flow|org|contract|node|lane|model)-[0-9a-z]+\b")


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    settled(qtbot)


def _texts(panel: CoordinationPanel) -> list[str]:
    """Everything the panel shows a person: labels, choices, table cells and their tooltips."""
    texts = [label.text() for label in panel.findChildren(QLabel)]
    for box in panel.findChildren(QComboBox):
        texts += [box.itemText(i) for i in range(box.count())]
    for table in panel.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for col in range(table.columnCount()):
                item = table.item(row, col)
                if item is not None:
                    texts += [item.text(), item.toolTip()]
    return texts


def test_a_line_negotiated_at_a_handoff_with_its_history_and_undo(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    show_dock(window, "Coordination")
    panel = window.findChild(CoordinationPanel)
    assert isinstance(panel, CoordinationPanel)
    talks = panel.negotiation
    handoff = "Forward case by e-mail → Receive and log case (Customer group A → IT provider)"
    talks.handoff.setCurrentIndex(talks.handoff.findText(handoff))
    assert (talks.requester.currentText(), talks.asked.currentText()) == ("IT provider", "Customer group A"), (
        "at a handoff the receiving organization asks the one handing over"
    )
    qtbot.keyClicks(talks.what, "The customer number in every e-mail")
    settled(qtbot)
    _click(qtbot, talks.request_button)

    (line_id,) = window.document.session.commitments
    line = window.document.session.commitments[line_id]
    assert (line.to_org_id, line.from_org_id, line.flow_id, line.state) == (
        "org-it",
        "org-a",
        "flow-09",
        ContractState.REQUESTED,
    )
    assert panel.commitments.item(0, 6).text() == "Forward case by e-mail → Receive and log case"
    assert panel.commitments.item(0, 7).text() == "requested"
    assert talks.line_title.text().startswith("IT provider asks Customer group A at Forward case by e-mail")
    assert talks.answer_button.isEnabled()
    assert not talks.agree_button.isEnabled()
    assert not talks.revise_button.isEnabled()

    # Customer group A offers something else, the IT provider revises, A can do it, both agree
    talks.answer_kind.setCurrentIndex(talks.answer_kind.findText("counter-proposal"))
    assert talks.counter_offer.isEnabled()
    qtbot.keyClicks(talks.counter_offer, "The customer number in the subject line")
    settled(qtbot)
    qtbot.keyClicks(talks.answer_note, "the form has no field for it")
    settled(qtbot)
    _click(qtbot, talks.answer_button)
    line = window.document.session.commitments[line_id]
    assert (line.state, line.what, line.requested, line.answer) == (
        ContractState.COUNTER_PROPOSAL,
        "The customer number in the subject line",
        "The customer number in every e-mail",
        "the form has no field for it",
    )
    assert "Customer group A says: the form has no field for it" in talks.line_state.text()
    assert talks.revise_button.isEnabled()
    assert talks.agree_button.isEnabled()
    qtbot.keyClicks(talks.revised, "The customer number in the subject or the first line")
    settled(qtbot)
    _click(qtbot, talks.revise_button)
    assert window.document.session.commitments[line_id].state == ContractState.REQUESTED
    talks.answer_kind.setCurrentIndex(talks.answer_kind.findText("can do"))
    _click(qtbot, talks.answer_button)
    qtbot.keyClicks(talks.by_when, "2026-07-01")
    settled(qtbot)
    _click(qtbot, talks.agree_button)
    line = window.document.session.commitments[line_id]
    assert (line.state, line.by_when) == (ContractState.AGREED, "2026-07-01")
    assert panel.commitments.item(0, 7).text() == "agreed"

    history = talks.history
    states = [history.item(r, 2).text() for r in range(history.rowCount())]
    assert states == ["requested", "counter-proposal", "requested", "can do", "agreed"]
    assert history.item(1, 4).text() == "the form has no field for it"
    assert history.item(1, 4).toolTip() == literal("the form has no field for it")
    assert {history.item(r, 1).text() for r in range(history.rowCount())} == {"facilitator"}
    assert not [t for t in _texts(panel) if IDS.search(t)], "no internal ids on screen"

    window.undo_stack.undo()  # each move is one undo step
    settled(qtbot)
    assert window.document.session.commitments[line_id].state == ContractState.CAN_DO
    assert panel.commitments.item(0, 7).text() == "can do"
    assert talks.agree_button.isEnabled()
    assert [history.item(r, 2).text() for r in range(history.rowCount())][-1] == "can do"
    window.undo_stack.redo()
    settled(qtbot)
    assert window.document.session.commitments[line_id].state == ContractState.AGREED


def test_people_s_text_stays_plain_and_a_refused_move_is_said_in_words(qtbot: QtBot) -> None:
    doc = two_org_document()
    panel = CoordinationPanel(doc, doc.apply)
    qtbot.addWidget(panel)
    talks = panel.negotiation
    _click(qtbot, talks.request_button)
    assert talks.status.text() == "Say what is requested."
    assert not doc.session.commitments

    talks.handoff.setCurrentIndex(talks.handoff.findText("Register → Process (Customer group A → IT provider)"))
    talks.what.setText("<img src='file:///etc/passwd'><b>status</b>")
    _click(qtbot, talks.request_button)
    (line_id,) = doc.session.commitments
    assert talks.line_title.textFormat() == Qt.TextFormat.PlainText
    assert talks.line_title.text().endswith("<img src='file:///etc/passwd'><b>status</b>")
    talks.answer_kind.setCurrentIndex(talks.answer_kind.findText("counter-proposal"))
    _click(qtbot, talks.answer_button)
    assert talks.status.text() == "A counter-proposal says what can be offered instead."
    talks.answer_kind.setCurrentIndex(talks.answer_kind.findText("cannot"))
    _click(qtbot, talks.answer_button)
    assert doc.session.commitments[line_id].state == ContractState.CANNOT
    assert not talks.agree_button.isEnabled(), "after 'cannot' the requester revises; nothing to agree to"

    talks.agree()  # a move the line does not allow, forced: the domain refuses it, in words
    assert talks.status.text().startswith("Not recorded: this line is cannot; it can be agreed after")
    assert doc.session.commitments[line_id].state == ContractState.CANNOT

    talks.handoff.setCurrentIndex(0)  # no handoff: any two organizations
    talks.requester.setCurrentIndex(talks.requester.findText("IT provider"))
    talks.asked.setCurrentIndex(talks.asked.findText("IT provider"))
    talks.what.setText("Itself")
    _click(qtbot, talks.request_button)
    assert talks.status.text() == "Not recorded: a request goes from one organization to another."
    assert len(doc.session.commitments) == 1
