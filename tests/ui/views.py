"""Waiting for what the person would see: the app's own deferred refreshes, run and painted.

Views refresh through :class:`workshop.ui.throttle.Throttle` (a burst of changes becomes one refresh
a few hundred milliseconds later) and the Health panel analyses in a worker thread. Tests run that
path as the app does and wait for it here, instead of switching it off.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from workshop.ui.throttle import busy_views, views_settled


def settled(qtbot: QtBot, timeout_ms: int = 10_000) -> None:
    """Return once no view has a refresh still to come, and what they drew is painted."""
    QApplication.processEvents()
    try:
        qtbot.waitUntil(views_settled, timeout=timeout_ms)
    except qtbot.TimeoutError:
        raise AssertionError(f"views still busy after {timeout_ms} ms: {busy_views()}") from None
    QApplication.processEvents()
