"""What the boundary object shows on top of the process: boundaries, owners, annotations, shared terms.

Separate items over the scene, rebuilt from the document whenever a change
touches what they show; the node and flow items stay simple. Markers are
large and coloured by status so they read from the back of the room:
open boundaries red, being crossed amber, crossed green.
"""

from __future__ import annotations

import itertools
from collections import Counter

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from workshop.domain.document import LogRecord
from workshop.domain.glossary_match import meanings_conflict, terms_in
from workshop.domain.process import OWNED_KINDS
from workshop.ui.canvas_scene import CanvasScene
from workshop.ui.themes import FONT_FAMILY
from workshop.ui.throttle import Throttle
from workshop.ui.widgets import literal

STATUS_COLOURS = {"open": "#c62828", "being_crossed": "#ef6c00", "crossed": "#2e7d32"}
STATUS_SYMBOLS = {"open": "!", "being_crossed": "…", "crossed": "✓"}
OVERLAY_Z = 50
WATCHED = {"node", "flow", "boundary", "annotation", "term", "organization", "participant", "claim"}


class BadgeItem(QGraphicsItem):
    """A round badge with a short text: a boundary marker, a 'no owner' flag or an annotation count."""

    def __init__(self, centre: QPointF, text: str, colour: str, tooltip: str, radius: float = 15.0) -> None:
        super().__init__()
        self.text, self.colour, self.radius = text, colour, radius
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
        painter.setPen(QPen(QColor("#ffffff"), 2.5))
        painter.setBrush(QBrush(QColor(self.colour)))
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        font = QFont(FONT_FAMILY)
        font.setPixelSize(round(self.radius * 1.15))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(self.boundingRect(), int(Qt.AlignmentFlag.AlignCenter), self.text)


class CanvasOverlay:
    """Keeps the badges of one scene in step with the document."""

    def __init__(self, scene: CanvasScene) -> None:
        self.scene = scene
        self.items: list[BadgeItem] = []
        self.rebuild()
        self._throttle = Throttle(self.rebuild, scene)
        self._unsubscribe = scene.document.subscribe(self._on_record)

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, record: LogRecord) -> None:
        if any(getattr(op, "kind", None) in WATCHED for op in record.op.primitives()):
            self._throttle.request()  # a burst of notes from phones: the badges catch up in one rebuild

    def badges(self, kind: str) -> list[BadgeItem]:
        """The current badges of one kind: 'boundary', 'owner' or 'notes' (for tests and focus)."""
        return [item for item in self.items if item.data(0) == kind]

    def _add(self, kind: str, item: BadgeItem) -> None:
        item.setData(0, kind)
        self.scene.addItem(item)
        self.items.append(item)

    def rebuild(self) -> None:
        for badge in self.items:
            if badge.scene() is self.scene:
                self.scene.removeItem(badge)
        self.items = []
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
            badge = BadgeItem(anchor, STATUS_SYMBOLS[boundary.status], STATUS_COLOURS[boundary.status], tip, 17)
            self._add("boundary", badge)
        notes = Counter(
            a.target_id for a in session.annotations.values() if a.target_kind in ("node", "flow") and not a.hidden
        )
        for node_id, item in self.scene.node_items.items():
            node = session.nodes[node_id]
            rect = item.scene_rect()
            if node.node_kind in OWNED_KINDS and not node.owner_org_id:
                self._add("owner", BadgeItem(rect.topRight(), "?", "#6a1b9a", "No owner: who is accountable?", 13))
            if notes.get(node_id):
                count = notes[node_id]
                self._add("notes", BadgeItem(rect.topLeft(), str(count), "#1565c0", f"{count} annotation(s)", 12))
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
                    self._add("term", BadgeItem(rect.bottomLeft(), "≠", "#ad1457", tip, 12))
                else:
                    tip = "Uses a glossary term (hover the node for its meanings)"
                    self._add("term", BadgeItem(rect.bottomLeft(), "≡", "#546e7a", tip, 12))

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
