"""The presenter clicker's keys for a walkthrough, anywhere in the application.

Right/PageDown step forward, Left/PageUp step back and 1–9 choose a branch,
whichever widget of the session's window (or its presenter window) has the
focus, except a text field where the arrows move the cursor.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from workshop.domain.walkthrough.walk import Walk

FORWARD_KEYS = frozenset({Qt.Key.Key_Right, Qt.Key.Key_PageDown})
BACK_KEYS = frozenset({Qt.Key.Key_Left, Qt.Key.Key_PageUp})


def _typing(widget: QWidget | None) -> bool:
    """True when the keyboard belongs to a text field, where arrows move the cursor."""
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox):
        return True
    return isinstance(widget, QComboBox) and widget.isEditable()


class WalkPanel(Protocol):
    """What the keys drive: the Walkthrough panel."""

    @property
    def branch_buttons(self) -> list[QPushButton]: ...

    def window(self) -> QWidget: ...

    def walk(self) -> Walk | None: ...

    def step_forward(self, flow_id: str | None = None) -> None: ...

    def step_back(self) -> None: ...

    def choose_branch(self, number: int) -> None: ...


class WalkKeys(QObject):
    """An application-wide key filter that walks the panel's walkthrough.

    A class of its own so the panel is not also the application's event
    filter; it lives as long as the panel (its Qt child) and is installed
    only once there is a walk.
    """

    def __init__(self, panel: WalkPanel, panel_class: type[QWidget], parent: QObject) -> None:
        """``panel_class``: a window holding a panel of this class walks its own walkthrough with these keys."""
        super().__init__(parent)
        self._panel = panel
        self._panel_class = panel_class
        self._filtering = False

    def listen(self) -> None:
        """Filter the application's events for walk keys; from the first walk on, not before.

        An application-wide filter is a Python call for every event of every
        widget (thousands while a window opens, dozens per frame); a session
        without a walkthrough does not need it.
        """
        if self._filtering:
            return
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            self._filtering = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Walk keys anywhere in this window (or a presenter window): Right/PageDown, Left/PageUp, 1–9.

        The shortcut override is accepted first, so during a walk the arrow
        keys step the walk instead of nudging the selected nodes.
        """
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(event, QKeyEvent) or not self._walk_key(watched, event):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        key = Qt.Key(event.key())
        if key in FORWARD_KEYS:
            self._panel.step_forward()
        elif key in BACK_KEYS:
            self._panel.step_back()
        else:
            self._panel.choose_branch(key - Qt.Key.Key_0)
        return True

    def _walk_key(self, watched: QObject, event: QKeyEvent) -> bool:
        panel = self._panel
        if not isinstance(watched, QWidget) or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = Qt.Key(event.key())
        digit = Qt.Key.Key_1 <= key <= Qt.Key.Key_9
        if key not in FORWARD_KEYS and key not in BACK_KEYS and not (digit and panel.branch_buttons):
            return False
        if not panel.window().isVisible() or _typing(watched) or _typing(QApplication.focusWidget()):
            return False
        top = watched.window()
        if top is not panel.window() and top.findChild(self._panel_class) is not None:
            return False  # another session's window has its own walk
        walk = panel.walk()
        return walk is not None and not walk.finished
