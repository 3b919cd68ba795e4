"""Pools and lanes of a BPMN import: each pool an organization, each lane a lane of it.

Split out of :mod:`bpmn_import`. A participant of a collaboration is a pool;
a process no pool shows becomes a pool of its own; a pool without lanes gets
one lane (sized from its shape, or around its process's drawn elements).
Lanes with sub-lanes are shown as their sub-lanes. Where the lanes go is
:mod:`bpmn_import_geometry`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from workshop.domain.model.naming import one_line
from workshop.domain.model.process import Lane, Organization
from workshop.interchange.bpmn_import_ledger import ImportLedger
from workshop.interchange.bpmn_read import BPMN

DEFAULT_LANE_HEIGHT = 180.0
MIN_LANE_HEIGHT = 60.0
LANE_MARGIN = 30.0


@dataclass
class Pool:
    """One pool: the organization made from it, its process, and its lanes."""

    org_id: str
    name: str
    process: Element | None
    lane_of: dict[str, str] = field(default_factory=dict)
    lanes: list[tuple[float, str]] = field(default_factory=list)
    """(diagram top, lane id) of the pool's lanes, to place elements no lane lists."""


def process_extent(
    bounds: dict[str, tuple[float, float, float, float]], process: Element | None
) -> tuple[float, float, float, float] | None:
    """The box around a process's drawn elements with a margin: its lane when the diagram draws no pool."""
    boxes = [bounds[e.get("id", "")] for e in process or () if e.get("id", "") in bounds]
    if not boxes:
        return None
    top, bottom = min(b[1] for b in boxes), max(b[1] + b[3] for b in boxes)
    left, right = min(b[0] for b in boxes), max(b[0] + b[2] for b in boxes)
    return left, top - LANE_MARGIN, right - left, bottom - top + 2 * LANE_MARGIN


class PoolMaker:
    """Makes the organizations and lanes of one import; ``lanes_made`` waits for the geometry to stack them."""

    def __init__(self, ledger: ImportLedger) -> None:
        self.ledger = ledger
        self.lanes_made: list[tuple[float, Lane]] = []
        """(diagram top, lane) of every lane made, in file order."""

    def pools(self) -> list[Pool]:
        processes = {p.get("id", ""): p for p in self.ledger.root.findall(f"{{{BPMN}}}process")}
        self.ledger.processes = processes
        shown: set[str] = set()
        pools: list[Pool] = []
        participants = [
            p for c in self.ledger.root.findall(f"{{{BPMN}}}collaboration") for p in c.findall(f"{{{BPMN}}}participant")
        ]
        for participant in participants:
            ref = self.ledger.xml.ref(participant, participant.get("processRef"))
            named = one_line(participant.get("name") or "")
            name = named or f"Pool {len(pools) + 1}"  # never its id: people read it
            process = processes.get(ref)
            if process is not None and ref in shown:
                self.ledger.report(
                    participant, f"shows process {ref!r} that another pool shows already: an empty lane", imported=True
                )
                process = None
            elif process is None and ref:
                self.ledger.report(
                    participant, f"processRef {ref!r} names no process in this file: an empty lane", imported=True
                )
            pool_id = participant.get("id", "pool")
            pools.append(self.pool(participant, name, process, pool_id))
            if process is None and not ref:  # a black box: an external party, whose messages end at its band
                made = pools[-1]
                self.ledger.black_boxes[pool_id] = (made.org_id, made.lanes[0][1], name, participant)
            if process is not None:
                shown.add(ref)
        for process_id, process in processes.items():
            if process_id in shown:
                continue
            name = one_line(process.get("name") or "") or (f"Process {len(pools) + 1}" if participants else "Process")
            if participants:
                self.ledger.report(process, "no pool shows this process: it is a pool of its own", imported=True)
            pools.append(self.pool(process, name, process, process_id))
        return pools

    def pool(self, element: Element, name: str, process: Element | None, pool_id: str) -> Pool:
        org_id = self.ledger.new_id(pool_id.removeprefix("pool_") if pool_id.startswith("pool_") else f"org-{pool_id}")
        index = len(self.ledger.result.session.organizations)
        self.ledger.doc.add(Organization(id=org_id, name=name, colour=_colour(index)))
        self.ledger.took(element)
        pool = Pool(org_id, name, process)
        if process is not None:
            self.ledger.took(process)
            for lane in process.iter(f"{{{BPMN}}}lane"):
                self.lane(lane, pool)
        if not pool.lanes:
            box = (
                self.ledger.bounds.get(pool_id)
                or self.ledger.bounds.get(element.get("id", ""))
                or process_extent(self.ledger.bounds, process)
            )
            top = box[1] if box else float(index) * DEFAULT_LANE_HEIGHT
            only = Lane(
                id=self.ledger.new_id(f"lane-{org_id}"),
                model_id=self.ledger.model_id,
                organization_id=org_id,
                height=max(box[3] if box else DEFAULT_LANE_HEIGHT, MIN_LANE_HEIGHT),
            )
            self.lanes_made.append((top, only))
            pool.lanes.append((top, only.id))
        return pool

    def lane(self, lane: Element, pool: Pool) -> None:
        raw = lane.get("id", "lane")
        refs = [self.ledger.xml.ref(r, r.text) for r in lane.findall(f"{{{BPMN}}}flowNodeRef")]
        if lane.find(f"{{{BPMN}}}childLaneSet/{{{BPMN}}}lane") is not None:
            # its sub-lanes are lanes of their own; the nodes it lists are in them
            for ref in refs:
                pool.lane_of.setdefault(ref, "")
            self.ledger.report(lane, "a lane with sub-lanes: shown as its sub-lanes", imported=True)
            return
        box = self.ledger.bounds.get(raw)
        top = box[1] if box else 1e9 + len(self.lanes_made)  # lanes the diagram omits go below, in file order
        name = one_line(lane.get("name") or "")
        made = Lane(
            id=self.ledger.new_id(raw),
            model_id=self.ledger.model_id,
            organization_id=pool.org_id,
            role="" if name == pool.name else name,
            height=max(box[3] if box else DEFAULT_LANE_HEIGHT, MIN_LANE_HEIGHT),
        )
        self.lanes_made.append((top, made))
        pool.lanes.append((top, made.id))
        self.ledger.took(lane)
        for ref in refs:
            pool.lane_of[ref] = made.id


def _colour(index: int) -> str:
    palette = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
    return palette[index % len(palette)]
