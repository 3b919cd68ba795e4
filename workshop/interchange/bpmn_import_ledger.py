"""What one BPMN import must account for, and the ledger that accounts for it.

Split out of :mod:`bpmn_import` so that the makers of pools, nodes and flows
share one place for the import's state: the file (:class:`ImportLedger`), the
session being built (:class:`SessionBuilder`), the ids already taken, and the
ledger that marks every counted element (:func:`counted_elements`) as either
taken into the model or reported with a reason (:class:`ReportItem`,
:class:`BpmnImport`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from pydantic import ValidationError

from workshop.domain.model.entity import Entity
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import Operation, describe_validation_error
from workshop.domain.model.rules import check_entity
from workshop.domain.model.session import Session, SessionState
from workshop.domain.research.sources import ImportedSource
from workshop.interchange.bpmn_read import BPMN, BPMNDI, XmlSource, local_name
from workshop.interchange.bpmn_sub_processes import diagram_elements

SUB_PROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
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
_NOT_NAME = re.compile(r"[^\w.-]")
COUNTED_ANYWHERE = frozenset({"process", "lane", *DATA_ASSOCIATIONS})


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


class SessionBuilder:
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


class ImportLedger:
    """One import's shared state: the file, the session being built, the ids taken, and every element's fate."""

    def __init__(self, xml: XmlSource, result: BpmnImport, model_id: str) -> None:
        self.xml = xml
        self.root = xml.root
        self.result = result
        self.doc = SessionBuilder(result.session)
        self.model_id = model_id
        self.taken: set[str] = {model_id}
        self.node_ids: dict[str, str] = {}
        """BPMN id -> the id of the node (or flow) made from it."""
        self.status: dict[Element, bool] = {}
        """Element -> True if taken into the model, False if reported as left out."""
        self.ours = self.root.get("exporter") == "Process Workshop"
        self.counted: set[Element] = set()
        self.bounds: dict[str, tuple[float, float, float, float]] = {}
        self.processes: dict[str, Element] = {}
        self._roots: dict[str, Element] | None = None
        self._drawn: dict[str, Element] | None = None
        self._planes: dict[str, Element] | None = None
        self.black_boxes: dict[str, tuple[str, str, str, Element]] = {}
        """Pool id of a pool without a process -> (organization id, lane id, its name or "", the participant)."""

    def root_elements(self) -> dict[str, Element]:
        """The file's messages, signals, errors and escalations by id (what events and tasks refer to)."""
        if self._roots is None:
            self._roots = {
                e.get("id", ""): e
                for e in self.root
                if local_name(e.tag)[1] in ("message", "signal", "error", "escalation") and e.get("id")
            }
        return self._roots

    def drawn(self) -> dict[str, Element]:
        """BPMN id -> the diagram shape or edge that draws it (for what sub-processes hold)."""
        if self._drawn is None:
            self._drawn = diagram_elements(self.xml)
        return self._drawn

    def planes(self) -> dict[str, Element]:
        """BPMN id -> the diagram plane that draws it (the first), to tell a sub-process drawn open from one drawn
        apart."""
        if self._planes is None:
            self._planes = {}
            for plane in self.root.iter(f"{{{BPMNDI}}}BPMNPlane"):
                for drawn in plane:
                    self._planes.setdefault(self.xml.ref(drawn, drawn.get("bpmnElement")), plane)
        return self._planes

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

    def new_id(self, raw: str) -> str:
        """BPMN ids are XML names: keep them (round trips keep ids) unless one repeats or is not a name."""
        candidate = _NOT_NAME.sub("_", raw) or "element"
        if not (candidate[0].isalpha() or candidate[0] == "_"):
            candidate = f"_{candidate}"  # an XML name (NCName) again, so an export writes a valid id
        while candidate in self.taken:
            candidate += "_"
        self.taken.add(candidate)
        return candidate
