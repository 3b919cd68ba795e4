"""What a BPMN import keeps (references, kinds, positions) and how it says what is wrong with a file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from lxml import etree

from tests.interchange.bpmn_samples import (
    DATA,
    EVENTS,
    GATEWAYS,
    GENMYMODEL,
    NO_DIAGRAM,
    ORPHAN_PROCESS,
    SUB_PROCESS,
    document,
)
from workshop.cli import main
from workshop.domain.model.geometry import lane_boxes, node_box
from workshop.domain.model.handoffs import is_handoff
from workshop.interchange.bpmn_export import BPMN, export_bpmn
from workshop.interchange.bpmn_import import BpmnError, import_bpmn
from workshop.store.sessions import open_document

MIWG = Path(__file__).resolve().parents[1] / "data" / "bpmn-miwg"


def _export(data: bytes) -> etree._Element:
    stream = io.BytesIO()
    export_bpmn(import_bpmn(data).session, stream)
    return etree.fromstring(stream.getvalue())


def test_prefixed_references_resolve_like_plain_ones() -> None:
    result = import_bpmn(GENMYMODEL, source_name="genmymodel.bpmn")
    s = result.session
    assert {n.label for n in s.nodes.values()} >= {"Register"}
    assert len(s.nodes) == 3
    assert len(s.flows) == 2
    assert [o.name for o in s.organizations.values()] == ["Clinic"]
    assert {n.lane_id for n in s.nodes.values()} == {"L1"}
    assert result.unsupported == [], "positions are found through bpmn2:-prefixed bpmnElement"
    assert s.nodes["T"].w == 100
    assert s.nodes["T"].h == 80


def test_gateways_keep_their_type_and_go_back_out_as_it() -> None:
    s = import_bpmn(GATEWAYS).session
    kinds = {n.id: n.gateway_kind for n in s.nodes.values() if n.node_kind == "decision"}
    assert kinds == {"gx": "exclusive", "gp": "parallel", "gi": "inclusive", "ge": "event_based", "gc": "complex"}
    root = _export(GATEWAYS)
    for tag, node_id in [("parallelGateway", "gp"), ("eventBasedGateway", "ge"), ("complexGateway", "gc")]:
        assert root.find(f".//{{{BPMN}}}{tag}[@id='{node_id}']") is not None


def test_events_keep_definition_position_and_boundary() -> None:
    s = import_bpmn(EVENTS).session
    assert s.nodes["start_timer"].event_definition == "timer"
    assert s.nodes["end_terminate"].event_definition == "terminate"
    assert (s.nodes["throw_escalation"].bpmn_element, s.nodes["throw_escalation"].event_definition) == (
        "intermediateThrowEvent",
        "escalation",
    )
    assert s.nodes["plain_catch"].event_definition == "none"
    timer = s.nodes["b_timer"]
    assert (timer.bpmn_element, timer.attached_to, timer.interrupting) == ("boundaryEvent", "work", False)
    assert s.nodes["b_error"].interrupting
    root = _export(EVENTS)
    boundary = root.find(f".//{{{BPMN}}}boundaryEvent[@id='b_timer']")
    assert boundary is not None
    assert (boundary.get("attachedToRef"), boundary.get("cancelActivity")) == ("work", "false")
    assert boundary.find(f"{{{BPMN}}}timerEventDefinition") is not None
    plain = root.find(f".//{{{BPMN}}}intermediateCatchEvent[@id='plain_catch']")
    assert plain is not None
    assert not [c for c in plain if c.tag.endswith("EventDefinition")], "no timer made up"


def test_data_objects_stores_associations_and_free_notes_are_kept() -> None:
    result = import_bpmn(DATA)
    s = result.session
    assert (s.nodes["doc"].node_kind, s.nodes["doc"].bpmn_element) == ("document", "dataObjectReference")
    assert (s.nodes["db"].node_kind, s.nodes["db"].bpmn_element) == ("it_system", "dataStoreReference")
    assert (s.flows["in1"].source_id, s.flows["in1"].target_id, s.flows["in1"].bpmn_element) == (
        "doc",
        "read",
        "dataInputAssociation",
    )
    assert not s.flows["out1"].is_sequence
    notes = {a.text: (a.target_kind, a.target_id) for a in s.annotations.values()}
    assert notes == {"Ask finance about this": ("model", "model-imported"), "Slow": ("node", "read")}
    assert any("group" in line and "does not draw has nothing to frame" in line for line in result.unsupported)
    root = _export(DATA)
    assert root.find(f".//{{{BPMN}}}dataObjectReference[@id='doc']") is not None
    assert root.find(f".//{{{BPMN}}}task[@id='read']/{{{BPMN}}}dataInputAssociation[@id='in1']") is not None
    assert root.find(f".//{{{BPMN}}}task[@id='read']/{{{BPMN}}}dataOutputAssociation[@id='out1']") is not None


def test_a_process_without_a_pool_is_a_pool_of_its_own() -> None:
    result = import_bpmn(ORPHAN_PROCESS)
    assert [o.name for o in result.session.organizations.values()] == ["Shop", "Customer", "Billing"]
    billing = next(o.id for o in result.session.organizations.values() if o.name == "Billing")
    lane = result.session.lanes[result.session.nodes["t2"].lane_id]
    assert lane.organization_id == billing
    assert any("no pool shows this process" in line for line in result.unsupported)
    customer = next(o.id for o in result.session.organizations.values() if o.name == "Customer")
    m1 = result.session.flows["m1"]  # the black box is an external party: its message is a handoff to it
    party = result.session.nodes[m1.source_id]
    assert (party.bpmn_element, party.lane_id, m1.target_id) == ("participant", party.lane_id, "t1")
    assert result.session.lanes[party.lane_id or ""].organization_id == customer
    assert is_handoff(result.session, m1)
    assert any("(pb)" in line and "external party" in line for line in result.unsupported)


def test_sub_process_contents_are_imported_as_its_steps() -> None:
    result = import_bpmn(SUB_PROCESS)
    assert {item.element_id for item in result.report if not item.imported} == set()
    nodes = result.session.nodes
    assert nodes["sub"].bpmn_element == "subProcess"
    assert nodes["sub"].expanded, "its contents are drawn inside it, in the same plane"
    assert (nodes["inS"].parent_id, nodes["inT"].parent_id) == ("sub", "sub")
    assert nodes["inT"].x - nodes["sub"].x == 100, "inside the frame where the diagram draws it"
    assert result.session.flows["inF"].source_id == "inS"


def test_nodes_without_positions_are_laid_out_in_their_lane_not_piled() -> None:
    s = import_bpmn(NO_DIAGRAM).session
    places = {(n.x, n.y) for n in s.nodes.values()}
    assert len(places) == len(s.nodes), "no two nodes at one point"
    boxes = lane_boxes(s, "model-imported")
    for node in s.nodes.values():
        lane = boxes[node.lane_id or ""]
        box = node_box(node)
        assert lane.y <= box.y, node.id
        assert box.bottom <= lane.bottom, node.id
    assert s.nodes["A"].x < s.nodes["B"].x, "left to right along the flows"


def _bounds(value: str, attribute: str = "x") -> bytes:
    return GATEWAYS.replace(b'<dc:Bounds x="100"', f'<dc:Bounds {attribute}="{value}" x2="100"'.encode(), 1)


@pytest.mark.parametrize("value", ["NaN", "INF", "-inf", "1e300", "abc", ""])
def test_bad_coordinates_are_refused_naming_element_and_attribute(value: str) -> None:
    with pytest.raises(BpmnError) as caught:
        import_bpmn(_bounds(value), source_name="bad.bpmn")
    message = str(caught.value)
    assert message.startswith("bad.bpmn:")
    assert "'gx'" in message
    assert f"x={value!r}" in message
    assert "could not convert" not in message


def test_a_wrong_namespace_names_the_one_found_and_the_one_expected() -> None:
    data = GATEWAYS.replace(b"http://www.omg.org/spec/BPMN/20100524/MODEL", b"http://www.omg.org/bpmn20", 1)
    with pytest.raises(
        BpmnError, match=r"'http://www.omg.org/bpmn20'.*expected 'http://www.omg.org/spec/BPMN/20100524/MODEL'"
    ):
        import_bpmn(data, source_name="old.bpmn")


def test_latin1_bytes_in_a_utf8_file_are_read_as_windows_1252_with_a_note() -> None:
    data = GATEWAYS.replace(b'name="x"', 'name="Prüfung €"'.encode("cp1252"))
    result = import_bpmn(data, source_name="latin.bpmn")
    assert result.session.nodes["gx"].label == "Prüfung €"
    assert any("Windows-1252" in note and "latin.bpmn:" in note for note in result.notes)


def test_malformed_xml_keeps_line_and_column() -> None:
    with pytest.raises(BpmnError, match=r"broken.bpmn:3:\d+: not well-formed"):
        import_bpmn(b'<?xml version="1.0"?>\n<definitions>\n<process></definitions>', source_name="broken.bpmn")


def test_a_tiny_document_helper_makes_what_it_says() -> None:
    assert b"<bpmn:definitions" in document("", {})


def test_cli_import_makes_a_session_that_records_its_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "C.1.0.bpmn"
    source.write_bytes((MIWG / "reference" / "C.1.0.bpmn").read_bytes())
    target = tmp_path / "out.workshop"
    assert main(["import", str(source), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "C.1.0.bpmn: " in out
    assert f"created {target}" in out
    document, workshop_file = open_document(target, read_only=True)
    workshop_file.close()
    [record] = document.session.sources.values()
    assert record.file_name == "C.1.0.bpmn"
    assert len(record.sha256) == 64
    assert record.counts["silent"] == 0
    assert main(["import", str(source), "-o", str(target)]) == 1, "an existing file is never overwritten"
    assert "exists already" in capsys.readouterr().err


def test_cli_import_refuses_bad_input_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.bpmn"
    bad.write_bytes(_bounds("NaN"))
    assert main(["import", str(bad), "-o", str(tmp_path / "x.workshop")]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "x='NaN'" in err
    assert not (tmp_path / "x.workshop").exists()


def test_cli_info_reads_bpmn_without_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "model.bpmn"
    source.write_bytes(SUB_PROCESS)
    assert main(["info", str(source), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["counts"]["silent"] == 0
    assert info["counts"]["reported"] == 0, "a sub-process's steps are imported, none reported"
    assert info["by_kind"]["task"] == {"source": 1, "imported": 1, "reported": 0}
    assert not any("inside sub-process" in line for line in info["report"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.bpmn"]


@pytest.mark.parametrize("name", ["model.workshop", "model.json"])
def test_import_and_info_read_a_file_as_its_name_says(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    misnamed = tmp_path / name
    misnamed.write_bytes(SUB_PROCESS)  # BPMN inside, a session's or an example's name outside
    assert main(["import", str(misnamed), "-o", str(tmp_path / "x.workshop")]) == 1
    err = capsys.readouterr().err
    assert "workshop import reads a BPMN file (.bpmn, .bpmn2, .xml)" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.workshop").exists()
    assert main(["info", str(misnamed)]) == 1, "info reads it as what its name says, as import does"
    capsys.readouterr()
    xml = tmp_path / "model.xml"
    xml.write_bytes(SUB_PROCESS)
    assert main(["info", str(xml), "--json"]) == 0, "a BPMN file by any of its names, for every command"
    assert json.loads(capsys.readouterr().out)["counts"]["silent"] == 0
    assert main(["import", str(xml), "-o", str(tmp_path / "y.workshop")]) == 0
