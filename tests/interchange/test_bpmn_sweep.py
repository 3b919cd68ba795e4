"""Every BPMN file we have and one small file per kind: nothing silent, and a round trip changes nothing."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tests.interchange.bpmn_samples import SAMPLES
from workshop.domain.model.session import Session, SessionState
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bpmn_import import BpmnError, import_bpmn

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
FILES = sorted(DATA.rglob("*.bpmn"))

MODEL_KINDS = {
    *[
        "task",
        "userTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "manualTask",
        "businessRuleTask",
        "scriptTask",
        "callActivity",
    ],
    *["subProcess", "transaction", "adHocSubProcess"],
    *["exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"],
    *["startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"],
    *["dataObjectReference", "dataStoreReference", "textAnnotation", "group"],
    *["sequenceFlow", "messageFlow", "association", "dataInputAssociation", "dataOutputAssociation"],
    *["participant", "lane", "process"],
}
"""The BPMN elements a reader of the diagram sees, counted here independently of the importer."""


def _source_kinds(data: bytes) -> Counter[str]:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, recover=True))
    found: Counter[str] = Counter()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{BPMN}}}"):
            kind = element.tag.split("}")[1]
            if kind in MODEL_KINDS:
                found[kind] += 1
    return found


def _view(session: Session) -> tuple[object, ...]:
    """What a round trip must keep: kinds, names, lanes, flows, positions (within one unit)."""
    nodes = {
        n.id: (
            n.label,
            str(n.node_kind),
            n.lane_id,
            str(n.gateway_kind),
            str(n.event_definition),
            n.bpmn_element,
            n.attached_to,
            n.interrupting,
            n.loop,
            n.for_compensation,
            n.timer,
            n.ref_name,
            n.parent_id,
            n.expanded,
        )
        for n in session.nodes.values()
    }
    places = {n.id: (n.x, n.y, n.w, n.h) for n in session.nodes.values()}
    flows = {
        f.id: (f.source_id, f.target_id, f.label, f.bpmn_element, f.condition, f.default_flow)
        for f in session.flows.values()
    }
    groups = {g.id: (g.label, round(g.x), round(g.y), round(g.w), round(g.h)) for g in session.groups.values()}
    lanes = [
        (lane.id, session.organizations[lane.organization_id].name, lane.role, round(lane.height))
        for lane in sorted(session.lanes.values(), key=lambda x: x.index)
    ]
    notes = sorted(
        (a.id, str(a.annotation_kind), a.text, a.target_kind, a.target_id) for a in session.annotations.values()
    )
    return nodes, flows, groups, lanes, notes, places


def _same_model(one: Session, other: Session) -> None:
    *kept, places = _view(one)
    *kept_again, places_again = _view(other)
    assert kept_again == kept
    assert places_again.keys() == places.keys()
    for node_id, place in places.items():
        assert all(abs(a - b) <= 1.0 for a, b in zip(place, places_again[node_id], strict=True)), node_id


CASES = [pytest.param(p.read_bytes(), id=str(p.relative_to(DATA))) for p in FILES] + [
    pytest.param(data, id=f"generated/{name}") for name, data in SAMPLES.items()
]


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(DATA / "bpmn-xsd" / "BPMN20.xsd")))


def test_the_sweep_has_files() -> None:
    assert len(FILES) >= 60, "tests/data holds the MIWG models"


@pytest.mark.parametrize("data", CASES)
def test_nothing_is_silent_and_the_round_trip_keeps_the_model(data: bytes, schema: etree.XMLSchema) -> None:
    result = import_bpmn(data, source_name="sweep.bpmn")
    SessionState(result.session)  # references hold
    expected = _source_kinds(data)
    for kind, count in expected.items():
        assert result.source[kind] == count, f"{kind}: the import counted {result.source[kind]}, the file has {count}"
        assert result.imported[kind] + result.reported[kind] == count, f"{kind}: silent elements"
    assert result.counts()["silent"] == 0
    reported_ids = {item.element_id for item in result.report if not item.imported}
    assert len([item for item in result.report if not item.imported]) == sum(result.reported.values())
    assert all(item.reason for item in result.report)
    assert not any(i in result.session.nodes for i in reported_ids if i), "a reported element is not also a node"

    stream = io.BytesIO()
    export_bpmn(result.session, stream)
    exported = stream.getvalue()
    assert schema.validate(etree.fromstring(exported)), schema.error_log.last_error
    again = import_bpmn(exported, source_name="round-trip.bpmn")
    inside = [line for line in again.unsupported if line.endswith("kept for export")]
    assert [line for line in again.unsupported if line not in inside] == []
    held = sorted((item.element, item.element_id) for item in result.report if item.reason.endswith("kept for export"))
    assert sorted((item.element, item.element_id) for item in again.report) == held, "what sub-processes hold"
    _same_model(result.session, again.session)


def test_generated_kinds_are_clean_in_bpmn_moddle(tmp_path: Path) -> None:
    assert shutil.which("node"), "Node.js is part of the machine"
    checker = ROOT / "tests" / "js" / "check-bpmn.mjs"
    for name, data in SAMPLES.items():
        stream = io.BytesIO()
        export_bpmn(import_bpmn(data, source_name=name).session, stream)
        path = tmp_path / name
        path.write_bytes(stream.getvalue())
        result = subprocess.run(["node", str(checker), str(path)], capture_output=True, text=True, check=True)
        assert json.loads(result.stdout) == [], name


def _mutated(data: bytes, rng: random.Random) -> bytes:
    """The file with a few elements removed or moved and attributes dropped or garbled, as sloppy exporters write."""
    root = etree.fromstring(data)
    for _ in range(rng.randint(1, 4)):
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        element = rng.choice(elements)
        parent = element.getparent()
        choice = rng.random()
        if choice < 0.3 and parent is not None:
            parent.remove(element)
        elif choice < 0.6 and element.attrib:
            del element.attrib[rng.choice(sorted(element.attrib))]
        elif choice < 0.8 and element.attrib:
            name = rng.choice(sorted(element.attrib))
            element.set(name, rng.choice(["", "x", "bpmn:zz", "1", element.get(name, "") + "_", "a b"]))
        else:
            other = rng.choice(elements)
            if parent is not None and other is not element and element not in other.iterancestors():
                parent.remove(element)
                other.append(element)
    return etree.tostring(root)


def test_damaged_files_are_read_or_refused_with_a_reason_never_silently() -> None:
    rng = random.Random(16)
    refusals: list[str] = []
    for _ in range(300):
        path = rng.choice(FILES)
        data = _mutated(path.read_bytes(), rng)
        try:
            result = import_bpmn(data, source_name=path.name)
        except BpmnError as error:
            refusals.append(str(error))
            continue
        assert result.counts()["silent"] == 0
        stream = io.BytesIO()
        export_bpmn(result.session, stream)
        again = import_bpmn(stream.getvalue())
        repeated = any("times in the file" in line for line in result.unsupported)  # the damage repeated an id
        told = [line for line in again.unsupported if not line.endswith("kept for export")]
        assert [line for line in told if not (repeated and "times in the file" in line)] == []
        _same_model(result.session, again.session)
    assert all(reason.split(":")[0].endswith(".bpmn") for reason in refusals), "a refusal names the file first"
