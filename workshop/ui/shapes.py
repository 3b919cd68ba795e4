"""The outline of each node kind, as a flowchart reader expects it (shared by canvas items and palette icons)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPolygonF

from workshop.domain.process import NodeKind


def node_path(kind: str, rect: QRectF) -> QPainterPath:
    """The outline of a node of ``kind`` filling ``rect``."""
    path = QPainterPath()
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    if kind in (NodeKind.START, NodeKind.END):
        d = min(w, h)
        path.addEllipse(QRectF(x + (w - d) / 2, y + (h - d) / 2, d, d))
    elif kind == NodeKind.DECISION:
        path.addPolygon(
            QPolygonF(
                [QPointF(x + w / 2, y), QPointF(x + w, y + h / 2), QPointF(x + w / 2, y + h), QPointF(x, y + h / 2)]
            )
        )
        path.closeSubpath()
    elif kind == NodeKind.DOCUMENT:
        wave = h * 0.12
        path.moveTo(x, y)
        path.lineTo(x + w, y)
        path.lineTo(x + w, y + h - wave)
        path.cubicTo(x + w * 0.75, y + h - 3 * wave, x + w * 0.25, y + h + wave, x, y + h - wave)
        path.closeSubpath()
    elif kind == NodeKind.IT_SYSTEM:
        cap = min(h * 0.18, 14.0)
        path.moveTo(x, y + cap / 2)
        path.arcTo(QRectF(x, y, w, cap), 180, -180)
        path.lineTo(x + w, y + h - cap / 2)
        path.arcTo(QRectF(x, y + h - cap, w, cap), 0, -180)
        path.closeSubpath()
        path.moveTo(x, y + cap / 2)
        path.arcTo(QRectF(x, y, w, cap), 180, 180)
    elif kind == NodeKind.WAIT:
        # an hourglass inside a rounded box: "nothing happens here but time"
        path.addRoundedRect(rect, 10, 10)
        s = min(h * 0.5, 26.0)
        hx, hy = x + 8, y + (h - s) / 2
        path.moveTo(hx, hy)
        path.lineTo(hx + s * 0.7, hy)
        path.lineTo(hx, hy + s)
        path.lineTo(hx + s * 0.7, hy + s)
        path.closeSubpath()
    else:
        path.addRoundedRect(rect, 12, 12)
    return path


def text_rect(kind: str, rect: QRectF) -> QRectF:
    """Where the label goes inside (or, for small events, below) the shape."""
    if kind in (NodeKind.START, NodeKind.END):
        return QRectF(rect.x() - 45, rect.bottom() + 2, rect.width() + 90, 60)
    if kind == NodeKind.DECISION:
        return rect.adjusted(-10, 2, 10, -2)
    if kind == NodeKind.WAIT:
        return rect.adjusted(min(rect.height() * 0.5, 26.0) + 10, 4, -6, -4)
    if kind == NodeKind.IT_SYSTEM:
        return rect.adjusted(6, min(rect.height() * 0.18, 14.0) + 2, -6, -4)
    return rect.adjusted(8, 4, -8, -4)
