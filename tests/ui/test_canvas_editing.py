"""The canvas driven as a facilitator drives it, checked against the document and the log."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import drag, example_window
from tests.ui.views import settled
from workshop.domain.model.operations import add, remove, update
from workshop.domain.model.process import Node
from workshop.ui.canvas.canvas_view import NODE_KIND_MIME


def _node_centre(window, node_id: str) -> QPointF:  # type: ignore[no-untyped-def]
    n = window.document.session.nodes[node_id]
    return QPointF(n.x + n.w / 2, n.y + n.h / 2)


def test_palette_click_adds_a_node_the_user_names_and_undo_takes_it_back(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    before = set(window.document.session.nodes)
    qtbot.mouseClick(window.node_palette.buttons["activity"], Qt.MouseButton.LeftButton)
    settled(qtbot)
    added = set(window.document.session.nodes) - before
    assert len(added) == 1
    view = window.canvas_view
    assert view is not None
    assert view.editor is not None, "a new activity opens its label for typing"
    qtbot.keyClicks(view.editor, "Check address")
    settled(qtbot)
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    settled(qtbot)
    new_id = added.pop()
    assert window.document.session.nodes[new_id].label == "Check address"

    window.undo_stack.undo()
    settled(qtbot)
    assert window.document.session.nodes[new_id].label == ""
    window.undo_stack.undo()
    settled(qtbot)
    assert new_id not in window.document.session.nodes
    assert window.scene is not None
    assert window.scene.node_item(new_id) is None
    window.undo_stack.redo()
    settled(qtbot)
    assert new_id in window.document.session.nodes
    actors = {r.actor for r in window.workshop_file.records()}
    assert actors == {"facilitator"}


def test_escape_cancels_a_label_edit(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    view.edit_label("node", "n-contact")
    assert view.editor is not None
    qtbot.keyClicks(view.editor, "Something else")
    settled(qtbot)
    qtbot.keyClick(view.editor, Qt.Key.Key_Escape)
    settled(qtbot)
    assert view.editor is None
    assert window.document.session.nodes["n-contact"].label == "Contact local sales unit"


def test_dropping_a_palette_entry_adds_it_in_the_lane_under_the_pointer(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    target = QPointF(2000, 3 * 180 + 90)  # in the IT provider's customer-service lane
    view.centerOn(target)
    mime = QMimeData()
    mime.setData(NODE_KIND_MIME, b"decision")
    pos = view.mapFromScene(target)
    drop = QDropEvent(
        QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    before = set(window.document.session.nodes)
    view.dropEvent(drop)
    (new_id,) = set(window.document.session.nodes) - before
    node = window.document.session.nodes[new_id]
    assert node.node_kind == "decision"
    assert node.lane_id == "lane-it-cs"
    assert node.owner_org_id == "org-it"


def test_drawing_a_flow_with_the_mouse(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    before = set(window.document.session.flows)
    qtbot.keyClick(view, Qt.Key.Key_F)  # the "Draw flows" tool
    settled(qtbot)
    assert window.nodes.flow_tool_action.isChecked()
    drag(view, _node_centre(window, "n-b-register"), _node_centre(window, "n-a-status"))
    (flow_id,) = set(window.document.session.flows) - before
    flow = window.document.session.flows[flow_id]
    assert (flow.source_id, flow.target_id) == ("n-b-register", "n-a-status")
    assert window.scene is not None
    item = window.scene.flow_item(flow_id)
    assert item is not None
    assert item.handoff, "group B to group A crosses organizations"

    # without the tool, a drag that starts on a node's edge draws a flow too; released on nothing, it cancels
    window.nodes.flow_tool_action.setChecked(False)
    start = window.document.session.nodes["n-contact"]
    drag(view, QPointF(start.x + start.w - 4, start.y + start.h / 2), QPointF(start.x + start.w + 60, start.y - 60))
    assert set(window.document.session.flows) - before == {flow_id}
    assert (start.x, start.y) == (
        window.document.session.nodes["n-contact"].x,
        window.document.session.nodes["n-contact"].y,
    )


def test_moving_a_node_into_another_lane_changes_its_organization_in_one_undo_step(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = example_window(qtbot, tmp_path)
    view = window.canvas_view
    assert view is not None
    node = window.document.session.nodes["n-a-status"]  # customer group A, lane 1
    assert (node.lane_id, node.owner_org_id) == ("lane-a", "org-a")
    start = _node_centre(window, "n-a-status")
    drag(view, start, start + QPointF(40, 2 * 180))  # two lanes down: group A -> IT customer service
    moved = window.document.session.nodes["n-a-status"]
    assert moved.lane_id == "lane-it-cs"
    assert moved.owner_org_id == "org-it"
    assert moved.x == node.x + 40
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    settled(qtbot)
    restored = window.document.session.nodes["n-a-status"]
    assert (restored.lane_id, restored.owner_org_id, restored.x) == ("lane-a", "org-a", node.x)
    assert window.scene is not None
    assert window.scene.node_items["n-a-status"].pos() == QPointF(node.x, node.y)


def test_delete_takes_the_attached_flows_and_undo_brings_all_back(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    scene = window.scene
    assert scene is not None
    scene.node_items["n-it-ask"].setSelected(True)
    attached = {f.id for f in window.document.session.flows.values() if "n-it-ask" in (f.source_id, f.target_id)}
    annotations = len(window.document.session.annotations)
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_Delete)
    settled(qtbot)
    assert "n-it-ask" not in window.document.session.nodes
    assert not attached & set(window.document.session.flows)
    assert not attached & set(scene.flow_items)
    assert len(window.document.session.annotations) == annotations - 1, "its problem annotation goes with it"
    QApplication.processEvents()
    window.undo_stack.undo()
    settled(qtbot)
    assert "n-it-ask" in window.document.session.nodes
    assert attached <= set(window.document.session.flows)
    assert attached <= set(scene.flow_items)


def test_the_scene_follows_the_document(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    scene = window.scene
    assert scene is not None
    doc = window.document
    doc.apply(add(Node(id="n-new", model_id="model-current", label="From a phone", lane_id="lane-b", x=900, y=400)))
    settled(qtbot)
    assert scene.node_item("n-new") is not None
    doc.apply(update("node", "n-new", x=1200, label="Moved"))
    settled(qtbot)
    item = scene.node_items["n-new"]
    assert (item.pos().x(), item.label) == (1200, "Moved")
    doc.apply(remove("node", "n-new"))
    settled(qtbot)
    assert scene.node_item("n-new") is None
    doc.apply(update("organization", "org-b", colour="#000000"))
    settled(qtbot)
    assert scene.node_items["n-b-fax"].colour == "#000000"


def test_keyboard_nudge_copy_paste_and_undo_shortcuts(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    scene, view = window.scene, window.canvas_view
    assert scene is not None
    assert view is not None
    x0 = window.document.session.nodes["n-contact"].x
    scene.node_items["n-contact"].setSelected(True)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    settled(qtbot)
    assert window.document.session.nodes["n-contact"].x == x0 + 10
    count = len(window.document.session.nodes)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    settled(qtbot)
    assert len(window.document.session.nodes) == count + 1
    undo = QKeySequence(QKeySequence.StandardKey.Undo)[0]  # type: ignore[index]
    qtbot.keyClick(view, undo.key(), undo.keyboardModifiers())
    settled(qtbot)
    assert len(window.document.session.nodes) == count
    qtbot.keyClick(view, undo.key(), undo.keyboardModifiers())
    settled(qtbot)
    assert window.document.session.nodes["n-contact"].x == x0


def test_lay_out_left_to_right_is_one_undo_step(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    action = next(a for a in window.menu("Arrange").actions() if a.text() == "Lay out left to right")
    before = window.document.session.model_copy(deep=True)
    action.trigger()
    assert window.document.session != before
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    settled(qtbot)
    assert window.document.session.nodes == before.nodes


def test_a_small_model_far_out_is_still_drawn_item_by_item(qtbot: QtBot, tmp_path: Path) -> None:
    """A canvas squeezed by panels can be far out on a small model: no picture to make again after each edit."""
    window = example_window(qtbot, tmp_path)
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    view.zoom_by(0.01)
    assert view.zoom() < 0.05
    assert not scene.overview


def test_zoomed_far_out_the_model_is_drawn_as_one_picture(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below 5 % the view draws every flow and node from one picture; the items are untouched and still hit."""
    monkeypatch.setattr("workshop.ui.canvas.canvas_overview.OVERVIEW_MIN_NODES", 1)  # the example stands for a big one
    window = example_window(qtbot, tmp_path)
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    view.zoom_by(0.01)
    assert view.zoom() < 0.05
    assert scene.overview
    lines = scene.pictures.flow_lines()
    colours = {colour.name() for colour, _handoff, _lines in lines}
    assert colours == {scene.theme.flow.lower(), scene.theme.handoff.lower()}, "ordinary flows and handoffs"
    assert sum(len(each) for _colour, _handoff, each in lines) >= len(scene.flow_items), "every flow is drawn"
    assert sum(len(each) for _colour, each in scene.pictures.node_rects()) == len(scene.node_items), "every node"
    assert all(item.isVisible() for item in scene.flow_items.values()), "no item is switched off"
    assert scene.node_item_at(next(iter(scene.node_items.values())).scene_rect().center()) is not None, "still hit"
    view.zoom_actual()
    assert not scene.overview


def test_a_node_added_right_of_the_selection_is_brought_into_view(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    view.resetTransform()  # 100 %: the model is wider than the view
    rightmost = max(window.document.session.nodes.values(), key=lambda n: n.x + n.w)
    scene.node_item(rightmost.id).setSelected(True)  # type: ignore[union-attr]
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().minimum())  # looking at the left end
    before = set(window.document.session.nodes)
    qtbot.mouseClick(window.node_palette.buttons["activity"], Qt.MouseButton.LeftButton)
    settled(qtbot)
    new_id = (set(window.document.session.nodes) - before).pop()
    item = scene.node_item(new_id)
    assert item is not None
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(item.sceneBoundingRect()), "the new node is on screen, ready for its name"


def test_a_node_moved_to_another_organization_turns_its_flows_into_handoffs(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    scene = window.scene
    assert scene is not None
    session = window.document.session
    flow = next(
        f for f in session.flows.values() if f.model_id == scene.model_id and not scene.flow_items[f.id].handoff
    )
    target = session.nodes[flow.target_id]
    source_org = scene._node_orgs[flow.source_id]
    other = next(
        lane
        for lane in session.lanes.values()
        if lane.model_id == scene.model_id and lane.organization_id != source_org
    )
    box = scene.lane_boxes()[other.id]
    changes = scene.move_changes(target, target.x, box.y + 20)
    window.apply(update("node", target.id, **changes))
    settled(qtbot)
    assert scene.flow_items[flow.id].handoff, "the flow now crosses organizations"
    window.undo_stack.undo()
    settled(qtbot)
    assert not scene.flow_items[flow.id].handoff
