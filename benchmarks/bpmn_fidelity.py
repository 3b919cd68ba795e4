"""How much of a BPMN file's meaning an import keeps, and an import → export → import still has.

For every ``.bpmn`` file under DIR (recursively), per kind of element or
meaning: how many the files hold (``source``), how many the import kept in
the model (``kept``), how many it named in its report with a reason
(``reported``), how many went without a word (``silent``: source − kept −
reported), and how many a second import of our export of the first still has
(``round_trip``). Kinds are BPMN elements (tasks, events, flows, groups, ...)
counted from the file independently of the importer, and meanings that are not
elements of their own: a flow's condition, a gateway's default, a timer's time,
an event's or task's message/signal/error/escalation, loops, compensation,
non-interrupting boundary events.

Prints JSON: the totals per kind, the files that failed to import (with the
reason), and the machine's load average. Run: python -m benchmarks.bpmn_fidelity DIR
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import Element

from lxml import etree

from workshop.domain.model.session import Session
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bpmn_import import BpmnError, BpmnImport, import_bpmn

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"

ELEMENTS = (
    *("task", "userTask", "serviceTask", "sendTask", "receiveTask", "manualTask", "businessRuleTask", "scriptTask"),
    *("callActivity", "subProcess", "transaction", "adHocSubProcess"),
    *("exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"),
    *("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"),
    *("dataObjectReference", "dataStoreReference", "textAnnotation", "group"),
    *("sequenceFlow", "messageFlow", "association", "dataInputAssociation", "dataOutputAssociation"),
    *("participant", "lane"),
)
"""Elements a reader of the diagram sees; the importer accounts for each (kept or reported)."""

REF_KINDS = {"message": "messageRef", "signal": "signalRef", "error": "errorRef", "escalation": "escalationRef"}
ACTIVITIES = frozenset(ELEMENTS[:12])


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) and tag.startswith(f"{{{BPMN}}}") else ""


Meanings = dict[str, set[str]]
"""Kind of meaning -> the ids of the elements that carry it (a flow's condition by the flow's id)."""


def source_meanings(root: etree._Element) -> Meanings:
    """Meanings the file holds that are not elements of their own, counted from the XML (inside sub-processes
    too: their contents are steps of the model)."""
    found: Meanings = {}

    def add(kind: str, carrier: etree._Element) -> None:
        found.setdefault(kind, set()).add(carrier.get("id", ""))

    times = ("timeDate", "timeDuration", "timeCycle")
    for element in root.iter():
        tag = _local(element.tag)
        parent = element.getparent()
        if not tag or parent is None:
            continue
        if tag in ("standardLoopCharacteristics", "multiInstanceLoopCharacteristics"):
            add("loop", parent)
            continue
        if tag == "sequenceFlow" and element.find(f"{{{BPMN}}}conditionExpression") is not None:
            add("condition", element)
        if element.get("default") and (tag.endswith("Gateway") or tag in ACTIVITIES):
            found.setdefault("default", set()).add(element.get("default", "").rpartition(":")[2])
        if tag == "timerEventDefinition" and any(_local(c.tag) in times for c in element):
            add("timer", parent)
        for kind, attribute in REF_KINDS.items():
            if tag == f"{kind}EventDefinition" and element.get(attribute):
                add(f"{kind}Ref", parent)
        if tag in ("sendTask", "receiveTask") and element.get("messageRef"):
            add("messageRef", element)
        if element.get("isForCompensation") == "true":
            add("compensation", element)
        if tag == "boundaryEvent" and element.get("cancelActivity") == "false":
            add("non_interrupting", element)
    return found


def model_meanings(session: Session) -> Meanings:
    """The same meanings as the model holds them (a field a version of the model lacks counts as none)."""
    found: Meanings = {}

    def add(kind: str, element_id: str, holds: object) -> None:
        if holds:
            found.setdefault(kind, set()).add(element_id)

    for flow in session.flows.values():
        add("condition", flow.id, getattr(flow, "condition", ""))
        add("default", flow.id, getattr(flow, "default_flow", False))
    for node in session.nodes.values():
        add("timer", node.id, getattr(node, "timer", ""))
        ref = getattr(node, "ref_name", "")
        kind = "message" if node.bpmn_element in ("sendTask", "receiveTask") else str(node.event_definition)
        add(f"{kind}Ref", node.id, ref and kind in REF_KINDS)
        add("loop", node.id, getattr(node, "loop", ""))
        add("compensation", node.id, getattr(node, "for_compensation", False))
        add("non_interrupting", node.id, node.bpmn_element == "boundaryEvent" and not node.interrupting)
    return found


def _elements(root: Element | etree._Element) -> Counter[str]:
    return Counter(tag for tag in (_local(e.tag) for e in root.iter()) if tag in ELEMENTS)


def measure_file(data: bytes, name: str) -> dict[str, Counter[str]]:
    """One file's figures per kind: source, kept, reported, round_trip."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    first = import_bpmn(data, source_name=name)
    stream = io.BytesIO()
    export_bpmn(first.session, stream)
    again = import_bpmn(stream.getvalue(), source_name=name)
    meanings, kept_meanings = source_meanings(root), model_meanings(first.session)
    again_meanings = model_meanings(again.session)
    left_out = {item.element_id for item in first.report if not item.imported}
    said = {(item.element_id, kind) for item in first.report for kind in ("condition",) if kind in item.reason}
    source, kept = _elements(root), _kept(first)
    reported = Counter({k: v for k, v in first.reported.items() if k in ELEMENTS})
    round_trip = _kept(again)
    in_export = _elements(etree.fromstring(stream.getvalue()))
    for kind, ids in meanings.items():
        source[kind] += len(ids)
        kept[kind] += len(ids & kept_meanings.get(kind, set()))
        lost = ids - kept_meanings.get(kind, set())
        reported[kind] += sum(1 for i in lost if i in left_out or (i, kind) in said)
        round_trip[kind] += len(ids & again_meanings.get(kind, set()))
    return {"source": source, "kept": kept, "reported": reported, "round_trip": round_trip, "in_export": in_export}


def _kept(result: BpmnImport) -> Counter[str]:
    return Counter({k: v for k, v in result.imported.items() if k in ELEMENTS})


def run(folder: Path, progress: Callable[[str], None] = lambda _: None) -> dict[str, object]:
    """Every ``.bpmn`` file under ``folder``: totals per kind, the files that failed, the time and the load."""
    totals: dict[str, Counter[str]] = {k: Counter() for k in ("source", "kept", "reported", "round_trip", "in_export")}
    failed: dict[str, str] = {}
    files = sorted(folder.rglob("*.bpmn"))
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    for path in files:
        progress(str(path))
        try:
            figures = measure_file(path.read_bytes(), path.name)
        except (BpmnError, etree.XMLSyntaxError, ValueError) as error:
            failed[str(path.relative_to(folder))] = str(error).splitlines()[0]
            continue
        for key, counter in figures.items():
            totals[key] += counter
    kinds = sorted(totals["source"], key=lambda k: (k not in ELEMENTS, k))
    per_kind = {}
    for kind in kinds:
        source, kept, reported = totals["source"][kind], totals["kept"][kind], totals["reported"][kind]
        per_kind[kind] = {
            "source": source,
            "kept": kept,
            "reported": reported,
            "silent": max(0, source - kept - reported),
            "round_trip": totals["round_trip"][kind],
            "in_export": totals["in_export"][kind] if kind in ELEMENTS else None,
        }
    return {
        "folder": str(folder),
        "files": len(files),
        "failed": failed,
        "kinds": per_kind,
        "seconds": round(time.perf_counter() - t0, 1),
        "loadavg_before": [round(v, 2) for v in load_before],
        "loadavg_after": [round(v, 2) for v in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="a folder of .bpmn files (searched recursively)")
    args = parser.parse_args()
    if not args.folder.is_dir():
        sys.exit(f"{args.folder}: not a folder")
    print(json.dumps(run(args.folder), indent=2))


if __name__ == "__main__":
    main()
