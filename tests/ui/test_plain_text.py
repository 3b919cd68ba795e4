"""People's text is data, never markup: every widget shows markup a participant typed literally.

Qt guesses rich text in labels, tooltips and message boxes. A participant who
types ``<img src="/path">`` as their name or comment must not make the
facilitator's app show a file from disk, and ``<table width=5000>`` must not
make a 5,000-pixel tooltip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableView, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.views import settled
from workshop.domain.model.session import Session
from workshop.resources import example_session_path
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.widgets import literal
from workshop.ui.window.main_window import MainWindow

PAYLOADS = ('<img src="/etc/hosts">', "<table width=5000><tr><td>wide</td></tr></table>", "<b>bold</b>")


def _hostile_session() -> Session:
    """The example session with markup in every text people type: names, labels, comments, terms."""
    data = load_session_json(example_session_path()).model_dump(mode="json")
    counter = iter(range(10_000))

    def spiked(text: str) -> str:
        return f"{text} {PAYLOADS[next(counter) % len(PAYLOADS)]}"

    for org in data["organizations"].values():
        org["name"] = spiked(org["name"])
    for person in data["participants"].values():
        person["name"] = spiked(person["name"])
    for node in data["nodes"].values():
        node["label"] = spiked(node["label"])
    for flow in data["flows"].values():
        flow["label"] = spiked(flow.get("label") or "")
    for annotation in data["annotations"].values():
        annotation["text"] = spiked(annotation["text"])
    for boundary in data["boundaries"].values():
        boundary["not_shared"] = spiked(boundary.get("not_shared") or "")
    for term in data["glossary"].values():
        term["term"] = spiked(term["term"])
        term["meanings"] = {org: spiked(meaning) for org, meaning in term["meanings"].items()}
    return Session.model_validate(data)


def _is_markup(text: str) -> bool:
    return any(payload in text for payload in PAYLOADS)


def _tooltips(window: MainWindow) -> Iterator[tuple[str, str]]:
    for widget in window.findChildren(QWidget):
        yield type(widget).__name__, widget.toolTip()
    for tree in window.findChildren(QTreeWidget):
        stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            stack.extend(item.child(i) for i in range(item.childCount()))
            for column in range(tree.columnCount()):
                yield f"{tree.objectName() or type(tree.parent()).__name__} row", item.toolTip(column)
    for table in window.findChildren(QTableView):  # table widgets and views over models alike
        model = table.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                tip = model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
                yield f"{type(table.parent()).__name__} cell", str(tip or "")
    for view in (window.canvas_view,):
        assert view is not None
        for item in view.scene().items():
            yield type(item).__name__, item.toolTip()


def test_every_widget_shows_typed_markup_literally(qtbot: QtBot, tmp_path: Path) -> None:
    document, workshop_file = create_document(tmp_path / "hostile.workshop", _hostile_session())
    window = MainWindow(document, workshop_file)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    settled(qtbot)  # the panels are built once the window's first frame is painted
    qtbot.wait(400)  # debounced panels (health) fill in
    QApplication.processEvents()

    rich_labels = [
        label.text()
        for label in window.findChildren(QLabel)
        if _is_markup(label.text()) and label.textFormat() != Qt.TextFormat.PlainText
    ]
    assert rich_labels == []
    raw_tooltips = [(where, tip) for where, tip in _tooltips(window) if _is_markup(tip)]
    assert raw_tooltips == []
    escaped = [tip for _, tip in _tooltips(window) if "&lt;img" in tip or "&lt;table" in tip]
    assert len(escaped) >= 10, "the payloads are shown (escaped) in tooltips, so this test looks at real text"


def test_literal_text_survives_qt_rich_text_guessing() -> None:
    for payload in PAYLOADS:
        assert "<img" not in literal(payload).replace("<p style='white-space:pre-wrap'>", "")
        assert QtGui.Qt.mightBeRichText(literal(payload)), "so Qt renders the escapes as the characters typed"


def test_an_ampersand_in_a_name_is_shown_not_taken_for_a_shortcut(qtbot: QtBot, tmp_path: Path) -> None:
    from workshop.domain.model.operations import update

    document, workshop_file = create_document(tmp_path / "amp.workshop", _hostile_session())
    window = MainWindow(document, workshop_file)
    qtbot.addWidget(window)
    model_id = next(iter(document.session.models))
    window.apply(update("model", model_id, name="R&D current"))
    assert window.tabs.tabText(0) == "R&&D current", "Qt shows '&&' as '&'; a single one would vanish"
