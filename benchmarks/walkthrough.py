"""What-if and walk cost on a generated large model; prints JSON.

The model is a chain of activities across four organizations with a
decision every 10 nodes (a rework loop back 5 nodes, p=0.2) and a parallel
split every 25 nodes (two paths joining again), so loops, parallel paths
and handoffs are all exercised.
"""

from __future__ import annotations

import json
import sys
import time

from workshop.domain.model.document import Document
from workshop.domain.model.operations import Operation, add, batch
from workshop.domain.model.process import Flow, Lane, Node, NodeKind, Organization, ProcessModel
from workshop.domain.model.session import new_session
from workshop.domain.walkthrough.walk import Walk, start_walkthrough
from workshop.domain.walkthrough.whatif import what_if


def build(size: int) -> Document:
    ops: list[Operation] = [add(ProcessModel(id="m", name="Large future", state="future"))]
    for org in range(4):
        ops.append(add(Organization(id=f"o{org}", name=f"Organization {org}")))
        ops.append(add(Lane(id=f"l{org}", model_id="m", organization_id=f"o{org}", index=org)))
    flows: list[tuple[str, str, float | None]] = []
    ids = [f"n{i}" for i in range(size)]
    for i, node_id in enumerate(ids):
        kind = NodeKind.START if i == 0 else NodeKind.END if i == size - 1 else NodeKind.ACTIVITY
        if kind == NodeKind.ACTIVITY and i % 10 == 9:
            kind = NodeKind.DECISION
        lane = f"l{(i // 7) % 4}"
        ops.append(
            add(
                Node(
                    id=node_id,
                    model_id="m",
                    node_kind=kind,
                    lane_id=lane,
                    x=i * 180.0,
                    duration_minutes=5,
                    wait_minutes=i % 3,
                )
            )
        )
    for i in range(size - 1):
        if i % 10 == 9 and i != size - 1:
            flows += [(ids[i], ids[i + 1], 0.8), (ids[i], ids[i - 5], 0.2)]
        else:
            flows.append((ids[i], ids[i + 1], None))
        if i % 25 == 3 and i + 3 < size:
            flows.append((ids[i], ids[i + 2], None))  # parallel split: n(i+1) and a shortcut to n(i+2)
    for number, (source, target, p) in enumerate(flows):
        ops.append(add(Flow(id=f"f{number}", model_id="m", source_id=source, target_id=target, probability=p)))
    doc = Document(new_session("benchmark"))
    doc.apply(batch("model", ops))
    return doc


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    doc = build(size)
    began = time.perf_counter()
    result = what_if(doc.session, "m")
    whatif_seconds = time.perf_counter() - began
    wid, op = start_walkthrough(doc.session, "m")
    doc.apply(op)
    began = time.perf_counter()
    for _ in range(50):
        walk = Walk(doc.session, wid)
        moves = walk.moves()
        doc.apply(walk.forward(next(m for m in moves if not m.blocked).flow_id))
    step_seconds = (time.perf_counter() - began) / 50
    print(
        json.dumps(
            {
                "nodes": size,
                "flows": len(doc.session.flows),
                "whatif_seconds": round(whatif_seconds, 3),
                "walk_step_ms": round(step_seconds * 1000, 2),
                "lead_minutes": round(result.lead_minutes, 1),
                "touch_minutes": round(result.touch_minutes, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
