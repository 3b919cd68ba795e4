"""Refresh a view at most every few hundred milliseconds, however fast changes arrive.

A room of thirty phones can send several contributions a second; a panel that
rebuilds its table on each one freezes the window, and the phones wait for
their acknowledgements behind it. A :class:`Throttle` runs a cheap refresh at
once (a small session shows every edit immediately); once a refresh costs
more than :data:`CHEAP_MS`, it runs at most every :data:`INTERVAL_MS`, folding
a burst of changes into one rebuild at the end of the interval.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250
CHEAP_MS = 15.0
"""A refresh faster than this runs on every change; a slower one is throttled."""


class Throttle(QObject):
    """Calls ``refresh`` now, or once after the interval if it ran less than an interval ago."""

    def __init__(self, refresh: Callable[[], None], parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._refresh = refresh
        self._interval = interval_ms / 1000
        self._last = 0.0
        self._cost = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)

    def request(self) -> None:
        """A change arrived: refresh now if the view is quiet, else once the interval is over."""
        if self._timer.isActive():
            return
        wait = self._interval - (time.monotonic() - self._last)
        if wait <= 0 or self._cost * 1000 < CHEAP_MS:
            self._run()
        else:
            self._timer.start(int(wait * 1000) + 1)

    def _run(self) -> None:
        self._last = time.monotonic()
        self._refresh()
        self._cost = time.monotonic() - self._last
