"""The Overview: scrolling moves only its frame; a click there takes the canvas to that place."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.model.operations import update


def test_scrolling_moves_the_frame_without_drawing_the_model_again(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = example_window(qtbot, tmp_path)
    minimap = window.minimap
    view = window.canvas_view
    assert view is not None
    renders: list[int] = []
    original = type(minimap)._render
    monkeypatch.setattr(type(minimap), "_render", lambda self: (renders.append(1), original(self))[1])
    view.zoom_by(2.0)
    before = minimap.visible_area()
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 200)
    qtbot.wait(50)
    assert minimap.visible_area() != before, "the frame follows the canvas"
    assert renders == [], "the model's picture is not redrawn for a scroll"
    window.apply(update("node", "n-contact", label="Changed"))  # the model changes: the picture follows
    qtbot.waitUntil(lambda: bool(renders), timeout=2000)


def test_a_click_on_the_overview_centres_the_canvas_there(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    minimap = window.minimap
    view = window.canvas_view
    assert view is not None
    view.zoom_by(2.0)
    target = minimap.rect().center() + QPoint(minimap.width() // 4, 0)
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton, pos=target)
    centre = view.mapToScene(view.viewport().rect().center())
    expected = (
        minimap._source.x() + (target.x() - minimap._target.x()) * minimap._source.width() / minimap._target.width()
    )
    assert abs(centre.x() - expected) < 40
