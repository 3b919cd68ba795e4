"""The order a walk follows: each node's outgoing flows, parallel splits and where their paths join.

Split out of :mod:`walk` (the what-if calculation asks the same questions).
"""

from __future__ import annotations

from collections import deque

from workshop.domain.model.process import Flow, Node, NodeKind
from workshop.domain.model.session import Session

Adjacency = dict[str, list[Flow]]
"""node id -> its outgoing flows, in :func:`outgoing` order."""


def _flow_order(session: Session, flow: Flow) -> tuple[float, float, str]:
    target = session.nodes[flow.target_id]
    return target.y, target.x, flow.id


def adjacency(session: Session, model_id: str | None = None) -> Adjacency:
    """Outgoing flows of every node (of one model), built once for repeated look-ups."""
    out: Adjacency = {}
    for flow in session.flows.values():
        if flow.is_sequence and (model_id is None or flow.model_id == model_id):
            out.setdefault(flow.source_id, []).append(flow)
    for flows in out.values():
        flows.sort(key=lambda f: _flow_order(session, f))
    return out


def outgoing(session: Session, node_id: str, adj: Adjacency | None = None) -> list[Flow]:
    """Outgoing flows in a stable order (top to bottom, then left to right on the canvas)."""
    if adj is not None:
        return adj.get(node_id, [])
    flows = [f for f in session.flows.values() if f.source_id == node_id and f.is_sequence]
    return sorted(flows, key=lambda f: _flow_order(session, f))


def is_parallel_split(session: Session, node: Node) -> bool:
    return node.node_kind != NodeKind.DECISION and len(outgoing(session, node.id)) > 1


def distances(session: Session, start: str, adj: Adjacency | None) -> dict[str, int]:
    seen = {start: 0}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for flow in outgoing(session, here, adj):
            if flow.target_id not in seen:
                seen[flow.target_id] = seen[here] + 1
                queue.append(flow.target_id)
    return seen


def join_of(session: Session, split_id: str, adj: Adjacency | None = None) -> str | None:
    """The nearest node every parallel path out of ``split_id`` reaches (None if they never meet)."""
    reach = [distances(session, f.target_id, adj) for f in outgoing(session, split_id, adj)]
    if not reach:
        return None
    common = set(reach[0]).intersection(*reach[1:]) - {split_id}
    if not common:
        return None
    return min(common, key=lambda n: (max(r[n] for r in reach), sum(r[n] for r in reach), n))
