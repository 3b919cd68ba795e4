"""Drawing a laid-out diagram onto the PDF canvas: the :class:`DiagramView` flowable and its path operators.

Split out of :mod:`report_diagram` (which lays the scene out once): this
module only paints. Shapes are written as literal PDF operators (reportlab's
per-call number formatting is what made a 20,000-node report slow), labels
as one text object per window, each window clipped to its own rectangle.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import Flowable

from workshop.domain.drawing.shapes import Path
from workshop.domain.drawing.style import PRINTED
from workshop.interchange.report_diagram import BOLD, FONT, Drawn, Window, _width


@dataclass(frozen=True)
class Placement:
    """Scene ``window`` drawn with its top-left at (``dx``, ``dy``) points from the view's top-left."""

    window: Window
    dx: float
    items: Sequence[Drawn]
    lane_titles: bool = True
    """False where the lane titles are printed by a header strip beside this window."""
    dy: float = 0.0


class DiagramView(Flowable):
    """Parts of a scene drawn at a fixed scale, clipped to their windows; never larger than its frame.

    ``with_text=False`` draws shapes only (the overview of a model too big to
    print readably on one page); ``grid`` adds numbered part outlines there.
    """

    def __init__(
        self,
        placements: Sequence[Placement],
        scale: float,
        width: float,
        height: float,
        *,
        with_text: bool = True,
        grid: Sequence[tuple[int, Window]] = (),
    ) -> None:
        super().__init__()
        self.placements, self.scale = placements, scale
        self.width, self.height = width, height
        self.with_text, self.grid = with_text, grid

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Shrink rather than fail if a frame is ever smaller than planned.
        fit = min(1.0, availWidth / max(self.width, 1e-6), availHeight / max(self.height, 1e-6))
        if fit < 1.0:
            self.scale *= fit
            self.width *= fit
            self.height *= fit
            self.placements = [
                Placement(p.window, p.dx * fit, p.items, p.lane_titles, p.dy * fit) for p in self.placements
            ]
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        s = self.scale
        for placement in self.placements:
            x0, y0, x1, y1 = placement.window
            top = self.height - placement.dy
            w, h = (x1 - x0) * s, (y1 - y0) * s
            c.saveState()
            path = c.beginPath()
            path.rect(placement.dx, top - h, w, h)
            c.clipPath(path, stroke=0, fill=0)
            c.saveState()
            c.translate(placement.dx - x0 * s, top + y0 * s)
            c.scale(s, -s)
            c.addLiteral("\n".join(_shape_ops(item) for item in placement.items))
            c.restoreState()
            if self.with_text:
                # Flow labels sit on lines: a ground of the background keeps them readable where a route crosses.
                c.setFillColor(_colour(PRINTED.background))
                for item in placement.items:
                    if item.kind == "flow":
                        for label in item.labels:
                            c.rect(
                                placement.dx + (label.x - label.width / 2 - x0 - 2) * s,
                                top - (label.y - y0 + label.size * 0.28) * s,
                                (label.width + 4) * s,
                                label.size * 1.22 * s,
                                stroke=0,
                                fill=1,
                            )
                text = c.beginText()
                colour: str | None = None
                font: tuple[str, float] | None = None
                for item in placement.items:
                    if item.kind == "lane" and not placement.lane_titles:
                        continue
                    for label in item.labels:
                        if label.colour != colour:
                            colour = label.colour
                            text.setFillColor(_colour(colour))
                        if font != (BOLD if label.bold else FONT, label.size * s):
                            font = (BOLD if label.bold else FONT, label.size * s)
                            text.setFont(*font)
                        text.setTextOrigin(
                            placement.dx + (label.x - label.width / 2 - x0) * s, top - (label.y - y0) * s
                        )
                        text.textOut(label.text)
                c.drawText(text)
            c.restoreState()
        if self.grid:
            for placement in self.placements:
                self._outline_parts(placement)

    def _outline_parts(self, placement: Placement) -> None:
        """The numbered outlines of the printed parts that lie in this placement's window."""
        c, s = self.canv, self.scale
        x0, y0, x1, y1 = placement.window
        top = self.height - placement.dy
        c.saveState()
        clip = c.beginPath()
        clip.rect(placement.dx, top - (y1 - y0) * s, (x1 - x0) * s, (y1 - y0) * s)
        c.clipPath(clip, stroke=0, fill=0)
        c.setStrokeColor(_colour(PRINTED.selection))
        c.setLineWidth(0.8)
        for number, (gx0, gy0, gx1, gy1) in self.grid:
            if gx1 < x0 or gx0 > x1 or gy1 < y0 or gy0 > y1:
                continue
            px, py = placement.dx + (gx0 - x0) * s, top - (gy1 - y0) * s
            pw, ph = (gx1 - gx0) * s, (gy1 - gy0) * s
            c.rect(px, py, pw, ph, stroke=1, fill=0)
            tag = str(number)
            if ph >= 11:  # numbered where it starts, or at the strip's edge when it starts on the row before
                tx = max(px, placement.dx)
                c.setFillColor(_colour(PRINTED.background))
                c.rect(tx + 1, py + ph - 11, _width(tag, 8, BOLD) + 3, 10, stroke=0, fill=1)
                c.setFillColor(_colour(PRINTED.selection))
                c.setFont(BOLD, 8)
                c.drawString(tx + 2.5, py + ph - 8.8, tag)
        c.restoreState()


@functools.lru_cache(maxsize=64)
def _colour(hex_colour: str) -> Color:
    """reportlab's colour for a hex colour of the style table."""
    return HexColor(hex_colour)


@functools.lru_cache(maxsize=512)
def _rgb(hex_colour: str, tint: float = 1.0) -> str:
    """PDF colour operands for ``hex_colour`` laid over white at ``tint`` (opaque: no transparency groups)."""
    c = HexColor(hex_colour)
    return " ".join(f"{1 - tint + tint * v:.3f}" for v in (c.red, c.green, c.blue))


def _n(value: float) -> str:
    return f"{value:.1f}"


def _path_ops(path: Path) -> str:
    """PDF path construction operators for ``path`` (scene coordinates; the canvas is already flipped)."""
    ops = []
    for op, v in path.commands:
        if op == "M":
            ops.append(f"{_n(v[0])} {_n(v[1])} m")
        elif op == "L":
            ops.append(f"{_n(v[0])} {_n(v[1])} l")
        elif op == "C":
            ops.append(" ".join(_n(x) for x in v) + " c")
        else:
            ops.append("h")
    return " ".join(ops)


def _shape_ops(item: Drawn) -> str:
    """PDF operators painting one item's shapes, as the domain draws them (:mod:`workshop.domain.drawing.shapes`).

    Written as literal operators: reportlab's per-call number formatting is
    what made a 20,000-node report take twenty seconds. A see-through fill is
    laid over white as an opaque colour: no transparency groups to render.
    """
    ops = []
    for shape in item.shapes:
        paint = ""
        if shape.fill is not None:
            ops.append(f"{_rgb(shape.fill, shape.fill_alpha)} rg")
            paint = "f"
        if shape.stroke is not None:
            stroke = shape.stroke
            dash = f"[{_n(stroke.dash[0])} {_n(stroke.dash[1])}] 0 d" if stroke.dash else "[] 0 d"
            ops.append(f"{_rgb(stroke.colour)} RG {_n(stroke.width)} w {dash}")
            paint = "B" if paint else "S"
        if paint:
            ops.append(f"{_path_ops(shape.path)} {paint}")
    return " ".join(ops)
