"""BPMN 2.0 with diagram interchange, written from the domain model.

One pool (participant and process) per organization, lanes for its roles,
tasks, gateways and events; sequence flows inside a pool and message flows
for handoffs between pools (BPMN forbids sequence flows across pools);
annotations and knowledge boundaries as text annotations with associations.
Owners and node kinds BPMN has no word for are kept in extension elements of
our own namespace, so nothing is lost. Shapes and edges come from the same
geometry the canvas draws. A sub-process's steps are written inside it, a
collapsed one's drawn on a diagram of its own (:mod:`bpmn_export_nesting`).
"""

from __future__ import annotations

from typing import BinaryIO
from xml.etree import ElementTree as ET

from workshop.domain.model.geometry import Box, lane_boxes, model_lanes, node_box, route
from workshop.domain.model.process import (
    BPMN_ACTIVITIES,
    EventDefinition,
    Flow,
    GatewayKind,
    Group,
    Node,
    NodeKind,
    flow_parent,
    node_organization,
)
from workshop.domain.model.session import Session
from workshop.interchange.bpmn_export_nesting import drawn_on, outer_first, sub_process_planes
from workshop.interchange.bpmn_read import BPMN, BPMNDI, DC, DI
from workshop.interchange.bpmn_sub_processes import write_contents, write_diagram

__all__ = ["BPMN", "BPMNDI", "DC", "DI", "PW", "TAGS", "export_bpmn"]

PW = "https://process-workshop.invalid/bpmn/1"
"""Our extension namespace: owners, original node kinds, boundary details."""

TAGS = {
    NodeKind.START: "startEvent",
    NodeKind.END: "endEvent",
    NodeKind.ACTIVITY: "task",
    NodeKind.DECISION: "exclusiveGateway",
    NodeKind.DOCUMENT: "task",
    NodeKind.IT_SYSTEM: "serviceTask",
    NodeKind.WAIT: "intermediateCatchEvent",
}
GATEWAY_TAGS = {
    GatewayKind.EXCLUSIVE: "exclusiveGateway",
    GatewayKind.PARALLEL: "parallelGateway",
    GatewayKind.INCLUSIVE: "inclusiveGateway",
    GatewayKind.EVENT_BASED: "eventBasedGateway",
    GatewayKind.COMPLEX: "complexGateway",
}
DEFINITION_TAGS = {
    EventDefinition.MESSAGE: ("messageEventDefinition",),
    EventDefinition.TIMER: ("timerEventDefinition",),
    EventDefinition.SIGNAL: ("signalEventDefinition",),
    EventDefinition.ERROR: ("errorEventDefinition",),
    EventDefinition.ESCALATION: ("escalationEventDefinition",),
    EventDefinition.CONDITIONAL: ("conditionalEventDefinition",),
    EventDefinition.LINK: ("linkEventDefinition",),
    EventDefinition.COMPENSATION: ("compensateEventDefinition",),
    EventDefinition.TERMINATE: ("terminateEventDefinition",),
    EventDefinition.CANCEL: ("cancelEventDefinition",),
    EventDefinition.MULTIPLE: ("messageEventDefinition", "signalEventDefinition"),
    EventDefinition.PARALLEL_MULTIPLE: ("messageEventDefinition", "signalEventDefinition"),
}
REF_KINDS = {
    EventDefinition.MESSAGE: "message",
    EventDefinition.SIGNAL: "signal",
    EventDefinition.ERROR: "error",
    EventDefinition.ESCALATION: "escalation",
}
REF_ATTRIBUTES = {
    "messageEventDefinition": "messageRef",
    "signalEventDefinition": "signalRef",
    "errorEventDefinition": "errorRef",
    "escalationEventDefinition": "escalationRef",
}
EVENT_KINDS = frozenset({NodeKind.START, NodeKind.END, NodeKind.WAIT})
HOLDS_DEFAULT = frozenset({"exclusiveGateway", "inclusiveGateway", "complexGateway", *BPMN_ACTIVITIES})
"""Elements BPMN lets name a default flow."""
PARTY = "participant"
"""A black-box pool's node: written as the pool itself (a participant without a process), never as a flow node."""
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DATA_REFERENCES = frozenset({"dataObjectReference", "dataStoreReference"})
THROWING = frozenset({"intermediateThrowEvent", "endEvent"})
CATCHING = frozenset({"intermediateCatchEvent", "boundaryEvent", "startEvent"})
UNASSIGNED = "unassigned"


def bpmn_tag(node: Node) -> str:
    """The BPMN element a node is written as: the one it came from, else the plain one for its kind."""
    if node.bpmn_element == "boundaryEvent" and not node.attached_to:
        return "intermediateCatchEvent"  # BPMN requires the activity; one detached in the workshop waits freely
    if node.bpmn_element:
        return node.bpmn_element
    if node.node_kind == NodeKind.DECISION:
        return GATEWAY_TAGS[GatewayKind(node.gateway_kind)]
    return TAGS[NodeKind(node.node_kind)]


def _event_definitions(node: Node) -> tuple[str, ...]:
    if node.node_kind not in (NodeKind.START, NodeKind.END, NodeKind.WAIT):
        return ()
    if node.node_kind == NodeKind.WAIT and not node.bpmn_element and node.event_definition == EventDefinition.NONE:
        return ("timerEventDefinition",)  # the workshop's own wait: waiting for time to pass
    return DEFINITION_TAGS.get(EventDefinition(node.event_definition), ())


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def export_bpmn(session: Session, stream: BinaryIO, *, model_id: str | None = None) -> None:
    """Write one process model (the first by default) as BPMN 2.0 XML bytes."""
    for prefix, ns in (("bpmn", BPMN), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI), ("pw", PW), ("xsi", XSI)):
        ET.register_namespace(prefix, ns)
    models = sorted(session.models.values(), key=lambda m: m.index)
    if model_id is None:
        if not models:
            raise ValueError("the session has no process model to export")
        model_id = models[0].id
    nodes = outer_first(n for n in session.nodes.values() if n.model_id == model_id)
    flows = [f for f in session.flows.values() if f.model_id == model_id]
    org_of = {n.id: node_organization(n, session.lanes) or UNASSIGNED for n in nodes}
    orgs = list(dict.fromkeys([*(lane.organization_id for lane in model_lanes(session, model_id)), *org_of.values()]))

    root = ET.Element(
        _q(BPMN, "definitions"),
        {
            "id": f"definitions_{session.id}",
            "targetNamespace": PW,
            "exporter": "Process Workshop",
            "exporterVersion": "1",
        },
    )
    collaboration = ET.Element(_q(BPMN, "collaboration"), {"id": f"collaboration_{model_id}"})
    processes: dict[str, ET.Element] = {}
    tags = {n.id: bpmn_tag(n) for n in nodes}
    black_boxes = {org_of[n.id] for n in nodes if tags[n.id] == PARTY} - {
        org_of[n.id] for n in nodes if tags[n.id] != PARTY
    }
    ends = {n.id: f"pool_{org_of[n.id]}" if tags[n.id] == PARTY else n.id for n in nodes}
    for org_id in orgs:
        name = session.organizations[org_id].name if org_id in session.organizations else "Unassigned"
        pool = {"id": f"pool_{org_id}", "name": name}
        if org_id not in black_boxes:
            pool["processRef"] = f"process_{org_id}"
            processes[org_id] = ET.SubElement(
                root, _q(BPMN, "process"), {"id": f"process_{org_id}", "isExecutable": "false"}
            )
        ET.SubElement(collaboration, _q(BPMN, "participant"), pool)
    root.insert(0, collaboration)
    root_elements = _root_elements(root, nodes)
    for org_id, process in processes.items():
        lanes = [lane for lane in model_lanes(session, model_id) if lane.organization_id == org_id]
        if lanes:
            lane_set = ET.SubElement(process, _q(BPMN, "laneSet"), {"id": f"laneset_{org_id}"})
            for lane in lanes:
                element = ET.SubElement(
                    lane_set, _q(BPMN, "lane"), {"id": lane.id, "name": lane.role or session.organizations[org_id].name}
                )
                for node in nodes:
                    if node.lane_id == lane.id and node.parent_id is None:  # a sub-process lists its own
                        ET.SubElement(element, _q(BPMN, "flowNodeRef")).text = node.id
    outgoing: dict[str, list[str]] = {n.id: [] for n in nodes}
    incoming: dict[str, list[str]] = {n.id: [] for n in nodes}
    data_in, data_out, associations = _connections(flows, tags)
    sequence = [
        f
        for f in flows
        if f.is_sequence and tags[f.source_id] not in DATA_REFERENCES and tags[f.target_id] not in DATA_REFERENCES
    ]
    in_sequence = {f.id for f in sequence}
    associations += [f for f in flows if f.is_sequence and f.id not in in_sequence]
    by_id = {n.id: n for n in nodes}
    inside = {f.id: flow_parent(f, by_id) for f in flows}
    internal = [
        f
        for f in sequence
        if (org_of[f.source_id] == org_of[f.target_id] or f.bpmn_element == "sequenceFlow" or inside[f.id])
        and PARTY not in (tags[f.source_id], tags[f.target_id])
    ]
    for flow in internal:
        outgoing[flow.source_id].append(flow.id)
        incoming[flow.target_id].append(flow.id)
    defaults = {f.source_id: f.id for f in internal if f.default_flow and tags[f.source_id] in HOLDS_DEFAULT}
    written_as: dict[str, ET.Element] = {}
    for node in nodes:
        if tags[node.id] != PARTY:
            container = written_as.get(node.parent_id or "") or processes[org_of[node.id]]
            element = _node_element(container, node, tags[node.id], incoming, outgoing, data_in, data_out)
            written_as[node.id] = element
            _meaning(element, node, tags[node.id], root_elements, defaults.get(node.id))
            write_contents(element, node)  # what a sub-process holds, after what the export wrote itself
    for flow in internal:
        written = ET.SubElement(
            written_as.get(inside[flow.id] or "") or processes[org_of[flow.source_id]],
            _q(BPMN, "sequenceFlow"),
            {"id": flow.id, "name": flow.label, "sourceRef": flow.source_id, "targetRef": flow.target_id},
        )
        if flow.condition:
            expression = ET.SubElement(
                written, _q(BPMN, "conditionExpression"), {_q(XSI, "type"): "bpmn:tFormalExpression"}
            )
            expression.text = flow.condition
    internal_ids = {flow.id for flow in internal}
    for flow in sequence:
        if flow.id not in internal_ids:
            ET.SubElement(
                collaboration,
                _q(BPMN, "messageFlow"),
                {
                    "id": flow.id,
                    "name": flow.label,
                    "sourceRef": ends[flow.source_id],
                    "targetRef": ends[flow.target_id],
                },
            )
    for flow in associations:
        element = ET.SubElement(
            collaboration,
            _q(BPMN, "association"),
            {"id": flow.id, "sourceRef": flow.source_id, "targetRef": flow.target_id},
        )
        if flow.bpmn_element != "association":  # a data association BPMN has no place for on this end, or a flow
            extension = ET.Element(_q(BPMN, "extensionElements"))
            ET.SubElement(extension, _q(PW, "flow"), {"bpmn": flow.bpmn_element})
            element.insert(0, extension)
    groups = sorted((g for g in session.groups.values() if g.model_id == model_id), key=lambda g: g.id)
    _groups(root, collaboration, groups)
    notes = _text_annotations(session, collaboration, {n.id for n in nodes} | {f.id for f in flows}, model_id)
    plane = _diagram(session, root, collaboration, model_id, orgs, nodes, flows, notes, black_boxes)
    for group in groups:
        shape = ET.SubElement(plane, _q(BPMNDI, "BPMNShape"), {"id": f"shape_{group.id}", "bpmnElement": group.id})
        _bounds(shape, Box(group.x, group.y, group.w, group.h))
    stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="utf-8"))


def _connections(
    flows: list[Flow], tags: dict[str, str]
) -> tuple[dict[str, list[Flow]], dict[str, list[Flow]], list[Flow]]:
    """Data associations by the element that holds them (reading in, writing out), and those written as associations.

    BPMN puts a data association inside its activity or event; where the
    element cannot hold one (a gateway reading data), it goes out as an
    association that says in our extension what it was.
    """
    data_in: dict[str, list[Flow]] = {}
    data_out: dict[str, list[Flow]] = {}
    plain: list[Flow] = []
    for flow in flows:
        if flow.bpmn_element == "dataInputAssociation" and _holds_input(tags[flow.target_id]):
            data_in.setdefault(flow.target_id, []).append(flow)
        elif flow.bpmn_element == "dataOutputAssociation" and _holds_output(tags[flow.source_id]):
            data_out.setdefault(flow.source_id, []).append(flow)
        elif not flow.is_sequence:
            plain.append(flow)
    return data_in, data_out, plain


def _holds_input(tag: str) -> bool:
    return tag in THROWING or tag in BPMN_ACTIVITIES


def _holds_output(tag: str) -> bool:
    return tag in CATCHING or tag in BPMN_ACTIVITIES


def _root_elements(root: ET.Element, nodes: list[Node]) -> dict[tuple[str, str], str]:
    """The messages, signals, errors and escalations the nodes name, as root elements; (kind, name) -> id."""
    found: dict[tuple[str, str], str] = {}
    for node in nodes:
        kind = _ref_kind(node, bpmn_tag(node))
        if kind and node.ref_name and (kind, node.ref_name) not in found:
            element_id = f"{kind}_{len(found) + 1}"
            found[kind, node.ref_name] = element_id
            root.insert(0, ET.Element(_q(BPMN, kind), {"id": element_id, "name": node.ref_name}))
    return found


def _ref_kind(node: Node, tag: str) -> str:
    if tag in ("sendTask", "receiveTask"):
        return "message"
    return REF_KINDS.get(EventDefinition(node.event_definition), "") if node.node_kind in EVENT_KINDS else ""


def _meaning(element: ET.Element, node: Node, tag: str, roots: dict[tuple[str, str], str], default: str | None) -> None:
    """What BPMN says of the node beyond its element: its default flow, loop, compensation, timer, references."""
    if default is not None:
        element.set("default", default)
    if tag in BPMN_ACTIVITIES:
        if node.for_compensation:
            element.set("isForCompensation", "true")
        kind = _ref_kind(node, tag)
        if kind and node.ref_name:
            element.set("messageRef", roots[kind, node.ref_name])
        if node.loop == "standard":
            ET.SubElement(element, _q(BPMN, "standardLoopCharacteristics"))
        elif node.loop:
            sequential = "true" if node.loop == "sequential" else "false"
            ET.SubElement(element, _q(BPMN, "multiInstanceLoopCharacteristics"), {"isSequential": sequential})
        return
    if node.event_definition == EventDefinition.PARALLEL_MULTIPLE and tag in CATCHING:
        element.set("parallelMultiple", "true")
    for child in element:
        definition = child.tag.rpartition("}")[2]
        if definition == "timerEventDefinition" and node.timer:
            kind, _, expression = node.timer.partition("=")
            time = ET.SubElement(child, _q(BPMN, kind), {_q(XSI, "type"): "bpmn:tFormalExpression"})
            time.text = expression
        attribute = REF_ATTRIBUTES.get(definition)
        ref_kind = _ref_kind(node, tag)
        if attribute and node.ref_name and (ref_kind, node.ref_name) in roots:
            child.set(attribute, roots[ref_kind, node.ref_name])


def _node_element(
    process: ET.Element,
    node: Node,
    tag: str,
    incoming: dict[str, list[str]],
    outgoing: dict[str, list[str]],
    data_in: dict[str, list[Flow]],
    data_out: dict[str, list[Flow]],
) -> ET.Element:
    """One node as its BPMN element, children in the order the schema wants."""
    attributes = {"id": node.id, "name": node.label}
    if tag == "boundaryEvent":
        attributes["attachedToRef"] = node.attached_to or ""
        if not node.interrupting:
            attributes["cancelActivity"] = "false"
    if tag == "dataObjectReference":
        attributes["dataObjectRef"] = f"do_{node.id}"
        ET.SubElement(process, _q(BPMN, "dataObject"), {"id": f"do_{node.id}"})
    element = ET.SubElement(process, _q(BPMN, tag), attributes)
    extension = ET.SubElement(element, _q(BPMN, "extensionElements"))
    ET.SubElement(
        extension,
        _q(PW, "node"),
        {
            "kind": str(node.node_kind),
            "owner": node.owner_org_id or "",
            "role": node.owner_role,
            "participant": node.owner_participant_id or "",
            "bpmn": node.bpmn_element,
            "gateway": str(node.gateway_kind),
            "event": str(node.event_definition),
            "interrupting": "true" if node.interrupting else "false",
        },
    )
    if tag in DATA_REFERENCES:
        return element  # not a flow node: no incoming, outgoing or data of its own
    for flow_id in incoming[node.id]:
        ET.SubElement(element, _q(BPMN, "incoming")).text = flow_id
    for flow_id in outgoing[node.id]:
        ET.SubElement(element, _q(BPMN, "outgoing")).text = flow_id
    reads, writes = data_in.get(node.id, []), data_out.get(node.id, [])
    if tag in BPMN_ACTIVITIES:
        for flow in reads:
            ET.SubElement(element, _q(BPMN, "property"), {"id": f"in_{flow.id}", "name": "__targetRef_placeholder"})
    elif reads:
        for flow in reads:
            ET.SubElement(element, _q(BPMN, "dataInput"), {"id": f"in_{flow.id}"})
    for flow in reads:
        association = ET.SubElement(element, _q(BPMN, "dataInputAssociation"), {"id": flow.id})
        ET.SubElement(association, _q(BPMN, "sourceRef")).text = flow.source_id
        ET.SubElement(association, _q(BPMN, "targetRef")).text = f"in_{flow.id}"
    for flow in writes:
        association = ET.SubElement(element, _q(BPMN, "dataOutputAssociation"), {"id": flow.id})
        ET.SubElement(association, _q(BPMN, "targetRef")).text = flow.target_id
    for definition in _event_definitions(node):
        if definition == "timerEventDefinition" and tag in THROWING:
            continue  # BPMN has no throwing timer
        attributes = {"id": f"{definition.removesuffix('EventDefinition')}_{node.id}"}
        if definition == "linkEventDefinition":
            attributes["name"] = node.label or node.id  # the schema requires the link's name
        written = ET.SubElement(element, _q(BPMN, definition), attributes)
        if definition == "conditionalEventDefinition":
            ET.SubElement(written, _q(BPMN, "condition"))  # required; the condition's text is not kept
    return element


def _groups(root: ET.Element, collaboration: ET.Element, groups: list[Group]) -> None:
    """Groups as BPMN writes them: each names a value of one category of the file (its label)."""
    if not groups:
        return
    category = ET.Element(_q(BPMN, "category"), {"id": "category_groups"})
    root.insert(0, category)
    for group in groups:
        attributes = {"id": group.id}
        if group.label:
            ET.SubElement(category, _q(BPMN, "categoryValue"), {"id": f"value_{group.id}", "value": group.label})
            attributes["categoryValueRef"] = f"value_{group.id}"
        ET.SubElement(collaboration, _q(BPMN, "group"), attributes)


def _text_annotations(session: Session, collaboration: ET.Element, elements: set[str], model_id: str) -> dict[str, str]:
    """Annotations and boundaries on this model and its elements; returns text annotation id -> element id.

    A note on the model itself (a free text annotation in BPMN) maps to the model id and gets no association.
    """
    notes: dict[str, str] = {}
    for annotation in session.annotations.values():
        on_model = annotation.target_kind == "model" and annotation.target_id == model_id
        if (annotation.target_id in elements or on_model) and not annotation.hidden:
            notes[f"note_{annotation.id}"] = annotation.target_id or model_id
            note = ET.SubElement(collaboration, _q(BPMN, "textAnnotation"), {"id": f"note_{annotation.id}"})
            ET.SubElement(note, _q(BPMN, "text")).text = f"{annotation.annotation_kind}: {annotation.text}"
    for boundary in session.boundaries.values():
        if boundary.target_id in elements:
            notes[f"note_{boundary.id}"] = boundary.target_id
            note = ET.SubElement(collaboration, _q(BPMN, "textAnnotation"), {"id": f"note_{boundary.id}"})
            ET.SubElement(
                note, _q(BPMN, "text")
            ).text = f"Knowledge boundary ({boundary.boundary_type}, {boundary.status}): {boundary.not_shared}"
    for note_id, target in notes.items():
        if target not in elements:
            continue
        ET.SubElement(
            collaboration,
            _q(BPMN, "association"),
            {"id": f"assoc_{note_id}", "sourceRef": target, "targetRef": note_id},
        )
    return notes


def _num(value: float) -> str:
    """A coordinate as text: two decimals at most (``:g`` alone keeps six digits, moving a node at x=1153.4)."""
    return f"{round(value, 2):.12g}"


def _bounds(parent: ET.Element, box: Box) -> None:
    ET.SubElement(
        parent, _q(DC, "Bounds"), {"x": _num(box.x), "y": _num(box.y), "width": _num(box.w), "height": _num(box.h)}
    )


def _diagram(
    session: Session,
    root: ET.Element,
    collaboration: ET.Element,
    model_id: str,
    orgs: list[str],
    nodes: list[Node],
    flows: list[Flow],
    notes: dict[str, str],
    black_boxes: set[str],
) -> ET.Element:
    diagram = ET.SubElement(root, _q(BPMNDI, "BPMNDiagram"), {"id": f"diagram_{model_id}"})
    plane = ET.SubElement(
        diagram, _q(BPMNDI, "BPMNPlane"), {"id": f"plane_{model_id}", "bpmnElement": collaboration.get("id", "")}
    )
    lanes = lane_boxes(session, model_id)
    boxes = {n.id: node_box(n) for n in nodes}
    on = drawn_on(nodes)
    holding = set(on.values())  # a set: asking the dict's values for each node was quadratic (20,000: 28 s)
    holders = [n for n in nodes if not n.expanded and n.id in holding]
    planes: dict[str | None, ET.Element] = {None: plane, **sub_process_planes(root, holders)}

    def org_of_node(node: Node) -> str:
        return node_organization(node, session.lanes) or UNASSIGNED

    for org_id in orgs:
        own = [lanes[lane.id] for lane in model_lanes(session, model_id) if lane.organization_id == org_id]
        members = own or [
            boxes[n.id] for n in nodes if node_organization(n, session.lanes) in (org_id, None) and on[n.id] is None
        ]
        if not members:
            continue
        left = min(b.x for b in members)
        top = min(b.y for b in members)
        pool = Box(left, top, max(b.right for b in members) - left, max(b.bottom for b in members) - top)
        party = next((boxes[n.id] for n in nodes if n.bpmn_element == PARTY and org_of_node(n) == org_id), None)
        if org_id in black_boxes and party is not None:  # the party's bar spans the pool, as the import made it
            pool = Box(party.x - 30, pool.y, party.w + 60, pool.h)
        shape = ET.SubElement(
            plane,
            _q(BPMNDI, "BPMNShape"),
            {"id": f"shape_pool_{org_id}", "bpmnElement": f"pool_{org_id}", "isHorizontal": "true"},
        )
        _bounds(shape, pool)
    for lane_id, box in lanes.items():
        if session.lanes[lane_id].organization_id in black_boxes:
            continue  # a black box has no lanes in BPMN: its pool is its band
        shape = ET.SubElement(
            plane, _q(BPMNDI, "BPMNShape"), {"id": f"shape_{lane_id}", "bpmnElement": lane_id, "isHorizontal": "true"}
        )
        _bounds(shape, Box(box.x + 30, box.y, box.w - 30, box.h))
    for node in nodes:
        if node.bpmn_element == PARTY:
            continue  # drawn as its pool
        attributes = {"id": f"shape_{node.id}", "bpmnElement": node.id}
        if node.is_sub_process:
            attributes["isExpanded"] = "true" if node.expanded else "false"
        shape = ET.SubElement(planes[on[node.id]], _q(BPMNDI, "BPMNShape"), attributes)
        _bounds(shape, boxes[node.id])
        write_diagram(plane, node)
    for flow in flows:
        edge = ET.SubElement(
            planes[on[flow.source_id]], _q(BPMNDI, "BPMNEdge"), {"id": f"edge_{flow.id}", "bpmnElement": flow.id}
        )
        for x, y in route(boxes[flow.source_id], boxes[flow.target_id]):
            ET.SubElement(edge, _q(DI, "waypoint"), {"x": _num(x), "y": _num(y)})
    for index, (note_id, target) in enumerate(notes.items()):
        if target == model_id:  # a free note: above the model's top left corner
            box = Box(30 + 200 * (index % 5), -80 - 70 * (index // 5 % 4), 180, 60)
            shape = ET.SubElement(plane, _q(BPMNDI, "BPMNShape"), {"id": f"shape_{note_id}", "bpmnElement": note_id})
            _bounds(shape, box)
            continue
        anchor = boxes.get(target) or boxes[session.flows[target].source_id]
        box = Box(anchor.x + 20, anchor.y - 90 - 14 * (index % 3), 180, 60)
        shape = ET.SubElement(plane, _q(BPMNDI, "BPMNShape"), {"id": f"shape_{note_id}", "bpmnElement": note_id})
        _bounds(shape, box)
        edge = ET.SubElement(
            plane, _q(BPMNDI, "BPMNEdge"), {"id": f"edge_assoc_{note_id}", "bpmnElement": f"assoc_{note_id}"}
        )
        for x, y in ((anchor.cx, anchor.y), (box.cx, box.bottom)):
            ET.SubElement(edge, _q(DI, "waypoint"), {"x": _num(x), "y": _num(y)})
    return plane
