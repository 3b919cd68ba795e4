"""What a person reads for a node: its label, or else what it is — never an internal id.

The projector, the walkthrough summary, the report and the panels all name
nodes through :func:`node_name`, so an unnamed end event reads "End", not
"end node-14fe831c".
"""

from __future__ import annotations

from workshop.domain.process import Node

UNNAMED = {
    "start": "Start",
    "end": "End",
    "activity": "Unnamed step",
    "decision": "Decision",
    "document": "Document",
    "it_system": "IT system",
    "wait": "Wait",
}


def kind_name(kind: str) -> str:
    """A node kind as people say it ("IT system", "Start")."""
    return UNNAMED.get(str(kind), str(kind).replace("_", " ").capitalize())


def node_name(node: Node) -> str:
    """The node's label, or its kind when it has none."""
    return node.label.strip() or kind_name(node.node_kind)
