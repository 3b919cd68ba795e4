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
from workshop.domain.model.naming import line_breaks
from workshop.domain.model.process import Flow
from workshop.interchange.bpmn_export import PW
from workshop.interchange.bpmn_import_ledger import DATA_ASSOCIATIONS, ImportLedger
from workshop.interchange.bpmn_import_nodes import extension_element
from workshop.interchange.bpmn_read import BPMN, local_name

FLOW_TAGS = frozenset({f"{{{BPMN}}}sequenceFlow", f"{{{BPMN}}}messageFlow"})
DATA_ASSOCIATION_TAGS = frozenset(f"{{{BPMN}}}{tag}" for tag in DATA_ASSOCIATIONS)


class FlowMaker:
    """Makes the flows and comments of one import, once its nodes are made."""

    def __init__(self, ledger: ImportLedger) -> None:
        self.ledger = ledger
        self._parent_map: dict[Element, Element] | None = None

    def _flow(self, element: Element, source_raw: str, target_raw: str, bpmn_element: str = "") -> None:
        source, target = self.ledger.node_ids.get(source_raw), self.ledger.node_ids.get(target_raw)
        if source is None or target is None:
            missing = source_raw if source is None else target_raw
            what = "a pool, not a step" if missing in self._pool_ids() else "not an imported step"
            self.ledger.report(element, f"not imported: its end {missing!r} is {what}")
            return
        extension = extension_element(element, f"{{{PW}}}flow")
        if extension is not None:
            bpmn_element = extension.get("bpmn", bpmn_element)
        try:
            flow = Flow(
                id=self.ledger.new_id(element.get("id", "") or f"{bpmn_element or 'flow'}-{source}-{target}"),
                model_id=self.ledger.model_id,
                source_id=source,
                target_id=target,
                label=line_breaks(element.get("name") or ""),
                bpmn_element=bpmn_element,
            )
            self.ledger.doc.add(flow)
        except (OperationError, ValueError) as error:  # a ValidationError is a ValueError too
            self.ledger.refused(element, error)
            return
        self.ledger.node_ids.setdefault(element.get("id", ""), flow.id)
        self.ledger.took(element)

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
