"""A sub-process's contents are steps of the model: imported nested, exported inside it with their diagram."""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET

from tests.interchange.bpmn_samples import COLLAPSED, SUB_PROCESS
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bpmn_import import import_bpmn

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"


def _export(session: object) -> bytes:
    out = io.BytesIO()
    export_bpmn(session, out)  # type: ignore[arg-type]
    return out.getvalue()


def test_a_collapsed_sub_process_keeps_its_contents_at_their_own_coordinates_nested() -> None:
    result = import_bpmn(COLLAPSED)
    assert [str(item) for item in result.report if not item.imported] == []
    nodes = result.session.nodes
    assert not nodes["sub"].expanded
    assert nodes["deep"].expanded
    assert {n: nodes[n].parent_id for n in ("inS", "inT", "deep", "err", "deepT")} == {
        "inS": "sub",
        "inT": "sub",
        "deep": "sub",
        "err": "sub",
        "deepT": "deep",
    }
    assert (nodes["inT"].x, nodes["inT"].y) == (100, 480), "its own plane's coordinates"
    assert nodes["err"].attached_to == "inT"
    assert (nodes["deepT"].x - nodes["deep"].x, nodes["deepT"].y - nodes["deep"].y) == (50, 50)


def test_the_export_writes_contents_inside_and_a_collapsed_one_on_its_own_plane() -> None:
    result = import_bpmn(COLLAPSED)
    root = ET.fromstring(_export(result.session))
    sub = root.find(f".//{{{BPMN}}}subProcess[@id='sub']")
    assert sub is not None
    assert {child.get("id") for child in sub} >= {"inS", "inT", "deep", "inF", "inG", "err"}
    deep = sub.find(f"{{{BPMN}}}subProcess[@id='deep']")
    assert deep is not None
    assert deep.find(f"{{{BPMN}}}task[@id='deepT']") is not None
    planes = {plane.get("bpmnElement"): plane for plane in root.iter(f"{{{BPMNDI}}}BPMNPlane")}
    assert "sub" in planes, "a collapsed sub-process's contents on a plane of its own"
    own = {shape.get("bpmnElement") for shape in planes["sub"]}
    assert own >= {"inS", "inT", "deep", "deepT", "err", "inF", "inG"}
    main = next(plane for key, plane in planes.items() if key != "sub")
    shape = main.find(f"{{{BPMNDI}}}BPMNShape[@bpmnElement='sub']")
    assert shape is not None
    assert shape.get("isExpanded") == "false"
    assert main.find(f"{{{BPMNDI}}}BPMNShape[@bpmnElement='inT']") is None
    lanes = [ref.text for ref in root.iter(f"{{{BPMN}}}flowNodeRef")]
    assert "inT" not in lanes, "a lane lists the process's own steps"


def test_round_trip_keeps_every_step_flow_and_place() -> None:
    for source in (COLLAPSED, SUB_PROCESS):
        first = import_bpmn(source).session
        second = import_bpmn(_export(first)).session
        assert len(second.nodes) == len(first.nodes)
        assert len(second.flows) == len(first.flows)
        for node_id, node in first.nodes.items():
            again = second.nodes[node_id]
            kept = (node.parent_id, node.expanded, node.x, node.y)
            assert (again.parent_id, again.expanded, again.x, again.y) == kept


def test_a_session_imported_before_still_writes_back_what_its_sub_process_held_as_xml() -> None:
    session = import_bpmn(SUB_PROCESS).session
    held = f'<inside x="100" y="0"><contents><task xmlns="{BPMN}" id="old" name="Look"/></contents></inside>'
    nodes = {k: n for k, n in session.nodes.items() if n.parent_id is None}
    nodes["sub"] = nodes["sub"].model_copy(update={"bpmn_inside": held})
    flows = {k: f for k, f in session.flows.items() if f.source_id in nodes and f.target_id in nodes}
    root = ET.fromstring(_export(session.model_copy(update={"nodes": nodes, "flows": flows})))
    assert root.find(f".//{{{BPMN}}}subProcess[@id='sub']/{{{BPMN}}}task[@id='old']") is not None


def test_the_pictures_draw_the_process_level_a_collapsed_sub_process_s_steps_are_not_on_it() -> None:
    from workshop.interchange.pictures import model_svg

    result = import_bpmn(COLLAPSED)
    svg = model_svg(result.session, result.model_id).decode("utf-8")
    assert ">Handle<" in svg
    assert ">Check<" not in svg, "on the sub-process's own view, not the process's picture"
