"""The canvas's renderer of the one drawing (:mod:`workshop.domain.drawing`): its paths and shapes as Qt objects.

What a shape looks like is decided in the domain, where the SVG picture, the
PDF report and the phone page read it too; this module only turns paths into
``QPainterPath`` and strokes into pens, and draws them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from workshop.domain.drawing import Path, Shape, Stroke, node_outline
from workshop.domain.geometry import Box


def qt_path(path: Path) -> QPainterPath:
    """``path`` as a QPainterPath."""
    out = QPainterPath()
    for op, v in path.commands:
        if op == "M":
            out.moveTo(v[0], v[1])
        elif op == "L":
            out.lineTo(v[0], v[1])
        elif op == "C":
            out.cubicTo(v[0], v[1], v[2], v[3], v[4], v[5])
        else:
            out.closeSubpath()
    return out


def box_of(rect: QRectF) -> Box:
    return Box(rect.x(), rect.y(), rect.width(), rect.height())


def node_path(kind: str, rect: QRectF) -> QPainterPath:
    """The outline of a node of ``kind`` filling ``rect`` (items hit-test with it; the palette draws it)."""
    return qt_path(node_outline(kind, box_of(rect)))


@functools.cache
def pen(stroke: Stroke | None) -> QPen:
    """A pen drawing ``stroke`` (no pen for None). Qt's dash pattern counts in line widths, the drawing's in units."""
    if stroke is None:
        return QPen(Qt.PenStyle.NoPen)
    out = QPen(QColor(stroke.colour), stroke.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
    out.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    if stroke.dash is not None and stroke.width > 0:
        out.setDashPattern([stroke.dash[0] / stroke.width, stroke.dash[1] / stroke.width])
    return out


@functools.cache
def brush(fill: str | None, alpha: float = 1.0) -> QBrush:
    if fill is None:
        return QBrush(Qt.BrushStyle.NoBrush)
    colour = QColor(fill)
    colour.setAlphaF(alpha)
    return QBrush(colour)


PreparedShape = tuple[QPainterPath, QPen, QBrush]
"""A shape made into Qt objects once, drawn many times."""


def prepared(shapes: Sequence[Shape]) -> list[PreparedShape]:
    """``shapes`` as Qt paths, pens and brushes (an item keeps these until what it shows changes)."""
    return [(qt_path(s.path), pen(s.stroke), brush(s.fill, s.fill_alpha)) for s in shapes]


def draw(painter: QPainter, shapes: Sequence[PreparedShape]) -> None:
    """Draw prepared shapes bottom to top."""
    for path, shape_pen, shape_brush in shapes:
        painter.setPen(shape_pen)
        painter.setBrush(shape_brush)
        painter.drawPath(path)
