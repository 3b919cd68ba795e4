"""Lay a model out left to right within its lanes, as one undoable batch.

Columns come from the longest path from a start (networkx), after breaking
rework loops at their back edges, so every flow that is not rework points
right. Nodes keep their lanes; nodes sharing a lane and a column stack, and
a lane grows when it must to hold them.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from workshop.domain.errors import OperationError
from workshop.domain.geometry import model_lanes
from workshop.domain.operations import BatchOp, Operation, update
from workshop.domain.process import NodeKind
from workshop.domain.session import Session

COLUMN = 200.0
LEFT = 30.0
STACK_GAP = 20.0
LANE_PADDING = 30.0


def _columns(session: Session, model_id: str) -> dict[str, int]:
    graph = nx.DiGraph()
    nodes = [n for n in session.nodes.values() if n.model_id == model_id]
    graph.add_nodes_from(n.id for n in nodes)
    graph.add_edges_from((f.source_id, f.target_id) for f in session.flows.values() if f.model_id == model_id)
    starts = [n.id for n in nodes if n.node_kind == NodeKind.START] or [n for n in graph if graph.in_degree(n) == 0]
    order = sorted(graph.nodes, key=lambda n: (n not in starts, n))
    back_edges: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
    for root in order:  # iterative DFS; an edge into a node still on the stack closes a loop
        if root in state:
            continue
        stack = [(root, iter(sorted(graph.successors(root))))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back_edges.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(sorted(graph.successors(child)))))
    dag = graph.copy()
    dag.remove_edges_from(back_edges)
    column: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        column[node] = max((column[p] + 1 for p in dag.predecessors(node)), default=0)
    return column


def layout_model(session: Session, model_id: str) -> BatchOp:
    """Positions (and, where needed, lane heights) that lay the model out left to right."""
    if model_id not in session.models:
        raise OperationError(f"no model with id {model_id!r}")
    column = _columns(session, model_id)
    lanes = model_lanes(session, model_id)
    groups: defaultdict[tuple[str | None, int], list[str]] = defaultdict(list)
    for node_id in sorted(column, key=lambda n: (column[n], n)):
        groups[(session.nodes[node_id].lane_id, column[node_id])].append(node_id)
    ops: list[Operation] = []
    heights: dict[str, float] = {}
    for lane in lanes:
        tallest = max(
            (
                sum(session.nodes[n].h for n in ids) + STACK_GAP * (len(ids) - 1)
                for (lane_id, _), ids in groups.items()
                if lane_id == lane.id
            ),
            default=0.0,
        )
        heights[lane.id] = max(lane.height, tallest + 2 * LANE_PADDING)
        if heights[lane.id] != lane.height:
            ops.append(update("lane", lane.id, height=heights[lane.id]))
    tops: dict[str, float] = {}
    top = 0.0
    for lane in lanes:
        tops[lane.id] = top
        top += heights[lane.id]
    below = top
    for (lane_id, col), ids in groups.items():
        total = sum(session.nodes[n].h for n in ids) + STACK_GAP * (len(ids) - 1)
        y = tops[lane_id] + (heights[lane_id] - total) / 2 if lane_id in tops else below + LANE_PADDING
        for node_id in ids:
            node = session.nodes[node_id]
            x = LEFT + col * COLUMN + (150.0 - node.w) / 2
            if (node.x, node.y) != (x, y):
                ops.append(update("node", node_id, x=x, y=y))
            y += node.h + STACK_GAP
    return BatchOp(label="Lay out left to right", ops=ops)
