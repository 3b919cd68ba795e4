"""Where a BPMN import puts things: the diagram's shape bounds, lanes stacked in order, nodes kept inside them.

Split out of :mod:`bpmn_import`: the diagram interchange (``BPMNShape``
bounds) is read once here; lanes are stacked from y=0 in the diagram's
order, each node is moved into its lane if the diagram drew it outside, and
nodes the diagram does not place get the auto-layout's place in their lane.
"""

from __future__ import annotations

from collections.abc import Sequence

from workshop.domain.model.layout import layout_model
from workshop.domain.model.operations import BatchOp, Operation, UpdateOp, update
from workshop.domain.model.process import Lane
from workshop.interchange.bpmn_import_ledger import ImportLedger
from workshop.interchange.bpmn_import_pools import Pool
from workshop.interchange.bpmn_read import BPMNDI, DC, BpmnError, XmlSource


def shape_bounds(xml: XmlSource) -> dict[str, tuple[float, float, float, float]]:
    """BPMN id -> (x, y, width, height) of its shape in the file's first diagram that draws it."""
    found: dict[str, tuple[float, float, float, float]] = {}
    for shape in xml.root.iter(f"{{{BPMNDI}}}BPMNShape"):
        b = shape.find(f"{{{DC}}}Bounds")
        target = xml.ref(shape, shape.get("bpmnElement"))
        if b is None or target in found:
            continue  # a second diagram (a collapsed sub-process drawn apart) does not move the first
        owner = target or shape.get("id", "shape")
        x, y = xml.number(b, "x", owner), xml.number(b, "y", owner)
        w, h = xml.number(b, "width", owner), xml.number(b, "height", owner)
        if w < 0 or h < 0:
            raise BpmnError(f"{xml.at(b)}: <Bounds> of {owner!r}: negative width or height ({w:g} × {h:g})")
        found[target] = (x, y, w, h)
    return found


class DiagramGeometry:
    """Lane tops and node positions of one import, from the diagram (or the auto-layout where it has none)."""

    def __init__(self, ledger: ImportLedger) -> None:
        self.ledger = ledger
        self.lane_top: dict[str, float] = {}
        self.unplaced: set[str] = set()
        """Ids of nodes the diagram does not place."""

    def place_lanes(self, lanes_made: Sequence[tuple[float, Lane]]) -> dict[str, float]:
        """Lanes stack from y=0 in the diagram's order; returns how far each lane's contents move vertically."""
        offset: dict[str, float] = {}
        top = 0.0
        ordered = sorted(enumerate(lanes_made), key=lambda item: (item[1][0], item[0]))
        for index, (_, (diagram_y, lane)) in enumerate(ordered):
            self.ledger.doc.add(lane.model_copy(update={"index": index}))
            offset[lane.id] = top - (diagram_y if diagram_y < 1e9 else 0.0)
            self.lane_top[lane.id] = top
            top += lane.height
        return offset

    def left_shift(self, pools: Sequence[Pool]) -> float:
        """How far everything moves right: nothing for our own export, else so the leftmost shape sits at x=30."""
        bounds = self.ledger.bounds
        left = min(
            (
                bounds[e.get("id", "")][0]
                for pool in pools
                if pool.process is not None
                for e in pool.process
                if e.get("id", "") in bounds
            ),
            default=0.0,
        )
        return 0.0 if self.ledger.ours else 30.0 - left

    def lane_for(self, raw_id: str, pool: Pool) -> str:
        """The lane that lists the element, else the pool's lane its diagram position falls in, else the first."""
        listed = pool.lane_of.get(raw_id)
        if listed:
            return listed
        box = self.ledger.bounds.get(raw_id)
        ordered = sorted(pool.lanes)
        if box:
            middle = box[1] + box[3] / 2
            inside = [
                lane_id
                for top, lane_id in ordered
                if top <= middle < top + self.ledger.result.session.lanes[lane_id].height
            ]
            if inside:
                return inside[0]
        return ordered[0][1]

    def in_lane(self, y: float, height: float, lane_id: str) -> float:
        """``y`` moved into the node's lane if the diagram drew it outside (the lane decides where it belongs)."""
        top = self.lane_top[lane_id]
        bottom = top + self.ledger.result.session.lanes[lane_id].height
        if y < top or y + height > bottom:
            return max(top, min(y, bottom - height))
        return y

    def lay_out_unplaced(self) -> None:
        """Nodes the diagram does not place get the auto-layout's place in their lane, never one pile."""
        if not self.unplaced:
            return
        session = self.ledger.result.session
        plan = layout_model(session, self.ledger.model_id)
        everything = all(n.id in self.unplaced for n in session.nodes.values())
        ops: list[Operation] = []
        for op in plan.ops:
            if everything:
                ops.append(op)  # lanes may grow: nothing else has a place yet
            elif isinstance(op, UpdateOp) and op.kind == "node" and op.id in self.unplaced:
                node = session.nodes[op.id]  # lanes keep their height (placed nodes keep theirs): stay inside
                y = self.in_lane(float(op.changes.get("y", node.y)), node.h, node.lane_id or "")
                ops.append(update("node", op.id, x=op.changes.get("x", node.x), y=y))
        if ops:
            self.ledger.doc.apply(BatchOp(label="Lay out nodes the file does not place", ops=ops))
