"""The scene of one process model. It follows the document and turns gestures into operations.

One direction only: gesture -> operation -> document -> event -> item. Items
move under the mouse while a drag lasts; on release the scene pushes one
batch for the whole gesture, and the document's event then puts every item
where the record says. If the operation is refused, the items snap back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QLineF, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workshop.domain.document import Document, LogRecord
from workshop.domain.drawing import flow_stroke, organization_colour
from workshop.domain.geometry import ROUTE_CLEARANCE, Box, lane_bands, model_lanes, route
from workshop.domain.handoffs import crossing
from workshop.domain.ids import new_id
from workshop.domain.lane_membership import move_changes
from workshop.domain.operations import Operation, add, batch, changes, update
from workshop.domain.process import Flow, Node, node_organization
from workshop.ui.canvas.flow_item import FlowItem
from workshop.ui.canvas.lane_item import LaneItem
from workshop.ui.canvas.node_item import NodeItem, NodeScene, snap
from workshop.ui.canvas.projection import on_projector
from workshop.ui.themes import Theme

EDGE_ZONE = 10.0
"""A drag that starts this close to a node's border draws a flow instead of moving the node."""

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
OVERVIEW_ZOOM = 0.05
"""Below this zoom (thousands of nodes on one screen) flows are drawn by one :class:`FlowOverview` item from
cached paths, not item by item: one Python paint call per flow is most of the cost of fitting a huge model."""


def _discard(items: list[str], item: str) -> None:
    if item in items:
        items.remove(item)


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


Paths = TypeVar("Paths")


class _Overview(QGraphicsItem, Generic[Paths]):
    """One item drawing a whole kind of element at overview zoom from paths cached until they change."""

    def __init__(self, scene: CanvasScene, z: float) -> None:
        super().__init__()
        self._scene = scene
        self._paths: Paths | None = None
        self._bounds = QRectF()
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)

    def invalidate(self, bounds: QRectF) -> None:
        """The elements, their bounds or the theme changed: build the paths again when next drawn."""
        self._paths = None
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = QRectF(bounds)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds


class FlowOverview(_Overview[list[tuple[QColor, float, QPainterPath]]]):
    """Every flow of the model at overview zoom, drawn from one cached path per colour.

    Below :data:`OVERVIEW_ZOOM` thousands of flows are each a pixel or two;
    one Python ``paint`` call per flow would cost more than the rest of the
    frame, so the flow items are hidden and this one item draws them all. The
    paths are built again only after a flow changed, and only when drawn.
    """

    def __init__(self, scene: CanvasScene) -> None:
        super().__init__(scene, 5)

    def _build(self) -> list[tuple[QColor, float, QPainterPath]]:
        paths: dict[tuple[str, bool], QPainterPath] = {}
        style = self._scene.theme.style
        colours = {handoff: flow_stroke(style, handoff=handoff).colour for handoff in (False, True)}
        for item in self._scene.flow_items.values():
            points = item.route
            if len(points) < 2:
                continue
            colour = item.colour_override or colours[item.handoff]
            path = paths.get((colour, item.handoff))
            if path is None:
                path = paths[(colour, item.handoff)] = QPainterPath()
            path.moveTo(*points[0])
            for x, y in points[1:]:
                path.lineTo(x, y)
        ordered = sorted(paths.items(), key=lambda entry: entry[0][1])  # ordinary flows first, handoffs on top
        return [(QColor(colour), 2.0 if handoff else 0.0, path) for (colour, handoff), path in ordered]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._paths is None:
            self._paths = self._build()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # hairlines a pixel wide: crisp and cheap
        for colour, width, path in self._paths:  # ordinary flows first, handoffs on top
            pen = QPen(colour, width)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPath(path)


class NodeOverview(_Overview[list[tuple[QColor, QPainterPath]]]):
    """Every node of the model at overview zoom: one cached filled path per organization colour.

    Below :data:`OVERVIEW_ZOOM` a node is a box of a few pixels in its
    colour; the node items stay (hit-testing, rubber-band selection) but are
    flagged as having no contents, so Qt makes no Python ``paint`` call for
    each. Selected nodes are drawn over in the selection colour.
    """

    def __init__(self, scene: CanvasScene) -> None:
        super().__init__(scene, 10)

    def _build(self) -> list[tuple[QColor, QPainterPath]]:
        boxes = self._scene.node_boxes()
        paths: dict[str, QPainterPath] = {}
        for node_id, item in self._scene.node_items.items():
            left, top, right, bottom = boxes[node_id]
            path = paths.get(item.colour)
            if path is None:
                path = paths[item.colour] = QPainterPath()
            path.addRect(left, top, right - left, bottom - top)
        return [(QColor(colour), path) for colour, path in paths.items()]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._paths is None:
            self._paths = self._build()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # boxes of a few pixels: edges need none
        for colour, path in self._paths:
            painter.fillPath(path, colour)
        if self._scene.selection_size and not on_projector(widget):
            selected = QColor(self._scene.theme.selection)
            for item in self._scene.selectedItems():
                if isinstance(item, NodeItem):
                    painter.fillRect(item.scene_rect(), selected)


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
        self._flows_of: defaultdict[str, list[str]] = defaultdict(list)
        """The flows at each node (a list: a few per node, and a set costs 200 bytes each at 10,000 nodes)."""
        self._flow_ends: dict[str, tuple[str, str]] = {}
        self._node_boxes: dict[str, tuple[float, float, float, float]] = {}
        """Each node's (left, top, right, bottom): the model's extent without asking every item."""
        self._node_orgs: dict[str, str | None] = {}
        """Each node's organization (as its colour was chosen), for its flows' handoff marks."""
        self._recorded_boxes: dict[str, Box] = {}
        """Each node's box as recorded, for routes (made once per change, not twice per flow)."""
        self._scene_rect = QRectF()
        """The rect last given to setSceneRect (sceneRect() before the first computes itemsBoundingRect())."""
        self._interaction: NewFlowInteraction | None = None
        self._press_positions: dict[str, QPointF] = {}
        self.selection_size = 0
        """How many items are selected (kept on selectionChanged; a selected node's paint asks)."""
        self.selectionChanged.connect(self._count_selection)
        self.flow_overview = FlowOverview(self)
        self.addItem(self.flow_overview)
        self.node_overview = NodeOverview(self)
        self.addItem(self.node_overview)
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
        self._flow_ends.clear()
        self._node_boxes.clear()
        self._recorded_boxes.clear()
        self._node_orgs.clear()
        for node in session.nodes.values():
            if node.model_id == self.model_id:
                self._sync_node(node)
        for flow in session.flows.values():
            if flow.model_id == self.model_id:
                self._sync_flow(flow, building=True)
        self._sync_lanes()
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
        self.flow_overview.invalidate(self.sceneRect())

    def _on_record(self, record: LogRecord) -> None:
        """Bring the items of the elements ``record`` added, updated or removed up to date, and only those."""
        session = self.document.session
        changed = changes(record.op)
        nodes = changed.of_kind("node")
        flows = changed.of_kind("flow")
        # lanes, organizations or models changed: colours, handoffs and bands may change anywhere
        structure = bool(changed.kinds() & {"lane", "organization", "model"})
        if not (nodes or flows or structure):
            return
        right_before = self.nodes_right()
        for node_id in nodes:
            node = session.nodes.get(node_id)
            if node is not None and node.model_id == self.model_id:
                self._sync_node(node)
                flows.update(self._flows_of.get(node_id, ()))  # their routes (and handoff marks) follow
            elif node is None and node_id in self.node_items:
                self.removeItem(self.node_items.pop(node_id))
                self._node_boxes.pop(node_id, None)
                self._recorded_boxes.pop(node_id, None)
                self._node_orgs.pop(node_id, None)
                self._nodes_changed()
        if structure:
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
        item = self.node_items.get(node.id)
        if item is None:
            item = NodeItem(node, self.theme, self._node_colour(node))
            if self.read_only:
                item.setFlag(item.GraphicsItemFlag.ItemIsMovable, False)
            if self.overview:
                item.setFlag(NO_CONTENTS, True)
            self.node_items[node.id] = item
            self.addItem(item)
        else:
            item.sync(node, self._node_colour(node))
        self._node_boxes[node.id] = (node.x, node.y, node.x + node.w, node.y + node.h)
        self._recorded_boxes[node.id] = Box(node.x, node.y, node.w, node.h)
        self._nodes_changed()

    def _nodes_changed(self) -> None:
        if self.overview:
            self.node_overview.invalidate(self._scene_rect)

    def _sync_flow(self, flow: Flow, *, building: bool = False) -> None:
        item = self.flow_items.get(flow.id)
        new = item is None
        if item is None:
            item = FlowItem(flow.id, self.theme)
            if self.overview:
                item.setVisible(False)
            self.flow_items[flow.id] = item
        ends = self._flow_ends.get(flow.id)
        if ends != (flow.source_id, flow.target_id):
            if ends is not None:
                for end in ends:
                    _discard(self._flows_of[end], flow.id)
            for end in (flow.source_id, flow.target_id):
                if flow.id not in self._flows_of[end]:
                    self._flows_of[end].append(flow.id)
            self._flow_ends[flow.id] = (flow.source_id, flow.target_id)
        orgs = self._node_orgs
        handoff = crossing(flow, orgs.get(flow.source_id), orgs.get(flow.target_id)) is not None
        item.set_route(self._route(flow.source_id, flow.target_id), flow.label, handoff)
        if new:
            self.addItem(item)  # after its route is set: geometry changes of an item in a scene cost more
        if not building:
            self._flows_changed()

    def flows_recoloured(self) -> None:
        """Flow colours were overridden (tie strengths): the overview picture follows."""
        self._flows_changed()

    def _flows_changed(self) -> None:
        if self.overview:
            self.flow_overview.invalidate(self._scene_rect)

    def _route(self, source_id: str, target_id: str, *, live: bool = False) -> list[tuple[float, float]]:
        """The route between two nodes as recorded, or (``live``, during a drag) where their items are now."""

        def box(node_id: str) -> Box:
            if live:
                item = self.node_items[node_id]
                pos, rect = item.pos(), item.rect
                return Box(pos.x(), pos.y(), rect.width(), rect.height())
            return self._recorded_boxes[node_id]

        return route(box(source_id), box(target_id))

    def _drop_flow(self, flow_id: str) -> None:
        self.removeItem(self.flow_items.pop(flow_id))
        for end in self._flow_ends.pop(flow_id, ()):
            _discard(self._flows_of[end], flow_id)
        self._flows_changed()

    def node_boxes(self) -> dict[str, tuple[float, float, float, float]]:
        """Each node's (left, top, right, bottom), as kept for the extent (read-only for callers)."""
        return self._node_boxes

    def nodes_right(self) -> float:
        """Where the model's nodes end on the right (0 without nodes)."""
        return max(map(itemgetter(2), self._node_boxes.values()), default=0.0)

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
        """The lanes, nodes and flows of the model (what zoom-to-fit shows), from the kept extent.

        Flows stay within their nodes' extent but for rework loops, which run
        :data:`~workshop.domain.geometry.ROUTE_CLEARANCE` below them.
        """
        rect = QRectF()
        boxes = self._node_boxes.values()
        if boxes:
            left, top = min(map(itemgetter(0), boxes)), min(map(itemgetter(1), boxes))
            right, bottom = max(map(itemgetter(2), boxes)), max(map(itemgetter(3), boxes))
            rect = QRectF(left, top, right - left, bottom - top + ROUTE_CLEARANCE)
        for lane in self.lane_items.values():
            rect = rect.united(lane.rect()) if not rect.isNull() else lane.rect()
        return rect

    def _update_scene_rect(self) -> None:
        scene_rect = self.model_rect().adjusted(-200, -200, 400, 300)
        if scene_rect != self._scene_rect:
            self._scene_rect = scene_rect
            self.setSceneRect(scene_rect)
        if self.overview:
            self.flow_overview.invalidate(scene_rect)
            self.node_overview.invalidate(scene_rect)

    def set_read_only(self, read_only: bool) -> None:
        """Refuse (True) or allow gestures; node items follow only when it changes (not a walk on every open)."""
        if read_only == self.read_only:
            return
        self.read_only = read_only
        for item in self.node_items.values():
            item.setFlag(item.GraphicsItemFlag.ItemIsMovable, not read_only)

    def update_overview(self) -> None:
        """Draw as pictures only while every view of this scene is below :data:`OVERVIEW_ZOOM`.

        The projector shares the scene; if it shows the model up close, items
        must paint themselves there (the console's overview then costs more).
        """
        views = self.views()
        self.set_overview(bool(views) and all(view.transform().m11() < OVERVIEW_ZOOM for view in views))

    def set_overview(self, overview: bool) -> None:
        """Draw flows and nodes as cached pictures (True) or item by item (False).

        Views call it when their zoom crosses :data:`OVERVIEW_ZOOM`. Node items
        stay visible, for hit-testing and rubber-band selection, but paint
        nothing meanwhile.
        """
        if overview != self.overview:
            self.overview = overview
            for item in self.flow_items.values():
                item.setVisible(not overview)
            for node_item in self.node_items.values():
                node_item.setFlag(NO_CONTENTS, overview)
            if overview:
                self.flow_overview.invalidate(self._scene_rect)
                self.node_overview.invalidate(self._scene_rect)
            self.flow_overview.setVisible(overview)
            self.node_overview.setVisible(overview)

    def lane_boxes(self) -> dict[str, Box]:
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

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_flow_ids(self) -> list[str]:
        return [i.flow_id for i in self.selectedItems() if isinstance(i, FlowItem)]

    def _count_selection(self) -> None:
        self.selection_size = len(self.selectedItems())
        if self.overview:
            self.node_overview.update()  # selected nodes are drawn over in the selection colour

    def select_all_nodes(self) -> None:
        """Select every node with one ``selectionChanged`` (not one per node: each would wake every listener)."""
        blocked = self.blockSignals(True)
        try:
            for item in self.node_items.values():
                item.setSelected(True)
        finally:
            self.blockSignals(blocked)
        self.selectionChanged.emit()

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
        for item in self.selectedItems():
            if isinstance(item, NodeItem):
                pos = item.pos()
                snapped = QPointF(snap(pos.x()), snap(pos.y()))
                if snapped != pos:
                    item.setPos(snapped)
                self.reroute_node(item.node_id)

    def reroute_node(self, node_id: str) -> None:
        session = self.document.session
        for flow_id in self._flows_of.get(node_id, ()):
            flow = session.flows.get(flow_id)
            item = self.flow_items.get(flow_id)
            if flow is not None and item is not None:
                item.set_route(self._route(flow.source_id, flow.target_id, live=True), flow.label, item.handoff)
        self._flows_changed()

    def move_changes(self, node: Node, x: float, y: float) -> dict[str, object]:
        """The fields a move sets (see :mod:`workshop.domain.lane_membership`)."""
        return move_changes(self.document.session, node, x, y)

    def commit_moves(self) -> None:
        """One operation for the nodes the drag moved (the selected ones; nothing else can move)."""
        session = self.document.session
        ops: list[Operation] = []
        moved: list[str] = []
        for item in self.selectedItems():
            if not isinstance(item, NodeItem):
                continue
            node = session.nodes.get(item.node_id)
            if node is None:
                continue
            moved.append(node.id)
            pos = item.pos()
            if (pos.x(), pos.y()) != (node.x, node.y):
                ops.append(update("node", node.id, **self.move_changes(node, pos.x(), pos.y())))
        if ops:
            self.apply(batch(f"Move {len(ops)} node{'s' if len(ops) > 1 else ''}", ops), moved)

    def commit_resize(self, node_id: str, w: float, h: float) -> None:
        self.apply(update("node", node_id, w=w, h=h), [node_id])

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


if TYPE_CHECKING:
    _node_scene: type[NodeScene] = CanvasScene  # mypy checks that node items' NodeScene is what this scene has
