"""The scene of one process model. It follows the document and turns gestures into operations.

One direction only: gesture -> operation -> document -> event -> item. Items
move under the mouse while a drag lasts; on release the scene pushes one
batch for the whole gesture, and the document's event then puts every item
where the record says. If the operation is refused, the items snap back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from PySide6.QtCore import QLineF, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene, QGraphicsSceneMouseEvent

from workshop.domain.document import Document, LogRecord
from workshop.domain.geometry import Box, lane_boxes, route
from workshop.domain.handoffs import is_handoff
from workshop.domain.ids import new_id
from workshop.domain.lane_membership import move_changes
from workshop.domain.operations import Operation, add, batch, element_id, update
from workshop.domain.process import Flow, Node, node_organization
from workshop.ui.flow_item import FlowItem
from workshop.ui.lane_item import LaneItem
from workshop.ui.node_item import NodeItem
from workshop.ui.themes import Theme

Apply = Callable[[Operation], object]
EDGE_ZONE = 10.0
"""A drag that starts this close to a node's border draws a flow instead of moving the node."""

NO_ORG_COLOUR = "#9e9e9e"
OVERVIEW_ZOOM = 0.05
"""Below this zoom (thousands of nodes on one screen) ordinary flows are sub-pixel noise: only handoffs show.
Hiding them spares Qt one Python paint call per flow, which is most of the cost of fitting a huge model."""


class NewFlowInteraction:
    """Drawing a flow: a dashed preview from the source node to the pointer; Esc cancels."""

    def __init__(self, scene: CanvasScene, source: NodeItem, start: QPointF) -> None:
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


class CanvasScene(QGraphicsScene):
    """Lanes, nodes and flows of one model, kept in step with the document."""

    edit_label_requested = Signal(str, str)
    """(kind, element id): the user asked to edit a label in place."""

    def __init__(
        self,
        document: Document,
        model_id: str,
        theme: Theme,
        apply: Apply | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.model_id = model_id
        self.theme = theme
        self._apply = apply or document.apply
        self.read_only = False
        self.flow_tool = False
        self.overview = False
        """True while the view is zoomed out past OVERVIEW_ZOOM."""
        self.node_items: dict[str, NodeItem] = {}
        self.flow_items: dict[str, FlowItem] = {}
        self.lane_items: dict[str, LaneItem] = {}
        self._flows_of: defaultdict[str, set[str]] = defaultdict(set)
        self._interaction: NewFlowInteraction | None = None
        self._press_positions: dict[str, QPointF] = {}
        self.setBackgroundBrush(QColor(theme.canvas))
        self.build()
        self._unsubscribe = document.subscribe(self._on_record)

    # -- following the document -------------------------------------------------
    def detach(self) -> None:
        """Stop following the document (the tab is closing)."""
        self._unsubscribe()

    def build(self) -> None:
        session = self.document.session
        for item in [*self.node_items.values(), *self.flow_items.values(), *self.lane_items.values()]:
            self.removeItem(item)
        self.node_items.clear()
        self.flow_items.clear()
        self.lane_items.clear()
        self._flows_of.clear()
        for node in session.nodes.values():
            if node.model_id == self.model_id:
                self._sync_node(node)
        for flow in session.flows.values():
            if flow.model_id == self.model_id:
                self._sync_flow(flow)
        self._sync_lanes()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setBackgroundBrush(QColor(theme.canvas))
        items: list[NodeItem | FlowItem | LaneItem] = [
            *self.node_items.values(),
            *self.flow_items.values(),
            *self.lane_items.values(),
        ]
        for item in items:
            item.theme = theme
            item.update()

    def _on_record(self, record: LogRecord) -> None:
        session = self.document.session
        touched = False
        for op in record.op.primitives():
            kind = getattr(op, "kind", None)
            changed_id = element_id(op)
            if kind == "node":
                node = session.nodes.get(changed_id or "")
                if node is not None and node.model_id == self.model_id:
                    self._sync_node(node)
                    for flow_id in self._flows_of.get(node.id, ()):
                        self._sync_flow(session.flows[flow_id])
                    touched = True
                elif node is None and changed_id in self.node_items:
                    self.removeItem(self.node_items.pop(changed_id))
                    touched = True
            elif kind == "flow":
                flow = session.flows.get(changed_id or "")
                if flow is not None and flow.model_id == self.model_id:
                    self._sync_flow(flow)
                elif flow is None and changed_id in self.flow_items:
                    self._drop_flow(changed_id)
            elif kind in ("lane", "organization", "model"):
                touched = True
                if kind == "organization":
                    for node in session.nodes.values():
                        if node.model_id == self.model_id:
                            self._sync_node(node)
                    for flow in session.flows.values():
                        if flow.model_id == self.model_id:
                            self._sync_flow(flow)
        if touched:
            self._sync_lanes()

    def _node_colour(self, node: Node) -> str:
        session = self.document.session
        org_id = node_organization(node, session.lanes)
        org = session.organizations.get(org_id) if org_id else None
        return org.colour if org else NO_ORG_COLOUR

    def _sync_node(self, node: Node) -> None:
        item = self.node_items.get(node.id)
        if item is None:
            item = NodeItem(node, self.theme, self._node_colour(node))
            item.setFlag(item.GraphicsItemFlag.ItemIsMovable, not self.read_only)
            self.node_items[node.id] = item
            self.addItem(item)
        else:
            item.sync(node, self._node_colour(node))

    def _sync_flow(self, flow: Flow) -> None:
        session = self.document.session
        item = self.flow_items.get(flow.id)
        if item is None:
            item = FlowItem(flow.id, self.theme)
            self.flow_items[flow.id] = item
            self.addItem(item)
        for end in (flow.source_id, flow.target_id):
            self._flows_of[end].add(flow.id)
        item.set_route(self._route(flow.source_id, flow.target_id), flow.label, is_handoff(session, flow))
        item.setVisible(item.handoff or not self.overview)

    def _route(self, source_id: str, target_id: str) -> list[tuple[float, float]]:
        def box(node_id: str) -> Box:
            rect = self.node_items[node_id].scene_rect()
            return Box(rect.x(), rect.y(), rect.width(), rect.height())

        return route(box(source_id), box(target_id))

    def _drop_flow(self, flow_id: str) -> None:
        self.removeItem(self.flow_items.pop(flow_id))
        for flows in self._flows_of.values():
            flows.discard(flow_id)

    def _sync_lanes(self) -> None:
        session = self.document.session
        boxes = lane_boxes(session, self.model_id)
        for lane_id in set(self.lane_items) - set(boxes):
            self.removeItem(self.lane_items.pop(lane_id))
        for lane_id, box in boxes.items():
            lane = session.lanes[lane_id]
            org = session.organizations.get(lane.organization_id)
            item = self.lane_items.get(lane_id)
            if item is None:
                item = LaneItem(lane_id, self.theme)
                self.lane_items[lane_id] = item
                self.addItem(item)
            item.sync(box, org.name if org else "?", lane.role, org.colour if org else NO_ORG_COLOUR)
        self.setSceneRect(self.itemsBoundingRect().adjusted(-200, -200, 400, 300))

    def set_overview(self, overview: bool) -> None:
        """Show only handoffs (True) or every flow (False); called by views when the zoom crosses OVERVIEW_ZOOM."""
        if overview != self.overview:
            self.overview = overview
            for item in self.flow_items.values():
                item.setVisible(item.handoff or not overview)

    def lane_boxes(self) -> dict[str, Box]:
        return lane_boxes(self.document.session, self.model_id)

    # -- lookups used by views and overlays ----------------------------------------
    def node_item(self, node_id: str) -> NodeItem | None:
        return self.node_items.get(node_id)

    def flow_item(self, flow_id: str) -> FlowItem | None:
        return self.flow_items.get(flow_id)

    def node_item_at(self, pos: QPointF, exclude: NodeItem | None = None) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem) and item is not exclude:
                return item
        return None

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_flow_ids(self) -> list[str]:
        return [i.flow_id for i in self.selectedItems() if isinstance(i, FlowItem)]

    # -- gestures ------------------------------------------------------------------
    def apply(self, op: Operation) -> None:
        try:
            self._apply(op)
        finally:
            self.resync_positions()

    def resync_positions(self) -> None:
        """Put every item back where the document has it (after a refused or completed gesture)."""
        session = self.document.session
        for node_id, item in self.node_items.items():
            node = session.nodes.get(node_id)
            if node is not None and (item.pos() != QPointF(node.x, node.y) or item.rect.width() != node.w):
                item.sync(node, self._node_colour(node))
                self.reroute_node(node_id)

    def reroute_node(self, node_id: str) -> None:
        session = self.document.session
        for flow_id in self._flows_of.get(node_id, ()):
            flow = session.flows.get(flow_id)
            item = self.flow_items.get(flow_id)
            if flow is not None and item is not None:
                item.set_route(self._route(flow.source_id, flow.target_id), flow.label, item.handoff)

    def move_changes(self, node: Node, x: float, y: float) -> dict[str, object]:
        """The fields a move sets (see :mod:`workshop.domain.lane_membership`)."""
        return move_changes(self.document.session, node, x, y)

    def commit_moves(self) -> None:
        session = self.document.session
        ops: list[Operation] = []
        for node_id, item in self.node_items.items():
            node = session.nodes.get(node_id)
            if node is None:
                continue
            pos = item.pos()
            if (pos.x(), pos.y()) != (node.x, node.y):
                ops.append(update("node", node_id, **self.move_changes(node, pos.x(), pos.y())))
        if ops:
            self.apply(batch(f"Move {len(ops)} node{'s' if len(ops) > 1 else ''}", ops))

    def commit_resize(self, node_id: str, w: float, h: float) -> None:
        self.apply(update("node", node_id, w=w, h=h))

    def _starts_flow(self, item: NodeItem, scene_pos: QPointF, modifiers: Qt.KeyboardModifier) -> bool:
        if self.flow_tool or modifiers & Qt.KeyboardModifier.AltModifier:
            return True
        local = item.mapFromScene(scene_pos)
        rect = item.rect
        inside = rect.contains(local)
        near = min(local.x() - rect.left(), rect.right() - local.x(), local.y() - rect.top(), rect.bottom() - local.y())
        return inside and near <= EDGE_ZONE and not item.on_resize_grip(local)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.read_only:
            item = self.node_item_at(event.scenePos())
            if item is not None and self._starts_flow(item, event.scenePos(), event.modifiers()):
                self._interaction = NewFlowInteraction(self, item, item.scene_rect().center())
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._interaction is not None:
            self._interaction.move(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._interaction is not None:
            interaction, self._interaction = self._interaction, None
            interaction.finish(event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.read_only:
            self.commit_moves()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        for item in self.items(event.scenePos()):
            if isinstance(item, NodeItem):
                self.edit_label_requested.emit("node", item.node_id)
                return
            if isinstance(item, FlowItem):
                self.edit_label_requested.emit("flow", item.flow_id)
                return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._interaction is not None:
            self._interaction.cancel()
            self._interaction = None
            event.accept()
            return
        super().keyPressEvent(event)
