"""An edit on a large model touches what it changed, and nothing walks the whole session (issue 17).

Not timed: the proof is structural. On a 2,000-node session in the real main
window (default docks and panels), one edit must bring up to date only the
canvas items of the elements it names (and the routes of their flows), and
no view may read every node or flow of the session in reaction to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from benchmarks.generated import generated_session
from tests.ui.views import settled
from workshop.domain.model.operations import update
from workshop.store.sessions import create_document
from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.node_item import NodeItem
from workshop.ui.panels.health_panel import HealthPanel
from workshop.ui.window.main_window import MainWindow

NODES = 2000


class WatchedCollection(dict[str, Any]):
    """A session collection that counts the times something reads all of it."""

    def __init__(self, data: dict[str, Any], walks: Counter[str], name: str) -> None:
        super().__init__(data)
        self._walks, self._name = walks, name

    def _walked(self) -> None:
        self._walks[self._name] += 1

    def __iter__(self) -> Iterator[str]:
        self._walked()
        return super().__iter__()

    def values(self) -> Any:
        self._walked()
        return super().values()

    def items(self) -> Any:
        self._walked()
        return super().items()

    def keys(self) -> Any:
        self._walked()
        return super().keys()


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
    settled(qtbot)  # the panels are built once the window's first frame is painted
    qtbot.wait(50)
    QApplication.processEvents()
    return window


def test_an_edit_touches_the_items_of_what_it_changed_and_no_view_walks_the_session(
    big_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = big_window
    scene = window.scene
    assert scene is not None
    assert len(scene.node_items) == NODES + 1
    synced: list[str] = []
    routed: list[str] = []
    created: list[str] = []
    _counting(monkeypatch, NodeItem, "sync", synced, lambda item: item.node_id)
    _counting(monkeypatch, FlowItem, "set_route", routed, lambda item: item.flow_id)
    _counting(monkeypatch, NodeItem, "__init__", created, lambda _item: "node")
    session = window.document.session
    walks: Counter[str] = Counter()
    for name in ("nodes", "flows"):
        setattr(session, name, WatchedCollection(getattr(session, name), walks, name))
    moved = "n1000"
    its_flows = {f.id for f in dict.values(session.flows) if moved in (f.source_id, f.target_id)}
    assert its_flows, "the node has flows whose routes must follow"

    window.apply(update("node", moved, x=session.nodes[moved].x + 40))  # a drag, as recorded
    window.apply(update("node", moved, label="Renamed"))  # Enter in the label editor
    a_flow = sorted(its_flows)[0]
    window.apply(update("flow", a_flow, label="yes"))  # a flow's label
    qtbot.wait(700)  # every throttled and debounced view has had its turn
    QApplication.processEvents()

    assert set(synced) == {moved}, "only the changed node's item is brought up to date"
    assert set(routed) == its_flows, "only the routes of its flows are computed again"
    assert created == []
    assert walks == Counter(), f"a view read the whole session after one edit: {dict(walks)}"
    health = window.findChild(HealthPanel)
    assert health is not None
    health.refresh()  # the instrument works: an analysis of the whole model is seen
    assert walks["nodes"] > 0


def test_select_all_and_a_drag_commit_touch_only_the_moved_items(
    big_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = big_window
    scene = window.scene
    assert scene is not None
    signals: list[int] = []
    scene.selectionChanged.connect(lambda: signals.append(1))
    window.nodes.select_all()
    assert len(scene.selected_node_ids()) == NODES + 1
    assert signals == [1], "one selectionChanged for the whole selection"
    scene.clearSelection()
    item = scene.node_items["n5"]
    item.setSelected(True)
    item.setPos(item.pos().x() + 50, item.pos().y())  # where the mouse left it
    synced: list[str] = []
    _counting(monkeypatch, NodeItem, "sync", synced, lambda node_item: node_item.node_id)
    scene.commit_moves()
    assert window.document.session.nodes["n5"].x == item.pos().x()
    assert set(synced) == {"n5"}
