"""Paths, strokes and shapes: the plain data every renderer translates into its own drawing calls.

Split out of :mod:`workshop.domain.drawing.shapes` so that the notation
(:mod:`workshop.domain.drawing.notation`) and the shapes build with the same
primitives without importing each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workshop.domain.model.geometry import Box, Point

KAPPA = 0.5523
"""Where a cubic Bézier's handles sit to draw a quarter of a circle (4/3·(√2−1))."""

Command = tuple[str, tuple[float, ...]]
"""One path command: ``("M", (x, y))``, ``("L", (x, y))``, ``("C", (x1, y1, x2, y2, x, y))`` or ``("Z", ())``."""


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text[-1] == "0" else text  # "12" for 12.0: a path's numbers are most of its length


@dataclass(frozen=True, slots=True)
class Path:
    """An outline as move, line, cubic-curve and close commands (what Qt, SVG, PDF and a browser all draw)."""

    commands: tuple[Command, ...]

    def svg(self) -> str:
        """The path as SVG path data (the ``d`` attribute): the phone page and the SVG picture use it as is.

        Numbers to a tenth of a unit (a tenth of a pixel at 100 %): a path is sent to every phone.
        """
        return " ".join(op + " ".join(map(_number, values)) for op, values in self.commands)

    @property
    def empty(self) -> bool:
        return not self.commands


class PathBuilder:
    """Builds a :class:`Path` from lines, curves, ellipses and rounded boxes."""

    def __init__(self) -> None:
        self._commands: list[Command] = []

    def move(self, x: float, y: float) -> PathBuilder:
        self._commands.append(("M", (x, y)))
        return self

    def line(self, x: float, y: float) -> PathBuilder:
        self._commands.append(("L", (x, y)))
        return self

    def curve(self, x1: float, y1: float, x2: float, y2: float, x: float, y: float) -> PathBuilder:
        self._commands.append(("C", (x1, y1, x2, y2, x, y)))
        return self

    def close(self) -> PathBuilder:
        self._commands.append(("Z", ()))
        return self

    def polygon(self, points: Sequence[Point]) -> PathBuilder:
        (x, y), *rest = points
        self.move(x, y)
        for px, py in rest:
            self.line(px, py)
        return self.close()

    def ellipse(self, cx: float, cy: float, rx: float, ry: float) -> PathBuilder:
        """A whole ellipse, clockwise on screen from its left end."""
        self.move(cx - rx, cy)
        self._upper_half(cx, cy, rx, ry, left_to_right=True)
        self._lower_half(cx, cy, rx, ry, left_to_right=False)
        return self.close()

    def upper_half(self, cx: float, cy: float, rx: float, ry: float, *, left_to_right: bool) -> PathBuilder:
        """Half an ellipse above its centre line, from the current point at one end to the other end."""
        self._upper_half(cx, cy, rx, ry, left_to_right=left_to_right)
        return self

    def lower_half(self, cx: float, cy: float, rx: float, ry: float, *, left_to_right: bool) -> PathBuilder:
        """Half an ellipse below its centre line, from the current point at one end to the other end."""
        self._lower_half(cx, cy, rx, ry, left_to_right=left_to_right)
        return self

    def _upper_half(self, cx: float, cy: float, rx: float, ry: float, *, left_to_right: bool) -> None:
        kx, ky = KAPPA * rx, KAPPA * ry
        if left_to_right:
            self.curve(cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry)
            self.curve(cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy)
        else:
            self.curve(cx + rx, cy - ky, cx + kx, cy - ry, cx, cy - ry)
            self.curve(cx - kx, cy - ry, cx - rx, cy - ky, cx - rx, cy)

    def _lower_half(self, cx: float, cy: float, rx: float, ry: float, *, left_to_right: bool) -> None:
        kx, ky = KAPPA * rx, KAPPA * ry
        if left_to_right:
            self.curve(cx - rx, cy + ky, cx - kx, cy + ry, cx, cy + ry)
            self.curve(cx + kx, cy + ry, cx + rx, cy + ky, cx + rx, cy)
        else:
            self.curve(cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry)
            self.curve(cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy)

    def rounded_box(self, box: Box, radius: float) -> PathBuilder:
        """A box with corners rounded to ``radius`` (no more than half its shorter side)."""
        r = max(0.0, min(radius, box.w / 2, box.h / 2))
        x, y, x1, y1 = box.x, box.y, box.right, box.bottom
        k = r * (1 - KAPPA)
        self.move(x + r, y).line(x1 - r, y)
        if r:
            self.curve(x1 - k, y, x1, y + k, x1, y + r)
        self.line(x1, y1 - r)
        if r:
            self.curve(x1, y1 - k, x1 - k, y1, x1 - r, y1)
        self.line(x + r, y1)
        if r:
            self.curve(x + k, y1, x, y1 - k, x, y1 - r)
        self.line(x, y + r)
        if r:
            self.curve(x, y + k, x + k, y, x + r, y)
        return self.close()

    def build(self) -> Path:
        return Path(tuple(self._commands))


@dataclass(frozen=True, slots=True)
class Stroke:
    """How a path's outline is drawn. ``dash`` is (dash, gap) in scene units; None draws a solid line."""

    colour: str
    width: float
    dash: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Shape:
    """One path filled with ``fill`` (None: not filled) at ``fill_alpha`` and outlined with ``stroke``."""

    path: Path
    fill: str | None = None
    stroke: Stroke | None = None
    fill_alpha: float = 1.0
