"""What is selected on a canvas scene, asked of Qt once per change, and selecting many nodes at once.

Split out of :mod:`canvas_scene`. With 50,000 nodes selected each
``selectedItems()`` copies the whole selection (~14 ms) and the window, the
panels and the overview picture each ask after every change; a selection of
every node set one item at a time woke every listener 50,000 times. Here the
selection is read from Qt once per ``selectionChanged`` and kept, and nodes
are selected in a batch with one notification.

At overview zoom the nodes' layer is see-through (see
:mod:`canvas_overview`), so Qt's own hit-testing does not see them: a click
and the rubber band find nodes by their boxes instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneMouseEvent

from workshop.ui.canvas.canvas_overview import nodes_in
from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.node_item import NodeItem


class SelectionScene(Protocol):
    """What the selection reads of the canvas scene (a protocol: this module does not import the scene)."""

    node_items: dict[str, NodeItem]

    @property
    def overview(self) -> bool: ...

    def node_boxes(self) -> dict[str, tuple[float, float, float, float]]: ...

    def node_item_at(self, pos: QPointF, exclude: NodeItem | None = None) -> NodeItem | None: ...


class Selection:
    """The scene's selection as Qt last reported it; made again only after ``selectionChanged``."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self._scene = scene
        self._items: list[QGraphicsItem] | None = None
        self.size = 0
        """How many items are selected (a selected node's paint asks: one resize grip only when alone)."""

    def changed(self) -> None:
        """Qt said the selection changed (connected first: no listener reads it before this)."""
        self._items = None
        self.size = len(self.items())

    def items(self) -> list[QGraphicsItem]:
        if self._items is None:
            self._items = self._scene.selectedItems()
        return self._items

    def node_ids(self) -> list[str]:
        return [i.node_id for i in self.items() if isinstance(i, NodeItem)]

    def flow_ids(self) -> list[str]:
        return [i.flow_id for i in self.items() if isinstance(i, FlowItem)]


def select_nodes(scene: QGraphicsScene, items: Iterable[NodeItem]) -> None:
    """Add ``items`` to the selection with one ``selectionChanged`` (none if nothing changed)."""
    changed = False
    blocked = scene.blockSignals(True)
    try:
        for item in items:
            if not item.isSelected():
                item.setSelected(True)
                changed = True
    finally:
        scene.blockSignals(blocked)
    if changed:
        scene.selectionChanged.emit()


def overview_click(scene: SelectionScene, event: QGraphicsSceneMouseEvent) -> bool:
    """At overview zoom a left click selects the node under it (Ctrl toggles it); True if it took the event.

    No drag: a node is a few pixels there. Elsewhere Qt's own handling does it all.
    """
    if not scene.overview or event.button() != Qt.MouseButton.LeftButton:
        return False
    item = scene.node_item_at(event.scenePos())
    if item is None:
        return False
    toggle = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
    if not toggle and isinstance(scene, QGraphicsScene):
        scene.clearSelection()
    item.setSelected(not (toggle and item.isSelected()))
    event.accept()
    return True


def select_in(scene: SelectionScene, rect: QRectF) -> None:
    """Rubber band at overview zoom: also select the nodes whose boxes meet ``rect``."""
    if scene.overview and not rect.isEmpty() and isinstance(scene, QGraphicsScene):
        items = scene.node_items
        select_nodes(scene, [items[node_id] for node_id in nodes_in(scene.node_boxes(), rect)])
