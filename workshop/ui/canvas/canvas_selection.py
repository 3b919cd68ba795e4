"""What is selected on a canvas scene, asked of Qt once per change, and selecting many nodes at once.

Split out of :mod:`canvas_scene`. With 50,000 nodes selected each
``selectedItems()`` copies the whole selection (~14 ms) and the window, the
panels and the overview picture each ask after every change; a selection of
every node set one item at a time woke every listener 50,000 times. Here the
selection is read from Qt once per ``selectionChanged`` and kept, and nodes
are selected in a batch with one notification.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection
from itertools import repeat

from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.node_item import NodeItem


class Selection:
    """The scene's selection as Qt last reported it; made again only after ``selectionChanged``."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self._scene = scene
        self._items: list[QGraphicsItem] | None = None
        self._known: list[QGraphicsItem] | None = None
        self.size = 0
        """How many items are selected (a selected node's paint asks: one resize grip only when alone)."""

    def changed(self) -> None:
        """Qt said the selection changed (connected first: no listener reads it before this)."""
        self._items, self._known = self._known, None
        self.size = len(self.items())

    def expect(self, items: list[QGraphicsItem]) -> None:
        """The next change makes ``items`` the selection (known by who selects them: Qt is not asked, which
        makes a list of 50,000 Python wrappers, ~50 ms)."""
        self._known = items

    def items(self) -> list[QGraphicsItem]:
        if self._items is None:
            self._items = self._scene.selectedItems()
        return self._items

    def node_ids(self) -> list[str]:
        return [i.node_id for i in self.items() if isinstance(i, NodeItem)]

    def flow_ids(self) -> list[str]:
        return [i.flow_id for i in self.items() if isinstance(i, FlowItem)]


def select_nodes(scene: QGraphicsScene, items: Collection[NodeItem]) -> None:
    """Add ``items`` to the selection with one ``selectionChanged`` (Qt's own is blocked meanwhile).

    No ``isSelected()`` first: Qt returns at once for an item already selected, and the check was a
    third of the cost of selecting 50,000 nodes.
    """
    if not items:
        return
    selection = getattr(scene, "selection", None)
    if isinstance(selection, Selection) and selection.size == 0:
        selection.expect(list(items))  # nothing was selected: now exactly these are
    # a whole-scene update first: while it is pending Qt marks no item dirty, so 50,000 selected items are
    # one repaint of what is in sight rather than 50,000 updates processed one by one (~100 ms)
    scene.update()
    blocked = scene.blockSignals(True)
    try:
        deque(map(QGraphicsItem.setSelected, items, repeat(True)), maxlen=0)  # no Python loop: half the time
    finally:
        scene.blockSignals(blocked)
    scene.selectionChanged.emit()
