"""Nodes of a BPMN import: activities, gateways, events and data, sized and placed from the diagram.

Split out of :mod:`bpmn_import`. Tasks of every kind become activities,
gateways decisions (keeping their type), events keep their definition and
whether they catch, throw or sit on an activity's boundary; data objects and
stores become documents and IT systems. A sub-process is an activity whose
contents become nodes of their own (``parent_id`` naming it), recursively:
an expanded one's contents where the diagram draws them inside it (moved as
it moved), a collapsed one's at their own coordinates on its own plane. Our
own export's extension elements restore what BPMN has no word for.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from workshop.domain.model.errors import OperationError
from workshop.domain.model.naming import line_breaks
from workshop.domain.model.operations import update
from workshop.domain.model.process import (
    BPMN_ACTIVITIES,
    BPMN_ELEMENTS,
    TIMERS,
    EventDefinition,
    GatewayKind,
    Node,
    NodeKind,
)
from workshop.interchange.bpmn_export import PW, TAGS
from workshop.interchange.bpmn_import_geometry import DiagramGeometry
from workshop.interchange.bpmn_import_ledger import SUB_PROCESSES, SUPPORTING, ImportLedger
from workshop.interchange.bpmn_import_pools import Pool
from workshop.interchange.bpmn_read import BPMN, local_name

GATEWAYS = {
    "exclusiveGateway": GatewayKind.EXCLUSIVE,
    "parallelGateway": GatewayKind.PARALLEL,
    "inclusiveGateway": GatewayKind.INCLUSIVE,
    "eventBasedGateway": GatewayKind.EVENT_BASED,
    "complexGateway": GatewayKind.COMPLEX,
}
EVENTS = {
    "startEvent": NodeKind.START,
    "endEvent": NodeKind.END,
    "intermediateCatchEvent": NodeKind.WAIT,
    "intermediateThrowEvent": NodeKind.WAIT,
    "boundaryEvent": NodeKind.WAIT,
}
EVENT_DEFINITIONS = {
    "messageEventDefinition": EventDefinition.MESSAGE,
    "timerEventDefinition": EventDefinition.TIMER,
    "signalEventDefinition": EventDefinition.SIGNAL,
    "errorEventDefinition": EventDefinition.ERROR,
    "escalationEventDefinition": EventDefinition.ESCALATION,
    "conditionalEventDefinition": EventDefinition.CONDITIONAL,
    "linkEventDefinition": EventDefinition.LINK,
    "compensateEventDefinition": EventDefinition.COMPENSATION,
    "terminateEventDefinition": EventDefinition.TERMINATE,
    "cancelEventDefinition": EventDefinition.CANCEL,
}
REF_ATTRIBUTES = {
    "messageEventDefinition": ("messageRef",),
    "signalEventDefinition": ("signalRef",),
    "errorEventDefinition": ("errorRef",),
    "escalationEventDefinition": ("escalationRef",),
}
DATA = {"dataObjectReference": NodeKind.DOCUMENT, "dataStoreReference": NodeKind.IT_SYSTEM}
SIZES = {
    NodeKind.START: (36.0, 36.0),
    NodeKind.END: (36.0, 36.0),
    NodeKind.WAIT: (36.0, 36.0),
    NodeKind.DECISION: (50.0, 50.0),
    NodeKind.DOCUMENT: (36.0, 50.0),
    NodeKind.IT_SYSTEM: (50.0, 50.0),
}
EXTENSION_ELEMENTS = f"{{{BPMN}}}extensionElements"


def extension_element(element: Element, tag: str) -> Element | None:
    """``element.find("extensionElements/<tag>")`` without ElementPath's parsing of the path (20,000 calls)."""
    for child in element:
        if child.tag == EXTENSION_ELEMENTS:
            for extension in child:
                if extension.tag == tag:
                    return extension
    return None


@dataclass(frozen=True)
class Inside:
    """The sub-process the elements being made are steps of: its node, its lane, and how far they move (as far
    as an expanded sub-process moved; nothing for a collapsed one's, drawn on a plane of their own)."""

    node_id: str
    lane_id: str
    dx: float
    dy: float
    x: float
    y: float


class NodeMaker:
    """Makes the nodes of one import and attaches boundary events to their activities."""

    def __init__(self, ledger: ImportLedger, geometry: DiagramGeometry) -> None:
        self.ledger, self.geometry = ledger, geometry

    def node(
        self, element: Element, pool: Pool, shift_x: float, offsets: dict[str, float], inside: Inside | None = None
    ) -> None:
        ns, tag = local_name(element.tag)
        if ns != BPMN or tag in SUPPORTING or tag in ("sequenceFlow", "textAnnotation", "association"):
            return
        raw_id, name = element.get("id", ""), line_breaks(element.get("name") or "")
        gateway = GatewayKind.EXCLUSIVE
        event = EventDefinition.NONE
        if tag in BPMN_ACTIVITIES:
            node_kind = NodeKind.ACTIVITY
            called = self.ledger.xml.ref(element, element.get("calledElement")) if tag == "callActivity" else ""
            if called in self.ledger.processes:
                process_name = line_breaks(self.ledger.processes[called].get("name") or "")
                name = name or process_name  # never the process's id: people read the label
                self.ledger.report(
                    element,
                    f"calls process {process_name or called!r}: its steps are in that process's pool",
                    imported=True,
                )
        elif tag in GATEWAYS:
            node_kind, gateway = NodeKind.DECISION, GATEWAYS[tag]
        elif tag in EVENTS:
            node_kind, event = EVENTS[tag], self._event_definition(element)
        elif tag in DATA:
            node_kind = DATA[tag]
        else:
            return  # counted: the ledger reports it as not supported
        plain = tag in ("task", *GATEWAYS) or (TAGS.get(node_kind) == tag and node_kind != NodeKind.WAIT)
        bpmn_element = "" if plain else tag  # events keep theirs: a catch without a definition is no timer
        extension = extension_element(element, f"{{{PW}}}node")
        owner = None
        interrupting = element.get("cancelActivity", "true").strip().lower() != "false"
        if extension is not None:  # our own export: what BPMN has no word for
            try:
                node_kind = NodeKind(extension.get("kind", node_kind))
                gateway = GatewayKind(extension.get("gateway", gateway))
                event = EventDefinition(extension.get("event", event))
            except ValueError as error:
                self.ledger.report(
                    element, f"its Process Workshop extension is not understood ({error}): ignored", imported=True
                )
            owner = extension.get("owner") or None
            kept = extension.get("bpmn", bpmn_element)
            if kept in BPMN_ELEMENTS:
                bpmn_element = kept
            else:
                self.ledger.report(
                    element, f"its Process Workshop extension names no BPMN element ({kept!r}): ignored", imported=True
                )
            interrupting = extension.get("interrupting", "true" if interrupting else "false") != "false"
        details = self._details(element, tag, event)
        if event == EventDefinition.MULTIPLE and element.get("parallelMultiple", "").strip() == "true":
            event = EventDefinition.PARALLEL_MULTIPLE
        lane_id = (pool.lane_of.get(raw_id) or inside.lane_id) if inside else self.geometry.lane_for(raw_id, pool)
        box = self.ledger.bounds.get(raw_id)
        w, h = SIZES.get(NodeKind(node_kind), (140.0, 70.0))
        if box and box[2] > 0:
            w = box[2]
        if box and box[3] > 0:
            h = box[3]
        if inside is not None:  # a step of a sub-process: where the diagram draws it, never clamped to a lane
            x, y = (box[0] + inside.dx, box[1] + inside.dy) if box else (inside.x + 20.0, inside.y + 20.0)
        else:
            x = box[0] + shift_x if box else 0.0
            y = self.geometry.in_lane(box[1] + offsets[lane_id], h, lane_id) if box else 0.0
        try:
            node = Node(
                id=self.ledger.new_id(raw_id),
                model_id=self.ledger.model_id,
                node_kind=node_kind,
                label=name,
                lane_id=lane_id,
                owner_org_id=owner
                if owner in self.ledger.result.session.organizations
                else (pool.org_id if node_kind in (NodeKind.ACTIVITY, NodeKind.DECISION) else None),
                owner_role=(extension.get("role") or "") if extension is not None else "",
                x=x,
                y=y,
                w=w,
                h=h,
                gateway_kind=gateway,
                event_definition=event,
                bpmn_element=bpmn_element,
                interrupting=interrupting,
                parent_id=inside.node_id if inside else None,
                expanded=tag in SUB_PROCESSES and self._expanded(element),
                **details,
            )
            self.ledger.doc.add(node)
        except (OperationError, ValueError) as error:  # a ValidationError is a ValueError too
            self.ledger.refused(element, error)
            return
        self.ledger.node_ids[raw_id] = node.id
        self.ledger.took(element)
        if not box:
            if inside is None:
                self.geometry.unplaced.add(node.id)
            where = "placed inside its sub-process" if inside else "laid out in its lane"
            self.ledger.report(element, f"no diagram position: {where}", imported=True)
        if tag in SUB_PROCESSES:
            dx, dy = (node.x - box[0], node.y - box[1]) if box and node.expanded else (0.0, 0.0)
            holds = Inside(node.id, lane_id, dx, dy, node.x, node.y)
            for child in element:
                self.node(child, pool, shift_x, offsets, holds)

    def _expanded(self, sub_process: Element) -> bool:
        """Whether the diagram draws the sub-process open: as its shape says, else whether its contents are drawn
        in the same plane as it."""
        drawn = self.ledger.drawn()
        shape = drawn.get(sub_process.get("id", ""))
        if shape is None:
            return False
        flag = shape.get("isExpanded")
        if flag is not None:
            return flag.strip().lower() == "true"
        planes = self.ledger.planes()
        own = planes.get(sub_process.get("id", ""))
        return any(planes.get(child.get("id", "")) is own for child in sub_process if child.get("id"))

    def _details(self, element: Element, tag: str, event: EventDefinition) -> dict[str, str | bool]:
        """What BPMN says beyond the node's kind: loop and compensation of an activity, a timer's time, the
        message, signal, error or escalation an event or task names."""
        details: dict[str, str | bool] = {}
        if tag in BPMN_ACTIVITIES:
            for child in element:
                name = local_name(child.tag)[1]
                if name == "standardLoopCharacteristics":
                    details["loop"] = "standard"
                elif name == "multiInstanceLoopCharacteristics":
                    sequential = child.get("isSequential", "").strip() == "true"
                    details["loop"] = "sequential" if sequential else "parallel"
            if element.get("isForCompensation", "").strip() == "true":
                details["for_compensation"] = True
            if tag in ("sendTask", "receiveTask"):
                details["ref_name"] = self._root_name(element, element.get("messageRef"))
        elif event != EventDefinition.NONE:
            for child in element:
                name = local_name(child.tag)[1]
                if name == "timerEventDefinition":
                    for time in child:
                        kind = local_name(time.tag)[1]
                        if kind in TIMERS:
                            details["timer"] = f"{kind}={(time.text or '').strip()}"
                for attribute in REF_ATTRIBUTES.get(name, ()):
                    if child.get(attribute):
                        details["ref_name"] = self._root_name(child, child.get(attribute))
        return {k: v for k, v in details.items() if v}

    def _root_name(self, element: Element, value: str | None) -> str:
        """The name of the message, signal, error or escalation ``value`` refers to (its id when it has none)."""
        ref = self.ledger.xml.ref(element, value)
        if not ref:
            return ""
        found = self.ledger.root_elements().get(ref)
        return (found.get("name") or ref) if found is not None else ref

    def _event_definition(self, element: Element) -> EventDefinition:
        found = []
        for child in element:
            ns, tag = local_name(child.tag)
            if ns == BPMN and tag.endswith("EventDefinition"):
                found.append(EVENT_DEFINITIONS.get(tag, EventDefinition.MULTIPLE))
            elif ns == BPMN and tag == "eventDefinitionRef":
                found.append(EventDefinition.MULTIPLE)
        if len(found) > 1:
            if not self.ledger.ours:  # our own export writes 'multiple' so
                self.ledger.report(element, f"{len(found)} event definitions: kept as 'multiple'", imported=True)
            return EventDefinition.MULTIPLE
        return found[0] if found else EventDefinition.NONE

    def boundary(self, element: Element) -> None:
        if local_name(element.tag)[1] in SUB_PROCESSES:
            for child in element:
                self.boundary(child)
            return
        if local_name(element.tag)[1] != "boundaryEvent" or element.get("id", "") not in self.ledger.node_ids:
            return
        node_id = self.ledger.node_ids[element.get("id", "")]
        activity = self.ledger.node_ids.get(self.ledger.xml.ref(element, element.get("attachedToRef")))
        if activity is None:
            self.ledger.report(
                element,
                f"attachedToRef {element.get('attachedToRef')!r} is not an imported activity: a free event",
                imported=True,
            )
            return
        self.ledger.doc.apply(update("node", node_id, attached_to=activity))
