"""The palette: one button per node kind. Click adds at the centre of the view; drag drops where you let go."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QDrag, QIcon, QMouseEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QToolButton, QVBoxLayout, QWidget

from workshop.domain.model.process import NodeKind
from workshop.ui.canvas.canvas_view import NODE_KIND_MIME
from workshop.ui.canvas.shapes import node_path
from workshop.ui.widgets import literal

KIND_LABELS: dict[str, str] = {
    NodeKind.START: "Start",
    NodeKind.ACTIVITY: "Activity",
    NodeKind.DECISION: "Decision",
    NodeKind.DOCUMENT: "Document",
    NodeKind.IT_SYSTEM: "IT system",
    NodeKind.WAIT: "Wait",
    NodeKind.END: "End",
}


def kind_icon(kind: str, size: int = 40) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#37474f"), 2))
    painter.setBrush(QColor("#e3f2fd"))
    painter.drawPath(node_path(kind, QRectF(3, 8, size - 6, size - 16)))
    painter.end()
    return QIcon(pixmap)


class PaletteButton(QToolButton):
    def __init__(self, kind: str, on_click: Callable[[str], None]) -> None:
        super().__init__()
        self.kind = kind
        self.setText(KIND_LABELS[kind])
        self.setIcon(kind_icon(kind))
        self.setIconSize(QSize(40, 40))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setToolTip(literal(f"Click to add a {KIND_LABELS[kind].lower()}, or drag it onto the canvas"))
        self.setSizePolicy(self.sizePolicy().horizontalPolicy().Expanding, self.sizePolicy().verticalPolicy())
        self._press: QPoint | None = None
        self.clicked.connect(lambda: on_click(kind))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and (event.position().toPoint() - self._press).manhattanLength() > 8:
            self._press = None
            self.setDown(False)
            mime = QMimeData()
            mime.setData(NODE_KIND_MIME, self.kind.encode())
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.setPixmap(self.icon().pixmap(40, 40))
            drag.exec(Qt.DropAction.CopyAction)
            return
        super().mouseMoveEvent(event)


class Palette(QWidget):
    def __init__(self, on_add: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.buttons: dict[str, PaletteButton] = {}
        for kind in KIND_LABELS:
            button = PaletteButton(kind, on_add)
            self.buttons[kind] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.setMaximumWidth(260)
