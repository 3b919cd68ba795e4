"""A note across the top of the window: read, then closed, never in front of the model.

The after-crash note used to be a message box over the canvas: a facilitator in front of the room had
to move or close it before carrying on. A bar under the tool bars takes its own row instead, so the
model, the console and the projector stay as they were while it is there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMainWindow, QPushButton, QToolBar

from workshop.ui.widgets import plain_label


class NoteBar(QToolBar):
    """A closable note in its own row at the top of a main window (plain text, word-wrapped)."""

    def __init__(self, window: QMainWindow, text: str, *, name: str) -> None:
        super().__init__("Note", window)
        self.setObjectName(name)
        self.setMovable(False)
        self.setFloatable(False)
        frame = QFrame()
        frame.setObjectName(f"{name}Frame")
        frame.setStyleSheet(f"QFrame#{name}Frame {{ background: #fff4ce; border: 1px solid #c9a400; }}")
        row = QHBoxLayout(frame)
        self.label = plain_label(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton("OK")
        self.close_button.setToolTip("Close this note")
        self.close_button.clicked.connect(self.close)
        row.addWidget(self.label, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.addWidget(frame)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)
        self.show()  # a bar added to a window already on screen is not shown by itself

    def text(self) -> str:
        return self.label.text()
