"""Refresh a view at most every few hundred milliseconds, however fast changes arrive.

A room of thirty phones can send several contributions a second; a panel that
rebuilds its table on each one freezes the window, and the phones wait for
their acknowledgements behind it. A :class:`Throttle` runs the refresh at once
when the view has been quiet for a while (a lone edit shows immediately) and
otherwise folds a burst into one rebuild later: at least :data:`INTERVAL_MS`
apart, and further apart for an expensive view, so that no view takes more
than about a tenth of the main thread (:data:`SHARE`).

A view put away while its window is on screen (a mode hid its panel, its
dock was closed) computes nothing at all until it is shown again, then
catches up once: each mode pays only for the panels it shows.

Every piece of deferred view work (a throttle's pending refresh, the Health
panel's analysis in its worker thread) is known to :func:`views_settled`, so
a benchmark can time a change until the last deferred refresh is painted and
a test can wait for what the person would see, on the app's own path.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from workshop.domain.model.document import Document, LogRecord


class DeferredWork(Protocol):
    """A view's work that runs later than the change that asked for it."""

    def busy(self) -> bool:
        """Whether a refresh is still to come (a timer running, a worker computing)."""
        ...


_DEFERRED: weakref.WeakSet[DeferredWork] = weakref.WeakSet()


def track(work: DeferredWork) -> None:
    """Count ``work`` in :func:`views_settled` for as long as it lives."""
    _DEFERRED.add(work)


def views_settled() -> bool:
    """No view has a refresh still to come: what the last change asked for is on screen once painted."""
    return not busy_views()


def busy_views() -> list[DeferredWork]:
    """The deferred work still to come (what a benchmark or a test that waits too long can name)."""
    return [work for work in list(_DEFERRED) if work.busy()]


INTERVAL_MS = 250
SHARE = 0.1
"""The most of the main thread one view's refreshes may take during a burst."""


class Throttle(QObject):
    """Calls ``refresh`` now, or once after the interval if it ran less than an interval ago."""

    def __init__(
        self,
        refresh: Callable[[], None],
        parent: QObject,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._refresh = refresh
        self._interval = interval_ms / 1000
        self._last = 0.0
        self._cost = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)
        self._stale = False
        track(self)

    def busy(self) -> bool:
        """A refresh is waiting for the end of the interval."""
        try:
            return self._timer.isActive()
        except RuntimeError:  # its Qt object is gone with its view
            return False

    def request(self) -> None:
        """A change arrived: refresh now if the view is quiet, else once the interval is over.

        A view hidden in a window on screen (its panel put away by the mode, or its dock closed) computes
        nothing: it is marked stale and refreshes when it is shown again.
        """
        if self._timer.isActive():
            return  # a refresh is coming: a crowd's hundredth request this interval asks Qt nothing
        view = self.parent()
        if isinstance(view, QWidget) and not view.isVisible() and view.window().isVisible():
            if not self._stale:
                self._stale = True
                view.installEventFilter(self)
            return
        spacing = max(self._interval, self._cost / SHARE)
        wait = spacing - (time.monotonic() - self._last)
        if wait <= 0:
            self._run()
        else:
            self._timer.start(int(wait * 1000) + 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self._stale:
            self._stale = False
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.request)  # once it is laid out and on screen
        return False

    def _run(self) -> None:
        self._last = time.monotonic()
        self._refresh()
        self._cost = time.monotonic() - self._last


def on_screen(widget: QWidget) -> bool:
    """Whether any of ``widget`` is on screen: a panel in a dock tab behind another reports
    ``isVisible()`` but has an empty visible region, and should compute nothing until shown."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def touches(record: LogRecord, kinds: Collection[str], *, session: bool = False) -> bool:
    """Whether ``record`` changed an element of one of ``kinds`` (or, with ``session``, the session's fields)."""
    return any(
        getattr(op, "kind", None) in kinds or (session and op.op == "set_session") for op in record.op.primitives()
    )


def refresh_on(
    document: Document, view: QWidget, refresh: Callable[[], None], kinds: Collection[str], *, session: bool = False
) -> Callable[[], None]:
    """Refresh ``view`` (throttled, and not while it is put away) when an operation touches ``kinds``.

    What most panels do with the document's records, written once; returns the unsubscribe function.
    """
    throttle = Throttle(refresh, view)

    def on_record(record: LogRecord) -> None:
        if touches(record, kinds, session=session):
            throttle.request()  # a burst of phone contributions: one refresh

    return document.subscribe(on_record)
