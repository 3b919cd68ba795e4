"""BPMN from other tools keeps its meaning: conditions and defaults, timers, references, loops, black-box pools."""

from __future__ import annotations

import io
from xml.etree import ElementTree as ET

from tests.interchange.bpmn_samples import MEANING
from workshop.domain.model.handoffs import is_handoff
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bpmn_import import import_bpmn

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _q(tag: str) -> str:
    return f"{{{BPMN}}}{tag}"


def _exported() -> ET.Element:
    out = io.BytesIO()
    export_bpmn(import_bpmn(MEANING).session, out)
    return ET.fromstring(out.getvalue())


def test_conditions_and_defaults_are_kept_and_reported() -> None:
    result = import_bpmn(MEANING)
    flows = result.session.flows
    assert flows["fYes"].condition == "retry == true"
    assert flows["fNo"].default_flow
    assert not flows["fYes"].default_flow
    assert any("fYes" in line and "condition is kept: retry == true" in line for line in result.unsupported)
    assert any("fNo" in line and "default flow of 'Retry?'" in line for line in result.unsupported)


def test_conditions_and_defaults_go_back_out() -> None:
    root = _exported()
    gateway = root.find(f".//{_q('exclusiveGateway')}[@id='G']")
    assert gateway is not None
    assert gateway.get("default") == "fNo"
    assert root.findtext(f".//{_q('sequenceFlow')}[@id='fYes']/{_q('conditionExpression')}") == "retry == true"


def test_loops_timers_and_references_are_kept_through_a_round_trip() -> None:
    nodes = import_bpmn(MEANING).session.nodes
    assert (nodes["U"].loop, nodes["undo"].loop, nodes["undo"].for_compensation) == ("sequential", "standard", True)
    assert (nodes["B"].timer, nodes["B"].interrupting) == ("timeDuration=PT5M", False)
    assert (nodes["S"].ref_name, nodes["send"].ref_name, nodes["T"].ref_name) == ("Order", "Order", "Alarm")
    assert (nodes["E"].ref_name, nodes["E2"].ref_name) == ("Broken", "Late")
    assert nodes["C"].event_definition == "parallel_multiple"
    out = io.BytesIO()
    export_bpmn(import_bpmn(MEANING).session, out)
    again = import_bpmn(out.getvalue()).session.nodes
    for node_id in ("U", "undo", "B", "S", "send", "T", "C", "E", "E2"):
        before, after = nodes[node_id], again[node_id]
        assert (before.loop, before.for_compensation, before.timer, before.ref_name, before.event_definition) == (
            after.loop,
            after.for_compensation,
            after.timer,
            after.ref_name,
            after.event_definition,
        ), node_id


def test_the_export_writes_messages_signals_errors_and_escalations_as_root_elements() -> None:
    root = _exported()
    names = {(child.tag.rpartition("}")[2], child.get("name")) for child in root}
    assert {("message", "Order"), ("signal", "Alarm"), ("error", "Broken"), ("escalation", "Late")} <= names
    message = next(c for c in root if c.tag == _q("message"))
    assert root.find(f".//{_q('sendTask')}[@id='send']").get("messageRef") == message.get("id")  # type: ignore[union-attr]
    timer = root.find(f".//{_q('boundaryEvent')}[@id='B']/{_q('timerEventDefinition')}/{_q('timeDuration')}")
    assert timer is not None
    assert timer.text == "PT5M"
    assert root.find(f".//{_q('userTask')}[@id='U']/{_q('multiInstanceLoopCharacteristics')}") is not None


def test_a_black_box_pool_is_an_external_party_and_its_message_a_handoff() -> None:
    result = import_bpmn(MEANING)
    session = result.session
    m1 = session.flows["m1"]
    party = session.nodes[m1.target_id]
    assert party.bpmn_element == "participant"
    assert party.label == "Pool 2"  # an unnamed pool is named as people can say it, never by its id
    assert is_handoff(session, m1)
    names = [o.name for o in session.organizations.values()]
    assert "pb" not in names
    assert names[1] == "Pool 2"
    root = _exported()
    flow = root.find(f".//{_q('messageFlow')}[@id='m1']")
    assert flow is not None
    black_box = root.find(f".//{_q('participant')}[@id='{flow.get('targetRef')}']")
    assert black_box is not None
    assert black_box.get("processRef") is None


def test_a_repeated_id_is_named_as_such_with_its_lines() -> None:
    from tests.interchange.bpmn_samples import document

    twice = document(
        """<{p}:process id="test"><{p}:startEvent id="a"/></{p}:process>
<{p}:process id="test"><{p}:endEvent id="b"/></{p}:process>""",
        {},
    )
    result = import_bpmn(twice)
    assert not any("not supported" in line for line in result.unsupported)
    assert any(
        "process" in line and "id 'test' is used 2 times in the file (lines 3 and 4)" in line
        for line in result.unsupported
    )
    assert any("startEvent" in line and "not imported: inside process 'test'" in line for line in result.unsupported)
    assert result.counts()["silent"] == 0


def test_a_group_is_a_frame_with_its_category_value_as_its_name_and_goes_back_out() -> None:
    session = import_bpmn(MEANING).session
    group = session.groups["grp"]
    assert group.label == "Checks"
    assert (group.w, group.h) == (280, 190)
    root = _exported()
    written = root.find(f".//{_q('group')}[@id='grp']")
    assert written is not None
    value = root.find(f".//{_q('categoryValue')}[@id='{written.get('categoryValueRef')}']")
    assert value is not None
    assert value.get("value") == "Checks"
    out = io.BytesIO()
    export_bpmn(session, out)
    again = import_bpmn(out.getvalue()).session.groups["grp"]
    assert (again.label, again.x, again.y, again.w, again.h) == (group.label, group.x, group.y, group.w, group.h)


def test_the_picture_draws_the_group_frame_and_the_notation_with_no_id_in_sight() -> None:
    from workshop.domain.model.naming import ids_in
    from workshop.interchange.pictures import model_svg

    result = import_bpmn(MEANING)
    svg = model_svg(result.session, result.model_id).decode("utf-8")
    assert '<g class="group">' in svg
    assert ">Checks<" in svg
    assert 'stroke-dasharray="10 4"' in svg, "the group's frame"
    assert 'stroke-dasharray="4 3"' in svg, "the non-interrupting timer's border"
    assert ids_in(svg.replace('class="', ""), result.session) == []


def test_a_note_linked_to_a_pool_is_kept_on_the_model_and_says_so() -> None:
    from tests.interchange.bpmn_samples import document

    linked = document(
        """<{p}:collaboration id="c"><{p}:participant id="pa" name="Shop" processRef="P"/>
<{p}:textAnnotation id="n1"><{p}:text>About the shop</{p}:text></{p}:textAnnotation>
<{p}:association id="a1" sourceRef="pa" targetRef="n1"/></{p}:collaboration>
<{p}:process id="P"><{p}:task id="t" name="T"/></{p}:process>""",
        {"pa": (0, 0, 500, 200), "t": (50, 50, 100, 80)},
    )
    result = import_bpmn(linked)
    [note] = result.session.annotations.values()
    assert (note.text, note.target_kind) == ("About the shop", "model")
    assert any("n1" in line and "kept as a note on the model" in line for line in result.unsupported)
