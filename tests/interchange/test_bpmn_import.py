"""BPMN import: every MIWG model opens, unsupported parts are listed, exports round-trip, hostile XML is refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from benchmarks.generated import generated_session
from workshop.domain.model.session import Session, SessionState
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bpmn_import import BpmnError, import_bpmn
from workshop.interchange.bpmn_read import _parse_tracked, read_xml
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json

MIWG = Path(__file__).resolve().parents[1] / "data" / "bpmn-miwg"


def _round_trip(session: Session) -> Session:
    stream = io.BytesIO()
    export_bpmn(session, stream)
    result = import_bpmn(stream.getvalue(), source_name="round-trip.bpmn")
    assert result.unsupported == []
    return result.session


def _model_view(
    session: Session, skip: frozenset[str] = frozenset()
) -> tuple[dict[str, tuple[object, ...]], dict[str, tuple[str, str, str]], list]:  # type: ignore[type-arg]
    nodes = {
        n.id: (n.label, str(n.node_kind), n.lane_id, n.owner_org_id, n.owner_role, n.x, n.y, n.w, n.h)
        for n in session.nodes.values()
    }
    flows = {f.id: (f.source_id, f.target_id, f.label) for f in session.flows.values()}
    lanes = [
        (lane.id, lane.organization_id, lane.role) for lane in sorted(session.lanes.values(), key=lambda x: x.index)
    ]
    notes = {
        a.id: (str(a.annotation_kind), a.text, a.target_kind, a.target_id if a.target_kind != "model" else "")
        for a in session.annotations.values()
        if not a.hidden and a.id not in skip
    }
    return nodes, flows, lanes, notes


@pytest.mark.parametrize("path", sorted(MIWG.rglob("*.bpmn")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_miwg_model_imports_and_says_what_it_left_out(path: Path) -> None:
    result = import_bpmn(path.read_bytes(), source_name=path.name)
    session = result.session
    assert session.models
    assert session.nodes, "the model's elements arrive"
    SessionState(session)  # references hold
    assert all(isinstance(line, str) and line for line in result.unsupported)
    for node in session.nodes.values():
        lane = session.lanes[node.lane_id] if node.lane_id else None
        assert lane is None or lane.model_id == node.model_id


def test_a_miwg_model_keeps_its_pools_lanes_and_flows() -> None:
    result = import_bpmn((MIWG / "reference" / "C.1.0.bpmn").read_bytes(), source_name="C.1.0.bpmn")
    assert [o.name for o in result.session.organizations.values()] == [
        "Team-Assistant",
        "Process Engine - Invoice Receipt",
    ]
    assert len(result.session.flows) >= 20
    gateways = {n.gateway_kind for n in result.session.nodes.values() if n.node_kind == "decision"}
    assert "event_based" in gateways, "an event-based gateway keeps its type"


@pytest.mark.parametrize(
    "session", [load_session_json(example_session_path()), generated_session(200).session], ids=["example", "generated"]
)
def test_export_then_import_gives_the_same_model(session: Session) -> None:
    again = _round_trip(session)
    boundaries = frozenset(session.boundaries)  # they go out as notes too and come back as comments
    assert _model_view(again, boundaries) == _model_view(session)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>', "unsafe XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>',
            "unsafe XML",
        ),
        (b"<definitions><process>", "not well-formed"),
        (b'<?xml version="1.0"?><html><body>hello</body></html>', "not BPMN 2.0"),
    ],
    ids=["external-entity", "entity-expansion", "malformed", "not-bpmn"],
)
def test_hostile_or_foreign_xml_is_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(BpmnError, match=message):
        import_bpmn(data, source_name="evil.bpmn")


@pytest.mark.parametrize("path", sorted(MIWG.rglob("*.bpmn"))[:12], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_fast_reader_knows_the_same_lines_and_prefixes_as_the_tracking_one(path: Path) -> None:
    """A file without a DTD is read by the C parser; lines and prefixes, worked out later, are the same."""
    data = path.read_bytes()
    fast = read_xml(data, path.name)
    root, lines, namespaces = _parse_tracked(data, path.name)
    utf8 = b'encoding="ISO' not in data[:100]
    assert bool(fast.untracked) == (utf8 and b"<!DOCTYPE" not in data), "the C parser reads what has no DTD"
    pairs = list(zip(fast.root.iter(), root.iter(), strict=True))
    assert [fast.line(mine) for mine, _ in pairs] == [lines[theirs] for _, theirs in pairs]
    assert [fast.namespaces[mine] for mine, _ in pairs] == [namespaces[theirs] for _, theirs in pairs]
