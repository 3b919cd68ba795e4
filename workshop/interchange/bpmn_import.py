"""Open BPMN 2.0 written by other tools (Camunda Modeler, bpmn.io, Signavio, GenMyModel, ...).

Pools become organizations, lanes their lanes (ordered and sized from the
diagram); a process no pool shows becomes a pool of its own. Tasks of every
kind become activities, gateways decisions (keeping their type), events keep
their definition and whether they catch, throw or sit on an activity's
boundary; data objects and stores become documents and IT systems, with
their data associations; text annotations become comments. The BPMN element
each node came from is kept, so an export writes the same element back.

Nothing is dropped without a word: every element of the source is counted,
and each is either in the model or in the report with the reason (see
:class:`BpmnImport`). Nodes the diagram does not place are laid out in their
lane. Errors in the file name the file, line, element and attribute.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from pydantic import ValidationError

from workshop.domain.annotations import Annotation, AnnotationKind
from workshop.domain.entity import Entity
from workshop.domain.errors import OperationError
from workshop.domain.layout import layout_model
from workshop.domain.naming import line_breaks, one_line
from workshop.domain.operations import (
    BatchOp,
    Operation,
    UpdateOp,
    describe_validation_error,
    update,
)
from workshop.domain.process import (
    BPMN_ACTIVITIES,
    BPMN_ELEMENTS,
    EventDefinition,
    Flow,
    GatewayKind,
    Lane,
    Node,
    NodeKind,
    Organization,
    ProcessModel,
)
from workshop.domain.research import ImportedSource
from workshop.domain.rules import check_entity
from workshop.domain.session import Session, SessionState, new_session
from workshop.interchange.bpmn_export import PW, TAGS
from workshop.interchange.bpmn_read import BPMN, BPMNDI, DC, BpmnError, XmlSource, local_name, read_xml

__all__ = ["BpmnError", "BpmnImport", "ReportItem", "counted_elements", "import_bpmn"]

SUB_PROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
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
DATA = {"dataObjectReference": NodeKind.DOCUMENT, "dataStoreReference": NodeKind.IT_SYSTEM}
DATA_ASSOCIATIONS = {"dataInputAssociation", "dataOutputAssociation"}
SUPPORTING = {
    "laneSet",
    "childLaneSet",
    "flowNodeRef",
    "ioSpecification",
    "property",
    "dataObject",
    "dataStore",
    "documentation",
    "extensionElements",
    "multiInstanceLoopCharacteristics",
    "standardLoopCharacteristics",
    "auditing",
    "monitoring",
    "performer",
    "humanPerformer",
    "potentialOwner",
    "resourceRole",
    "supports",
    "correlationSubscription",
    "text",
    "incoming",
    "outgoing",
}
"""Parts of a container that describe it rather than being elements of the model of their own."""
CONTAINERS = {"process", "collaboration", *SUB_PROCESSES}
SIZES = {
    NodeKind.START: (36.0, 36.0),
    NodeKind.END: (36.0, 36.0),
    NodeKind.WAIT: (36.0, 36.0),
    NodeKind.DECISION: (50.0, 50.0),
    NodeKind.DOCUMENT: (36.0, 50.0),
    NodeKind.IT_SYSTEM: (50.0, 50.0),
}
DEFAULT_LANE_HEIGHT = 180.0
_NOT_NAME = re.compile(r"[^\w.-]")
MIN_LANE_HEIGHT = 60.0
LANE_MARGIN = 30.0


COUNTED_ANYWHERE = frozenset({"process", "lane", *DATA_ASSOCIATIONS})
FLOW_TAGS = frozenset({f"{{{BPMN}}}sequenceFlow", f"{{{BPMN}}}messageFlow"})
DATA_ASSOCIATION_TAGS = frozenset(f"{{{BPMN}}}{tag}" for tag in DATA_ASSOCIATIONS)


def counted_elements(root: Element) -> list[Element]:
    """The elements of a BPMN file an import must account for, one by one.

    Pools, processes and lanes; every element directly in a process,
    sub-process or collaboration except the parts that only describe their
    container (:data:`SUPPORTING`); and data associations (which sit inside
    the activity they belong to).
    """
    found: list[Element] = []
    prefix = f"{{{BPMN}}}"
    cut = len(prefix)
    for element in root.iter():
        full = element.tag
        if not full.startswith(prefix):
            continue
        tag = full[cut:]
        if tag in COUNTED_ANYWHERE:
            found.append(element)
        if tag in CONTAINERS:
            for child in element:
                child_tag = child.tag
                if child_tag.startswith(prefix) and child_tag[cut:] not in SUPPORTING and child_tag[cut:] != "process":
                    found.append(child)
    return found


@dataclass(frozen=True)
class ReportItem:
    """One element of the source not in the model as it was, and why."""

    element: str
    element_id: str
    name: str
    reason: str
    line: int = 0
    imported: bool = False
    """True when the element is in the model, only not as it was (a note, not a loss)."""

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        label = f"{self.name!r} ({self.element_id})" if self.name else repr(self.element_id or "(no id)")
        return f"{where}{self.element} {label}: {self.reason}"


@dataclass
class BpmnImport:
    """The session made from a BPMN file, and the import report.

    ``source`` counts the file's elements by BPMN kind (see
    :func:`counted_elements`), ``imported`` those in the model, ``reported``
    those left out with a reason in ``report``; every counted element is in
    exactly one of the two, so ``silent`` is zero.
    """

    session: Session
    report: list[ReportItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: Counter[str] = field(default_factory=Counter)
    imported: Counter[str] = field(default_factory=Counter)
    reported: Counter[str] = field(default_factory=Counter)
    file_name: str = ""
    sha256: str = ""
    model_id: str = ""

    @property
    def unsupported(self) -> list[str]:
        """The report as lines: notes on the file, then each element not taken over as it was."""
        return [*self.notes, *(str(item) for item in self.report)]

    def counts(self) -> dict[str, int]:
        """Totals for summaries: source elements, imported, reported, silent (always 0), nodes, flows, lanes."""
        source, imported, reported = sum(self.source.values()), sum(self.imported.values()), sum(self.reported.values())
        return {
            "source_elements": source,
            "imported": imported,
            "reported": reported,
            "silent": source - imported - reported,
            "notes": len(self.notes) + sum(1 for item in self.report if item.imported),
            "nodes": len(self.session.nodes),
            "flows": len(self.session.flows),
            "lanes": len(self.session.lanes),
            "organizations": len(self.session.organizations),
            "annotations": len(self.session.annotations),
        }

    def source_record(self) -> ImportedSource:
        """What the session's record keeps about the file it came from."""
        return ImportedSource(
            id=f"source-{self.sha256[:12]}",
            model_id=self.model_id,
            file_name=self.file_name or "imported.bpmn",
            sha256=self.sha256,
            report=self.unsupported,
            counts=self.counts(),
        )


def import_bpmn(data: bytes, *, source_name: str = "") -> BpmnImport:
    """Parse BPMN bytes into a fresh session with one process model; raises :class:`BpmnError` with a reason."""
    where = source_name or "the file"
    xml = read_xml(data, where)
    return _Importer(xml, source_name, hashlib.sha256(data).hexdigest()).run()


@dataclass
class _Pool:
    org_id: str
    name: str
    process: Element | None
    lane_of: dict[str, str] = field(default_factory=dict)
    lanes: list[tuple[float, str]] = field(default_factory=list)
    """(diagram top, lane id) of the pool's lanes, to place elements no lane lists."""


class _SessionBuilder:
    """The session being imported, built in one validated pass.

    Every element is checked as it goes in — its pydantic model (finite
    numbers, known kinds) when it is made, its references and the
    cross-element rules here — as :meth:`Document.apply` would; but there is
    no log, no per-operation storage check and no round trip through JSON
    for each of 40,000 elements. The whole import is recorded afterwards as
    one operation (:func:`~workshop.interchange.bpmn_session.create_imported_session`).
    """

    def __init__(self, session: Session) -> None:
        self.state = SessionState(session)

    @property
    def session(self) -> Session:
        return self.state.session

    def add(self, entity: Entity) -> None:
        """Add one element; :class:`OperationError` (nothing added) if its id is taken or a rule refuses it."""
        if self.state.get(entity.kind, entity.id) is not None:
            raise OperationError(f"add {entity.kind}: id {entity.id!r} is already taken")
        check_entity(self.state, entity)
        self.state.insert(entity)

    def apply(self, op: Operation) -> None:
        """An update or a batch, validated as the document validates it (all or nothing)."""
        op.execute(self.state)


class _Importer:
    """One import: the file, the document being built, and the ledger of every counted element."""

    def __init__(self, xml: XmlSource, source_name: str, sha256: str) -> None:
        self.xml = xml
        self.root = xml.root
        title = source_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] if source_name else ""
        self.title = title or "Imported BPMN"
        self.result = BpmnImport(new_session(self.title), notes=list(xml.notes), file_name=source_name, sha256=sha256)
        self.doc = _SessionBuilder(self.result.session)
        self.model_id = "model-imported"
        self.result.model_id = self.model_id
        self.taken: set[str] = {self.model_id}
        self.node_ids: dict[str, str] = {}
        self.status: dict[Element, bool] = {}
        self.ours = self.root.get("exporter") == "Process Workshop"
        self.unplaced: set[str] = set()
        self.lane_top: dict[str, float] = {}

    # -- the ledger ------------------------------------------------------

    def took(self, element: Element) -> None:
        self.status.setdefault(element, True)

    def report(self, element: Element, reason: str, *, imported: bool = False) -> None:
        """Name an element in the report; unless ``imported``, it is not in the model."""
        _, tag = local_name(element.tag)
        item = ReportItem(
            tag, element.get("id", ""), element.get("name") or "", reason, self.xml.line(element), imported
        )
        self.result.report.append(item)
        if not imported:
            self.status[element] = False
        else:
            self.status.setdefault(element, True)

    def refused(self, element: Element, error: Exception) -> None:
        """Report an element the model refused, saying why in words (a validation error by its fields)."""
        why = describe_validation_error(error) if isinstance(error, ValidationError) else str(error)
        self.report(element, f"not imported: {why}")

    # -- the import ------------------------------------------------------

    def run(self) -> BpmnImport:
        counted = counted_elements(self.root)
        self.counted = set(counted)
        self.bounds = self._shape_bounds()
        self.doc.add(ProcessModel(id=self.model_id, name=self.title))
        pools = self._pools()
        offsets = self._place_lanes()
        left = min(
            (
                self.bounds[e.get("id", "")][0]
                for pool in pools
                if pool.process is not None
                for e in pool.process
                if e.get("id", "") in self.bounds
            ),
            default=0.0,
        )
        shift_x = 0.0 if self.ours else 30.0 - left
        for pool in pools:
            if pool.process is not None:
                for element in pool.process:
                    self._node(element, pool, shift_x, offsets)
        for pool in pools:
            if pool.process is not None:
                for element in pool.process:
                    self._boundary(element)
        self._flows()
        self._annotations()
        self._lay_out_unplaced()
        for element in counted:
            _, tag = local_name(element.tag)
            if element not in self.status:
                self.report(element, "not supported: not imported")
            self.result.source[tag] += 1
            (self.result.imported if self.status[element] else self.result.reported)[tag] += 1
        return self.result

    def _shape_bounds(self) -> dict[str, tuple[float, float, float, float]]:
        found: dict[str, tuple[float, float, float, float]] = {}
        for shape in self.root.iter(f"{{{BPMNDI}}}BPMNShape"):
            b = shape.find(f"{{{DC}}}Bounds")
            target = self.xml.ref(shape, shape.get("bpmnElement"))
            if b is None or target in found:
                continue  # a second diagram (a collapsed sub-process drawn apart) does not move the first
            owner = target or shape.get("id", "shape")
            x, y = self.xml.number(b, "x", owner), self.xml.number(b, "y", owner)
            w, h = self.xml.number(b, "width", owner), self.xml.number(b, "height", owner)
            if w < 0 or h < 0:
                raise BpmnError(f"{self.xml.at(b)}: <Bounds> of {owner!r}: negative width or height ({w:g} × {h:g})")
            found[target] = (x, y, w, h)
        return found

    def _pools(self) -> list[_Pool]:
        processes = {p.get("id", ""): p for p in self.root.findall(f"{{{BPMN}}}process")}
        self.processes = processes
        shown: set[str] = set()
        pools: list[_Pool] = []
        self.lanes_made: list[tuple[float, Lane]] = []
        participants = [
            p for c in self.root.findall(f"{{{BPMN}}}collaboration") for p in c.findall(f"{{{BPMN}}}participant")
        ]
        for participant in participants:
            ref = self.xml.ref(participant, participant.get("processRef"))
            name = one_line(participant.get("name") or "") or participant.get("id") or "Pool"
            process = processes.get(ref)
            if process is not None and ref in shown:
                self.report(
                    participant, f"shows process {ref!r} that another pool shows already: an empty lane", imported=True
                )
                process = None
            elif process is None and ref:
                self.report(
                    participant, f"processRef {ref!r} names no process in this file: an empty lane", imported=True
                )
            elif process is None:
                self.report(participant, "a pool without a process (a black box): an empty lane", imported=True)
            pool_id = participant.get("id", "pool")
            pools.append(self._pool(participant, name, process, pool_id))
            if process is not None:
                shown.add(ref)
        for process_id, process in processes.items():
            if process_id in shown:
                continue
            name = one_line(process.get("name") or "") or (process_id if participants else "") or "Process"
            if participants:
                self.report(process, "no pool shows this process: it is a pool of its own", imported=True)
            pools.append(self._pool(process, name, process, process_id))
        return pools

    def _pool(self, element: Element, name: str, process: Element | None, pool_id: str) -> _Pool:
        org_id = self._id(pool_id.removeprefix("pool_") if pool_id.startswith("pool_") else f"org-{pool_id}")
        index = len(self.result.session.organizations)
        self.doc.add(Organization(id=org_id, name=name, colour=_colour(index)))
        self.took(element)
        pool = _Pool(org_id, name, process)
        if process is not None:
            self.took(process)
            for lane in process.iter(f"{{{BPMN}}}lane"):
                self._lane(lane, pool)
        if not pool.lanes:
            box = self.bounds.get(pool_id) or self.bounds.get(element.get("id", "")) or self._extent(process)
            top = box[1] if box else float(index) * DEFAULT_LANE_HEIGHT
            only = Lane(
                id=self._id(f"lane-{org_id}"),
                model_id=self.model_id,
                organization_id=org_id,
                height=max(box[3] if box else DEFAULT_LANE_HEIGHT, MIN_LANE_HEIGHT),
            )
            self.lanes_made.append((top, only))
            pool.lanes.append((top, only.id))
        return pool

    def _extent(self, process: Element | None) -> tuple[float, float, float, float] | None:
        """The box around a process's drawn elements with a margin: its lane when the diagram draws no pool."""
        boxes = [self.bounds[e.get("id", "")] for e in process or () if e.get("id", "") in self.bounds]
        if not boxes:
            return None
        top, bottom = min(b[1] for b in boxes), max(b[1] + b[3] for b in boxes)
        left, right = min(b[0] for b in boxes), max(b[0] + b[2] for b in boxes)
        return left, top - LANE_MARGIN, right - left, bottom - top + 2 * LANE_MARGIN

    def _lane(self, lane: Element, pool: _Pool) -> None:
        raw = lane.get("id", "lane")
        refs = [self.xml.ref(r, r.text) for r in lane.findall(f"{{{BPMN}}}flowNodeRef")]
        if lane.find(f"{{{BPMN}}}childLaneSet/{{{BPMN}}}lane") is not None:
            # its sub-lanes are lanes of their own; the nodes it lists are in them
            for ref in refs:
                pool.lane_of.setdefault(ref, "")
            self.report(lane, "a lane with sub-lanes: shown as its sub-lanes", imported=True)
            return
        box = self.bounds.get(raw)
        top = box[1] if box else 1e9 + len(self.lanes_made)  # lanes the diagram omits go below, in file order
        name = one_line(lane.get("name") or "")
        made = Lane(
            id=self._id(raw),
            model_id=self.model_id,
            organization_id=pool.org_id,
            role="" if name == pool.name else name,
            height=max(box[3] if box else DEFAULT_LANE_HEIGHT, MIN_LANE_HEIGHT),
        )
        self.lanes_made.append((top, made))
        pool.lanes.append((top, made.id))
        self.took(lane)
        for ref in refs:
            pool.lane_of[ref] = made.id

    def _place_lanes(self) -> dict[str, float]:
        """Lanes stack from y=0 in the diagram's order; returns how far each lane's contents move vertically."""
        offset: dict[str, float] = {}
        top = 0.0
        ordered = sorted(enumerate(self.lanes_made), key=lambda item: (item[1][0], item[0]))
        for index, (_, (diagram_y, lane)) in enumerate(ordered):
            self.doc.add(lane.model_copy(update={"index": index}))
            offset[lane.id] = top - (diagram_y if diagram_y < 1e9 else 0.0)
            self.lane_top[lane.id] = top
            top += lane.height
        return offset

    def _id(self, raw: str) -> str:
        """BPMN ids are XML names: keep them (round trips keep ids) unless one repeats or is not a name."""
        candidate = _NOT_NAME.sub("_", raw) or "element"
        if not (candidate[0].isalpha() or candidate[0] == "_"):
            candidate = f"_{candidate}"  # an XML name (NCName) again, so an export writes a valid id
        while candidate in self.taken:
            candidate += "_"
        self.taken.add(candidate)
        return candidate

    def _lane_for(self, raw_id: str, pool: _Pool) -> str:
        """The lane that lists the element, else the pool's lane its diagram position falls in, else the first."""
        listed = pool.lane_of.get(raw_id)
        if listed:
            return listed
        box = self.bounds.get(raw_id)
        ordered = sorted(pool.lanes)
        if box:
            middle = box[1] + box[3] / 2
            inside = [
                lane_id for top, lane_id in ordered if top <= middle < top + self.result.session.lanes[lane_id].height
            ]
            if inside:
                return inside[0]
        return ordered[0][1]

    def _node(self, element: Element, pool: _Pool, shift_x: float, offsets: dict[str, float]) -> None:
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
            called = self.xml.ref(element, element.get("calledElement")) if tag == "callActivity" else ""
            if called in self.processes:
                name = self.processes[called].get("name") or called
                self.report(element, f"calls process {name!r}: its steps are in that process's pool", imported=True)
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
        extension = _extension(element, f"{{{PW}}}node")
        owner = None
        interrupting = element.get("cancelActivity", "true").strip().lower() != "false"
        if extension is not None:  # our own export: what BPMN has no word for
            try:
                node_kind = NodeKind(extension.get("kind", node_kind))
                gateway = GatewayKind(extension.get("gateway", gateway))
                event = EventDefinition(extension.get("event", event))
            except ValueError as error:
                self.report(
                    element, f"its Process Workshop extension is not understood ({error}): ignored", imported=True
                )
            owner = extension.get("owner") or None
            kept = extension.get("bpmn", bpmn_element)
            if kept in BPMN_ELEMENTS:
                bpmn_element = kept
            else:
                self.report(
                    element, f"its Process Workshop extension names no BPMN element ({kept!r}): ignored", imported=True
                )
            interrupting = extension.get("interrupting", "true" if interrupting else "false") != "false"
        lane_id = self._lane_for(raw_id, pool)
        box = self.bounds.get(raw_id)
        w, h = SIZES.get(NodeKind(node_kind), (140.0, 70.0))
        if box and box[2] > 0:
            w = box[2]
        if box and box[3] > 0:
            h = box[3]
        try:
            node = Node(
                id=self._id(raw_id),
                model_id=self.model_id,
                node_kind=node_kind,
                label=name,
                lane_id=lane_id,
                owner_org_id=owner
                if owner in self.result.session.organizations
                else (pool.org_id if node_kind in (NodeKind.ACTIVITY, NodeKind.DECISION) else None),
                owner_role=(extension.get("role") or "") if extension is not None else "",
                x=box[0] + shift_x if box else 0.0,
                y=self._in_lane(box[1] + offsets[lane_id], h, lane_id) if box else 0.0,
                w=w,
                h=h,
                gateway_kind=gateway,
                event_definition=event,
                bpmn_element=bpmn_element,
                interrupting=interrupting,
            )
            self.doc.add(node)
        except (OperationError, ValueError) as error:  # a ValidationError is a ValueError too
            self.refused(element, error)
            return
        self.node_ids[raw_id] = node.id
        self.took(element)
        if not box:
            self.unplaced.add(node.id)
            self.report(element, "no diagram position: laid out in its lane", imported=True)

    def _in_lane(self, y: float, height: float, lane_id: str) -> float:
        """``y`` moved into the node's lane if the diagram drew it outside (the lane decides where it belongs)."""
        top = self.lane_top[lane_id]
        bottom = top + self.result.session.lanes[lane_id].height
        if y < top or y + height > bottom:
            return max(top, min(y, bottom - height))
        return y

    def _event_definition(self, element: Element) -> EventDefinition:
        found = []
        for child in element:
            ns, tag = local_name(child.tag)
            if ns == BPMN and tag.endswith("EventDefinition"):
                found.append(EVENT_DEFINITIONS.get(tag, EventDefinition.MULTIPLE))
            elif ns == BPMN and tag == "eventDefinitionRef":
                found.append(EventDefinition.MULTIPLE)
        if len(found) > 1:
            self.report(element, f"{len(found)} event definitions: kept as 'multiple'", imported=True)
            return EventDefinition.MULTIPLE
        return found[0] if found else EventDefinition.NONE

    def _inside_sub_process(self, sub_process: Element) -> None:
        """A sub-process is one activity; what it holds is named in the report, element by element."""
        label = sub_process.get("name") or sub_process.get("id", "")
        own = {child for child in sub_process if local_name(child.tag)[1] in DATA_ASSOCIATIONS}
        for element in sub_process.iter():
            if (
                element is not sub_process
                and element in self.counted
                and element not in own
                and element not in self.status
            ):
                self.report(element, f"inside sub-process {label!r}: not shown (the sub-process is one activity)")

    def _boundary(self, element: Element) -> None:
        if local_name(element.tag)[1] != "boundaryEvent" or element.get("id", "") not in self.node_ids:
            return
        node_id = self.node_ids[element.get("id", "")]
        activity = self.node_ids.get(self.xml.ref(element, element.get("attachedToRef")))
        if activity is None:
            self.report(
                element,
                f"attachedToRef {element.get('attachedToRef')!r} is not an imported activity: a free event",
                imported=True,
            )
            return
        self.doc.apply(update("node", node_id, attached_to=activity))

    def _flow(self, element: Element, source_raw: str, target_raw: str, bpmn_element: str = "") -> None:
        source, target = self.node_ids.get(source_raw), self.node_ids.get(target_raw)
        if source is None or target is None:
            missing = source_raw if source is None else target_raw
            what = "a pool, not a step" if missing in self._pool_ids() else "not an imported step"
            self.report(element, f"not imported: its end {missing!r} is {what}")
            return
        extension = _extension(element, f"{{{PW}}}flow")
        if extension is not None:
            bpmn_element = extension.get("bpmn", bpmn_element)
        try:
            flow = Flow(
                id=self._id(element.get("id", "") or f"{bpmn_element or 'flow'}-{source}-{target}"),
                model_id=self.model_id,
                source_id=source,
                target_id=target,
                label=line_breaks(element.get("name") or ""),
                bpmn_element=bpmn_element,
            )
            self.doc.add(flow)
        except (OperationError, ValueError) as error:  # a ValidationError is a ValueError too
            self.refused(element, error)
            return
        self.node_ids.setdefault(element.get("id", ""), flow.id)
        self.took(element)

    def _pool_ids(self) -> set[str]:
        return {p.get("id", "") for p in self.root.iter(f"{{{BPMN}}}participant")}

    def _flows(self) -> None:
        ref = self.xml.ref
        for element in self.root.iter():
            full = element.tag  # compared whole: no split of each of 100,000 tags into namespace and name
            if full in FLOW_TAGS:
                if element not in self.status:
                    self._flow(element, ref(element, element.get("sourceRef")), ref(element, element.get("targetRef")))
            elif full in DATA_ASSOCIATION_TAGS and element not in self.status:
                self._data_association(element, local_name(full)[1])

    def _data_association(self, element: Element, tag: str) -> None:
        parent = self._parents().get(element)
        owner = parent.get("id", "") if parent is not None else ""
        sources = [self.xml.ref(s, s.text) for s in element.findall(f"{{{BPMN}}}sourceRef")]
        target_el = element.find(f"{{{BPMN}}}targetRef")
        target = self.xml.ref(target_el, target_el.text) if target_el is not None else ""
        if tag == "dataInputAssociation":
            data = [s for s in sources if s in self.node_ids]
            if not data:
                what = ", ".join(repr(s) for s in sources) or "nothing"
                self.report(element, f"not imported: it reads {what}, not a data object or store of the model")
                return
            self._flow(element, data[0], owner, tag)
        else:
            if target not in self.node_ids:
                self.report(element, f"not imported: it writes {target!r}, not a data object or store of the model")
                return
            self._flow(element, owner, target, tag)

    def _parents(self) -> dict[Element, Element]:
        if not hasattr(self, "_parent_map"):
            self._parent_map = {child: parent for parent in self.root.iter() for child in parent}
        return self._parent_map

    def _annotations(self) -> None:
        session = self.result.session
        notes = {a.get("id", ""): a for a in self.root.iter(f"{{{BPMN}}}textAnnotation")}
        attached: dict[str, list[str]] = {}
        for association in self.root.iter(f"{{{BPMN}}}association"):
            if association in self.status:
                continue
            source = self.xml.ref(association, association.get("sourceRef"))
            target = self.xml.ref(association, association.get("targetRef"))
            if target in notes or source in notes:
                note_ref, other = (target, source) if target in notes else (source, target)
                attached.setdefault(note_ref, []).append(other)
                self.took(association)  # the note's link: it becomes the comment's target
            else:
                self._flow(association, source, target, "association")
        for note_id, note in notes.items():
            if note in self.status:
                continue
            text = (note.findtext(f"{{{BPMN}}}text") or "").strip()
            if not text:
                self.report(note, "an empty text annotation: nothing to keep")
                continue
            targets = [self.node_ids[t] for t in attached.get(note_id, []) if t in self.node_ids]
            on = targets[0] if targets else None
            kind = "flow" if on in session.flows else "node" if on in session.nodes else "model"
            if len(targets) > 1:
                self.report(note, f"linked to {len(targets)} elements: kept on the first", imported=True)
            try:
                annotation_kind, said = AnnotationKind.COMMENT, text
                prefix, colon, rest = text.partition(": ")
                if self.ours and colon and prefix in set(AnnotationKind) and rest.strip():
                    annotation_kind, said = AnnotationKind(prefix), rest  # our export wrote "kind: text"
                self.doc.add(
                    Annotation(
                        id=self._id(note_id.removeprefix("note_") if self.ours else note_id),
                        annotation_kind=annotation_kind,
                        text=said,
                        target_kind=kind,
                        target_id=on if on else self.model_id,
                    )
                )
                self.took(note)
            except OperationError as error:
                self.report(note, f"not imported: {error}")

    def _lay_out_unplaced(self) -> None:
        """Nodes the diagram does not place get the auto-layout's place in their lane, never one pile."""
        if not self.unplaced:
            return
        session = self.result.session
        plan = layout_model(session, self.model_id)
        everything = all(n.id in self.unplaced for n in session.nodes.values())
        ops: list[Operation] = []
        for op in plan.ops:
            if everything:
                ops.append(op)  # lanes may grow: nothing else has a place yet
            elif isinstance(op, UpdateOp) and op.kind == "node" and op.id in self.unplaced:
                node = session.nodes[op.id]  # lanes keep their height (placed nodes keep theirs): stay inside
                y = self._in_lane(float(op.changes.get("y", node.y)), node.h, node.lane_id or "")
                ops.append(update("node", op.id, x=op.changes.get("x", node.x), y=y))
        if ops:
            self.doc.apply(BatchOp(label="Lay out nodes the file does not place", ops=ops))


EXTENSION_ELEMENTS = f"{{{BPMN}}}extensionElements"


def _extension(element: Element, tag: str) -> Element | None:
    """``element.find("extensionElements/<tag>")`` without ElementPath's parsing of the path (20,000 calls)."""
    for child in element:
        if child.tag == EXTENSION_ELEMENTS:
            for extension in child:
                if extension.tag == tag:
                    return extension
    return None


def _colour(index: int) -> str:
    palette = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
    return palette[index % len(palette)]
