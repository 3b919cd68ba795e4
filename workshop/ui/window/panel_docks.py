"""The panels' docks are laid out before the window's first frame; the panels fill them right after it.

Opening a file is waiting for the model: building the twelve side panels (the
facilitation console, the survey's tie network, the annotations' filters …)
took longer than building and painting a 100-task model. So a new window
reserves an empty dock for each panel, in its place, tabbed and shown as the
mode wants (the canvas is fitted to the room it keeps), paints the fitted
model, and only then builds the panels into their docks — one event-loop
turn later, before anyone can click. Nothing the first frame shows depends
on a panel; a window that is not on screen fills them at once.

:func:`workshop.ui.throttle.views_settled` counts the filling as deferred
work, so tests and benchmarks that wait for the views wait for the panels.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from workshop.ui.throttle import track

PANEL_DOCKS = (
    "Walkthrough",
    "Facilitation",
    "Plan",
    "Agreement and votes",
    "Coordination",
    "Data collection",
    "Participants",
    "Health",
    "Boundaries",
    "Glossary",
    "Annotations",
    "Survey",
)
"""The right-hand docks :func:`~workshop.ui.window.panels.install_panels` fills, in the order it adds them."""

NOT_PAINTED_MS = 500
"""A window on screen whose canvas has not painted by then (minimized, say) gets its panels anyway."""


class PanelsAfterFirstPaint(QObject):
    """Runs ``build`` (the panels, into docks the window reserved) once ``viewport`` has painted its first frame."""

    def __init__(self, window: QWidget, viewport: QWidget | None, build: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.done = False
        self._build = build
        self._viewport = viewport
        if viewport is not None:
            viewport.installEventFilter(self)
        QTimer.singleShot(0, self, self._unless_on_screen)
        track(self)

    def busy(self) -> bool:
        """The panels are still to be built."""
        return not self.done

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            # the zero-delay timer runs once this whole frame is painted, not inside it
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.fill)
        return False

    def _unless_on_screen(self) -> None:
        """A window not shown paints nothing to wait for: its panels now (else after its first frame)."""
        if not self.window.isVisible() or self._viewport is None:
            self.fill()
        else:
            QTimer.singleShot(NOT_PAINTED_MS, self, self.fill)

    def fill(self) -> None:
        """Build the panels (once)."""
        if self.done:
            return
        self.done = True
        if self._viewport is not None:
            self._viewport.removeEventFilter(self)
        self._build()

    def cancel(self) -> None:
        """The window is closing before its panels were built: build none."""
        self.done = True
