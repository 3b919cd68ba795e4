"""Align, distribute, nudge, copy and paste: gestures on several nodes, built as one batch each."""

from __future__ import annotations

from typing import Any, Literal

from workshop.domain.model.errors import OperationError
from workshop.domain.model.ids import new_id
from workshop.domain.model.lane_membership import move_changes
from workshop.domain.model.operations import AddOp, BatchOp, Operation, update
from workshop.domain.model.process import Node
from workshop.domain.model.session import Session

Edge = Literal["left", "right", "top", "bottom", "hcenter", "vcenter"]


def _nodes(session: Session, node_ids: list[str]) -> list[Node]:
    missing = [i for i in node_ids if i not in session.nodes]
    if missing:
        raise OperationError(f"no node with id {missing[0]!r}")
    return [session.nodes[i] for i in node_ids]


def align(session: Session, node_ids: list[str], edge: Edge) -> BatchOp:
    """Line the nodes up on the first-selected node's edge or centre line."""
    nodes = _nodes(session, node_ids)
    if len(nodes) < 2:
        raise OperationError("select at least two nodes to align")
    ref = nodes[0]
    target = {
        "left": ref.x,
        "right": ref.x + ref.w,
        "top": ref.y,
        "bottom": ref.y + ref.h,
        "hcenter": ref.x + ref.w / 2,
        "vcenter": ref.y + ref.h / 2,
    }[edge]
    ops: list[Operation] = []
    for node in nodes[1:]:
        changes: dict[str, Any] = {
            "left": {"x": target},
            "right": {"x": target - node.w},
            "hcenter": {"x": target - node.w / 2},
            "top": {"y": target},
            "bottom": {"y": target - node.h},
            "vcenter": {"y": target - node.h / 2},
        }[edge]
        moved = {"x": node.x, "y": node.y, **changes}
        ops.append(update("node", node.id, **move_changes(session, node, moved["x"], moved["y"])))
    return BatchOp(label=f"Align {len(nodes)} nodes ({edge})", ops=ops)


def distribute(session: Session, node_ids: list[str], axis: Literal["horizontal", "vertical"]) -> BatchOp:
    """Equal gaps between the nodes along an axis, the outermost two staying where they are."""
    nodes = _nodes(session, node_ids)
    if len(nodes) < 3:
        raise OperationError("select at least three nodes to distribute")
    horizontal = axis == "horizontal"
    nodes.sort(key=lambda n: n.x if horizontal else n.y)
    start = nodes[0].x if horizontal else nodes[0].y
    end = (nodes[-1].x + nodes[-1].w) if horizontal else (nodes[-1].y + nodes[-1].h)
    total = sum(n.w if horizontal else n.h for n in nodes)
    gap = (end - start - total) / (len(nodes) - 1)
    ops: list[Operation] = []
    position = start
    for node in nodes:
        if node is not nodes[0] and node is not nodes[-1]:
            x, y = (position, node.y) if horizontal else (node.x, position)
            ops.append(update("node", node.id, **move_changes(session, node, x, y)))
        position += (node.w if horizontal else node.h) + gap
    return BatchOp(label=f"Distribute {len(nodes)} nodes {axis}ly", ops=ops)


def nudge(session: Session, node_ids: list[str], dx: float, dy: float) -> BatchOp:
    nodes = _nodes(session, node_ids)
    ops: list[Operation] = [update("node", n.id, **move_changes(session, n, n.x + dx, n.y + dy)) for n in nodes]
    return BatchOp(label=f"Nudge {len(nodes)} node(s)", ops=ops)


def copy_fragment(session: Session, node_ids: list[str]) -> dict[str, Any]:
    """The selected nodes and the flows among them, as plain data for the clipboard."""
    nodes = _nodes(session, node_ids)
    chosen = {n.id for n in nodes}
    flows = [f for f in session.flows.values() if f.source_id in chosen and f.target_id in chosen]
    return {
        "nodes": [n.model_dump(mode="json") for n in nodes],
        "flows": [f.model_dump(mode="json") for f in flows],
    }


def paste_fragment(
    session: Session, fragment: dict[str, Any], model_id: str, *, offset: float = 30.0
) -> tuple[list[str], BatchOp]:
    """Copies of a fragment in ``model_id`` with fresh ids, shifted by ``offset``; returns the new node ids."""
    ids: dict[str, str] = {}
    ops: list[Operation] = []
    for data in fragment.get("nodes", []):
        copy = dict(data)
        ids[data["id"]] = copy["id"] = new_id("node")
        copy["model_id"] = model_id
        copy["x"] = float(data.get("x", 0)) + offset
        copy["y"] = float(data.get("y", 0)) + offset
        if copy.get("lane_id") not in session.lanes or session.lanes[copy["lane_id"]].model_id != model_id:
            copy["lane_id"] = None
        ops.append(AddOp(kind="node", data=copy))
    for data in fragment.get("flows", []):
        if data.get("source_id") in ids and data.get("target_id") in ids:
            copy = {**data, "id": new_id("flow"), "model_id": model_id}
            copy["source_id"], copy["target_id"] = ids[data["source_id"]], ids[data["target_id"]]
            ops.append(AddOp(kind="flow", data=copy))
    return list(ids.values()), BatchOp(label=f"Paste {len(ids)} node(s)", ops=ops)
