"""Phones draw the model the domain draws: bands, shapes and routes come from the server, not from the page."""

from __future__ import annotations

import json
from pathlib import Path

from tests.domain.builders import two_org_document
from workshop.domain.drawing.shapes import node_drawing
from workshop.domain.drawing.style import PRINTED
from workshop.domain.model.geometry import Box, lane_boxes
from workshop.domain.model.operations import update
from workshop.domain.model.process import node_organization
from workshop.live.public_view import changes, snapshot


def _bands(doc_session: object, model_id: str = "m1") -> dict[str, list[float]]:
    return {key: [b.x, b.y, b.w, b.h] for key, b in lane_boxes(doc_session, model_id).items()}  # type: ignore[arg-type]


def test_each_lane_carries_its_band_and_a_resized_lane_moves_the_ones_below() -> None:
    doc = two_org_document()
    lanes = snapshot(doc.session, doc.last_seq, None)["elements"]["lane"]
    assert {key: lane["band"] for key, lane in lanes.items()} == _bands(doc.session)
    record = doc.apply(update("lane", "lane-it", height=400.0))
    sent = {change["id"]: change["data"]["band"] for change in changes(doc.state, record) if change["kind"] == "lane"}
    assert sent == _bands(doc.session)
    assert sent["lane-a"][1] == 400.0, "the lane below moved down, and the pages are told"


def test_a_node_moved_past_the_right_end_widens_every_band_on_the_phones() -> None:
    doc = two_org_document()
    node = next(iter(doc.session.nodes.values()))
    before = _bands(doc.session)
    record = doc.apply(update("node", node.id, x=5000.0))
    sent = {change["id"]: change["data"]["band"] for change in changes(doc.state, record) if change["kind"] == "lane"}
    assert sent == _bands(doc.session) != before
    assert all(band[0] + band[2] >= 5000.0 + node.w for band in sent.values())
    label_only = doc.apply(update("node", node.id, label="Renamed"))
    assert "lane" not in {c["kind"] for c in changes(doc.state, label_only)}, "a new label leaves the bands alone"
    other = next(n for n in doc.session.nodes.values() if n.id != node.id)
    nudge = doc.apply(update("node", other.id, x=other.x + 10))
    assert "lane" not in {c["kind"] for c in changes(doc.state, nudge)}, "nudged, but another node still ends later"


def test_a_node_arrives_with_the_shapes_the_canvas_and_report_draw() -> None:
    doc = two_org_document()
    node = next(iter(doc.session.nodes.values()))
    sent = snapshot(doc.session, doc.last_seq, None)["elements"]["node"][node.id]
    org = doc.session.organizations[node_organization(node, doc.session.lanes) or ""]
    local = Box(0, 0, node.w, node.h)  # the page places the shapes at the node
    drawn = node_drawing(str(node.node_kind), local, org.colour, PRINTED, str(node.gateway_kind))
    assert [shape["d"] for shape in sent["drawing"]] == [shape.path.svg() for shape in drawn.shapes]
    assert sent["drawing"][0]["fill"] == drawn.shapes[0].fill
    assert sent["label_box"] == [drawn.label_box.x, drawn.label_box.y, drawn.label_box.w, drawn.label_box.h]


def test_an_organization_recoloured_recolours_its_lanes_and_shapes_on_the_phones() -> None:
    doc = two_org_document()
    record = doc.apply(update("organization", "org-a", colour="#123456"))
    sent = changes(doc.state, record)
    lanes = [c["data"] for c in sent if c["kind"] == "lane" and c["data"]["organization_id"] == "org-a"]
    assert lanes
    assert all(lane["drawing"][1]["fill"] == "#123456" for lane in lanes), "the title strip"
    nodes = [c["data"] for c in sent if c["kind"] == "node"]
    assert any(shape.get("fill") == "#123456" for node in nodes for shape in node["drawing"])


def test_removing_or_adding_the_rightmost_node_resizes_the_bands_on_the_phones() -> None:
    from workshop.domain.model.operations import add, remove
    from workshop.domain.model.process import Node

    doc = two_org_document()
    record = doc.apply(add(Node(id="far", model_id="m1", label="Far", lane_id="lane-a", x=3000.0)))
    sent = {c["id"]: c["data"]["band"] for c in changes(doc.state, record) if c["kind"] == "lane"}
    assert sent == _bands(doc.session)
    record = doc.apply(remove("node", "far"))
    sent = {c["id"]: c["data"]["band"] for c in changes(doc.state, record) if c["kind"] == "lane"}
    assert sent == _bands(doc.session), "narrower again"
    assert all(band[0] + band[2] < 3000.0 for band in sent.values())


MIWG_FILES = sorted((Path(__file__).parents[1] / "data" / "bpmn-miwg").rglob("*.bpmn"))


def test_every_model_other_tools_wrote_reaches_the_phones_drawn_as_strict_json() -> None:
    """Phones get each imported element's shapes and label box, in JSON a browser parses (no NaN, no Infinity)."""
    from workshop.interchange.bpmn_import import import_bpmn

    assert MIWG_FILES
    for path in MIWG_FILES:
        session = import_bpmn(path.read_bytes(), source_name=path.name).session
        elements = snapshot(session, 0, None)["elements"]
        json.dumps(elements, allow_nan=False)
        for node in elements["node"].values():
            assert node["drawing"][0]["d"].startswith("M"), (path.name, node["id"])
            assert node["label_box"][2] > 0, (path.name, node["id"])
        for lane in elements["lane"].values():
            assert lane["band"][2] > 0, (path.name, lane["id"])
