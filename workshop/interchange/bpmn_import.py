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

The import is one :class:`_Importer` run over rooms of its own:
:mod:`bpmn_import_ledger` (what is counted, the result, the shared state),
:mod:`bpmn_import_pools` (pools and lanes), :mod:`bpmn_import_geometry`
(shape bounds, lane stacking, positions), :mod:`bpmn_import_nodes` and
:mod:`bpmn_import_flows`.
"""

from __future__ import annotations

import hashlib
from xml.etree.ElementTree import Element

from workshop.domain.model.process import ProcessModel
from workshop.domain.model.session import new_session
from workshop.interchange.bpmn_import_flows import FlowMaker
from workshop.interchange.bpmn_import_geometry import DiagramGeometry, shape_bounds
from workshop.interchange.bpmn_import_groups import import_groups
from workshop.interchange.bpmn_import_ledger import BpmnImport, ImportLedger, ReportItem, counted_elements
from workshop.interchange.bpmn_import_nodes import NodeMaker
from workshop.interchange.bpmn_import_pools import PoolMaker
from workshop.interchange.bpmn_read import BPMN, BpmnError, XmlSource, local_name, read_xml

__all__ = ["BpmnError", "BpmnImport", "ReportItem", "counted_elements", "import_bpmn"]


def import_bpmn(data: bytes, *, source_name: str = "") -> BpmnImport:
    """Parse BPMN bytes into a fresh session with one process model; raises :class:`BpmnError` with a reason."""
    where = source_name or "the file"
    xml = read_xml(data, where)
    return _Importer(xml, source_name, hashlib.sha256(data).hexdigest()).run()


def _duplicate_ids(ledger: ImportLedger) -> dict[Element, tuple[str, bool]]:
    """Elements whose id another element of the model has too, and what to say about each (with the lines);
    the contents of a container whose id repeats are named with it."""
    seen: dict[str, list[Element]] = {}
    for element in ledger.root.iter():
        element_id = element.get("id")
        if element_id and local_name(element.tag)[0] == BPMN:
            seen.setdefault(element_id, []).append(element)
    said: dict[Element, tuple[str, bool]] = {}
    for element_id, elements in seen.items():
        if len(elements) < 2:
            continue
        lines = " and ".join(str(ledger.xml.line(e)) for e in elements)
        for element in elements:
            said[element] = (f"its id {element_id!r} is used {len(elements)} times in the file (lines {lines})", True)
            where = f"inside {local_name(element.tag)[1]} {element_id!r}, whose id is used more than once"
            for inner in element.iter():
                if inner is not element:
                    said.setdefault(inner, (where, False))
    return said


class _Importer:
    """One import: the ledger, and the makers of pools, geometry, nodes and flows that fill it in order."""

    def __init__(self, xml: XmlSource, source_name: str, sha256: str) -> None:
        title = source_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] if source_name else ""
        self.title = title or "Imported BPMN"
        result = BpmnImport(new_session(self.title), notes=list(xml.notes), file_name=source_name, sha256=sha256)
        result.model_id = "model-imported"
        self.ledger = ImportLedger(xml, result, result.model_id)
        self.geometry = DiagramGeometry(self.ledger)

    def run(self) -> BpmnImport:
        ledger = self.ledger
        counted = counted_elements(ledger.root)
        ledger.counted = set(counted)
        ledger.bounds = shape_bounds(ledger.xml)
        ledger.doc.add(ProcessModel(id=ledger.model_id, name=self.title))
        pool_maker = PoolMaker(ledger)
        pools = pool_maker.pools()
        offsets = self.geometry.place_lanes(pool_maker.lanes_made)
        shift_x = self.geometry.left_shift(pools)
        nodes = NodeMaker(ledger, self.geometry)
        for pool in pools:
            if pool.process is not None:
                for element in pool.process:
                    nodes.node(element, pool, shift_x, offsets)
        for pool in pools:
            if pool.process is not None:
                for element in pool.process:
                    nodes.boundary(element)
        import_groups(ledger, [(top, lane.id) for top, lane in pool_maker.lanes_made], offsets, shift_x)
        flows = FlowMaker(ledger, self.geometry)
        flows.flows()
        flows.annotations()
        self.geometry.lay_out_unplaced()
        result = ledger.result
        twice = _duplicate_ids(ledger)
        for element in counted:
            _, tag = local_name(element.tag)
            if element in twice:
                said, own = twice[element]
                if element not in ledger.status:
                    ledger.report(element, f"not imported: {said}")
                elif own:
                    ledger.report(element, f"{said}: references to it reach only one of them", imported=True)
            if element not in ledger.status:
                ledger.report(element, "not supported: not imported")
            result.source[tag] += 1
            (result.imported if ledger.status[element] else result.reported)[tag] += 1
        return result
