"""What a walkthrough leaves behind: its path, the time on each move, what was captured where.

Read from the recorded moves and annotations only, so a summary of a
finished workshop and of one still running are made the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.process import node_organization
from workshop.domain.model.session import Session
from workshop.domain.walkthrough.moves import Walkthrough
from workshop.domain.walkthrough.walk import boundaries_at, node_name, org_name, walk_moves


@dataclass(frozen=True)
class MoveSummary:
    index: int
    move: str
    element_kind: str
    element_id: str
    label: str
    organization: str
    """The node's organization, or "X → Y" for a handoff."""
    entered: datetime | None
    seconds: float | None
    """Until the next move (or the finish); None while the token still stands here."""
    note: str
    handoff: tuple[str, str] | None
    boundary_ids: tuple[str, ...]
    captures: tuple[Annotation, ...]


@dataclass(frozen=True)
class WalkthroughSummary:
    walkthrough: Walkthrough
    model_name: str
    moves: tuple[MoveSummary, ...]
    handoffs: dict[tuple[str, str], int]
    """Handoffs crossed per ordered (from, to) organization pair."""
    boundary_ids: tuple[str, ...]
    """Knowledge boundaries met on the way, in the order first met."""

    @property
    def total_seconds(self) -> float:
        return sum(m.seconds or 0.0 for m in self.moves)

    @property
    def capture_count(self) -> int:
        return sum(len(m.captures) for m in self.moves)

    def longest(self, count: int = 3) -> list[MoveSummary]:
        """The moves where the group spent the most time."""
        timed = [m for m in self.moves if m.seconds is not None]
        return sorted(timed, key=lambda m: (-(m.seconds or 0.0), m.index))[:count]


def _label(session: Session, kind: str, element_id: str) -> str:
    if kind == "node" and (node := session.nodes.get(element_id)) is not None:
        return node_name(node)
    if kind == "flow" and (flow := session.flows.get(element_id)) is not None:
        source, target = session.nodes.get(flow.source_id), session.nodes.get(flow.target_id)
        ends = f"{node_name(source) if source else '?'} → {node_name(target) if target else '?'}"
        return f"{flow.label} ({ends})" if flow.label else ends
    return f"{kind} {element_id} (removed)"


def summarize(session: Session, walkthrough_id: str) -> WalkthroughSummary:
    walkthrough = session.walkthroughs[walkthrough_id]
    moves = walk_moves(session, walkthrough_id)
    captured: dict[int, list[Annotation]] = {}
    for annotation in sorted(session.annotations.values(), key=lambda a: (a.created is None, a.created, a.id)):
        if annotation.walkthrough_id == walkthrough_id and annotation.walkthrough_step is not None:
            captured.setdefault(annotation.walkthrough_step, []).append(annotation)
    handoffs: Counter[tuple[str, str]] = Counter()
    met: dict[str, None] = {}
    out = []
    for number, taken in enumerate(moves):
        following = moves[number + 1].entered if number + 1 < len(moves) else walkthrough.finished
        seconds = (following - taken.entered).total_seconds() if following and taken.entered else None
        pair = None
        if taken.element_kind == "flow" and (flow := session.flows.get(taken.element_id)) is not None:
            pair = handoff_orgs(session, flow)
        if taken.element_kind == "node" and (node := session.nodes.get(taken.element_id)) is not None:
            organization = org_name(session, node_organization(node, session.lanes))
        elif pair:
            organization = f"{org_name(session, pair[0])} → {org_name(session, pair[1])}"
        else:
            organization = ""
        if pair and taken.move != "back":
            handoffs[pair] += 1
        boundary_ids = tuple(b.id for b in boundaries_at(session, taken.element_kind, taken.element_id))
        for boundary_id in boundary_ids:
            met.setdefault(boundary_id)
        out.append(
            MoveSummary(
                index=taken.index,
                move=taken.move,
                element_kind=taken.element_kind,
                element_id=taken.element_id,
                label=_label(session, taken.element_kind, taken.element_id),
                organization=organization,
                entered=taken.entered,
                seconds=seconds,
                note=taken.note,
                handoff=pair,
                boundary_ids=boundary_ids,
                captures=tuple(captured.get(taken.index, ())),
            )
        )
    model = session.models.get(walkthrough.model_id)
    return WalkthroughSummary(
        walkthrough=walkthrough,
        model_name=model.name if model else walkthrough.model_id,
        moves=tuple(out),
        handoffs=dict(handoffs),
        boundary_ids=tuple(met),
    )


@dataclass(frozen=True)
class PathComparison:
    """Which elements each walkthrough passed through."""

    walkthrough_ids: tuple[str, ...]
    elements: tuple[tuple[str, str, str], ...]
    """(kind, id, label) in the order first reached."""
    visits: dict[tuple[str, str], dict[str, int]]
    """(kind, id) -> walkthrough id -> times reached (steps back not counted)."""

    def shared(self) -> list[tuple[str, str, str]]:
        return [e for e in self.elements if len(self.visits[e[:2]]) == len(self.walkthrough_ids)]

    def only_in(self, walkthrough_id: str) -> list[tuple[str, str, str]]:
        return [e for e in self.elements if set(self.visits[e[:2]]) == {walkthrough_id}]


def compare_paths(session: Session, walkthrough_ids: list[str]) -> PathComparison:
    elements: dict[tuple[str, str], str] = {}
    visits: dict[tuple[str, str], dict[str, int]] = {}
    for walkthrough_id in walkthrough_ids:
        for taken in walk_moves(session, walkthrough_id):
            if taken.move == "back":
                continue
            key = (taken.element_kind, taken.element_id)
            elements.setdefault(key, _label(session, *key))
            counts = visits.setdefault(key, {})
            counts[walkthrough_id] = counts.get(walkthrough_id, 0) + 1
    return PathComparison(
        walkthrough_ids=tuple(walkthrough_ids),
        elements=tuple((k, i, label) for (k, i), label in elements.items()),
        visits=visits,
    )


def summary_json(session: Session, summary: WalkthroughSummary) -> dict[str, Any]:
    """Plain data for ``workshop walkthroughs --json`` and exports (its keys keep the older word, ``steps``)."""
    w = summary.walkthrough
    return {
        "id": w.id,
        "model_id": w.model_id,
        "model": summary.model_name,
        "scenario": w.scenario,
        "started": w.started.isoformat() if w.started else None,
        "finished": w.finished.isoformat() if w.finished else None,
        "total_seconds": summary.total_seconds,
        "handoffs": [
            {"from": a, "to": b, "from_name": org_name(session, a), "to_name": org_name(session, b), "count": n}
            for (a, b), n in sorted(summary.handoffs.items())
        ],
        "boundaries": list(summary.boundary_ids),
        "longest_steps": [s.index for s in summary.longest()],
        "steps": [
            {
                "index": s.index,
                "move": s.move,
                "element_kind": s.element_kind,
                "element_id": s.element_id,
                "label": s.label,
                "organization": s.organization,
                "entered": s.entered.isoformat() if s.entered else None,
                "seconds": s.seconds,
                "note": s.note,
                "boundaries": list(s.boundary_ids),
                "captures": [
                    {"id": a.id, "kind": a.annotation_kind, "text": a.text, "author_id": a.author_id}
                    for a in s.captures
                ],
            }
            for s in summary.moves
        ],
    }
