"""The breadcrumb of a canvas drilled into sub-processes: "Main process › Handle claim", each level a click away.

People's labels are plain text (a button's or a plain-text label's text, never rich text).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from workshop.ui.canvas.canvas_scene import CanvasScene


class Breadcrumb(QWidget):
    """The levels down to the one shown, at the view's top left; a click on one goes back there."""

    def __init__(self, scene: CanvasScene, fit: Callable[[], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.scene, self.fit = scene, fit
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(6, 4, 6, 4)
        self.setAutoFillBackground(True)  # readable over the drawing
        scene.level_changed.connect(self.refresh)
        self.refresh(fit=False)

    def refresh(self, *, fit: bool = True) -> None:
        layout = self.row
        while layout.count():
            taken = layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()  # gone from the screen now, deleted when the event loop gets to it
                widget.deleteLater()
        levels = self.scene.level.levels()
        self.setVisible(len(levels) > 1)
        for index, (root, name) in enumerate(levels):
            if index:
                layout.addWidget(QLabel("›"))
            if index == len(levels) - 1:
                here = QLabel(name)
                here.setTextFormat(Qt.TextFormat.PlainText)
                layout.addWidget(here)
            else:
                button = QPushButton(name)  # a button's text is never rich text
                button.setFlat(True)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(lambda _=False, to=root: self.scene.level.go(to))
                layout.addWidget(button)
        for index in range(layout.count()):
            shown = layout.itemAt(index)
            widget = shown.widget() if shown is not None else None
            if widget is not None:
                widget.show()  # now, not when the event loop gets to it: the size below counts them
        self.adjustSize()
        if fit:
            self.fit()
