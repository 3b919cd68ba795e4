"""The canvas drills down into a collapsed sub-process and back; an expanded one draws its steps in place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from tests.interchange.bpmn_samples import COLLAPSED
from tests.ui.views import settled
from workshop.domain.model.document import Document
from workshop.domain.model.edits import cascade_remove
from workshop.domain.model.operations import update
from workshop.interchange.bpmn_import import import_bpmn
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.canvas_view import CanvasView
from workshop.ui.themes import THEMES


def _canvas(qtbot: QtBot) -> tuple[Document, CanvasScene, CanvasView]:
    result = import_bpmn(COLLAPSED)
    document = Document(result.session)
    scene = CanvasScene(document, result.model_id, THEMES["light"])
    view = CanvasView(scene)
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    settled(qtbot)
    return document, scene, view


def test_drilling_down_shows_the_inside_with_a_breadcrumb_back(qtbot: QtBot) -> None:
    _document, scene, view = _canvas(qtbot)
    assert set(scene.node_items) == {"S", "sub"}, "a collapsed sub-process's steps are not on the main view"
    assert not view.breadcrumb.isVisible()
    sub = scene.node_items["sub"]
    qtbot.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(sub.sceneBoundingRect().center())
    )
    settled(qtbot)
    assert set(scene.node_items) == {"inS", "inT", "err", "deep", "deepT"}, "its steps, the expanded one's in place"
    assert set(scene.flow_items) == {"inF", "inG"}
    assert scene.lane_items == {}
    assert not any(frame.isVisible() for frame in scene.groups.items.values())
    assert view.breadcrumb.isVisible()
    row = view.breadcrumb.row
    texts = [
        widget.text() for i in range(row.count()) if isinstance(widget := row.itemAt(i).widget(), (QLabel, QPushButton))
    ]
    assert texts == ["Main process", "›", "Handle claim"]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    settled(qtbot)
    assert set(scene.node_items) == {"S", "sub"}
    assert not view.breadcrumb.isVisible()
    scene.node_items["sub"].setSelected(True)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    settled(qtbot)
    assert "inT" in scene.node_items
    [back] = [b for b in view.breadcrumb.findChildren(QPushButton) if b.text() == "Main process"]
    assert back.isVisible()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert "inT" not in scene.node_items
    scene.detach()


def test_moving_an_expanded_sub_process_carries_its_steps(qtbot: QtBot) -> None:
    document, scene, _view = _canvas(qtbot)
    scene.level.go("sub")
    settled(qtbot)
    deep, inner = document.session.nodes["deep"], document.session.nodes["deepT"]
    item = scene.node_items["deep"]
    item.setSelected(True)
    item.setPos(QPointF(deep.x + 40, deep.y))
    scene.commit_moves()
    assert document.session.nodes["deepT"].x == inner.x + 40
    assert document.session.nodes["deep"].lane_id == deep.lane_id
    scene.detach()


def test_an_expanded_sub_process_can_be_drilled_into_too(qtbot: QtBot) -> None:
    _document, scene, _view = _canvas(qtbot)
    scene.level.go("sub")
    assert scene.level.enter("deep")
    settled(qtbot)
    assert set(scene.node_items) == {"deepT"}
    assert [name for _, name in scene.level.levels()] == ["Main process", "Handle claim", "Ask"]
    assert scene.level.up()
    assert scene.level.root == "sub"
    assert not scene.level.enter("inT"), "a task holds no steps"
    scene.detach()


def test_closing_or_removing_a_sub_process_redraws_the_level(qtbot: QtBot) -> None:
    document, scene, _view = _canvas(qtbot)
    scene.level.go("sub")
    assert "deepT" in scene.node_items
    document.apply(update("node", "deep", expanded=False))
    assert "deepT" not in scene.node_items, "closed: its steps are on its own view now"
    document.apply(update("node", "deep", expanded=True))
    assert "deepT" in scene.node_items
    document.apply(cascade_remove(document.state, [("node", "sub")]))
    settled(qtbot)
    assert scene.level.root is None
    assert set(scene.node_items) == {"S"}
    scene.detach()


def test_a_step_inside_a_collapsed_sub_process_is_revealed_on_its_level(qtbot: QtBot) -> None:
    _document, scene, _view = _canvas(qtbot)
    scene.level.reveal("deepT")
    assert scene.level.root == "sub", "the collapsed sub-process's view; the expanded one inside draws it in place"
    assert "deepT" in scene.node_items
    scene.level.reveal("S")
    assert scene.level.root is None
    scene.detach()


def test_the_window_expands_and_collapses_a_sub_process_one_undo_each(qtbot: QtBot, tmp_path: Path) -> None:
    from workshop.store.sessions import create_document
    from workshop.ui.window.main_window import open_window

    _, workshop_file = create_document(tmp_path / "claims.workshop", import_bpmn(COLLAPSED).session)
    workshop_file.close()
    window = open_window(tmp_path / "claims.workshop")
    assert window is not None
    qtbot.addWidget(window)
    settled(qtbot)
    scene = window.scene
    assert scene is not None
    assert "inT" not in scene.node_items
    window.nodes.set_expanded("sub", True)
    settled(qtbot)
    assert window.document.session.nodes["sub"].expanded
    assert "inT" in scene.node_items, "an expanded sub-process draws its steps in place"
    window.undo_stack.undo()
    settled(qtbot)
    assert not window.document.session.nodes["sub"].expanded
    assert "inT" not in scene.node_items
