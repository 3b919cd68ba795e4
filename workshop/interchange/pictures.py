"""Pictures of a process model: SVG and PNG, drawn from the domain model like the report's diagrams.

The SVG names its font family explicitly ("DejaVu Sans"), so other viewers
render the same text; the PNG is that SVG rendered by Qt (QtGui and QtSvg,
no widgets), so it works from the command line too.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from workshop.domain.geometry import arrow_head
from workshop.domain.process import LANE_HEADER_WIDTH
from workshop.domain.session import Session
from workshop.domain.style import PRINTED
from workshop.interchange.report_diagram import Item, build_scene

FAMILY = "DejaVu Sans"


def _model_id(session: Session, model_id: str | None) -> str:
    if model_id is not None:
        return model_id
    models = sorted(session.models.values(), key=lambda m: m.index)
    if not models:
        raise ValueError("the session has no process model to draw")
    return models[0].id


def model_svg(session: Session, model_id: str | None = None) -> bytes:
    """The whole model at scene scale (1 unit = 1 px) as SVG, laid out like the report's diagrams.

    Drawn from :func:`~workshop.interchange.report_diagram.build_scene`, so
    labels wrap and end with '…' inside their shapes (events, gateways and
    small shapes below them) exactly as in the PDF report.
    """
    scene = build_scene(session, _model_id(session, model_id))
    left, top, width, height = scene.left, scene.top, scene.width, scene.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:g} {top:g} {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" font-family="{FAMILY}, sans-serif">',
        f'<rect x="{left:g}" y="{top:g}" width="{width:g}" height="{height:g}" fill="{PRINTED.background}"/>',
    ]
    out += [_shape(item) for item in scene.items]
    for item in scene.items:
        for label in item.labels:
            if item.kind == "flow":  # a white ground keeps a flow label readable where routes cross it
                out.append(
                    f'<rect x="{label.x - label.width / 2 - 2:.1f}" y="{label.y - label.size * 0.94:.1f}" '
                    f'width="{label.width + 4:.1f}" height="{label.size * 1.22:.1f}" fill="{PRINTED.background}"/>'
                )
            weight = ' font-weight="bold"' if label.bold else ""
            out.append(
                f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="middle" font-size="{label.size:g}"'
                f'{weight} fill="{label.colour}">{escape(label.text)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out).encode("utf-8")


def _shape(item: Item) -> str:
    """One scene item as SVG elements, in the colours and widths of the style table (as the PDF and the canvas)."""
    style = PRINTED
    b = item.box
    border = f'stroke="{style.node_border}" stroke-width="{style.line_width:g}"'
    if item.kind == "lane" and b is not None:
        return (
            f'<rect x="{b.x:g}" y="{b.y:g}" width="{b.w:g}" height="{b.h:g}" fill="{item.colour}" '
            f'fill-opacity="{style.lane_fill_alpha:g}" stroke="{style.node_border}" '
            f'stroke-width="{style.lane_line_width:g}"/>'
            f'<rect x="{b.x:g}" y="{b.y:g}" width="{LANE_HEADER_WIDTH:g}" height="{b.h:g}" fill="{item.colour}"/>'
        )
    if item.kind == "flow":
        colour = style.handoff if item.handoff else style.flow
        width = style.handoff_width if item.handoff else style.line_width
        dash = ' stroke-dasharray="{:g} {:g}"'.format(*style.handoff_dash_px) if item.handoff else ""
        path = " ".join(f"{x:g},{y:g}" for x, y in item.points)
        head = arrow_head(item.points)
        return (
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width:g}"{dash}/>'
            f'<polygon points="{" ".join(f"{x:g},{y:g}" for x, y in head)}" fill="{colour}"/>'
        )
    if b is None:
        return ""
    if item.kind in ("start", "end", "wait"):
        radius = min(b.w, b.h) / 2
        fill = item.colour if item.kind != "wait" else style.node_fill
        ring = (
            f'<circle cx="{b.cx:g}" cy="{b.cy:g}" r="{radius - 3:g}" fill="none" {border}/>'
            if item.kind == "wait" and radius > 4
            else ""
        )
        width = style.end_line_width if item.kind == "end" else style.line_width
        return (
            f'<circle cx="{b.cx:g}" cy="{b.cy:g}" r="{radius:g}" fill="{fill}" stroke="{style.node_border}" '
            f'stroke-width="{width:g}"/>{ring}'
        )
    if item.kind == "decision":
        return (
            f'<polygon points="{b.cx:g},{b.y:g} {b.right:g},{b.cy:g} {b.cx:g},{b.bottom:g} {b.x:g},{b.cy:g}" '
            f'fill="{style.node_fill}" {border}/>'
        )
    if item.kind == "marker":
        return (
            f'<circle cx="{b.cx:g}" cy="{b.cy:g}" r="13" fill="{item.colour}" stroke="{style.on_colour}" '
            'stroke-width="2"/>'
        )
    radius = min(10.0, b.w / 4, b.h / 4)
    return (
        f'<rect x="{b.x:g}" y="{b.y:g}" width="{b.w:g}" height="{b.h:g}" rx="{radius:g}" fill="{style.node_fill}" '
        f"{border}/>"
        f'<rect x="{b.x + 0.75:g}" y="{b.y + 0.75:g}" width="{min(7.0, b.w / 3):g}" height="{b.h - 1.5:g}" '
        f'fill="{item.colour}"/>'
    )
