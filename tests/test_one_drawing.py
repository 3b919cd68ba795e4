"""Four renderers, one drawing: the canvas, the SVG picture, the PDF report and the phone page draw the shapes
:mod:`workshop.domain.drawing.shapes` describes, not shapes of their own."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from workshop.domain.drawing.shapes import flow_drawing, node_drawing, organization_colour
from workshop.domain.drawing.style import PRINTED
from workshop.domain.model.geometry import Box, flow_route, node_box
from workshop.domain.model.handoffs import is_handoff
from workshop.domain.model.process import node_organization
from workshop.domain.model.session import Session
from workshop.interchange.pictures import model_svg
from workshop.interchange.report_diagram import build_scene
from workshop.interchange.report_diagram_draw import _shape_ops
from workshop.live.public_view import snapshot
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json
from workshop.ui.canvas.shapes import box_of, node_path, qt_path


def _example() -> tuple[Session, str]:
    session = load_session_json(example_session_path())
    return session, min(session.models.values(), key=lambda m: m.index).id


def _node_colour(session: Session, node_id: str) -> str:
    return organization_colour(session, node_organization(session.nodes[node_id], session.lanes), PRINTED)


def test_the_svg_picture_and_the_phone_draw_the_domains_paths() -> None:
    session, model_id = _example()
    svg = model_svg(session, model_id).decode("utf-8")
    phone = snapshot(session, 0, None)["elements"]
    for node in session.nodes.values():
        if node.model_id != model_id:
            continue
        drawn = node_drawing(str(node.node_kind), node_box(node), _node_colour(session, node.id), PRINTED)
        for shape in drawn.shapes[:1]:
            assert f'd="{shape.path.svg()}"' in svg, node.id
        local = node_drawing(str(node.node_kind), Box(0, 0, node.w, node.h), _node_colour(session, node.id), PRINTED)
        assert phone["node"][node.id]["drawing"][0]["d"] == local.shapes[0].path.svg(), "placed at the node"
    for flow in session.flows.values():
        if flow.model_id != model_id:
            continue
        drawn_flow = flow_drawing(flow_route(session, flow.id), PRINTED, handoff=is_handoff(session, flow))
        assert f'd="{drawn_flow.shapes[0].path.svg()}"' in svg, flow.id
        assert [s["d"] for s in phone["flow"][flow.id]["drawing"]] == [s.path.svg() for s in drawn_flow.shapes]


def test_the_report_paints_every_shape_of_the_drawing() -> None:
    session, model_id = _example()
    for item in build_scene(session, model_id).items:
        ops = _shape_ops(item)
        assert ops.count(" m") >= sum(1 for s in item.shapes for op, _ in s.path.commands if op == "M")
        painted = ops.count(" f") + ops.count(" S") + ops.count(" B")
        assert painted == len(item.shapes), item.kind


def test_the_canvas_hit_tests_and_draws_the_domains_outline(qapp: QApplication) -> None:
    from workshop.ui.canvas.node_item import NodeItem
    from workshop.ui.themes import THEMES

    session, model_id = _example()
    for node in session.nodes.values():
        if node.model_id != model_id:
            continue
        item = NodeItem(node, THEMES["light"], _node_colour(session, node.id))
        outline = node_drawing(str(node.node_kind), box_of(item.rect), item.colour, THEMES["light"].style)
        assert item.shape().boundingRect() == qt_path(outline.shapes[0].path).boundingRect(), node.id
        assert item.shape().boundingRect() == node_path(str(node.node_kind), item.rect).boundingRect()
