"""Helpers for benchmarks that drive the real main window (benchmarks.app, benchmarks.open).

Everything here goes through the path a user takes: the app's own open path
(:func:`workshop.ui.window.main_window.open_window`), the default docks and panels,
real Qt events. Timings end when the canvas has been painted, because that
is when the user sees the result.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

WINDOW_SIZE = (1920, 1080)
"""The screen the window is maximized on: offscreen Qt otherwise offers an 800 × 800 one."""


def _offscreen_screen() -> str:
    """``offscreen`` with a screen of :data:`WINDOW_SIZE` (the plugin reads its screens from a JSON file)."""
    width, height = WINDOW_SIZE
    config = {"screens": [{"name": "bench", "x": 0, "y": 0, "width": width, "height": height, "dpr": 1}]}
    handle, name = tempfile.mkstemp(prefix="bench-screen-", suffix=".json")
    with os.fdopen(handle, "w") as file:
        json.dump(config, file)
    return f"offscreen:configfile={name}"


if "QT_QPA_PLATFORM" not in os.environ:
    os.environ["QT_QPA_PLATFORM"] = _offscreen_screen()


def isolated_app() -> QApplication:
    """The application, with settings and new session files in fresh temporary folders."""
    os.environ["WORKSHOP_CONFIG_DIR"] = tempfile.mkdtemp(prefix="bench-config-")
    os.environ["WORKSHOP_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-data-")
    from workshop.ui.app import application, load_fonts

    app = application()
    load_fonts()
    # the app is running when the user opens a file: its modules are loaded already
    importlib.import_module("workshop.ui.window.panels")
    importlib.import_module("workshop.interchange.bpmn_session")
    return app


def ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def painted(window: Any) -> None:
    """Let the event loop run what is queued, as the screen would: Qt paints what the change invalidated.

    Twice, so that what the first round queued (a zero-delay timer, a
    layout) is painted too.
    """
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    app.processEvents()


def repainted(window: Any) -> None:
    """:func:`painted`, then the whole canvas and Overview painted again (the worst case of one frame)."""
    painted(window)
    view = window.canvas_view
    if view is not None:
        view.viewport().repaint()
    window.minimap.repaint()


def rss_mb() -> dict[str, float]:
    """Resident memory now and at its peak, in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return {
        "rss_mb": round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def longest_stall_ms(duration_ms: int = 1500, tick_ms: int = 5) -> float:
    """Run the event loop for ``duration_ms`` and return the longest time it could not answer (a frozen window).

    A timer ticks every ``tick_ms``; the longest gap between ticks, less the
    tick, is how long the main thread was busy with something else at once.
    """
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    worst = [0]

    def tick() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(tick_ms)
    timer.timeout.connect(tick)
    timer.start()
    while clock.elapsed() < duration_ms:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    tick()
    return float(max(0, worst[0] - tick_ms))


class Phases:
    """Time named functions while the real path runs: each call adds its milliseconds to its phase."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextlib.contextmanager
    def timing(self, targets: dict[str, str]) -> Iterator[Phases]:
        """``targets`` maps a phase name to ``module:attribute`` or ``module:Class.method``."""
        undo: list[Callable[[], None]] = []
        for phase, target in targets.items():
            module_name, _, attribute = target.partition(":")
            owner: Any = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part)
            original = getattr(owner, name)
            setattr(owner, name, self._wrap(phase, original))
            undo.append(functools.partial(setattr, owner, name, original))
        try:
            yield self
        finally:
            for restore in reversed(undo):
                restore()

    def _wrap(self, phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.ms[phase] = round(self.ms.get(phase, 0.0) + (time.perf_counter() - started) * 1000, 1)

        return timed


def open_in_window(
    path: Path, phases: Phases | None = None, targets: dict[str, str] | None = None
) -> tuple[Any, float]:
    """Open ``path`` the way File › Open does and wait until the fitted model is painted.

    Returns the window and the milliseconds from the open call to the end of
    the first frame in which the canvas is painted fitted (:func:`first_fitted_frame`).
    Work the app leaves for after that frame (panels filled in) is then waited
    for too, so the caller gets a settled window; its time is the phase
    ``settled_after_paint``.
    """
    from workshop.ui.window.main_window import open_window

    phases = phases or Phases()
    started = time.perf_counter()
    with phases.timing(targets or {}):
        window = open_window(path)
        assert window is not None, f"{path} did not open"
        shown = time.perf_counter()
        frame_done = first_fitted_frame(window)
        phases.ms["fit_and_first_paint"] = round((frame_done - shown) * 1000, 1)
        settled(window)
        phases.ms["settled_after_paint"] = ms_since(frame_done)
    return window, round((frame_done - started) * 1000, 1)


def first_fitted_frame(window: Any, timeout_s: float = 600.0) -> float:
    """Run the event loop until a frame painted the canvas fitted; the ``perf_counter`` time that frame ended.

    A filter on the canvas viewport sees each paint begin and starts a
    zero-delay timer, which runs once the whole frame (every widget of the
    window) is painted; it counts when the view is fitted to its size and
    model then. The filter is installed after the window was built, so it
    runs before any filter the app has there: nothing the app starts from
    its own paint filter runs before the end is taken.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    view = window.canvas_view
    if view is None:  # no model to show: the window's first frame is the end
        painted(window)
        return time.perf_counter()
    ended: list[float] = []

    def frame_end() -> None:
        if not ended and view.follows_fit and view._fitted_for == view._fit_key():
            ended.append(time.perf_counter())

    class PaintWatch(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not ended:
                QTimer.singleShot(0, frame_end)
            return False

    watch = PaintWatch()
    view.viewport().installEventFilter(watch)
    deadline = time.perf_counter() + timeout_s
    try:
        while not ended:
            assert time.perf_counter() < deadline, "the canvas was never painted fitted"
            app.processEvents()
    finally:
        view.viewport().removeEventFilter(watch)
    return ended[0]


def settled(window: Any, timeout_s: float = 120.0) -> None:
    """Run the event loop until no view has deferred work left (workshop.ui.throttle), then paint."""
    from workshop.ui.throttle import views_settled

    deadline = time.perf_counter() + timeout_s
    painted(window)
    while not views_settled():
        assert time.perf_counter() < deadline, "views still busy"
        painted(window)
        time.sleep(0.001)
    painted(window)


def show_every_panel(window: Any) -> None:
    """Every dock shown, as the View menu would (the modes show a few; "every panel open" is the worst case)."""
    from PySide6.QtWidgets import QDockWidget

    for dock in window.findChildren(QDockWidget):
        dock.show()
