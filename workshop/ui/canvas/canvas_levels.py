"""Drilling down into sub-processes: which level of the model a canvas shows, and the breadcrumb back.

Split out of :mod:`canvas_scene` (the breadcrumb is :mod:`canvas_breadcrumb`). The scene shows the process itself or the
inside of one sub-process (double-click or Enter on it); an
expanded sub-process draws its steps in place. Esc or Backspace go back up
a level, the breadcrumb ("Main process › Handle claim") to any level.
Labels are people's text, shown as plain text.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGraphicsItem

from workshop.domain.model.document import Document
from workshop.domain.model.naming import node_name
from workshop.domain.model.operations import Operation, update
from workshop.domain.model.process import Flow, Node, ancestors
from workshop.domain.model.sub_processes import carried, holds_steps, shown_at, trail
from workshop.ui.canvas.canvas_index import SceneIndex

MAIN_LEVEL = "Main process"


class LevelScene(Protocol):
    """What a level needs of its scene (:class:`~workshop.ui.canvas.canvas_scene.CanvasScene`)."""

    document: Document
    index: SceneIndex
    level_changed: SignalInstance
    model_changed: SignalInstance
    groups: Any  # GroupFrames: the model's group frames, drawn on the process's own level

    @property
    def node_items(self) -> dict[str, Any]: ...  # the scene's node items (NodeItem: no import back to it)

    def removeItem(self, item: QGraphicsItem) -> None: ...

    def clearSelection(self) -> None: ...

    def build(self) -> None: ...

    def selected_node_ids(self) -> list[str]: ...


class SceneLevel:
    """The level one scene shows: ``root`` None for the process, else the sub-process drilled into."""

    def __init__(self, scene: LevelScene) -> None:
        self.scene = scene
        self.root: str | None = None
        self._open: dict[str, bool] = {}
        """Whether each sub-process seen was expanded: a change shows or hides its steps, not only itself."""

    def _nodes(self) -> dict[str, Node]:
        return self.scene.document.session.nodes

    def shows(self, node: Node) -> bool:
        if node.is_sub_process:
            self._open[node.id] = node.expanded
        return shown_at(node, self._nodes(), self.root)

    def restructured(self, node_ids: set[str]) -> bool:
        """After an edit of ``node_ids``: redraw the level (True) when the sub-process shown is gone (back to the
        process's level) or a sub-process was opened or closed; False when syncing the edited items is enough."""
        nodes = self._nodes()
        if self.root is not None and self.root not in nodes:
            self.go(None)
        elif any(i in nodes and i in self._open and nodes[i].expanded != self._open[i] for i in node_ids):
            self.scene.build()
        else:
            return False
        self.scene.model_changed.emit()
        return True

    def shows_flow(self, flow: Flow) -> bool:
        nodes = self._nodes()
        ends = [nodes.get(flow.source_id), nodes.get(flow.target_id)]
        return all(end is not None and shown_at(end, nodes, self.root) for end in ends)

    def drop_node(self, node_id: str) -> None:
        """The node is not on this level (any more): its item goes."""
        item = self.scene.node_items.pop(node_id, None)
        if item is not None:
            self.scene.removeItem(item)
            self.scene.index.drop_node(node_id)

    def levels(self) -> list[tuple[str | None, str]]:
        """(root, name) of each level from the process down to this one: the breadcrumb."""
        return [(None, MAIN_LEVEL), *((n.id, node_name(n)) for n in trail(self._nodes(), self.root))]

    def reveal(self, node_id: str) -> None:
        """Go to the level that draws ``node_id`` (the walk or a finding inside a collapsed sub-process)."""
        nodes = self._nodes()
        node = nodes.get(node_id)
        if node is None or shown_at(node, nodes, self.root):
            return
        self.go(next((holder.id for holder in ancestors(node, nodes) if not holder.expanded), None))

    def enter(self, node_id: str) -> bool:
        """Show the inside of a sub-process that holds steps (an expanded one's alone, without what is around it);
        False (nothing changes) for other nodes."""
        node = self._nodes().get(node_id)
        if node is None or not holds_steps(node, self._nodes()):
            return False
        self.go(node_id)
        return True

    def up(self) -> bool:
        """One level up; False on the process's own level."""
        if self.root is None:
            return False
        levels = self.levels()
        self.go(levels[-2][0] if len(levels) > 1 else None)
        return True

    def go(self, root: str | None) -> None:
        self.root = root if root in self._nodes() else None
        self.scene.clearSelection()
        self.scene.build()
        for frame in self.scene.groups.items.values():
            frame.setVisible(self.root is None)
        self.scene.level_changed.emit()

    def key(self, event: QKeyEvent) -> bool:
        """Enter drills into the selected sub-process; Esc and Backspace go up. True if the key was used."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selected = self.scene.selected_node_ids()
            return len(selected) == 1 and self.enter(selected[0])
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Backspace):
            return self.up()
        return False

    def carried_moves(self, node: Node, x: float, y: float) -> list[Operation]:
        """Moving an expanded sub-process moves what it draws inside it by as much."""
        dx, dy = x - node.x, y - node.y
        return [update("node", inner.id, x=inner.x + dx, y=inner.y + dy) for inner in carried(node, self._nodes())]
