"""BPMN export: valid against the OMG schema, clean in bpmn-moddle and SpiffWorkflow, nothing of ours lost."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from benchmarks.generated import generated_session
from workshop.domain.model.session import Session
from workshop.interchange.bpmn_export import BPMN, PW, export_bpmn
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tests" / "js" / "check-bpmn.mjs"


def _export(session: Session) -> bytes:
    stream = io.BytesIO()
    export_bpmn(session, stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    corpus = ROOT / "tests" / "data" / "bpmn-xsd" / "BPMN20.xsd"
    return etree.XMLSchema(etree.parse(str(corpus)))


@pytest.mark.parametrize(
    "session", [load_session_json(example_session_path()), generated_session(300).session], ids=["example", "generated"]
)
def test_exports_validate_against_the_omg_schema(session: Session, schema: etree.XMLSchema, tmp_path: Path) -> None:
    data = _export(session)
    assert schema.validate(etree.fromstring(data)), schema.error_log.last_error
    path = tmp_path / "model.bpmn"
    path.write_bytes(data)
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, BpmnValidator

    BpmnParser(validator=BpmnValidator()).add_bpmn_file(str(path))  # raises ValidationException with a line


def test_bpmn_moddle_reads_the_export_without_warnings(tmp_path: Path) -> None:
    assert shutil.which("node"), "Node.js is part of the machine"
    assert (ROOT / "tests" / "js" / "node_modules" / "bpmn-moddle").is_dir(), "run scripts/install-test-deps.sh"
    path = tmp_path / "model.bpmn"
    path.write_bytes(_export(load_session_json(example_session_path())))
    result = subprocess.run(["node", str(CHECKER), str(path)], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_pools_handoffs_owners_and_notes() -> None:
    session = load_session_json(example_session_path())
    root = etree.fromstring(_export(session))
    ns = {"bpmn": BPMN, "pw": PW}
    pools = {p.get("name") for p in root.findall("bpmn:collaboration/bpmn:participant", ns)}
    assert pools == {"IT provider", "Customer group A", "Customer group B", "End-users"}
    message_flows = {m.get("id") for m in root.findall("bpmn:collaboration/bpmn:messageFlow", ns)}
    assert "flow-09" in message_flows, "a handoff crosses pools as a message flow"
    assert root.find(".//bpmn:sequenceFlow[@id='flow-09']", ns) is None
    owner = root.find(".//*[@id='n-it-ask']/bpmn:extensionElements/pw:node", ns)
    assert owner is not None
    assert (owner.get("owner"), owner.get("participant"), owner.get("kind")) == ("org-it", "p-virtanen", "activity")
    notes = [t.text for t in root.findall("bpmn:collaboration/bpmn:textAnnotation/bpmn:text", ns)]
    assert any(n and n.startswith("Knowledge boundary (semantic, being_crossed)") for n in notes)
    assert root.find(".//*[@id='n-ops-batch']/bpmn:timerEventDefinition", ns) is not None, "a wait is a timer event"
