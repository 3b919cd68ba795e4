"""Drawing a new flow with the mouse: from a node's edge (or with the flow tool, or Alt) to another node.

Split out of :mod:`canvas_scene`: the scene hands each mouse event to
:class:`FlowDrawing` first; while a flow is being drawn the gesture is its
own (a dashed preview follows the pointer, Esc cancels) and the scene's
ordinary selection and drag handling does not see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsSceneMouseEvent

from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import add
from workshop.domain.model.process import Flow
from workshop.ui.canvas.node_item import NodeItem

if TYPE_CHECKING:
    from collections.abc import Iterable

    from PySide6.QtWidgets import QGraphicsItem

    from workshop.domain.model.operations import Operation
    from workshop.ui.themes import Theme


class DrawingScene(Protocol):
    """What drawing a flow needs of the canvas scene (a protocol, so this module does not import the scene)."""

    theme: Theme
    model_id: str
    read_only: bool
    flow_tool: bool

    def addItem(self, item: QGraphicsItem) -> None: ...

    def removeItem(self, item: QGraphicsItem) -> None: ...

    def node_item_at(self, pos: QPointF, exclude: NodeItem | None = None) -> NodeItem | None: ...

    def apply(self, op: Operation, node_ids: Iterable[str] | None = None) -> None: ...


EDGE_ZONE = 10.0
"""A drag that starts this close to a node's border draws a flow instead of moving the node."""


class NewFlowInteraction:
    """Drawing a flow: a dashed preview from the source node to the pointer; Esc cancels."""

    def __init__(self, scene: DrawingScene, source: NodeItem, start: QPointF) -> None:
        self.scene = scene
        self.source = source
        self.preview = QGraphicsLineItem(QLineF(start, start))
        self.preview.setPen(QPen(QColor(scene.theme.selection), 3, Qt.PenStyle.DashLine))
        self.preview.setZValue(100)
        scene.addItem(self.preview)

    def move(self, pos: QPointF) -> None:
        line = self.preview.line()
        line.setP2(pos)
        self.preview.setLine(line)

    def finish(self, pos: QPointF) -> str | None:
        """Commit if released on another node; returns the new flow's id."""
        self.cancel()
        target = self.scene.node_item_at(pos, exclude=self.source)
        if target is None:
            return None
        flow = Flow(
            id=new_id("flow"), model_id=self.scene.model_id, source_id=self.source.node_id, target_id=target.node_id
        )
        self.scene.apply(add(flow))
        return flow.id

    def cancel(self) -> None:
        if self.preview.scene() is not None:
            self.scene.removeItem(self.preview)


class FlowDrawing:
    """The flow-drawing gesture of one scene; each handler says whether it took the event."""

    def __init__(self, scene: DrawingScene) -> None:
        self.scene = scene
        self.interaction: NewFlowInteraction | None = None

    def starts(self, item: NodeItem, scene_pos: QPointF, modifiers: Qt.KeyboardModifier) -> bool:
        if self.scene.flow_tool or modifiers & Qt.KeyboardModifier.AltModifier:
            return True
        local = item.mapFromScene(scene_pos)
        rect = item.rect
        inside = rect.contains(local)
        near = min(local.x() - rect.left(), rect.right() - local.x(), local.y() - rect.top(), rect.bottom() - local.y())
        return inside and near <= EDGE_ZONE and not item.on_resize_grip(local)

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        """Start drawing if the press is on a node's edge (or the flow tool or Alt is on)."""
        if event.button() == Qt.MouseButton.LeftButton and not self.scene.read_only:
            item = self.scene.node_item_at(event.scenePos())
            if item is not None and self.starts(item, event.scenePos(), event.modifiers()):
                self.interaction = NewFlowInteraction(self.scene, item, item.scene_rect().center())
                event.accept()
                return True
        return False

    def move(self, event: QGraphicsSceneMouseEvent) -> bool:
        if self.interaction is None:
            return False
        self.interaction.move(event.scenePos())
        event.accept()
        return True

    def release(self, event: QGraphicsSceneMouseEvent) -> bool:
        """Finish the flow on the node under the pointer (or nowhere)."""
        if self.interaction is None:
            return False
        interaction, self.interaction = self.interaction, None
        interaction.finish(event.scenePos())
        event.accept()
        return True

    def cancel(self) -> bool:
        """Esc: drop the flow being drawn, if there is one."""
        if self.interaction is None:
            return False
        self.interaction.cancel()
        self.interaction = None
        return True
