"""A slow view folds a burst of changes into one refresh; a cheap one refreshes on every change."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from workshop.ui.throttle import Throttle


def test_a_slow_refresh_runs_once_for_a_burst_and_once_more_after_it(qtbot: QtBot) -> None:
    calls: list[float] = []

    def slow() -> None:
        calls.append(time.monotonic())
        time.sleep(0.03)

    owner = QObject()
    throttle = Throttle(slow, owner, interval_ms=200)
    throttle.request()
    for _ in range(20):
        throttle.request()
    assert len(calls) == 1, "the first change shows at once, the burst waits"
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)
    qtbot.wait(300)
    assert len(calls) == 2, "the whole burst became one more refresh"


def test_a_lone_change_after_a_quiet_moment_shows_at_once(qtbot: QtBot) -> None:
    calls: list[int] = []
    owner = QObject()
    throttle = Throttle(lambda: calls.append(1), owner, interval_ms=100)
    throttle.request()
    assert len(calls) == 1
    qtbot.wait(150)
    throttle.request()
    assert len(calls) == 2


def test_a_view_put_away_in_a_shown_window_computes_nothing_until_it_is_shown(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    panel = QWidget(window)
    QVBoxLayout(window).addWidget(panel)
    calls: list[int] = []
    throttle = Throttle(lambda: calls.append(1), panel)
    window.show()
    qtbot.waitExposed(window)
    throttle.request()
    assert calls == [1]
    panel.hide()  # a mode put its dock away
    for _ in range(5):
        throttle.request()
    assert calls == [1], "hidden: nothing computed"
    panel.show()
    qtbot.waitUntil(lambda: len(calls) == 2)
    qtbot.wait(50)
    assert calls == [1, 1], "shown again: one refresh catches up"
