"""The lane titles kept at the canvas's left edge never show a ghost of the scene's own small titles."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window


def test_over_the_scenes_own_small_titles_the_kept_strip_is_opaque(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    view.scale(0.3, 0.3)  # the scene's lane titles too small to read: the view keeps its own strip
    scene = view.canvas_scene()
    lane = min(scene.lane_items.values(), key=lambda item: item.rect().top())
    view.centerOn(lane.rect().left() + view.viewport().width() / 0.3 / 2 - 40, lane.rect().center().y())
    assert view.mapToScene(0, 0).x() < 0, "the scene's own title strip is on screen"
    image = view.viewport().grab().toImage()
    y = view.mapFromScene(0, lane.rect().top() + 3).y()  # above the names: only the strip's colour
    assert image.pixelColor(3, y) == QColor(lane.colour), "no see-through strip over the scene's titles"
