"""Open BPMN 2.0 written by other tools (Camunda Modeler, bpmn.io, Signavio, ...).

Pools become organizations, lanes their lanes (ordered and sized from the
diagram), tasks of every kind activities, gateways decisions, start and end
events themselves, data objects documents and data stores IT systems;
sequence and message flows become flows; text annotations become comments.
What the product has no place for (boundary events, sub-process internals,
data associations, ...) is listed in ``unsupported``, never dropped without
a word. Untrusted XML is parsed with defusedxml: entities and DTDs are refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from workshop.domain.annotations import Annotation
from workshop.domain.document import Document
from workshop.domain.errors import OperationError
from workshop.domain.operations import add
from workshop.domain.process import Flow, Lane, Node, NodeKind, Organization, ProcessModel
from workshop.domain.session import Session, new_session
from workshop.interchange.bpmn_export import BPMN, BPMNDI, DC, PW

TASKS = {
    "task",
    "userTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "manualTask",
    "businessRuleTask",
    "scriptTask",
    "callActivity",
    "subProcess",
    "transaction",
    "adHocSubProcess",
}
GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway"}
EVENTS = {
    "startEvent": NodeKind.START,
    "endEvent": NodeKind.END,
    "intermediateCatchEvent": NodeKind.WAIT,
    "intermediateThrowEvent": NodeKind.WAIT,
}
DATA = {"dataObjectReference": NodeKind.DOCUMENT, "dataStoreReference": NodeKind.IT_SYSTEM}
SIZES = {NodeKind.START: (50.0, 50.0), NodeKind.END: (50.0, 50.0), NodeKind.DECISION: (110.0, 90.0)}
DEFAULT_LANE_HEIGHT = 180.0


class BpmnError(ValueError):
    """A file that is not BPMN we can read; the message says why."""


@dataclass
class BpmnImport:
    session: Session
    unsupported: list[str] = field(default_factory=list)


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _safe_id(raw: str, taken: set[str]) -> str:
    """BPMN ids are NCNames already; keep them (round trips keep ids) unless one repeats."""
    candidate = raw or "element"
    while candidate in taken:
        candidate += "_"
    taken.add(candidate)
    return candidate


def import_bpmn(data: bytes, *, source_name: str = "") -> BpmnImport:
    """Parse BPMN bytes into a fresh session with one process model."""
    where = source_name or "the file"
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise BpmnError(
            f"{where}: refused unsafe XML ({type(error).__name__}): entities and DTDs are not allowed"
        ) from None
    except SafeET.ParseError as error:
        raise BpmnError(f"{where}: not well-formed XML ({error})") from None
    if _local(root.tag) != (BPMN, "definitions"):
        raise BpmnError(f"{where}: not BPMN 2.0 (the root element is {_local(root.tag)[1]!r}, not 'definitions')")
    unsupported: list[str] = []
    bounds = _shape_bounds(root)
    title = source_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] if source_name else "Imported BPMN"
    session = new_session(title or "Imported BPMN")
    doc = Document(session)
    model_id = "model-imported"
    doc.apply(add(ProcessModel(id=model_id, name=title or "Imported process")))
    taken: set[str] = {model_id}
    processes = {p.get("id", ""): p for p in root.findall(f"{{{BPMN}}}process")}
    pools = [
        (p.get("name") or p.get("id", "pool"), p.get("processRef", ""), p.get("id", ""))
        for c in root.findall(f"{{{BPMN}}}collaboration")
        for p in c.findall(f"{{{BPMN}}}participant")
    ]
    if not pools:
        pools = [(p.get("name") or "Process", pid, pid) for pid, p in processes.items()]
    node_ids: dict[str, str] = {}
    lanes_made: list[tuple[float, Lane]] = []
    pending: list[tuple[Element, str, dict[str, str]]] = []
    for index, (pool_name, process_id, pool_id) in enumerate(pools):
        org_id = _safe_id(pool_id.removeprefix("pool_") if pool_id.startswith("pool_") else f"org-{pool_id}", taken)
        doc.apply(add(Organization(id=org_id, name=pool_name, colour=_colour(index))))
        process = processes.get(process_id)
        lane_of: dict[str, str] = {}
        if process is None:
            unsupported.append(f"pool {pool_name!r} has no process (a collapsed pool): shown as an empty lane")
        else:
            for lane in process.iter(f"{{{BPMN}}}lane"):
                if lane.find(f"{{{BPMN}}}childLaneSet") is not None:
                    unsupported.append(f"nested lanes in {lane.get('name') or lane.get('id')!r}: flattened")
                lane_id = _safe_id(lane.get("id", "lane"), taken)
                box = bounds.get(lane.get("id", ""), (0.0, 0.0, 0.0, DEFAULT_LANE_HEIGHT))
                lane_name = lane.get("name") or ""
                lanes_made.append(
                    (
                        box[1],
                        Lane(
                            id=lane_id,
                            model_id=model_id,
                            organization_id=org_id,
                            role="" if lane_name == pool_name else lane_name,
                            height=max(box[3], 60.0),
                        ),
                    )
                )
                for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
                    lane_of[(ref.text or "").strip()] = lane_id
        if not any(lane.organization_id == org_id for _, lane in lanes_made):
            box = bounds.get(pool_id, (0.0, index * DEFAULT_LANE_HEIGHT, 0.0, DEFAULT_LANE_HEIGHT))
            lanes_made.append(
                (
                    box[1],
                    Lane(
                        id=_safe_id(f"lane-{org_id}", taken),
                        model_id=model_id,
                        organization_id=org_id,
                        height=max(box[3], 60.0),
                    ),
                )
            )
        default_lane = next(lane.id for _, lane in lanes_made if lane.organization_id == org_id)
        if process is not None:
            pending.append((process, org_id, _with_default(lane_of, default_lane)))
    offsets = _place_lanes(doc, lanes_made)
    ours = root.get("exporter") == "Process Workshop"  # our own coordinates: keep them exactly
    left = min(
        (bounds[e.get("id", "")][0] for p, _, _ in pending for e in p if e.get("id", "") in bounds),
        default=0.0,
    )
    for process, org_id, lane_of in pending:
        for element in process:
            _, kind = _local(element.tag)
            lane_id = lane_of[element.get("id", "")]
            _node(
                doc,
                element,
                kind,
                model_id,
                org_id,
                lane_id,
                bounds,
                taken,
                node_ids,
                unsupported,
                shift=(0.0 if ours else 30 - left, offsets[lane_id]),
            )
    for element in root.iter():
        _, kind = _local(element.tag)
        if kind in ("sequenceFlow", "messageFlow"):
            source, target = node_ids.get(element.get("sourceRef", "")), node_ids.get(element.get("targetRef", ""))
            if source is None or target is None:
                unsupported.append(f"{kind} {element.get('id')!r}: one of its ends was not imported")
                continue
            flow = Flow(
                id=_safe_id(element.get("id", "flow"), taken),
                model_id=model_id,
                source_id=source,
                target_id=target,
                label=element.get("name") or "",
            )
            doc.apply(add(flow))
            node_ids[element.get("id", "")] = flow.id
    _annotations(doc, root, model_id, node_ids, taken, unsupported)
    return BpmnImport(doc.session, unsupported)


def _colour(index: int) -> str:
    palette = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
    return palette[index % len(palette)]


def _with_default(mapping: dict[str, str], default: str) -> defaultdict[str, str]:
    """Elements no lane lists belong to the pool's first lane."""
    result: defaultdict[str, str] = defaultdict(lambda: default)
    result.update(mapping)
    return result


def _shape_bounds(root: Element) -> dict[str, tuple[float, float, float, float]]:
    found: dict[str, tuple[float, float, float, float]] = {}
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        b = shape.find(f"{{{DC}}}Bounds")
        if b is not None:
            x, y, w, h = (float(b.get(k, 0)) for k in ("x", "y", "width", "height"))
            found[shape.get("bpmnElement", "")] = (x, y, w, h)
    return found


def _node(
    doc: Document,
    element: Element,
    kind: str,
    model_id: str,
    org_id: str,
    lane_id: str,
    bounds: dict[str, tuple[float, float, float, float]],
    taken: set[str],
    node_ids: dict[str, str],
    unsupported: list[str],
    shift: tuple[float, float],
) -> None:
    get = element.get
    raw_id, name = get("id", ""), get("name") or ""
    if kind in TASKS:
        node_kind = NodeKind.ACTIVITY
        if kind in ("subProcess", "transaction", "adHocSubProcess") and len(list(element)) > 2:
            unsupported.append(f"{kind} {name or raw_id!r}: its inner process was not imported (shown as one activity)")
    elif kind in GATEWAYS:
        node_kind = NodeKind.DECISION
        if kind != "exclusiveGateway":
            unsupported.append(f"{kind} {name or raw_id!r}: imported as a decision")
    elif kind in EVENTS:
        node_kind = EVENTS[kind]
    elif kind in DATA:
        node_kind = DATA[kind]
    elif kind in (
        "laneSet",
        "sequenceFlow",
        "textAnnotation",
        "association",
        "extensionElements",
        "documentation",
        "dataObject",
        "dataStore",
    ):
        return
    else:
        unsupported.append(f"{kind} {name or raw_id!r}: not supported, not imported")
        return
    extension = element.find(f"{{{BPMN}}}extensionElements/{{{PW}}}node")
    owner = None
    if extension is not None:
        node_kind = NodeKind(extension.get("kind", node_kind))
        owner = extension.get("owner") or None
    box = bounds.get(raw_id)
    w, h = SIZES.get(node_kind, (140.0, 70.0))
    node = Node(
        id=_safe_id(raw_id, taken),
        model_id=model_id,
        node_kind=node_kind,
        label=name,
        lane_id=lane_id,
        owner_org_id=owner
        if owner in doc.session.organizations
        else (org_id if node_kind in (NodeKind.ACTIVITY, NodeKind.DECISION) else None),
        owner_role=(extension.get("role") or "") if extension is not None else "",
        x=box[0] + shift[0] if box else 30.0,
        y=box[1] + shift[1] if box else 10.0,
        w=box[2] if box and box[2] > 0 else w,
        h=box[3] if box and box[3] > 0 else h,
    )
    doc.apply(add(node))
    node_ids[raw_id] = node.id
    if not box:
        unsupported.append(f"{kind} {name or raw_id!r}: no diagram position; placed at the origin")


def _place_lanes(doc: Document, lanes: list[tuple[float, Lane]]) -> dict[str, float]:
    """Lanes stack from y=0 in the diagram's order; returns how far each lane's contents move vertically."""
    offset: dict[str, float] = {}
    top = 0.0
    for index, (diagram_y, lane) in enumerate(sorted(lanes, key=lambda item: item[0])):
        doc.apply(add(lane.model_copy(update={"index": index})))
        offset[lane.id] = top - diagram_y
        top += lane.height
    return offset


def _annotations(
    doc: Document, root: Element, model_id: str, node_ids: dict[str, str], taken: set[str], unsupported: list[str]
) -> None:
    texts = {
        a.get("id", ""): (a.findtext(f"{{{BPMN}}}text") or "").strip() for a in root.iter(f"{{{BPMN}}}textAnnotation")
    }
    attached: dict[str, str] = {}
    for association in root.iter(f"{{{BPMN}}}association"):
        source, target = association.get("sourceRef", ""), association.get("targetRef", "")
        if target in texts:
            attached[target] = source
        elif source in texts:
            attached[source] = target
    for note_id, text in texts.items():
        if not text:
            continue
        on = node_ids.get(attached.get(note_id, ""))
        kind = "flow" if on in doc.session.flows else "node" if on in doc.session.nodes else "model"
        try:
            doc.apply(
                add(
                    Annotation(
                        id=_safe_id(note_id, taken), text=text, target_kind=kind, target_id=on if on else model_id
                    )
                )
            )
        except OperationError as error:
            unsupported.append(f"text annotation {note_id!r}: {error}")
