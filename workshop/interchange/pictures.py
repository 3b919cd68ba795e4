"""Pictures of a process model: SVG and PNG, drawn from the domain model like the report's diagrams.

The SVG names its font family explicitly ("DejaVu Sans"), so other viewers
render the same text; the PNG is that SVG rendered by Qt (QtGui and QtSvg,
no widgets), so it works from the command line too.
"""

from __future__ import annotations

import os
from itertools import pairwise
from xml.sax.saxutils import escape

from workshop.domain.geometry import lane_boxes, node_box, route
from workshop.domain.process import LANE_HEADER_WIDTH, NodeKind, node_organization
from workshop.domain.session import Session
from workshop.domain.walkthrough import handoff_orgs
from workshop.interchange.report_diagram import wrap_words
from workshop.resources import assets_dir

FAMILY = "DejaVu Sans"


def _model_id(session: Session, model_id: str | None) -> str:
    if model_id is not None:
        return model_id
    models = sorted(session.models.values(), key=lambda m: m.index)
    if not models:
        raise ValueError("the session has no process model to draw")
    return models[0].id


def model_svg(session: Session, model_id: str | None = None) -> bytes:
    """The whole model at scene scale (1 unit = 1 px) as SVG, from the shared geometry."""
    model_id = _model_id(session, model_id)
    lanes = lane_boxes(session, model_id)
    nodes = [n for n in session.nodes.values() if n.model_id == model_id]
    boxes = {n.id: node_box(n) for n in nodes}
    left = -LANE_HEADER_WIDTH
    right = max((b.right for b in lanes.values()), default=600.0)
    bottom = max([b.bottom for b in lanes.values()] + [n.y + n.h + 60 for n in nodes] + [200.0])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left:g} 0 {right - left:g} {bottom:g}" '
        f'width="{right - left:g}" height="{bottom:g}" font-family="{FAMILY}, sans-serif">',
        f'<rect x="{left:g}" y="0" width="{right - left:g}" height="{bottom:g}" fill="#ffffff"/>',
    ]
    for lane_id, box in lanes.items():
        lane = session.lanes[lane_id]
        org = session.organizations.get(lane.organization_id)
        colour = org.colour if org else "#9e9e9e"
        out.append(
            f'<rect x="{box.x:g}" y="{box.y:g}" width="{box.w:g}" height="{box.h:g}" fill="{colour}" '
            'fill-opacity="0.12" stroke="#90a4ae"/>'
        )
        out.append(
            f'<rect x="{box.x:g}" y="{box.y:g}" width="{LANE_HEADER_WIDTH:g}" height="{box.h:g}" fill="{colour}"/>'
        )
        title = (org.name if org else "?") + (f" — {lane.role}" if lane.role else "")
        out.append(_text(box.x + LANE_HEADER_WIDTH / 2, box.y + 30, title, 15, "#ffffff", LANE_HEADER_WIDTH - 10))
    for flow in session.flows.values():
        if flow.model_id != model_id:
            continue
        points = route(boxes[flow.source_id], boxes[flow.target_id])
        handoff = handoff_orgs(session, flow) is not None
        colour = "#d84315" if handoff else "#455a64"
        dash = ' stroke-dasharray="9 4"' if handoff else ""
        path = " ".join(f"{x:g},{y:g}" for x, y in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{4 if handoff else 2}"{dash}/>'
        )
        (x1, y1), (x2, y2) = points[-2], points[-1]
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1.0)
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        head = [
            (x2, y2),
            (x2 - 12 * ux + 6 * uy, y2 - 12 * uy - 6 * ux),
            (x2 - 12 * ux - 6 * uy, y2 - 12 * uy + 6 * ux),
        ]
        out.append(f'<polygon points="{" ".join(f"{x:g},{y:g}" for x, y in head)}" fill="{colour}"/>')
        if flow.label:
            (ax, ay), (bx, by) = max(pairwise(points), key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1]))
            out.append(_text((ax + bx) / 2, (ay + by) / 2 - 6, flow.label, 12, "#263238", 200))
    for node in nodes:
        b = boxes[node.id]
        org = session.organizations.get(node_organization(node, session.lanes) or "")
        colour = org.colour if org else "#9e9e9e"
        if node.node_kind in (NodeKind.START, NodeKind.END):
            width = 4 if node.node_kind == NodeKind.END else 1.5
            out.append(
                f'<circle cx="{b.cx:g}" cy="{b.cy:g}" r="{min(b.w, b.h) / 2:g}" fill="{colour}" '
                f'stroke="#000000" stroke-width="{width}"/>'
            )
            out.append(_text(b.cx, b.bottom + 16, node.label, 12, "#000000", b.w + 90))
            continue
        if node.node_kind == NodeKind.DECISION:
            out.append(
                f'<polygon points="{b.cx:g},{b.y:g} {b.right:g},{b.cy:g} {b.cx:g},{b.bottom:g} {b.x:g},{b.cy:g}" '
                'fill="#ffffff" stroke="#000000" stroke-width="1.5"/>'
            )
        else:
            out.append(
                f'<rect x="{b.x:g}" y="{b.y:g}" width="{b.w:g}" height="{b.h:g}" rx="10" fill="#ffffff" '
                'stroke="#000000" stroke-width="1.5"/>'
            )
            out.append(f'<rect x="{b.x:g}" y="{b.y:g}" width="7" height="{b.h:g}" fill="{colour}"/>')
        out.append(_text(b.cx, b.cy, node.label, 13, "#000000", b.w - 12, middle=True))
    out.append("</svg>")
    return "\n".join(out).encode("utf-8")


def _text(x: float, y: float, value: str, size: float, colour: str, width: float, *, middle: bool = False) -> str:
    """Centred, word-wrapped text (up to four lines), escaped; one element per line (SVG Tiny has no tspan x/y)."""
    lines = wrap_words(value, width, size)
    first = y - (len(lines) - 1) * size * 0.6 + size * 0.35 if middle else y
    return "".join(
        f'<text x="{x:g}" y="{first + i * size * 1.2:g}" text-anchor="middle" font-size="{size:g}" '
        f'fill="{colour}">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )


def model_png(session: Session, model_id: str | None = None, scale: float = 1.0) -> bytes:
    """The model as PNG, rendered from :func:`model_svg` with the app's own fonts."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        _app = QGuiApplication([])
    for path in (assets_dir() / "fonts").glob("*.ttf"):
        QFontDatabase.addApplicationFont(str(path))
    renderer = QSvgRenderer(QByteArray(model_svg(session, model_id)))
    size = renderer.defaultSize()
    image = QImage(round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide wants str
    return bytes(buffer.data().data())
