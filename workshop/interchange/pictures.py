"""Pictures of a process model as SVG: the one drawing (:mod:`workshop.domain.drawing.shapes`) as ``<path>`` elements.

The SVG names its font family explicitly ("DejaVu Sans"), so other viewers
render the same text. A PNG is this SVG rasterized by Qt, which this layer
may not import: the app and the command line pass in
:func:`workshop.ui.presenter.rasterize.svg_to_png`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from workshop.domain.drawing.style import PRINTED
from workshop.domain.model.session import Session
from workshop.interchange.report_diagram import Drawn, build_scene

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


def _shape(item: Drawn) -> str:
    """One scene item's shapes as SVG paths, as the domain draws them (:mod:`workshop.domain.drawing.shapes`)."""
    out = []
    for shape in item.shapes:
        fill = "none" if shape.fill is None else shape.fill
        attrs = [f'd="{shape.path.svg()}"', f'fill="{fill}"']
        if shape.fill is not None and shape.fill_alpha < 1:
            attrs.append(f'fill-opacity="{shape.fill_alpha:g}"')
        stroke = shape.stroke
        if stroke is not None:
            attrs.append(f'stroke="{stroke.colour}" stroke-width="{stroke.width:g}"')
            if stroke.dash is not None:
                attrs.append('stroke-dasharray="{:g} {:g}"'.format(*stroke.dash))
        out.append(f"<path {' '.join(attrs)}/>")
    return f'<g class="{item.kind}">{"".join(out)}</g>'
