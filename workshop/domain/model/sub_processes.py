"""Which steps a view of a model shows when sub-processes hold steps of their own.

A view shows the process itself (``root`` None) or the inside of one
sub-process (drilled down to it). It shows the steps of its root and, inside
an expanded sub-process, that sub-process's steps in place; a collapsed
sub-process's steps are on a view of their own. Moving an expanded
sub-process carries what it draws inside it.
"""

from __future__ import annotations

from collections.abc import Mapping

from workshop.domain.model.process import Node, ancestors


def shown_at(node: Node, nodes: Mapping[str, Node], root: str | None) -> bool:
    """Whether the view of ``root`` draws ``node``: it is inside ``root`` through expanded sub-processes only."""
    if node.id == root:
        return False
    parent_id, seen = node.parent_id, {node.id}
    while parent_id != root:
        parent = nodes.get(parent_id) if parent_id else None
        if parent is None or not parent.expanded or parent.id in seen:
            return False
        seen.add(parent.id)
        parent_id = parent.parent_id
    return True


def carried(node: Node, nodes: Mapping[str, Node]) -> list[Node]:
    """The steps drawn inside ``node`` (an expanded sub-process), at any depth through expanded ones."""
    if not node.expanded:
        return []
    return [other for other in nodes.values() if other.id != node.id and shown_at(other, nodes, node.id)]


def trail(nodes: Mapping[str, Node], root: str | None) -> list[Node]:
    """The sub-processes from the process down to ``root``, outermost first (empty for the process's view)."""
    if root is None or root not in nodes:
        return []
    return [*reversed(ancestors(nodes[root], nodes)), nodes[root]]


def holds_steps(node: Node, nodes: Mapping[str, Node]) -> bool:
    """Whether a sub-process holds any step (one can be drilled into)."""
    return node.is_sub_process and any(other.parent_id == node.id for other in nodes.values())
