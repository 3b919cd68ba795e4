"""Far out, the canvas costs what the screen shows, not what the model holds (issue 32).

Not timed: the proof is structural, on a 2,000-node session in the real main
window. Fitted, that model is below the overview zoom: no node or flow item
is painted and no label is laid out (the view draws one picture); the items
are still there for the mouse; zoomed in, only the items in sight paint;
select all is one notification; the Overview panel draws a big model in
slices, and the tests' wait for a settled window waits for them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from benchmarks.generated import generated_session
from tests.ui.canvas_helpers import send_mouse
from tests.ui.views import settled
from workshop.domain.model.operations import update
from workshop.store.sessions import create_document
from workshop.ui.canvas.canvas_flow_drawing import EDGE_ZONE
from workshop.ui.canvas.canvas_overview import OVERVIEW_ZOOM
from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.minimap import Minimap
from workshop.ui.canvas.node_item import NodeItem
from workshop.ui.window.main_window import MainWindow

NODES = 2000


def _counting(
    monkeypatch: pytest.MonkeyPatch, cls: type, name: str, calls: list[str], key: Callable[[Any], str]
) -> None:
    original = getattr(cls, name)

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(key(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counted)


@pytest.fixture
def big_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    document, workshop_file = create_document(tmp_path / "big.workshop", generated_session(NODES).session)
    window = MainWindow(document, workshop_file)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    settled(qtbot)
    return window


def _fit(window: MainWindow, qtbot: QtBot) -> None:
    next(a for a in window.menu("View").actions() if a.text() == "Zoom to fit").trigger()
    settled(qtbot)


def test_fitted_no_node_or_flow_is_painted_and_no_label_laid_out(
    big_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = big_window
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    painted: list[str] = []
    laid_out: list[str] = []
    _counting(monkeypatch, NodeItem, "paint", painted, lambda item: item.node_id)
    _counting(monkeypatch, FlowItem, "paint", painted, lambda item: item.flow_id)
    _counting(monkeypatch, NodeItem, "_fitted_font", laid_out, lambda item: item.node_id)
    _fit(window, qtbot)
    assert view.zoom() < OVERVIEW_ZOOM, "a 2,000-node model fitted is far out"
    painted.clear()
    laid_out.clear()
    view.viewport().repaint()  # the whole canvas again, as after a window was moved over it
    view.viewport().repaint()
    assert painted == [], "the view draws the model as one picture, not item by item"
    assert laid_out == [], "no label is laid out where none can be read"
    view.zoom_actual()
    view.viewport().repaint()
    assert painted, "the count works: up close the items paint themselves"
    assert sum(len(rects) for _colour, rects in scene.pictures.node_rects()) == NODES + 1, "every node is in it"
    assert all(item.isVisible() for item in scene.flow_items.values()), "no item was switched off to get there"


def test_zoomed_in_only_the_items_in_sight_paint(
    big_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = big_window
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    painted: list[str] = []
    _counting(monkeypatch, NodeItem, "paint", painted, lambda item: item.node_id)
    view.zoom_actual()
    view.centerOn(scene.node_items["n1000"].scene_rect().center())
    settled(qtbot)
    painted.clear()
    view.viewport().repaint()
    sight = view.mapToScene(view.viewport().rect()).boundingRect()
    in_sight = {node_id for node_id, item in scene.node_items.items() if item.sceneBoundingRect().intersects(sight)}
    assert painted, "up close the items draw themselves"
    assert set(painted) <= in_sight, "an item out of sight is not painted"
    assert len(in_sight) < NODES / 10


def test_fitted_a_click_still_selects_the_node_under_it(big_window: MainWindow, qtbot: QtBot) -> None:
    window = big_window
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    _fit(window, qtbot)
    assert scene.overview
    box = scene.node_items["n1000"].scene_rect()
    centre = view.mapFromScene(box.center())
    # a node is a couple of pixels here: the pixel whose point is inside it, away from its edge (a press
    # near the edge starts a new flow)
    pixel = next(
        centre + QPoint(dx, dy)
        for dx in (0, -1, 1, -2, 2)
        for dy in (0, -1, 1, -2, 2)
        if box.adjusted(EDGE_ZONE, EDGE_ZONE, -EDGE_ZONE, -EDGE_ZONE).contains(view.mapToScene(centre + QPoint(dx, dy)))
    )
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pixel)
    settled(qtbot)
    assert scene.selected_node_ids() == ["n1000"]


def test_fitted_select_all_is_one_notification_and_shows_in_the_picture(big_window: MainWindow, qtbot: QtBot) -> None:
    window = big_window
    scene = window.scene
    assert scene is not None
    _fit(window, qtbot)
    notified: list[int] = []
    window.selection_changed.connect(lambda: notified.append(1))
    next(a for a in window.menu("Edit").actions() if a.text() == "Select all").trigger()
    settled(qtbot)
    assert notified == [1], "one selection change for the window and its panels"
    assert len(scene.pictures.selected_rects()) == NODES + 1, "every node drawn in the selection colour"
    assert window.selection() is None, "more than one selected: no single element for the panels"


def test_the_overview_panel_draws_a_big_model_in_slices(big_window: MainWindow, qtbot: QtBot) -> None:
    window = big_window
    minimap = window.findChild(Minimap)
    assert minimap is not None
    if not minimap.isVisible():
        pytest.skip("the Overview is not shown in this layout")
    window.apply(update("node", "n5", label="Renamed"))
    qtbot.waitUntil(lambda: not minimap._redraw.isActive(), timeout=3000)  # the redraw is throttled
    settled(qtbot)  # then drawn a slice at a time: the wait for a settled window waits for the last one
    assert not minimap.busy()
    slices = sum(1 for _ in minimap._draw())  # the same drawing, run through in one go
    assert slices >= 4, "2,000 nodes and their flows are drawn in slices, the event loop answering between"


def test_select_all_up_close_repaints_what_is_in_sight_selected(
    big_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = big_window
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    painted: list[str] = []  # counted before any node paints (Qt keeps the paint it found for the class)
    _counting(monkeypatch, NodeItem, "paint", painted, lambda item: item.node_id if item.isSelected() else "")
    view.zoom_actual()
    view.centerOn(scene.node_items["n1000"].scene_rect().center())
    settled(qtbot)
    painted.clear()
    next(a for a in window.menu("Edit").actions() if a.text() == "Select all").trigger()
    settled(qtbot)
    view.viewport().update()  # the screen's next frame, as the window system would ask for it
    settled(qtbot)
    sight = view.mapToScene(view.viewport().rect()).boundingRect()
    in_sight = {node_id for node_id, item in scene.node_items.items() if item.sceneBoundingRect().intersects(sight)}
    assert in_sight <= set(painted), "every node in sight is drawn selected"
    assert len(scene.selected_node_ids()) == NODES + 1


def test_fitted_a_rubber_band_selects_the_nodes_it_covers(big_window: MainWindow, qtbot: QtBot) -> None:
    """Far out the band is drawn by the view's own painting; Qt's band selection is unchanged."""
    window = big_window
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    _fit(window, qtbot)
    first, last = scene.node_items["n800"].scene_rect(), scene.node_items["n1199"].scene_rect()
    start, end = QPointF(first.left() - 60, -300.0), QPointF(last.right() + 60, 1800.0)
    view.centerOn((start + end) / 2)
    a, b = view.mapFromScene(start), view.mapFromScene(end)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send_mouse(view, QEvent.Type.MouseButtonPress, a, left, left)
    for step in range(1, 7):
        p = a + (b - a) * step / 6
        send_mouse(view, QEvent.Type.MouseMove, QPoint(round(p.x()), round(p.y())), none, left)
    assert not view.rubberBandRect().isEmpty()
    view.viewport().repaint()  # the band drawn over the picture, mid-gesture
    send_mouse(view, QEvent.Type.MouseButtonRelease, b, left, none)
    settled(qtbot)
    assert scene.overview
    chosen = set(scene.selected_node_ids())
    assert {f"n{number}" for number in range(800, 1200)} <= chosen, "every node under the band"
    assert "n100" not in chosen, "none left of it"
    assert "n1900" not in chosen, "none right of it"
