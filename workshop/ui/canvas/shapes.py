"""The outline of each node kind, as a flowchart reader expects it (shared by canvas items and palette icons)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPolygonF

from workshop.domain.process import GatewayKind, NodeKind


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


def gateway_marker(gateway_kind: str, rect: QRectF) -> QPainterPath:
    """BPMN's marker for a decision's gateway type, drawn (stroked) in the diamond's upper corner above the label.

    Parallel +, inclusive O, event-based a pentagon in a circle, complex *;
    an exclusive decision (the workshop's ordinary one) stays plain.
    """
    path = QPainterPath()
    r = min(rect.width(), rect.height()) * 0.1
    cx, cy = rect.center().x(), rect.y() + rect.height() * 0.24
    if gateway_kind == GatewayKind.PARALLEL:
        path.moveTo(cx - r, cy)
        path.lineTo(cx + r, cy)
        path.moveTo(cx, cy - r)
        path.lineTo(cx, cy + r)
    elif gateway_kind == GatewayKind.INCLUSIVE:
        path.addEllipse(QPointF(cx, cy), r, r)
    elif gateway_kind == GatewayKind.EVENT_BASED:
        path.addEllipse(QPointF(cx, cy), r, r)
        corners = [
            QPointF(cx + 0.6 * r * math.sin(2 * math.pi * i / 5), cy - 0.6 * r * math.cos(2 * math.pi * i / 5))
            for i in range(5)
        ]
        path.addPolygon(QPolygonF([*corners, corners[0]]))
    elif gateway_kind == GatewayKind.COMPLEX:
        for angle in (0, 45, 90, 135):
            dx, dy = r * math.cos(math.radians(angle)), r * math.sin(math.radians(angle))
            path.moveTo(cx - dx, cy - dy)
            path.lineTo(cx + dx, cy + dy)
    return path
