"""What a panel is given by the window that hosts it: the way to change the session, and the window itself.

Panels never apply an operation to the document themselves: they call the
window's ``apply`` (:data:`Apply`), which applies it, pushes the undo command
and reports a refusal. Declared once here so every panel means the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QGraphicsScene, QMenu, QWidget

    from workshop.domain.document import Document
    from workshop.domain.operations import Operation

Apply = Callable[["Operation"], object]
"""Applies an operation through the window (undo, the log, refusals shown); the result is the log record."""

Focus = Callable[[str, str], None]
"""Shows an element on the canvas: ``focus(kind, element_id)``."""

Selection = Callable[[], tuple[str, str] | None]
"""The element selected on the canvas as ``(kind, element_id)``, or None."""


class HostWindow(Protocol):
    """What the panels installed into a main window need of it (the walkthrough, participation).

    The main window is this; tests give a small stand-in with the same members.
    """

    document: Document

    @property
    def scene(self) -> QGraphicsScene | None: ...

    def add_dock(self, widget: QWidget, title: str, area: Qt.DockWidgetArea = ...) -> QDockWidget: ...

    def menu(self, name: str) -> QMenu: ...

    def focus_element(self, kind: str, element_id: str) -> None: ...

    def current_model_id(self) -> str | None: ...

    def apply(self, op: Operation) -> object: ...
