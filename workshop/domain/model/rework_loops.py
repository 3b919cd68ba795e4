"""A process model as a networkx graph, and the rework loops that make it cyclic.

Layout and analysis both need "the process without its rework loops" to
find an order; both get it from here so they agree on which flows are rework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workshop.domain.model.process import NodeKind
from workshop.domain.model.session import Session

if TYPE_CHECKING:
    import networkx as nx


def process_graph(session: Session, model_id: str) -> nx.DiGraph:
    """Nodes and flows of one model; each edge carries its ``flow`` id."""
    import networkx  # when a graph is needed: importing it is ~0.3 s that opening a file need not wait for

    graph = networkx.DiGraph()
    graph.add_nodes_from(n.id for n in session.nodes.values() if n.model_id == model_id)
    for flow in session.flows.values():
        if flow.model_id == model_id and flow.is_sequence:
            graph.add_edge(flow.source_id, flow.target_id, flow=flow.id)
    return graph


def start_nodes(session: Session, graph: nx.DiGraph) -> list[str]:
    """Start events, or (when a model has none yet) the nodes nothing flows into."""
    starts = [n for n in graph if session.nodes[n].node_kind == NodeKind.START]
    return sorted(starts) or sorted(n for n in graph if graph.in_degree(n) == 0)


def back_edges(graph: nx.DiGraph, starts: list[str]) -> set[tuple[str, str]]:
    """Edges that close a loop in a depth-first walk from the starts (then from everything else)."""
    found: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
    for root in [*starts, *sorted(graph.nodes)]:
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
                found.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(sorted(graph.successors(child)))))
    return found


def acyclic(graph: nx.DiGraph, starts: list[str]) -> nx.DiGraph:
    """The graph without its rework loops' back edges: a read-only view, not a copy (a 60,000-step model's
    copy was 50 MB and a second of the report)."""
    import networkx

    view: nx.DiGraph = networkx.restricted_view(graph, [], back_edges(graph, starts))
    return view
