"""The canvas's renderer of the one drawing (:mod:`workshop.domain.drawing.shapes`): its paths and shapes as Qt objects.

What a shape looks like is decided in the domain, where the SVG picture, the
PDF report and the phone page read it too; this module only turns paths into
``QPainterPath`` and strokes into pens, and draws them.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from workshop.domain.drawing.shapes import Path, Shape, Stroke, node_outline
from workshop.domain.model.geometry import Box


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


PreparedShape = tuple[QPainterPath, QPen, QBrush, QRectF | list[QLineF] | None]
"""A shape made into Qt objects once, drawn many times; the last is its rectangle or its straight lines
when it is only that (drawn many times faster than the same outline as a path)."""


def _rectangle(path: Path) -> QRectF | None:
    """The axis-aligned rectangle ``path`` outlines, if that is all it is (a lane's band, a stripe).

    Qt fills a rectangle many times faster than the same outline as an antialiased path, and a lane's
    band is redrawn across the whole view on every pan.
    """
    commands = path.commands
    if len(commands) != 6 or [op for op, _v in commands] != ["M", "L", "L", "L", "L", "Z"]:
        return None
    points = [v for _op, v in commands[:5]]
    if points[0] != points[4]:
        return None
    xs, ys = {p[0] for p in points}, {p[1] for p in points}
    if len(xs) != 2 or len(ys) != 2:
        return None
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        if ax != bx and ay != by:
            return None
    return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _lines(path: Path) -> list[QLineF] | None:
    """The separate straight lines ``path`` is made of, if that is all it is (the rules between lanes)."""
    commands = path.commands
    if (
        not commands
        or len(commands) % 2
        or any(op != ("M" if i % 2 == 0 else "L") for i, (op, _v) in enumerate(commands))
    ):
        return None
    return [QLineF(a[0], a[1], b[0], b[1]) for (_m, a), (_l, b) in zip(commands[::2], commands[1::2], strict=True)]


def prepared(shapes: Sequence[Shape]) -> list[PreparedShape]:
    """``shapes`` as Qt paths, pens and brushes (an item keeps these until what it shows changes)."""
    return [
        (qt_path(s.path), pen(s.stroke), brush(s.fill, s.fill_alpha), _rectangle(s.path) or _lines(s.path))
        for s in shapes
    ]


def draw(painter: QPainter, shapes: Sequence[PreparedShape]) -> None:
    """Draw prepared shapes bottom to top."""
    for path, shape_pen, shape_brush, plain in shapes:
        if isinstance(plain, QRectF) and shape_pen.style() == Qt.PenStyle.NoPen:
            painter.fillRect(plain, shape_brush)
            continue
        painter.setPen(shape_pen)
        painter.setBrush(shape_brush)
        if isinstance(plain, QRectF):
            painter.drawRect(plain)
        elif plain is not None:
            painter.drawLines(plain)
        else:
            painter.drawPath(path)
