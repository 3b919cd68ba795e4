"""Generated sessions for benchmarks: N activities in 8 lanes, chained, with handoffs between lanes."""

from __future__ import annotations

from workshop.domain.model.document import Document
from workshop.domain.model.process import Flow, Lane, Node, NodeKind, Organization, ProcessModel
from workshop.domain.model.session import new_session

LANES = 8
LANE_HEIGHT = 180.0


def generated_session(nodes: int) -> Document:
    """A model with a start, ``nodes`` activities in 8 lanes (8 parallel chains) and cross-lane flows."""
    session = new_session(f"{nodes} nodes")
    session.models["m"] = ProcessModel(id="m", name="Generated")
    for i in range(LANES):
        session.organizations[f"o{i}"] = Organization(id=f"o{i}", name=f"Organization {i}", colour="#4c78a8")
        session.lanes[f"l{i}"] = Lane(id=f"l{i}", model_id="m", organization_id=f"o{i}", index=i)
    session.nodes["start"] = Node(id="start", model_id="m", node_kind=NodeKind.START, lane_id="l0", x=-100, y=60)
    per_lane = nodes // LANES
    for n in range(nodes):
        lane, col = n % LANES, n // LANES
        session.nodes[f"n{n}"] = Node(
            id=f"n{n}",
            model_id="m",
            label=f"Task {n} of the process",
            lane_id=f"l{lane}",
            owner_org_id=f"o{lane}",
            x=30 + col * 200.0,
            y=lane * LANE_HEIGHT + 53,
        )
        source = f"n{n - LANES}" if col else "start"
        session.flows[f"f{n}"] = Flow(id=f"f{n}", model_id="m", source_id=source, target_id=f"n{n}")
        if n % 7 == 0 and n + 1 < nodes and (n + 1) // LANES < per_lane:
            session.flows[f"h{n}"] = Flow(id=f"h{n}", model_id="m", source_id=f"n{n}", target_id=f"n{n + 1}")
    return Document(session)
