"""BPMN's notation in the one drawing: event glyphs, throwing filled and catching hollow, dashed non-interrupting
borders, task-type and activity markers, gateway names below small diamonds."""

from __future__ import annotations

import pytest

from workshop.domain.drawing.notation import notation_of
from workshop.domain.drawing.shapes import label_below, node_drawing
from workshop.domain.drawing.style import STYLES
from workshop.domain.model.geometry import Box
from workshop.domain.model.process import EventDefinition, Node, NodeKind

LIGHT = STYLES["light"]
EVENT = Box(0, 0, 36, 36)
TASK = Box(0, 0, 120, 80)


def _event(definition: EventDefinition, element: str = "intermediateCatchEvent", **more: object) -> Node:
    return Node(
        id="e",
        model_id="m",
        node_kind=NodeKind.WAIT,
        event_definition=definition,
        bpmn_element=element,
        w=36,
        h=36,
        **more,  # type: ignore[arg-type]
    )


def _drawn(node: Node, box: Box = EVENT) -> tuple[str, ...]:
    drawing = node_drawing(str(node.node_kind), box, "#4e79a7", LIGHT, str(node.gateway_kind), notation_of(node))
    return tuple(f"{shape.path.svg()} {shape.fill}" for shape in drawing.shapes)


@pytest.mark.parametrize("definition", [d for d in EventDefinition if d != EventDefinition.NONE])
def test_every_event_definition_has_a_glyph_of_its_own(definition: EventDefinition) -> None:
    plain = _drawn(_event(EventDefinition.NONE))
    drawn = _drawn(_event(definition))
    assert len(drawn) > len(plain), "a glyph on top of the rings"
    others = {d: _drawn(_event(d)) for d in EventDefinition if d not in (definition, EventDefinition.NONE)}
    assert all(drawn != other for other in others.values()), "no two definitions look the same"


def test_an_intermediate_event_is_a_double_ring_and_the_workshops_own_wait_keeps_its_hourglass() -> None:
    ring = node_drawing("wait", EVENT, "#4e79a7", LIGHT, notation=notation_of(_event(EventDefinition.NONE)))
    assert len(ring.shapes) == 2, "outer and inner ring"
    assert ring.label_below
    own = Node(id="w", model_id="m", node_kind=NodeKind.WAIT)
    assert len(node_drawing("wait", TASK, "#4e79a7", LIGHT, notation=notation_of(own)).shapes) == 1


def test_a_throwing_glyph_is_filled_and_a_catching_one_hollow() -> None:
    catching = node_drawing("wait", EVENT, "#4e79a7", LIGHT, notation=notation_of(_event(EventDefinition.SIGNAL)))
    throwing = node_drawing(
        "wait",
        EVENT,
        "#4e79a7",
        LIGHT,
        notation=notation_of(_event(EventDefinition.SIGNAL, "intermediateThrowEvent")),
    )
    assert throwing.shapes[-1].fill == LIGHT.node_border
    assert catching.shapes[-1].fill != LIGHT.node_border


def test_a_non_interrupting_boundary_event_has_a_dashed_border() -> None:
    interrupting = node_drawing(
        "wait", EVENT, "#4e79a7", LIGHT, notation=notation_of(_event(EventDefinition.TIMER, "boundaryEvent"))
    )
    not_interrupting = node_drawing(
        "wait",
        EVENT,
        "#4e79a7",
        LIGHT,
        notation=notation_of(_event(EventDefinition.TIMER, "boundaryEvent", interrupting=False)),
    )
    assert interrupting.shapes[0].stroke is not None
    assert interrupting.shapes[0].stroke.dash is None
    assert not_interrupting.shapes[0].stroke is not None
    assert not_interrupting.shapes[0].stroke.dash is not None


@pytest.mark.parametrize(
    "element", ["userTask", "serviceTask", "sendTask", "receiveTask", "manualTask", "businessRuleTask", "scriptTask"]
)
def test_every_task_type_has_its_marker(element: str) -> None:
    plain = _drawn(Node(id="t", model_id="m"), TASK)
    typed = _drawn(Node(id="t", model_id="m", bpmn_element=element), TASK)
    assert len(typed) > len(plain)
    markers = {
        e: _drawn(Node(id="t", model_id="m", bpmn_element=e), TASK)
        for e in ("userTask", "serviceTask", "sendTask", "receiveTask", "manualTask", "businessRuleTask", "scriptTask")
    }
    assert sum(1 for drawn in markers.values() if drawn == typed) == 1, "each type looks different"


@pytest.mark.parametrize(
    "more",
    [
        {"loop": "standard"},
        {"loop": "parallel"},
        {"loop": "sequential"},
        {"for_compensation": True},
        {"bpmn_element": "adHocSubProcess"},
        {"bpmn_element": "subProcess"},
    ],
)
def test_activity_markers_sit_along_the_bottom_and_the_label_keeps_clear(more: dict[str, object]) -> None:
    node = Node(id="t", model_id="m", **more)  # type: ignore[arg-type]
    drawing = node_drawing("activity", TASK, "#4e79a7", LIGHT, notation=notation_of(node))
    plain = node_drawing("activity", TASK, "#4e79a7", LIGHT)
    assert len(drawing.shapes) > len(plain.shapes)
    assert drawing.label_box.bottom < plain.label_box.bottom


def test_a_small_gateway_has_its_name_below_and_its_marker_in_the_middle() -> None:
    assert label_below("decision", Box(0, 0, 50, 50))
    assert not label_below("decision", Box(0, 0, 140, 70))
    drawing = node_drawing("decision", Box(0, 0, 50, 50), "#4e79a7", LIGHT, "parallel")
    assert drawing.label_box.y > 50
    xs = [v for _op, values in drawing.shapes[1].path.commands for v in values[0::2]]
    assert min(xs) > 10
    assert max(xs) < 40, "the + in the diamond's middle"


def test_a_default_flow_has_its_slash_and_a_conditional_one_out_of_an_activity_its_diamond() -> None:
    from workshop.domain.drawing.shapes import CONDITIONAL_FLOW, DEFAULT_FLOW, flow_drawing, flow_label, flow_mark
    from workshop.domain.model.process import Flow, ProcessModel
    from workshop.domain.model.session import new_session

    nodes = {
        "a": Node(id="a", model_id="m"),
        "g": Node(id="g", model_id="m", node_kind=NodeKind.DECISION),
        "b": Node(id="b", model_id="m"),
    }
    flows = {
        "d": Flow(id="d", model_id="m", source_id="g", target_id="b", default_flow=True),
        "c": Flow(id="c", model_id="m", source_id="a", target_id="b", condition="x > 1"),
        "gc": Flow(id="gc", model_id="m", source_id="g", target_id="a", condition="x > 1", label="big"),
    }
    session = new_session("Marks").model_copy(
        update={"models": {"m": ProcessModel(id="m", name="M")}, "nodes": nodes, "flows": flows}
    )
    assert flow_mark(session, flows["d"]) == DEFAULT_FLOW
    assert flow_mark(session, flows["c"]) == CONDITIONAL_FLOW
    assert flow_mark(session, flows["gc"]) == "", "out of a gateway the gateway says it"
    assert (flow_label(flows["c"]), flow_label(flows["gc"])) == ("[x > 1]", "big")
    route = [(0.0, 0.0), (100.0, 0.0)]
    plain = flow_drawing(route, LIGHT, handoff=False)
    slash = flow_drawing(route, LIGHT, handoff=False, mark=DEFAULT_FLOW)
    diamond = flow_drawing(route, LIGHT, handoff=False, mark=CONDITIONAL_FLOW)
    assert len(slash.shapes) == len(diamond.shapes) == len(plain.shapes) + 1
    assert slash.shapes[-1].fill is None
    assert diamond.shapes[-1].fill == LIGHT.background


def test_a_label_whose_word_would_be_broken_inside_goes_below_the_shape() -> None:
    from workshop.domain.drawing.shapes import longest_word

    small = Box(0, 0, 80, 60)
    assert longest_word("Collapsed Sub-Process 2") == len("Sub-Process")
    assert label_below("activity", small, word=longest_word("Collapsed Sub-Process 2"))
    assert not label_below("activity", small, word=longest_word("Task 1"))
    assert not label_below("activity", small, word=300), "a word too long for anywhere is cut inside"


def test_a_flow_label_sits_between_the_steps_not_on_them() -> None:
    from workshop.domain.drawing.shapes import flow_drawing, label_point

    # out of a gateway: a short level stub, a long drop, a short level run into the task
    route = [(0.0, 0.0), (30.0, 0.0), (30.0, 200.0), (60.0, 200.0)]
    assert label_point(route, "Conditional Sequence Flow") == (30.0, 100.0), "beside the long upright stretch"
    wide = [(0.0, 0.0), (400.0, 0.0), (400.0, 50.0)]
    assert label_point(wide, "Conditional Sequence Flow") == (200.0, 0.0), "on the level stretch it fits"
    assert flow_drawing(route, LIGHT, handoff=False, label="yes").label_at == label_point(route, "yes")
