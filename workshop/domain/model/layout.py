"""Lay a model out left to right within its lanes, as one undoable batch.

Columns come from the longest path from a start (networkx), after breaking
rework loops at their back edges, so every flow that is not rework points
right. Nodes keep their lanes; nodes sharing a lane and a column stack, and
a lane grows when it must to hold them. The process's own steps are laid
out; a sub-process's steps keep their places (an expanded one's move with it).
"""

from __future__ import annotations

from collections import defaultdict

from workshop.domain.model.errors import OperationError
from workshop.domain.model.geometry import model_lanes
from workshop.domain.model.operations import BatchOp, Operation, update
from workshop.domain.model.rework_loops import acyclic, process_graph, start_nodes
from workshop.domain.model.session import Session
from workshop.domain.model.sub_processes import carried

COLUMN = 200.0
LEFT = 30.0
STACK_GAP = 20.0
LANE_PADDING = 30.0


def _columns(session: Session, model_id: str) -> dict[str, int]:
    import networkx as nx  # when laying out: importing it is ~0.3 s that opening a file need not wait for

    graph = process_graph(session, model_id)
    dag = acyclic(graph, start_nodes(session, graph))
    column: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        column[node] = max((column[p] + 1 for p in dag.predecessors(node)), default=0)
    return {node_id: col for node_id, col in column.items() if session.nodes[node_id].parent_id is None}


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
                ops += [
                    update("node", i.id, x=i.x + x - node.x, y=i.y + y - node.y) for i in carried(node, session.nodes)
                ]
            y += node.h + STACK_GAP
    return BatchOp(label="Lay out left to right", ops=ops)
