"""Nodes of a BPMN import: activities, gateways, events and data, sized and placed from the diagram.

Split out of :mod:`bpmn_import`. Tasks of every kind become activities,
gateways decisions (keeping their type), events keep their definition and
whether they catch, throw or sit on an activity's boundary; data objects and
stores become documents and IT systems. A sub-process is one activity (what
it holds is reported). Our own export's extension elements restore what BPMN
has no word for.
"""

from __future__ import annotations

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
from workshop.interchange.bpmn_import_ledger import DATA_ASSOCIATIONS, SUB_PROCESSES, SUPPORTING, ImportLedger
from workshop.interchange.bpmn_import_pools import Pool
from workshop.interchange.bpmn_read import BPMN, local_name
from workshop.interchange.bpmn_sub_processes import inside_of

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


class NodeMaker:
    """Makes the nodes of one import and attaches boundary events to their activities."""

    def __init__(self, ledger: ImportLedger, geometry: DiagramGeometry) -> None:
        self.ledger, self.geometry = ledger, geometry

    def node(self, element: Element, pool: Pool, shift_x: float, offsets: dict[str, float]) -> None:
        ns, tag = local_name(element.tag)
        if ns != BPMN or tag in SUPPORTING or tag in ("sequenceFlow", "textAnnotation", "association"):
            return
        raw_id, name = element.get("id", ""), line_breaks(element.get("name") or "")
        gateway = GatewayKind.EXCLUSIVE
        event = EventDefinition.NONE
        if tag in BPMN_ACTIVITIES:
            node_kind = NodeKind.ACTIVITY
            if tag in SUB_PROCESSES:
                self._inside_sub_process(element)
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
        lane_id = self.geometry.lane_for(raw_id, pool)
        box = self.ledger.bounds.get(raw_id)
        w, h = SIZES.get(NodeKind(node_kind), (140.0, 70.0))
        if box and box[2] > 0:
            w = box[2]
        if box and box[3] > 0:
            h = box[3]
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
                x=box[0] + shift_x if box else 0.0,
                y=self.geometry.in_lane(box[1] + offsets[lane_id], h, lane_id) if box else 0.0,
                w=w,
                h=h,
                gateway_kind=gateway,
                event_definition=event,
                bpmn_element=bpmn_element,
                interrupting=interrupting,
                **details,
            )
            self.ledger.doc.add(node)
        except (OperationError, ValueError) as error:  # a ValidationError is a ValueError too
            self.ledger.refused(element, error)
            return
        self.ledger.node_ids[raw_id] = node.id
        self.ledger.took(element)
        if not box:
            self.geometry.unplaced.add(node.id)
            self.ledger.report(element, "no diagram position: laid out in its lane", imported=True)

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
            if tag in SUB_PROCESSES:
                status = self.ledger.status
                details["bpmn_inside"] = inside_of(
                    element, self.ledger.xml, self.ledger.drawn(), lambda e: status.get(e, False)
                )
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

    def _inside_sub_process(self, sub_process: Element) -> None:
        """A sub-process is one activity; what it holds is named in the report, element by element."""
        label = sub_process.get("name") or sub_process.get("id", "")
        own = {child for child in sub_process if local_name(child.tag)[1] in DATA_ASSOCIATIONS}
        for element in sub_process.iter():
            if (
                element is not sub_process
                and element in self.ledger.counted
                and element not in own
                and element not in self.ledger.status
            ):
                self.ledger.report(
                    element,
                    f"inside sub-process {label!r}: not shown (the sub-process is one activity), kept for export",
                )

    def boundary(self, element: Element) -> None:
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
