"""Small widget helpers the panels share.

People's text is data, never markup. Qt guesses rich text (``Qt::mightBeRichText``)
in labels, tooltips and message boxes, so a participant's ``<img src=...>``
would show a file from the facilitator's disk. Labels are made plain text
here (:func:`plain_label`); strings for widgets that always guess (tooltips,
message boxes) go through :func:`literal`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.model.session import Session
from workshop.ui.themes import FONT_FAMILY


def literal(text: str) -> str:
    """``text`` for a tooltip or message box: escaped inside a paragraph, so it is shown exactly as written."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"


def no_mnemonic(text: str) -> str:
    """``text`` for a tab, menu item or button: Qt reads "&" there as a keyboard shortcut marker and hides it
    ("R&D" would show as "RD"), so people's text doubles it."""
    return text.replace("&", "&&")


def only_front_tab_sized(tabs: QTabWidget) -> None:
    """Size ``tabs`` to the page in front: a tall page behind another must not make a short dock scroll."""
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if page is None:
            continue
        vertical = QSizePolicy.Policy.Preferred if index == tabs.currentIndex() else QSizePolicy.Policy.Ignored
        page.setSizePolicy(QSizePolicy.Policy.Preferred, vertical)
    tabs.updateGeometry()


def plain_label(text: str = "") -> QLabel:
    """A label that shows its text as written, whatever it contains."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def big_label(size: int, *, bold: bool = False, pixels: bool = False) -> QLabel:
    """A word-wrapping plain-text label in the app's font, for text meant to be read across a room."""
    label = plain_label()
    font = QFont(FONT_FAMILY)
    if pixels:
        font.setPixelSize(size)
    else:
        font.setPointSize(size)
    font.setBold(bold)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def add_ok_cancel(dialog: QDialog, form: QFormLayout) -> QDialogButtonBox:
    """OK accepts, Cancel rejects: the last row of every form dialog."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return buttons


def list_with_controls(view: QWidget, *controls: QWidget) -> QWidget:
    """A tab of a list that takes the height over a row of the controls that act on it, laid out one way."""
    tab = QWidget()
    layout = QVBoxLayout(tab)
    layout.addWidget(view, 1)
    row = QHBoxLayout()
    for control in controls:
        row.addWidget(control)
    layout.addLayout(row)
    return tab


def fill_organizations(box: QComboBox, session: Session, first: str | None = None, chosen: str | None = None) -> None:
    """Fill ``box`` with the session's organizations (their names, their ids as data), keeping the choice.

    ``first`` adds an entry for no organization ("Any", "(no owner)") at the top; ``chosen`` picks an
    organization (by default whichever was chosen before). One picker for every panel and dialog, so each
    lists the organizations in the same order and none loses what a facilitator picked when a refresh
    comes in. Signals are held while refilling: a refresh is not a choice.
    """
    keep = chosen or box.currentData()
    blocked = box.blockSignals(True)
    box.clear()
    if first is not None:
        box.addItem(first, None)
    for org in session.organizations.values():
        box.addItem(org.name, org.id)
    box.setCurrentIndex(max(0, box.findData(keep)) if keep else 0)
    box.blockSignals(blocked)
