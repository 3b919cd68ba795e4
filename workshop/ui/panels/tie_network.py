"""A network view of the organizations with their ties drawn by strength.

Organizations sit on a circle; each pair with a shown score is joined by a
line whose colour and width say how strong the tie is (both directions
averaged); pairs with too few answers are dashed grey. It answers, at a
glance and from the back of the room, where coordination is weakest.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from workshop.domain.model.session import Session
from workshop.domain.research.survey import DEFAULT_THRESHOLD, OVERALL, score_round, tie_colour, tie_strength

RADIUS = 260.0
NODE = 150.0


class TieNetworkView(QGraphicsView):
    """Organizations and their relational-coordination ties in one survey round."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 320)
        self.edges: dict[tuple[str, str], float | None] = {}

    def show_round(self, session: Session, round_id: str | None, *, threshold: int = DEFAULT_THRESHOLD) -> None:
        scene = self.scene()
        scene.clear()
        self.edges = {}
        orgs = list(session.organizations.values())
        if not orgs:
            return
        cells = score_round(session, round_id, threshold=threshold) if round_id else []
        answered = {frozenset((c.from_org, c.about_org)) for c in cells if c.dimension == OVERALL}
        centre = {
            org.id: QPointF(
                RADIUS * math.cos(2 * math.pi * i / len(orgs) - math.pi / 2),
                RADIUS * math.sin(2 * math.pi * i / len(orgs) - math.pi / 2),
            )
            for i, org in enumerate(orgs)
        }
        font = QFont("DejaVu Sans", 16)
        for pair in sorted(answered, key=sorted):
            a, b = sorted(pair)
            if a not in centre or b not in centre:
                continue
            strength = tie_strength(cells, a, b)
            self.edges[(a, b)] = strength
            pen = QPen(QColor(tie_colour(strength)), 4 + 3 * (strength or 0))
            if strength is None:
                pen = QPen(QColor(tie_colour(None)), 3, Qt.PenStyle.DashLine)
            scene.addLine(centre[a].x(), centre[a].y(), centre[b].x(), centre[b].y(), pen)
            mid = centre[a] + (centre[b] - centre[a]) * 0.35  # off the middle: crossing ties keep their labels apart
            label = scene.addText("too few answers" if strength is None else f"{strength:.1f}", font)
            label.setDefaultTextColor(QColor("#212121"))
            label.setPos(mid - QPointF(label.boundingRect().width() / 2, label.boundingRect().height() / 2))
        for org in orgs:
            c = centre[org.id]
            rect = QRectF(c.x() - NODE / 2, c.y() - NODE / 4, NODE, NODE / 2)
            scene.addRect(rect, QPen(QColor("#212121"), 2), QBrush(QColor(org.colour)))
            text = scene.addText(org.name, font)
            text.setDefaultTextColor(QColor("#ffffff"))
            text.setTextWidth(NODE - 8)
            text.setPos(rect.left() + 4, rect.center().y() - text.boundingRect().height() / 2)
        self._fit()

    def _fit(self) -> None:
        if self.scene().items():
            margin = self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
            self.fitInView(margin, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
