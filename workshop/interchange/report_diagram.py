"""A process model as a vector drawing for the PDF report, from the same geometry as the canvas."""

from __future__ import annotations

import itertools

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color, HexColor, black, white

from workshop.domain.geometry import lane_boxes, node_box, route
from workshop.domain.process import LANE_HEADER_WIDTH, NodeKind, node_organization
from workshop.domain.session import Session
from workshop.domain.walkthrough import handoff_orgs

STATUS = {"open": "#c62828", "being_crossed": "#ef6c00", "crossed": "#2e7d32"}


def _tint(hex_colour: str, alpha: float) -> Color:
    c = HexColor(hex_colour)
    return Color(c.red, c.green, c.blue, alpha=alpha)


def wrap_words(text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap by an average glyph width (good enough for labels of a few words)."""
    per_line = max(6, int(width / (size * 0.55)))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:4]


def model_drawing(session: Session, model_id: str, max_width: float, font: str) -> Drawing:
    """The model scaled to ``max_width`` points: lanes, shapes with owners' colours, flows, handoffs, boundaries."""
    lanes = lane_boxes(session, model_id)
    nodes = [n for n in session.nodes.values() if n.model_id == model_id]
    left = -LANE_HEADER_WIDTH
    right = max((b.right for b in lanes.values()), default=600.0)
    bottom = max([b.bottom for b in lanes.values()] + [n.y + n.h + 40 for n in nodes] + [200.0])
    top = min([0.0] + [n.y - 20 for n in nodes])
    scale = max_width / (right - left)
    height = (bottom - top) * scale
    drawing = Drawing(max_width, height)
    group = Group()
    group.transform = (scale, 0, 0, -scale, -left * scale, bottom * scale)  # scene y grows down, PDF y grows up

    def text(x: float, y: float, value: str, size: float, colour: Color = black, anchor: str = "middle") -> None:
        label = String(x, y, value, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)
        holder = Group(label)
        holder.transform = (1, 0, 0, -1, 0, 2 * y)  # undo the flip for text
        group.add(holder)

    for lane_id, box in lanes.items():
        lane = session.lanes[lane_id]
        org = session.organizations.get(lane.organization_id)
        colour = org.colour if org else "#9e9e9e"
        group.add(
            Rect(
                box.x,
                box.y,
                box.w,
                box.h,
                fillColor=_tint(colour, 0.12),
                strokeColor=HexColor("#90a4ae"),
                strokeWidth=1,
            )
        )
        group.add(Rect(box.x, box.y, LANE_HEADER_WIDTH, box.h, fillColor=HexColor(colour), strokeColor=None))
        title = (org.name if org else "?") + (f" — {lane.role}" if lane.role else "")
        for i, line in enumerate(wrap_words(title, LANE_HEADER_WIDTH - 10, 15)):
            text(box.x + LANE_HEADER_WIDTH / 2, box.y + 30 + i * 18, line, 15, white)
    boxes = {n.id: node_box(n) for n in nodes}
    for flow in session.flows.values():
        if flow.model_id != model_id:
            continue
        points = route(boxes[flow.source_id], boxes[flow.target_id])
        handoff = handoff_orgs(session, flow) is not None
        colour = HexColor("#d84315") if handoff else HexColor("#455a64")
        flat = [c for point in points for c in point]
        group.add(
            PolyLine(
                flat, strokeColor=colour, strokeWidth=4 if handoff else 2, strokeDashArray=[9, 4] if handoff else None
            )
        )
        (x1, y1), (x2, y2) = points[-2], points[-1]
        dx, dy = (x2 - x1, y2 - y1)
        length = max((dx * dx + dy * dy) ** 0.5, 1)
        ux, uy = dx / length, dy / length
        group.add(
            Polygon(
                [x2, y2, x2 - 12 * ux + 6 * uy, y2 - 12 * uy - 6 * ux, x2 - 12 * ux - 6 * uy, y2 - 12 * uy + 6 * ux],
                fillColor=colour,
                strokeColor=colour,
            )
        )
        if flow.label:
            (ax, ay), (bx, by) = max(
                itertools.pairwise(points), key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1])
            )
            text((ax + bx) / 2, (ay + by) / 2 - 6, flow.label, 12, HexColor("#263238"))
    for node in nodes:
        b = boxes[node.id]
        org = session.organizations.get(node_organization(node, session.lanes) or "")
        colour = org.colour if org else "#9e9e9e"
        kind = node.node_kind
        if kind in (NodeKind.START, NodeKind.END):
            group.add(
                Circle(
                    b.cx,
                    b.cy,
                    min(b.w, b.h) / 2,
                    fillColor=HexColor(colour),
                    strokeColor=black,
                    strokeWidth=4 if kind == NodeKind.END else 1.5,
                )
            )
            for i, line in enumerate(wrap_words(node.label, b.w + 90, 12)):
                text(b.cx, b.bottom + 16 + i * 14, line, 12)
            continue
        if kind == NodeKind.DECISION:
            group.add(
                Polygon(
                    [b.cx, b.y, b.right, b.cy, b.cx, b.bottom, b.x, b.cy],
                    fillColor=white,
                    strokeColor=black,
                    strokeWidth=1.5,
                )
            )
        else:
            group.add(Rect(b.x, b.y, b.w, b.h, rx=10, ry=10, fillColor=white, strokeColor=black, strokeWidth=1.5))
            group.add(Rect(b.x, b.y, 7, b.h, fillColor=HexColor(colour), strokeColor=None))
        lines = wrap_words(node.label, b.w - 12, 13)
        first = b.cy - (len(lines) - 1) * 7.5 + 4
        for i, line in enumerate(lines):
            text(b.cx, first + i * 15, line, 13)
    for boundary in session.boundaries.values():
        anchor = None
        if boundary.target_kind == "node" and boundary.target_id in boxes:
            target_box = boxes[boundary.target_id]
            anchor = (target_box.right, target_box.y)
        elif boundary.target_kind == "flow" and boundary.target_id in session.flows:
            flow = session.flows[boundary.target_id]
            if flow.model_id == model_id:
                points = route(boxes[flow.source_id], boxes[flow.target_id])
                (ax, ay), (bx2, by2) = points[len(points) // 2 - 1], points[len(points) // 2]
                anchor = ((ax + bx2) / 2, (ay + by2) / 2)
        if anchor is not None:
            group.add(
                Circle(
                    anchor[0],
                    anchor[1],
                    13,
                    fillColor=HexColor(STATUS[boundary.status]),
                    strokeColor=white,
                    strokeWidth=2,
                )
            )
            text(
                anchor[0],
                anchor[1] + 5,
                {"open": "!", "being_crossed": "…", "crossed": "✓"}[boundary.status],
                15,
                white,
            )
    drawing.add(group)
    group.add(Line(0, 0, 0, 0))  # keeps the group non-empty for a model with no lanes yet
    return drawing
