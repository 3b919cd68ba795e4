"""Flows of a BPMN import: sequence and message flows, data associations, and text annotations.

Split out of :mod:`bpmn_import`: these run after every node is made, since
they connect nodes by the ids the nodes were given. A flow whose end is a
pool or an element not imported is reported, not dropped silently; a text
annotation becomes a comment on what its association links it to.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from workshop.domain.model.annotations import Annotation, AnnotationKind
from workshop.domain.model.errors import OperationError
from workshop.domain.model.naming import line_breaks, one_line
from workshop.domain.model.process import Flow, Node, NodeKind, node_organization
from workshop.interchange.bpmn_export import PW
from workshop.interchange.bpmn_import_geometry import DiagramGeometry
from workshop.interchange.bpmn_import_ledger import DATA_ASSOCIATIONS, ImportLedger
from workshop.interchange.bpmn_import_nodes import extension_element
from workshop.interchange.bpmn_read import BPMN, local_name

SEQUENCE_FLOW, MESSAGE_FLOW = f"{{{BPMN}}}sequenceFlow", f"{{{BPMN}}}messageFlow"
FLOW_TAGS = frozenset({SEQUENCE_FLOW, MESSAGE_FLOW})
CONDITION = f"{{{BPMN}}}conditionExpression"
DATA_ASSOCIATION_TAGS = frozenset(f"{{{BPMN}}}{tag}" for tag in DATA_ASSOCIATIONS)


class FlowMaker:
    """Makes the flows and comments of one import, once its nodes are made."""

    def __init__(self, ledger: ImportLedger, geometry: DiagramGeometry) -> None:
        self.ledger, self.geometry = ledger, geometry
        self._parent_map: dict[Element, Element] | None = None
        self._defaults: dict[str, Element] | None = None

    def _party(self, pool_raw: str) -> str | None:
        """The node standing for a black-box pool (an external party) in its band: message flows to or from the
        pool end there, so they are kept and count as handoffs to that party. Made once per pool."""
        if pool_raw in self.ledger.node_ids:
            return self.ledger.node_ids[pool_raw]
        black_box = self.ledger.black_boxes.get(pool_raw)
        if black_box is None:
            return None
        org_id, lane_id, name, element = black_box
        lane = self.ledger.result.session.lanes[lane_id]
        box = self.ledger.bounds.get(pool_raw)
        h = max(20.0, min(40.0, lane.height - 20))
        x, w = (box[0] + 30, max(box[2] - 60, 140.0)) if box else (0.0, 140.0)
        y = self.geometry.lane_top[lane_id] + (lane.height - h) / 2
        node = Node(
            id=self.ledger.new_id(f"party-{org_id}"),
            model_id=self.ledger.model_id,
            node_kind=NodeKind.ACTIVITY,
            label=name,
            lane_id=lane_id,
            owner_org_id=org_id,
            x=x,
            y=y,
            w=w,
            h=h,
            bpmn_element="participant",
        )
        self.ledger.doc.add(node)
        self.ledger.node_ids[pool_raw] = node.id
        if not box:
            self.geometry.unplaced.add(node.id)
        if not self.ledger.ours:
            what = "a pool without a process (a black box): an external party's band"
            self.ledger.report(element, what, imported=True)
        return node.id

    def _flow(self, element: Element, source_raw: str, target_raw: str, bpmn_element: str = "") -> None:
        message = element.tag == MESSAGE_FLOW
        ends = [
            self.ledger.node_ids.get(raw) or (self._party(raw) if message else None) for raw in (source_raw, target_raw)
        ]
        source, target = ends
        if source is None or target is None:
            missing = source_raw if source is None else target_raw
            what = "a pool, not a step" if missing in self._pool_ids() else "not an imported step"
            self.ledger.report(element, f"not imported: its end {missing!r} is {what}")
            return
        extension = extension_element(element, f"{{{PW}}}flow")
        if extension is not None:
            bpmn_element = extension.get("bpmn", bpmn_element)
        condition, default_of, empty_condition = "", None, False
        if element.tag == SEQUENCE_FLOW:
            expression = element.find(CONDITION)
            condition = (expression.text or "").strip() if expression is not None else ""
            empty_condition = expression is not None and not condition
            default_of = self._default_of().get(element.get("id", ""))
            if not bpmn_element and self._organization(source) != self._organization(target):
                bpmn_element = "sequenceFlow"  # across pools in the file: a sequence flow again on export
        try:
            flow = Flow(
                id=self.ledger.new_id(element.get("id", "") or f"{bpmn_element or 'flow'}-{source}-{target}"),
                model_id=self.ledger.model_id,
                source_id=source,
                target_id=target,
                label=line_breaks(element.get("name") or ""),
                condition=condition,
                default_flow=default_of is not None,
                bpmn_element=bpmn_element,
            )
            self.ledger.doc.add(flow)
        except (OperationError, ValueError) as error:  # a ValidationError is a ValueError too
            self.ledger.refused(element, error)
            return
        self.ledger.node_ids.setdefault(element.get("id", ""), flow.id)
        self.ledger.took(element)
        if self.ledger.ours:
            return  # our own export: nothing to tell
        if empty_condition:
            self.ledger.report(element, "its condition is empty: kept as a flow without one", imported=True)
        if condition:
            self.ledger.report(element, f"its condition is kept: {one_line(condition)}", imported=True)
        if default_of is not None:
            of = one_line(default_of.get("name") or "") or local_name(default_of.tag)[1]
            self.ledger.report(element, f"the default flow of {of!r}: kept", imported=True)

    def _organization(self, node_id: str) -> str | None:
        session = self.ledger.result.session
        return node_organization(session.nodes[node_id], session.lanes)

    def _default_of(self) -> dict[str, Element]:
        """Flow id -> the gateway or activity whose ``default`` it is."""
        if self._defaults is None:
            self._defaults = {}
            for element in self.ledger.root.iter():
                if element.get("default") and element.tag.startswith(f"{{{BPMN}}}"):
                    self._defaults[self.ledger.xml.ref(element, element.get("default"))] = element
        return self._defaults

    def _pool_ids(self) -> set[str]:
        return {p.get("id", "") for p in self.ledger.root.iter(f"{{{BPMN}}}participant")}

    def flows(self) -> None:
        ref = self.ledger.xml.ref
        for element in self.ledger.root.iter():
            full = element.tag  # compared whole: no split of each of 100,000 tags into namespace and name
            if full in FLOW_TAGS:
                if element not in self.ledger.status:
                    self._flow(element, ref(element, element.get("sourceRef")), ref(element, element.get("targetRef")))
            elif full in DATA_ASSOCIATION_TAGS and element not in self.ledger.status:
                self._data_association(element, local_name(full)[1])

    def _data_association(self, element: Element, tag: str) -> None:
        parent = self._parents().get(element)
        owner = parent.get("id", "") if parent is not None else ""
        sources = [self.ledger.xml.ref(s, s.text) for s in element.findall(f"{{{BPMN}}}sourceRef")]
        target_el = element.find(f"{{{BPMN}}}targetRef")
        target = self.ledger.xml.ref(target_el, target_el.text) if target_el is not None else ""
        if tag == "dataInputAssociation":
            data = [s for s in sources if s in self.ledger.node_ids]
            if not data:
                what = ", ".join(repr(s) for s in sources) or "nothing"
                self.ledger.report(element, f"not imported: it reads {what}, not a data object or store of the model")
                return
            self._flow(element, data[0], owner, tag)
        else:
            if target not in self.ledger.node_ids:
                self.ledger.report(
                    element, f"not imported: it writes {target!r}, not a data object or store of the model"
                )
                return
            self._flow(element, owner, target, tag)

    def _parents(self) -> dict[Element, Element]:
        if self._parent_map is None:
            self._parent_map = {child: parent for parent in self.ledger.root.iter() for child in parent}
        return self._parent_map

    def annotations(self) -> None:
        session = self.ledger.result.session
        notes = {a.get("id", ""): a for a in self.ledger.root.iter(f"{{{BPMN}}}textAnnotation")}
        attached: dict[str, list[str]] = {}
        for association in self.ledger.root.iter(f"{{{BPMN}}}association"):
            if association in self.ledger.status:
                continue
            source = self.ledger.xml.ref(association, association.get("sourceRef"))
            target = self.ledger.xml.ref(association, association.get("targetRef"))
            if target in notes or source in notes:
                note_ref, other = (target, source) if target in notes else (source, target)
                attached.setdefault(note_ref, []).append(other)
                self.ledger.took(association)  # the note's link: it becomes the comment's target
            else:
                self._flow(association, source, target, "association")
        for note_id, note in notes.items():
            if note in self.ledger.status:
                continue
            text = (note.findtext(f"{{{BPMN}}}text") or "").strip()
            if not text:
                self.ledger.report(note, "an empty text annotation: nothing to keep")
                continue
            targets = [self.ledger.node_ids[t] for t in attached.get(note_id, []) if t in self.ledger.node_ids]
            on = targets[0] if targets else None
            kind = "flow" if on in session.flows else "node" if on in session.nodes else "model"
            if len(targets) > 1:
                self.ledger.report(note, f"linked to {len(targets)} elements: kept on the first", imported=True)
            elif not targets and attached.get(note_id):
                what = "linked to what is no step or flow here (a pool, a lane): kept as a note on the model"
                self.ledger.report(note, what, imported=True)
            try:
                annotation_kind, said = AnnotationKind.COMMENT, text
                prefix, colon, rest = text.partition(": ")
                if self.ledger.ours and colon and prefix in set(AnnotationKind) and rest.strip():
                    annotation_kind, said = AnnotationKind(prefix), rest  # our export wrote "kind: text"
                self.ledger.doc.add(
                    Annotation(
                        id=self.ledger.new_id(note_id.removeprefix("note_") if self.ledger.ours else note_id),
                        annotation_kind=annotation_kind,
                        text=said,
                        target_kind=kind,
                        target_id=on if on else self.ledger.model_id,
                    )
                )
                self.ledger.took(note)
            except OperationError as error:
                self.ledger.report(note, f"not imported: {error}")
