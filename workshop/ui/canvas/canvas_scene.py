"""The scene of one process model. It follows the document and turns gestures into operations.

One direction only: gesture -> operation -> document -> event -> item. Items
move under the mouse while a drag lasts; on release the scene pushes one
batch for the whole gesture, and the document's event then puts every item
where the record says. If the operation is refused, the items snap back.

What the scene keeps about its model is :mod:`canvas_index`; how it draws at
overview zoom is :mod:`canvas_overview`; drawing a new flow with the mouse is
:mod:`canvas_flow_drawing`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneMouseEvent

from workshop.domain.drawing.shapes import flow_label, flow_mark, organization_colour
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.geometry import Box, lane_bands, model_lanes, route
from workshop.domain.model.handoffs import crossing
from workshop.domain.model.lane_membership import move_changes
from workshop.domain.model.operations import Operation, batch, changes, update
from workshop.domain.model.process import Flow, Node, node_organization
from workshop.ui.canvas.canvas_flow_drawing import FlowDrawing
from workshop.ui.canvas.canvas_index import SceneIndex
from workshop.ui.canvas.canvas_levels import SceneLevel
from workshop.ui.canvas.canvas_overview import OverviewPictures
from workshop.ui.canvas.canvas_selection import Selection, select_nodes
from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.group_item import GroupFrames
from workshop.ui.canvas.lane_item import LaneItem
from workshop.ui.canvas.node_item import NodeItem, NodeScene, snap
from workshop.ui.themes import Theme


class CanvasScene(QGraphicsScene):
    """Lanes, nodes and flows of one model, kept in step with the document.

    An edit touches only the items of the elements it names (the record's
    operations say which were added, updated and removed); the model's extent
    is kept per node, so lanes and the scene rectangle follow without reading
    every item again.
    """

    edit_label_requested = Signal(str, str)
    """(kind, element id): the user asked to edit a label in place."""
    model_changed = Signal()
    """Something the model's picture shows changed (the Overview redraws its picture)."""
    level_changed = Signal()
    """The canvas drilled into a sub-process or went back up (see :mod:`canvas_levels`)."""

    def __init__(
        self,
        document: Document,
        model_id: str,
        theme: Theme,
        # the window's Apply (workshop.ui.host), spelled out: host names this class, so no import back to it
        apply: Callable[[Operation], object] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.pictures = OverviewPictures(self)  # first: it keeps the items added that are not nodes or flows
        self.document = document
        self.model_id = model_id
        self.theme = theme
        self._apply = apply or document.apply
        self.read_only = False
        self.flow_tool = False
        self.node_items: dict[str, NodeItem] = {}
        self.flow_items: dict[str, FlowItem] = {}
        self.lane_items: dict[str, LaneItem] = {}
        self.groups = GroupFrames(self, self)
        self.index = SceneIndex()
        self._node_orgs = self.index.node_orgs
        self._scene_rect = QRectF()
        """The rect last given to setSceneRect (sceneRect() before the first computes itemsBoundingRect())."""
        self.flow_drawing = FlowDrawing(self)
        self.selection = Selection(self)
        self.selectionChanged.connect(self._selection_changed)  # first: the selection is read again before others
        self.setBackgroundBrush(QColor(theme.canvas))
        self.level = SceneLevel(self)
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
        self.index.clear()
        for node in session.nodes.values():
            if node.model_id == self.model_id:
                self._sync_node(node)
        for flow in session.flows.values():
            if flow.model_id == self.model_id:
                self._sync_flow(flow, building=True)
        self._sync_lanes()
        self.groups.sync()
        self._flows_changed()

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
        self.groups.set_theme(theme)
        self.pictures.theme_changed()

    def _on_record(self, record: LogRecord) -> None:
        """Bring the items of the elements ``record`` added, updated or removed up to date, and only those."""
        session = self.document.session
        changed = changes(record.op)
        nodes = changed.of_kind("node")
        flows = changed.of_kind("flow")
        if changed.of_kind("group"):
            self.groups.sync(set(changed.of_kind("group")))
            self.pictures.changed()
        # lanes, organizations or models changed: colours, handoffs and bands may change anywhere
        structure = bool(changed.kinds() & {"lane", "organization", "model"})
        if not (nodes or flows or structure):
            return
        if self.level.restructured(nodes):
            return
        right_before = self.nodes_right()
        for node_id in nodes:
            node = session.nodes.get(node_id)
            if node is not None and node.model_id == self.model_id:
                self._sync_node(node)
                flows.update(self.index.flows_at(node_id))  # their routes (and handoff marks) follow
            elif node is None and node_id in self.node_items:
                self.removeItem(self.node_items.pop(node_id))
                self.index.drop_node(node_id)
                self.pictures.nodes_changed(node_id)
        if structure:
            self.pictures.nodes_changed()  # colours may change anywhere
            for node_id, item in self.node_items.items():
                node = session.nodes[node_id]
                item.sync(node, self._node_colour(node))
            flows.update(self.flow_items)
        for flow_id in flows:
            flow = session.flows.get(flow_id)
            if flow is not None and flow.model_id == self.model_id:
                self._sync_flow(flow)
            elif flow is None and flow_id in self.flow_items:
                self._drop_flow(flow_id)
        if structure or self.nodes_right() != right_before:
            self._sync_lanes()
        else:
            self._update_scene_rect()
        self.model_changed.emit()

    def _node_colour(self, node: Node) -> str:
        """The node's organization colour; notes the organization for its flows' handoff marks."""
        session = self.document.session
        org_id = node_organization(node, session.lanes)
        self._node_orgs[node.id] = org_id
        return organization_colour(session, org_id, self.theme.style)

    def _sync_node(self, node: Node) -> None:
        if not self.level.shows(node):
            return self.level.drop_node(node.id)
        item = self.node_items.get(node.id)
        if item is None:
            item = NodeItem(node, self.theme, self._node_colour(node))
            if self.read_only:
                item.setFlag(item.GraphicsItemFlag.ItemIsMovable, False)
            self.node_items[node.id] = item
            QGraphicsScene.addItem(self, item)  # past addItem below: a node needs none of its bookkeeping
        else:
            item.sync(node, self._node_colour(node))
        self.index.set_node(node)
        self.pictures.nodes_changed(node.id)

    def _sync_flow(self, flow: Flow, *, building: bool = False) -> None:
        if not self.level.shows_flow(flow):
            return self._drop_flow(flow.id) if flow.id in self.flow_items else None
        item = self.flow_items.get(flow.id)
        new = item is None
        if item is None:
            item = FlowItem(flow.id, self.theme)
            self.flow_items[flow.id] = item
        self.index.set_flow(flow)
        orgs = self._node_orgs
        handoff = crossing(flow, orgs.get(flow.source_id), orgs.get(flow.target_id)) is not None
        mark = flow_mark(self.document.session, flow)
        item.set_route(self._route(flow.source_id, flow.target_id), flow_label(flow), handoff, mark)
        if new:
            QGraphicsScene.addItem(self, item)  # routed first (cheaper outside a scene); past addItem's bookkeeping
        if not building:
            self._flows_changed((flow.id,))

    def flows_recoloured(self) -> None:
        """Flow colours were overridden (tie strengths): the overview picture follows."""
        self._flows_changed()

    def _flows_changed(self, flow_ids: Iterable[str] | None = None) -> None:
        """The overview picture follows the flows ``flow_ids`` (None: every flow)."""
        self.pictures.flows_changed(flow_ids)

    def _route(self, source_id: str, target_id: str, *, live: bool = False) -> list[tuple[float, float]]:
        """The route between two nodes as recorded, or (``live``, during a drag) where their items are now."""

        def box(node_id: str) -> Box:
            if live:
                item = self.node_items[node_id]
                pos, rect = item.pos(), item.rect
                return Box(pos.x(), pos.y(), rect.width(), rect.height())
            return self.index.recorded_boxes[node_id]

        return route(box(source_id), box(target_id))

    def _drop_flow(self, flow_id: str) -> None:
        self.removeItem(self.flow_items.pop(flow_id))
        self.index.drop_flow(flow_id)
        self._flows_changed((flow_id,))

    def node_boxes(self) -> dict[str, tuple[float, float, float, float]]:
        """Each node's (left, top, right, bottom), as kept for the extent (read-only for callers)."""
        return self.index.node_boxes

    def nodes_right(self) -> float:
        """Where the model's nodes end on the right (0 without nodes)."""
        return self.index.nodes_right()

    def _sync_lanes(self) -> None:
        session = self.document.session
        boxes = self.lane_boxes()
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
            colour = organization_colour(session, lane.organization_id, self.theme.style)
            item.sync(box, org.name if org else "?", lane.role, colour)
        self._update_scene_rect()

    def model_rect(self) -> QRectF:
        """The lanes, nodes and flows of the model (what zoom-to-fit shows), from the kept extent."""
        rect = self.index.nodes_rect()
        for lane in self.lane_items.values():
            rect = rect.united(lane.rect()) if not rect.isNull() else lane.rect()
        return rect

    def _update_scene_rect(self) -> None:
        scene_rect = self.model_rect().adjusted(-200, -200, 400, 300)
        if scene_rect != self._scene_rect:
            self._scene_rect = scene_rect
            self.setSceneRect(scene_rect)
        self.pictures.changed()  # lanes, groups or the extent changed: the overview picture follows

    def set_read_only(self, read_only: bool) -> None:
        """Refuse (True) or allow gestures; node items follow only when it changes (not a walk on every open)."""
        if read_only == self.read_only:
            return
        self.read_only = read_only
        for item in self.node_items.values():
            item.setFlag(item.GraphicsItemFlag.ItemIsMovable, not read_only)

    def update_overview(self) -> None:
        """Draw the model as a picture only while every view of this scene is below :data:`OVERVIEW_ZOOM` (the
        projector shares the scene; if it shows the model up close, items paint themselves in both views)."""
        self.pictures.follow_zoom()

    @property
    def overview(self) -> bool:
        """True while the view is zoomed out past :data:`OVERVIEW_ZOOM`."""
        return self.pictures.active

    def addItem(self, item: QGraphicsItem) -> None:
        """Add ``item``; one that is neither a node nor a flow is drawn item by item at overview zoom too."""
        super().addItem(item)
        if not isinstance(item, (NodeItem, FlowItem)):
            self.pictures.others[item] = None

    def removeItem(self, item: QGraphicsItem) -> None:
        super().removeItem(item)
        self.pictures.others.pop(item, None)

    def lane_boxes(self) -> dict[str, Box]:
        if self.level.root is not None:
            return {}  # inside a sub-process: its steps on a plane of their own, no lanes
        return lane_bands(model_lanes(self.document.session, self.model_id), self.nodes_right())

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

    @property
    def selection_size(self) -> int:
        """How many items are selected (kept per change: a selected node's paint asks)."""
        return self.selection.size

    def selected_node_ids(self) -> list[str]:
        return self.selection.node_ids()

    def selected_flow_ids(self) -> list[str]:
        return self.selection.flow_ids()

    def _selection_changed(self) -> None:
        self.selection.changed()
        self.pictures.selection_changed()

    # -- gestures ------------------------------------------------------------------
    def apply(self, op: Operation, node_ids: Iterable[str] | None = None) -> None:
        """Apply a gesture's operation; the items it moved (by default the selection) then show the record."""
        try:
            self._apply(op)
        finally:
            self.resync_positions(node_ids)

    def resync_positions(self, node_ids: Iterable[str] | None = None) -> None:
        """Put the items of ``node_ids`` (by default the selected nodes) where the document has them.

        After a completed gesture the document's event has already done so; after
        a refused one this puts the dragged items back.
        """
        session = self.document.session
        ids = self.selected_node_ids() if node_ids is None else node_ids
        for node_id in ids:
            node = session.nodes.get(node_id)
            item = self.node_items.get(node_id)
            if (
                node is not None
                and item is not None
                and (item.pos() != QPointF(node.x, node.y) or item.rect.width() != node.w)
            ):
                item.sync(node, self._node_colour(node))
                self.reroute_node(node_id)

    def snap_dragged(self) -> None:
        """Snap the nodes being dragged to the grid and let their flows follow (called on each mouse move)."""
        for item in self.selection.items():
            if isinstance(item, NodeItem):
                pos = item.pos()
                snapped = QPointF(snap(pos.x()), snap(pos.y()))
                if snapped != pos:
                    item.setPos(snapped)
                self.reroute_node(item.node_id)

    def reroute_node(self, node_id: str) -> None:
        session = self.document.session
        for flow_id in self.index.flows_at(node_id):
            flow = session.flows.get(flow_id)
            item = self.flow_items.get(flow_id)
            if flow is not None and item is not None:
                route = self._route(flow.source_id, flow.target_id, live=True)
                item.set_route(route, flow_label(flow), item.handoff)
        self._flows_changed(self.index.flows_at(node_id))

    def move_changes(self, node: Node, x: float, y: float) -> dict[str, object]:
        """The fields a move sets (see :mod:`workshop.domain.model.lane_membership`)."""
        if self.level.root is not None or node.parent_id is not None:
            return {"x": x, "y": y}  # a sub-process's step stays with its sub-process's lane
        return move_changes(self.document.session, node, x, y)

    def commit_moves(self) -> None:
        """One operation for the nodes the drag moved (the selected ones; nothing else can move)."""
        session = self.document.session
        ops: list[Operation] = []
        moved: list[str] = []
        for item in self.selection.items():
            if not isinstance(item, NodeItem):
                continue
            node = session.nodes.get(item.node_id)
            if node is None:
                continue
            moved.append(node.id)
            pos = item.pos()
            if (pos.x(), pos.y()) != (node.x, node.y):
                ops.append(update("node", node.id, **self.move_changes(node, pos.x(), pos.y())))
                ops += self.level.carried_moves(node, pos.x(), pos.y())
        if ops:
            self.apply(batch(f"Move {len(ops)} node{'s' if len(ops) > 1 else ''}", ops), moved)

    def commit_resize(self, node_id: str, w: float, h: float) -> None:
        self.apply(update("node", node_id, w=w, h=h), [node_id])

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.flow_drawing.press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if not self.flow_drawing.move(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.flow_drawing.release(event):
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.read_only:
            self.commit_moves()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        for item in self.items(event.scenePos()):
            if isinstance(item, NodeItem):
                if not self.level.enter(item.node_id):
                    self.edit_label_requested.emit("node", item.node_id)
                return
            if isinstance(item, FlowItem):
                self.edit_label_requested.emit("flow", item.flow_id)
                return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() == Qt.Key.Key_Escape and self.flow_drawing.cancel()) or self.level.key(event):
            event.accept()
            return
        super().keyPressEvent(event)


def select_all_nodes(scene: CanvasScene) -> None:
    """Select every node with one ``selectionChanged`` (not one per node: each would wake every listener)."""
    select_nodes(scene, scene.node_items.values())


if TYPE_CHECKING:
    _node_scene: type[NodeScene] = CanvasScene  # mypy checks that node items' NodeScene is what this scene has
