"""What the boundary object shows on top of the process: boundaries, owners, annotations, shared terms.

Separate items over the scene, rebuilt from the document whenever a change
touches what they show; the node and flow items stay simple. Markers are
large and coloured by status so they read from the back of the room:
open boundaries red, being crossed amber, crossed green.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workshop.domain.drawing.style import BADGE_COLOURS, BOUNDARY_STATUS_COLOURS, ON_COLOUR
from workshop.domain.model.document import LogRecord
from workshop.domain.model.glossary_match import meanings_conflict, terms_in
from workshop.domain.model.operations import changes
from workshop.domain.model.process import OWNED_KINDS
from workshop.domain.model.session import Session
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.themes import FONT_FAMILY
from workshop.ui.throttle import Throttle
from workshop.ui.widgets import literal

STATUS_SYMBOLS = {"open": "!", "being_crossed": "…", "crossed": "✓"}
OVERLAY_Z = 50
WATCHED = {"node", "flow", "boundary", "annotation", "term", "organization", "participant", "claim"}


MIN_BADGE_RADIUS = 14.0
MIN_BADGE_TEXT_PX = 17
"""A marker's sign is at least this high at 100 % (the glossary's "≠" was 8 px: unreadable on the console)."""


class BadgeItem(QGraphicsItem):
    """A round badge with a short text: a boundary marker, a 'no owner' flag or an annotation count."""

    def __init__(self, centre: QPointF, text: str, colour: str, tooltip: str, radius: float = 15.0) -> None:
        super().__init__()
        self.text, self.colour, self.radius = text, colour, max(radius, MIN_BADGE_RADIUS)
        self.setPos(centre)
        self.setToolTip(literal(tooltip))
        self.setZValue(OVERLAY_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        r = self.radius + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform()) < 0.2:
            return
        painter.setPen(QPen(QColor(ON_COLOUR), 2.5))
        painter.setBrush(QBrush(QColor(self.colour)))
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        font = QFont(FONT_FAMILY)
        font.setPixelSize(max(MIN_BADGE_TEXT_PX, round(self.radius * 1.2)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(ON_COLOUR))
        painter.drawText(self.boundingRect(), int(Qt.AlignmentFlag.AlignCenter), self.text)


class CanvasOverlay:
    """Keeps the badges of one scene in step with the document.

    A change to a node rebuilds that node's badges only; annotations update
    the count badges of the nodes whose count changed; boundaries (a few per
    session) are redrawn together. Only changes that can touch every node
    (glossary terms, organization names) rebuild all badges.
    """

    def __init__(self, scene: CanvasScene) -> None:
        self.scene = scene
        self._node_badges: dict[str, list[BadgeItem]] = {}
        self._boundary_badges: list[BadgeItem] = []
        self._notes: Counter[str] = Counter()
        self._noted_on: dict[str, str] = {}
        """Annotation id -> the node or flow its count badge counts it on (shown ones only)."""
        self._pending_nodes: set[str] = set()
        self._pending_notes: set[str] = set()
        self._pending_boundaries = False
        self._pending_all = False
        self.rebuild()
        self._throttle = Throttle(self._catch_up, scene)
        self._unsubscribe = scene.document.subscribe(self._on_record)

    def detach(self) -> None:
        self._unsubscribe()

    @property
    def items(self) -> list[BadgeItem]:
        """Every badge shown now."""
        return [*self._boundary_badges, *(b for badges in self._node_badges.values() for b in badges)]

    def _on_record(self, record: LogRecord) -> None:
        changed = changes(record.op)
        kinds = changed.kinds() & WATCHED
        if not kinds:
            return
        nodes = changed.of_kind("node")
        self._pending_nodes |= nodes
        if nodes or kinds & {"flow", "boundary"}:
            self._pending_boundaries = True  # a boundary on a node or on one of its flows moves with it
        if "annotation" in kinds:
            self._pending_notes |= changed.of_kind("annotation")
        if kinds - {"node", "flow", "boundary", "annotation"}:
            self._pending_all = True  # terms, organizations, participants, claims: any node's badges may change
        self._throttle.request()  # a burst of notes from phones: the badges catch up at once, later

    def _catch_up(self) -> None:
        nodes, self._pending_nodes = self._pending_nodes, set()
        notes, self._pending_notes = self._pending_notes, set()
        boundaries, self._pending_boundaries = self._pending_boundaries, False
        everything, self._pending_all = self._pending_all, False
        if everything:
            self.rebuild()
            return
        if notes:
            nodes |= self._recount(notes)
        if boundaries:
            self._rebuild_boundaries()
        session = self.scene.document.session
        for node_id in nodes:
            self._rebuild_node(node_id, session)

    def badges(self, kind: str) -> list[BadgeItem]:
        """The current badges of one kind: 'boundary', 'owner' or 'notes' (for tests and focus)."""
        return [item for item in self.items if item.data(0) == kind]

    def _add(self, kind: str, item: BadgeItem, into: list[BadgeItem]) -> None:
        item.setData(0, kind)
        self.scene.addItem(item)
        into.append(item)

    def _remove(self, badges: list[BadgeItem]) -> None:
        for badge in badges:
            if badge.scene() is self.scene:
                self.scene.removeItem(badge)

    def _count_all_notes(self) -> None:
        self._notes, self._noted_on = Counter(), {}
        self._recount(self.scene.document.session.annotations.keys())

    def _recount(self, annotation_ids: Iterable[str]) -> set[str]:
        """Count these annotations where they are now; the nodes and flows whose count changed.

        Only the changed annotations are counted again: a room's thousands of ideas counted anew for every
        few new ones took milliseconds of the main thread that phones' acknowledgements waited behind.
        """
        annotations = self.scene.document.session.annotations
        touched: set[str] = set()
        for annotation_id in annotation_ids:
            before = self._noted_on.pop(annotation_id, None)
            if before is not None:
                self._notes[before] -= 1
                if not self._notes[before]:
                    del self._notes[before]
                touched.add(before)
            a = annotations.get(annotation_id)
            if a is not None and a.target_kind in ("node", "flow") and a.target_id and not a.hidden:
                self._noted_on[annotation_id] = a.target_id
                self._notes[a.target_id] += 1
                touched.add(a.target_id)
        return touched

    def rebuild(self) -> None:
        """Every badge again (on opening, and after a change that can touch every node)."""
        self._remove(self.items)
        self._node_badges = {}
        self._boundary_badges = []
        self._count_all_notes()
        self._rebuild_boundaries()
        session = self.scene.document.session
        owned = OWNED_KINDS
        glossary = bool(session.glossary)
        for node_id in self.scene.node_items:
            node = session.nodes.get(node_id)
            # most nodes of a big model have no badge: skip them without building anything
            if node is not None and (
                glossary or self._notes.get(node_id) or (node.node_kind in owned and not node.owner_org_id)
            ):
                self._rebuild_node(node_id, session)

    def _rebuild_boundaries(self) -> None:
        self._remove(self._boundary_badges)
        self._boundary_badges = []
        session = self.scene.document.session
        orgs = session.organizations
        for boundary in session.boundaries.values():
            anchor = self._anchor(boundary.target_kind, boundary.target_id)
            if anchor is None:
                continue
            pair = f"{orgs[boundary.org_a].name} ↔ {orgs[boundary.org_b].name}"
            tip = (
                f"Knowledge boundary ({boundary.boundary_type}, {boundary.status.replace('_', ' ')}): {pair}\n"
                f"{boundary.not_shared}" + (f"\nCrossed: {boundary.crossing_note}" if boundary.crossing_note else "")
            )
            badge = BadgeItem(
                anchor, STATUS_SYMBOLS[boundary.status], BOUNDARY_STATUS_COLOURS[boundary.status], tip, 17
            )
            self._add("boundary", badge, self._boundary_badges)

    def _rebuild_node(self, node_id: str, session: Session) -> None:
        """The owner, notes and glossary badges of one node (none if it is gone)."""
        self._remove(self._node_badges.pop(node_id, []))
        item = self.scene.node_items.get(node_id)
        node = session.nodes.get(node_id)
        if item is None or node is None:
            return
        badges: list[BadgeItem] = []
        orgs = session.organizations
        rect = item.scene_rect()
        if node.node_kind in OWNED_KINDS and not node.owner_org_id:
            self._add(
                "owner",
                BadgeItem(rect.topRight(), "?", BADGE_COLOURS["no_owner"], "No owner: who is accountable?", 13),
                badges,
            )
        claims = [c for c in session.claims.values() if c.node_id == node_id and not c.resolved]
        if claims:
            claimed_by = ", ".join(sorted({orgs[c.organization_id].name for c in claims if c.organization_id in orgs}))
            self._add(
                "claim",
                BadgeItem(
                    rect.bottomRight(),
                    "⚑",
                    BADGE_COLOURS["claimed"],
                    f"Ownership claimed by {claimed_by}: the facilitator resolves it",
                    14,
                ),
                badges,
            )
        count = self._notes.get(node_id)
        if count:
            self._add(
                "notes",
                BadgeItem(rect.topLeft(), str(count), BADGE_COLOURS["notes"], f"{count} annotation(s)", 12),
                badges,
            )
        terms = terms_in(node.label, session.glossary)
        if terms:
            lines = []
            for term in terms:
                flag = "  ⚠ meanings differ" if meanings_conflict(term) else ""
                lines.append(f"“{term.term}”{flag}")
                lines += [f"   {orgs[o].name}: {m}" for o, m in term.meanings.items() if o in orgs]
            item.setToolTip(literal(f"{node.label}\n\n" + "\n".join(lines)))
            if any(meanings_conflict(t) for t in terms):
                tip = "Glossary term with different meanings — a likely semantic boundary"
                self._add("term", BadgeItem(rect.bottomLeft(), "≠", BADGE_COLOURS["term_differs"], tip, 12), badges)
            else:
                tip = "Uses a glossary term (hover the node for its meanings)"
                self._add("term", BadgeItem(rect.bottomLeft(), "≡", BADGE_COLOURS["term_agreed"], tip, 12), badges)
        if badges:
            self._node_badges[node_id] = badges

    def _anchor(self, target_kind: str, target_id: str | None) -> QPointF | None:
        if target_kind == "flow" and target_id in self.scene.flow_items:
            points = self.scene.flow_items[target_id].points
            if len(points) >= 2:
                longest = max(itertools.pairwise(points), key=lambda s: (s[1] - s[0]).manhattanLength())
                return longest[0] + (longest[1] - longest[0]) * 0.3  # the label sits at the middle
        if target_kind == "node" and target_id in self.scene.node_items:
            rect = self.scene.node_items[target_id].scene_rect()
            return QPointF(rect.right() - 4, rect.bottom() - 4)
        return None
