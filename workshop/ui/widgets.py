"""Small widget helpers the panels share."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel

from workshop.ui.themes import FONT_FAMILY


def big_label(size: int, *, bold: bool = False, pixels: bool = False) -> QLabel:
    """A word-wrapping label in the app's font, for text meant to be read across a room."""
    label = QLabel()
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
