"""Small BPMN files, one per thing the import must keep or report, written the way other tools write them."""

from __future__ import annotations

NS = (
    'xmlns:{p}="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)


def document(
    body: str, shapes: dict[str, tuple[float, float, float, float]], *, prefix: str = "bpmn", ref: str = ""
) -> bytes:
    """A definitions element around ``body`` with one BPMNShape per ``shapes`` entry.

    ``prefix`` is the BPMN namespace prefix of the elements (``{p}`` in
    ``body``); ``ref`` is written before every reference in the diagram
    (GenMyModel writes ``bpmnElement="bpmn2:Task_1"``).
    """
    p = prefix
    di = "".join(
        f'<bpmndi:BPMNShape id="s_{key}" bpmnElement="{ref}{key}">'
        f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>'
        for key, (x, y, w, h) in shapes.items()
    )
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}:definitions {NS.format(p=p)} id="defs" '
        f'targetNamespace="http://example.com/x">\n{body.format(p=p, r=ref)}\n'
        f'<bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane">{di}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>\n'
        f"</{p}:definitions>\n"
    )
    return text.encode("utf-8")


GENMYMODEL = document(
    """<{p}:collaboration id="c"><{p}:participant id="pool" name="Clinic" processRef="{r}P1"/></{p}:collaboration>
<{p}:process id="P1">
<{p}:laneSet id="ls"><{p}:lane id="L1" name="Desk"><{p}:flowNodeRef>{r}S</{p}:flowNodeRef>
<{p}:flowNodeRef>{r}T</{p}:flowNodeRef><{p}:flowNodeRef>{r}E</{p}:flowNodeRef></{p}:lane></{p}:laneSet>
<{p}:startEvent id="S"/><{p}:task id="T" name="Register"/><{p}:endEvent id="E"/>
<{p}:sequenceFlow id="f1" sourceRef="{r}S" targetRef="{r}T"/>
<{p}:sequenceFlow id="f2" sourceRef="{r}T" targetRef="{r}E"/>
</{p}:process>""",
    {
        "pool": (0, 0, 600, 200),
        "L1": (30, 0, 570, 200),
        "S": (80, 80, 36, 36),
        "T": (160, 60, 100, 80),
        "E": (320, 80, 36, 36),
    },
    prefix="bpmn2",
    ref="bpmn2:",
)

GATEWAYS = document(
    """<{p}:process id="P">
<{p}:startEvent id="S"/>
<{p}:exclusiveGateway id="gx" name="x"/><{p}:parallelGateway id="gp" name="p"/>
<{p}:inclusiveGateway id="gi" name="i"/><{p}:eventBasedGateway id="ge" name="e"/><{p}:complexGateway id="gc" name="c"/>
<{p}:sequenceFlow id="a" sourceRef="S" targetRef="gx"/><{p}:sequenceFlow id="b" sourceRef="gx" targetRef="gp"/>
<{p}:sequenceFlow id="c" sourceRef="gp" targetRef="gi"/><{p}:sequenceFlow id="d" sourceRef="gi" targetRef="ge"/>
<{p}:sequenceFlow id="e" sourceRef="ge" targetRef="gc"/>
</{p}:process>""",
    {"S": (10, 20, 36, 36), **{g: (100 + 100 * i, 15, 50, 50) for i, g in enumerate(["gx", "gp", "gi", "ge", "gc"])}},
)

_DEFINITIONS = ["message", "timer", "signal", "error", "escalation", "conditional", "compensate", "terminate"]


def _events() -> bytes:
    body = ['<{p}:process id="P">', '<{p}:task id="work" name="Work"/>']
    shapes: dict[str, tuple[float, float, float, float]] = {"work": (400, 200, 100, 80)}
    for i, name in enumerate(_DEFINITIONS):
        inner = "<{p}:condition/>" if name == "conditional" else ""
        definition = f'<{{p}}:{name}EventDefinition id="d_start_{name}">{inner}</{{p}}:{name}EventDefinition>'
        if name not in ("terminate", "error", "compensate", "escalation"):
            body.append(
                f'<{{p}}:startEvent id="start_{name}">{definition.replace("d_start", "d_s")}</{{p}}:startEvent>'
            )
            shapes[f"start_{name}"] = (20, 20 + 60 * i, 36, 36)
        body.append(f'<{{p}}:endEvent id="end_{name}">{definition.replace("d_start", "d_e")}</{{p}}:endEvent>')
        shapes[f"end_{name}"] = (900, 20 + 60 * i, 36, 36)
        if name in ("message", "timer", "signal", "conditional"):
            body.append(
                f'<{{p}}:intermediateCatchEvent id="catch_{name}">{definition.replace("d_start", "d_c")}'
                f"</{{p}}:intermediateCatchEvent>"
            )
            shapes[f"catch_{name}"] = (200, 20 + 60 * i, 36, 36)
        if name in ("message", "signal", "escalation", "compensate"):
            body.append(
                f'<{{p}}:intermediateThrowEvent id="throw_{name}">{definition.replace("d_start", "d_t")}'
                f"</{{p}}:intermediateThrowEvent>"
            )
            shapes[f"throw_{name}"] = (300, 20 + 60 * i, 36, 36)
    body.append(
        '<{p}:intermediateThrowEvent id="link_out" name="to B"><{p}:linkEventDefinition id="l1" name="B"/>'
        "</{p}:intermediateThrowEvent>"
    )
    body.append('<{p}:intermediateThrowEvent id="plain_throw"/><{p}:intermediateCatchEvent id="plain_catch"/>')
    body.append(
        '<{p}:boundaryEvent id="b_timer" attachedToRef="work" cancelActivity="false">'
        '<{p}:timerEventDefinition id="bt"/></{p}:boundaryEvent>'
    )
    body.append(
        '<{p}:boundaryEvent id="b_error" attachedToRef="work"><{p}:errorEventDefinition id="be"/></{p}:boundaryEvent>'
    )
    shapes.update(
        {
            "link_out": (300, 600, 36, 36),
            "plain_throw": (200, 600, 36, 36),
            "plain_catch": (100, 600, 36, 36),
            "b_timer": (410, 262, 36, 36),
            "b_error": (460, 262, 36, 36),
        }
    )
    body.append("</{p}:process>")
    return document("\n".join(body), shapes)


EVENTS = _events()

DATA = document(
    """<{p}:dataStore id="DS"/><{p}:process id="P">
<{p}:dataObject id="DO"/><{p}:dataObjectReference id="doc" name="Invoice" dataObjectRef="DO"/>
<{p}:dataStoreReference id="db" name="ERP" dataStoreRef="DS"/>
<{p}:task id="read" name="Read">
<{p}:property id="prop" name="__targetRef_placeholder"/>
<{p}:dataInputAssociation id="in1"><{p}:sourceRef>doc</{p}:sourceRef><{p}:targetRef>prop</{p}:targetRef>
</{p}:dataInputAssociation>
<{p}:dataOutputAssociation id="out1"><{p}:targetRef>db</{p}:targetRef></{p}:dataOutputAssociation>
</{p}:task>
<{p}:textAnnotation id="free"><{p}:text>Ask finance about this</{p}:text></{p}:textAnnotation>
<{p}:textAnnotation id="on"><{p}:text>Slow</{p}:text></{p}:textAnnotation>
<{p}:association id="as1" sourceRef="read" targetRef="on"/>
<{p}:group id="grp"/>
</{p}:process>""",
    {
        "doc": (20, 20, 36, 50),
        "db": (300, 20, 50, 50),
        "read": (120, 20, 100, 80),
        "free": (400, 20, 150, 40),
        "on": (120, 150, 150, 40),
    },
)

ORPHAN_PROCESS = document(
    """<{p}:collaboration id="c"><{p}:participant id="pa" name="Shop" processRef="P1"/>
<{p}:participant id="pb" name="Customer"/>
<{p}:messageFlow id="m1" sourceRef="pb" targetRef="t1"/></{p}:collaboration>
<{p}:process id="P1"><{p}:task id="t1" name="Sell"/><{p}:callActivity id="call" calledElement="Billing"/>
<{p}:sequenceFlow id="s1" sourceRef="t1" targetRef="call"/></{p}:process>
<{p}:process id="Billing" name="Billing"><{p}:task id="t2" name="Bill"/></{p}:process>""",
    {"pa": (0, 0, 600, 200), "pb": (0, 250, 600, 100), "t1": (100, 60, 100, 80), "call": (250, 60, 100, 80)},
)

NO_DIAGRAM = document(
    """<{p}:process id="P"><{p}:startEvent id="S"/><{p}:task id="A" name="A"/><{p}:task id="B" name="B"/>
<{p}:task id="C" name="C"/><{p}:endEvent id="E"/>
<{p}:sequenceFlow id="f1" sourceRef="S" targetRef="A"/><{p}:sequenceFlow id="f2" sourceRef="A" targetRef="B"/>
<{p}:sequenceFlow id="f3" sourceRef="A" targetRef="C"/><{p}:sequenceFlow id="f4" sourceRef="B" targetRef="E"/>
</{p}:process>""",
    {},
)

SUB_PROCESS = document(
    """<{p}:process id="P"><{p}:startEvent id="S"/>
<{p}:subProcess id="sub" name="Check"><{p}:startEvent id="inS"/><{p}:task id="inT" name="Look"/>
<{p}:sequenceFlow id="inF" sourceRef="inS" targetRef="inT"/></{p}:subProcess>
<{p}:sequenceFlow id="f" sourceRef="S" targetRef="sub"/></{p}:process>""",
    {"S": (10, 10, 36, 36), "sub": (100, 0, 300, 200), "inS": (120, 50, 36, 36), "inT": (200, 30, 100, 80)},
)


def _shape(key: str, x: float, y: float, w: float, h: float, extra: str = "") -> str:
    return (
        f'<bpmndi:BPMNShape id="s_{key}" bpmnElement="{key}"{extra}>'
        f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/></bpmndi:BPMNShape>'
    )


COLLAPSED = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions {NS.format(p="bpmn")} id="defs" targetNamespace="http://example.com/x">
<bpmn:process id="P"><bpmn:startEvent id="S"/>
<bpmn:subProcess id="sub" name="Handle claim"><bpmn:startEvent id="inS"/><bpmn:task id="inT" name="Check"/>
<bpmn:subProcess id="deep" name="Ask"><bpmn:task id="deepT" name="Call"/></bpmn:subProcess>
<bpmn:sequenceFlow id="inF" sourceRef="inS" targetRef="inT"/>
<bpmn:sequenceFlow id="inG" sourceRef="inT" targetRef="deep"/>
<bpmn:boundaryEvent id="err" attachedToRef="inT"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
</bpmn:subProcess>
<bpmn:sequenceFlow id="f" sourceRef="S" targetRef="sub"/></bpmn:process>
<bpmndi:BPMNDiagram id="d1"><bpmndi:BPMNPlane id="p1" bpmnElement="P">
{_shape("S", 10, 10, 36, 36)}{_shape("sub", 100, 0, 100, 80, ' isExpanded="false"')}
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
<bpmndi:BPMNDiagram id="d2"><bpmndi:BPMNPlane id="p2" bpmnElement="sub">
{_shape("inS", 0, 500, 36, 36)}{_shape("inT", 100, 480, 100, 80)}{_shape("err", 180, 540, 36, 36)}
{_shape("deep", 300, 400, 400, 200, ' isExpanded="true"')}{_shape("deepT", 350, 450, 100, 80)}
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
""".encode()


SAMPLES: dict[str, bytes] = {
    "genmymodel-prefixed.bpmn": GENMYMODEL,
    "gateways.bpmn": GATEWAYS,
    "events.bpmn": EVENTS,
    "data-and-notes.bpmn": DATA,
    "orphan-process.bpmn": ORPHAN_PROCESS,
    "no-diagram.bpmn": NO_DIAGRAM,
    "sub-process.bpmn": SUB_PROCESS,
    "collapsed-sub-process.bpmn": COLLAPSED,
}
"""Generated files for the sweep, by name."""

MEANING = document(
    """<{p}:message id="msg" name="Order"/><{p}:signal id="sig" name="Alarm"/><{p}:error id="err" name="Broken"/>
<{p}:escalation id="esc" name="Late"/>
<{p}:category id="cat"><{p}:categoryValue id="cv" value="Checks"/></{p}:category>
<{p}:collaboration id="c"><{p}:group id="grp" categoryValueRef="cv"/>
<{p}:participant id="pa" name="Shop" processRef="P"/>
<{p}:participant id="pb"/><{p}:messageFlow id="m1" sourceRef="send" targetRef="pb"/></{p}:collaboration>
<{p}:process id="P"><{p}:startEvent id="S"><{p}:messageEventDefinition messageRef="msg"/></{p}:startEvent>
<{p}:exclusiveGateway id="G" name="Retry?" default="fNo"/>
<{p}:userTask id="U" name="Check"><{p}:multiInstanceLoopCharacteristics isSequential="true"/></{p}:userTask>
<{p}:sendTask id="send" name="Tell" messageRef="msg"/>
<{p}:task id="undo" name="Undo" isForCompensation="true"><{p}:standardLoopCharacteristics/></{p}:task>
<{p}:boundaryEvent id="B" attachedToRef="U" cancelActivity="false"><{p}:timerEventDefinition>
<{p}:timeDuration>PT5M</{p}:timeDuration></{p}:timerEventDefinition></{p}:boundaryEvent>
<{p}:intermediateThrowEvent id="T"><{p}:signalEventDefinition signalRef="sig"/></{p}:intermediateThrowEvent>
<{p}:intermediateCatchEvent id="C" parallelMultiple="true"><{p}:messageEventDefinition/>
<{p}:signalEventDefinition/></{p}:intermediateCatchEvent>
<{p}:endEvent id="E"><{p}:errorEventDefinition errorRef="err"/></{p}:endEvent>
<{p}:endEvent id="E2"><{p}:escalationEventDefinition escalationRef="esc"/></{p}:endEvent>
<{p}:sequenceFlow id="f0" sourceRef="S" targetRef="G"/>
<{p}:sequenceFlow id="fYes" name="yes" sourceRef="G" targetRef="U">
<{p}:conditionExpression>retry == true</{p}:conditionExpression></{p}:sequenceFlow>
<{p}:sequenceFlow id="fNo" sourceRef="G" targetRef="send"/><{p}:sequenceFlow id="f2" sourceRef="send" targetRef="E"/>
<{p}:sequenceFlow id="f3" sourceRef="U" targetRef="T"/><{p}:sequenceFlow id="f4" sourceRef="T" targetRef="C"/>
<{p}:sequenceFlow id="f5" sourceRef="C" targetRef="E2"/><{p}:sequenceFlow id="f6" sourceRef="B" targetRef="undo"/>
</{p}:process>""",
    {
        "pa": (0, 0, 1000, 250),
        "pb": (0, 300, 1000, 100),
        "S": (20, 100, 36, 36),
        "G": (100, 93, 50, 50),
        "U": (200, 80, 100, 80),
        "B": (260, 142, 36, 36),
        "send": (200, 170, 100, 60),
        "undo": (330, 170, 100, 60),
        "T": (350, 100, 36, 36),
        "C": (420, 100, 36, 36),
        "E": (500, 180, 36, 36),
        "E2": (500, 100, 36, 36),
        "grp": (180, 60, 280, 190),
    },
)
"""What a BPMN model means beyond its shapes: conditions and defaults, loops, timers, message and other refs,
a black-box pool."""

SAMPLES["meaning.bpmn"] = MEANING
