"""Walking a process model step by step, as a simulation workshop does.

A :class:`Walk` reads one walkthrough from the session (its recorded
:class:`WalkMove` s) and knows where the token stands and where it can go
next. It never changes the session: each move returns an operation for the
document to apply, so every move is in the op log with its time.

Rules of the walk:

* The token starts at a start event. At a decision the facilitator chooses
  the branch, unless the walkthrough's scenario presets it.
* A node with several outgoing flows that is not a decision is a parallel
  split: the paths are followed one after another. Each path runs until it
  reaches the *join* (the nearest node every path reaches) or an end event;
  then the walk goes back for the next path, and the last path goes on
  through the join.
* A flow between two organizations is a handoff: the token pauses on the
  flow itself, so the group talks about the handoff and not only the tasks.
* Stepping back is recorded as a new move (``move="back"``), so the record
  keeps the path really taken and the time really spent.
* Loops: the token may enter a node at most ``visit_limit`` times on its
  path; a move beyond that is blocked, and the walk says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import pairwise

from workshop.domain.model import naming
from workshop.domain.model.annotations import Annotation, AnnotationKind, KnowledgeBoundary, TargetKind
from workshop.domain.model.errors import OperationError
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import Operation, add, batch, update
from workshop.domain.model.process import Flow, Node, NodeKind, node_organization
from workshop.domain.model.session import Session
from workshop.domain.walkthrough.branching import adjacency, distances, join_of, outgoing
from workshop.domain.walkthrough.moves import WalkMove, Walkthrough


class WalkError(OperationError):
    """A move the walk cannot make (no branch chosen, visit limit, walk finished)."""


CAPTURE_KINDS: tuple[AnnotationKind, ...] = (
    AnnotationKind.COMMENT,
    AnnotationKind.PROBLEM,
    AnnotationKind.IDEA,
    AnnotationKind.QUESTION,
    AnnotationKind.REQUIREMENT,
)
"""What can be captured during a walk: note (comment), problem, idea, question, requirement."""


def _now(when: datetime | None) -> datetime:
    return when if when is not None else datetime.now(UTC)


def node_name(node: Node) -> str:
    """What a person reads for the node (see :mod:`workshop.domain.model.naming`)."""
    return naming.node_name(node)


def org_name(session: Session, org_id: str | None) -> str:
    org = session.organizations.get(org_id) if org_id else None
    return org.name if org else (org_id or "no organization")


def boundaries_at(session: Session, element_kind: str, element_id: str) -> list[KnowledgeBoundary]:
    """Knowledge boundaries on an element; for a handoff also those between its two organizations."""
    found = [b for b in session.boundaries.values() if b.target_kind == element_kind and b.target_id == element_id]
    if element_kind == "flow" and (flow := session.flows.get(element_id)) is not None:
        orgs = handoff_orgs(session, flow)
        if orgs:
            pair = set(orgs)
            found += [
                b
                for b in session.boundaries.values()
                if b.target_kind == TargetKind.ORGANIZATIONS and {b.org_a, b.org_b} == pair
            ]
    return sorted(found, key=lambda b: b.id)


@dataclass(frozen=True)
class Move:
    """One possible next position of the token."""

    move: str
    """forward, branch or parallel."""
    element_kind: str
    element_id: str
    flow_id: str | None
    label: str
    """What a button shows: the branch label and where it leads."""
    note: str
    """What the recorded move will say about how the token got there."""
    pending: tuple[str, ...]
    blocked: str = ""
    """Why the move is not allowed (visit limit), empty when it is."""


@dataclass(frozen=True)
class Handoff:
    """The token paused on a flow between two organizations."""

    flow_id: str
    from_org: str
    to_org: str
    from_name: str
    to_name: str
    boundaries: tuple[KnowledgeBoundary, ...]

    def banner(self) -> str:
        return f"Handoff: from {self.from_name} to {self.to_name}"


def start_walkthrough(
    session: Session,
    model_id: str,
    *,
    scenario: str = "",
    choices: dict[str, str] | None = None,
    start_node_id: str | None = None,
    visit_limit: int = 3,
    when: datetime | None = None,
    walkthrough_id: str | None = None,
) -> tuple[str, Operation]:
    """A new walkthrough with its token on a start event: ``(walkthrough id, batch to apply)``."""
    if model_id not in session.models:
        raise WalkError(f"no model with id {model_id!r}")
    nodes = [n for n in session.nodes.values() if n.model_id == model_id]
    if start_node_id is None:
        starts = sorted(  # the process's own: a sub-process's start is where the walk enters it
            (n for n in nodes if n.node_kind == NodeKind.START and n.parent_id is None), key=lambda n: (n.x, n.y, n.id)
        )
        if not starts:
            name = session.models[model_id].name
            raise WalkError(f"model {name!r} has no start event: add one, or start the walk at a chosen node")
        start = starts[0]
    else:
        found = session.nodes.get(start_node_id)
        if found is None or found.model_id != model_id:
            raise WalkError(f"node {start_node_id!r} is not in model {model_id!r}")
        start = found
    for decision, flow_id in (choices or {}).items():
        flow = session.flows.get(flow_id)
        if flow is None or flow.source_id != decision:
            raise WalkError(f"scenario choice {decision!r} -> {flow_id!r}: not a flow out of that decision")
    at = _now(when)
    wid = walkthrough_id or new_id("walkthrough")
    walkthrough = Walkthrough(
        id=wid, model_id=model_id, scenario=scenario, started=at, choices=choices or {}, visit_limit=visit_limit
    )
    first = WalkMove(
        id=new_id("walkstep"),  # the id prefix saved files already hold
        walkthrough_id=wid,
        index=0,
        element_id=start.id,
        entered=at,
        move="start",
        note=f"start at {node_name(start)!r}",
    )
    label = f"Start walkthrough {scenario!r}" if scenario else "Start walkthrough"
    return wid, batch(label, [add(walkthrough), add(first)])


def walk_moves(session: Session, walkthrough_id: str) -> list[WalkMove]:
    """The recorded moves of one walkthrough, in order."""
    return sorted((m for m in session.walk_steps.values() if m.walkthrough_id == walkthrough_id), key=lambda m: m.index)


def logical_path(moves: list[WalkMove]) -> list[WalkMove]:
    """The path the token stands on now: every move pushes, a step back pops."""
    path: list[WalkMove] = []
    for taken in moves:
        if taken.move == "back":
            if len(path) > 1:
                path.pop()
        else:
            path.append(taken)
    return path


def walked_choices(session: Session, walkthrough_id: str) -> dict[str, str]:
    """The branches a walkthrough fixed: its scenario's presets, plus decisions it took one way only.

    A branch that leads back to its own decision (into a loop) is not fixed,
    or repeating the walk (or its what-if) would loop for ever.
    """
    walkthrough = session.walkthroughs[walkthrough_id]
    taken: defaultdict[str, set[str]] = defaultdict(set)
    moves = walk_moves(session, walkthrough_id)
    for before, after in pairwise(moves):
        if after.move != "branch" or before.element_kind != "node":
            continue
        if after.element_kind == "flow":
            flow = session.flows.get(after.element_id)
        else:
            flow = next(
                (f for f in outgoing(session, before.element_id) if f.target_id == after.element_id),
                None,
            )
        if flow is not None:
            taken[flow.source_id].add(flow.id)
    adj = adjacency(session, walkthrough.model_id)
    choices = {}
    for decision, flows in taken.items():
        if len(flows) != 1:
            continue
        flow_id = next(iter(flows))
        # a branch back into a loop is one pass of it; how often it repeats stays the model's question
        if decision not in distances(session, session.flows[flow_id].target_id, adj):
            choices[decision] = flow_id
    return {**choices, **walkthrough.choices}


class Walk:
    """Where one walkthrough stands, and the operations that move it on."""

    def __init__(self, session: Session, walkthrough_id: str) -> None:
        walkthrough = session.walkthroughs.get(walkthrough_id)
        if walkthrough is None:
            raise WalkError(f"no walkthrough with id {walkthrough_id!r}")
        self.session = session
        self.walkthrough = walkthrough
        self.moves_taken = walk_moves(session, walkthrough_id)
        if not self.moves_taken:
            raise WalkError(f"walkthrough {walkthrough_id!r} has no moves")
        self.path = logical_path(self.moves_taken)
        self.adj = adjacency(session, walkthrough.model_id)

    # -- where the token is -------------------------------------------------

    @property
    def last_move(self) -> WalkMove:
        """The move that brought the token where it stands."""
        return self.moves_taken[-1]

    @property
    def position(self) -> tuple[str, str]:
        return self.last_move.element_kind, self.last_move.element_id

    @property
    def finished(self) -> bool:
        return self.walkthrough.finished is not None

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(f for f in self.last_move.pending if f in self.session.flows)

    def current_node(self) -> Node | None:
        kind, element_id = self.position
        return self.session.nodes.get(element_id) if kind == "node" else None

    def current_flow(self) -> Flow | None:
        kind, element_id = self.position
        return self.session.flows.get(element_id) if kind == "flow" else None

    def visits(self, node_id: str) -> int:
        """How often the token has entered ``node_id`` on its current path."""
        return sum(1 for s in self.path if s.element_kind == "node" and s.element_id == node_id)

    def handoff(self) -> Handoff | None:
        flow = self.current_flow()
        orgs = handoff_orgs(self.session, flow) if flow else None
        if flow is None or orgs is None:
            return None
        return Handoff(
            flow_id=flow.id,
            from_org=orgs[0],
            to_org=orgs[1],
            from_name=org_name(self.session, orgs[0]),
            to_name=org_name(self.session, orgs[1]),
            boundaries=tuple(boundaries_at(self.session, "flow", flow.id)),
        )

    def boundaries(self) -> list[KnowledgeBoundary]:
        return boundaries_at(self.session, *self.position)

    def organization(self) -> str | None:
        """The organization whose lane is highlighted: the node's, or the receiving one at a handoff."""
        node = self.current_node()
        if node is not None:
            return node_organization(node, self.session.lanes)
        handoff = self.handoff()
        return handoff.to_org if handoff else None

    # -- where it can go ----------------------------------------------------

    def moves(self) -> list[Move]:
        """The possible next positions; several only at a decision. Empty at the end of the walk."""
        if self.finished:
            return []
        flow = self.current_flow()
        pending = self.pending
        if flow is not None:
            return [self._enter(flow, "forward", pending, f"on to {node_name(self.session.nodes[flow.target_id])!r}")]
        node = self.current_node()
        if node is None:
            return []
        inner = self._inner_start(node)
        if inner is not None:  # a sub-process: the walk goes inside, to its start
            note = f"into {node_name(node)!r}"
            return [Move("forward", "node", inner.id, None, node_name(inner), note, pending, self._blocked(inner))]
        out = outgoing(self.session, node.id, self.adj)
        while (not out or node.node_kind == NodeKind.END) and not pending and node.parent_id in self.session.nodes:
            node = self.session.nodes[node.parent_id or ""]  # its end reached: on from the sub-process it is in
            out = outgoing(self.session, node.id, self.adj)
        if not out or node.node_kind == NodeKind.END:
            return [self._next_parallel(pending, f"{node_name(node)!r} ends this path")] if pending else []
        if node.node_kind == NodeKind.DECISION and len(out) > 1:
            return [
                self._enter(f, "branch", pending, f"branch {self._flow_text(f)!r} at {node_name(node)!r}") for f in out
            ]
        if len(out) > 1:
            rest = tuple(f.id for f in out[1:])
            others = ", ".join(repr(self._flow_text(f)) for f in out[1:])
            note = (
                f"parallel paths from {node_name(node)!r}: following 1 of {len(out)} "
                f"({self._flow_text(out[0])!r}), then {others}"
            )
            return [self._enter(out[0], "parallel", rest + pending, note)]
        return [self._enter(out[0], "forward", pending, "")]

    def preset_move(self) -> Move | None:
        """The branch the scenario takes here, if it presets one."""
        node = self.current_node()
        if node is None:
            return None
        flow_id = self.walkthrough.choices.get(node.id)
        return next((m for m in self.moves() if m.flow_id == flow_id), None) if flow_id else None

    def needs_choice(self) -> bool:
        """True at a decision where the facilitator has to say which branch the case takes."""
        moves = self.moves()
        if len(moves) < 2:
            return False
        preset = self.preset_move()
        return preset is None or bool(preset.blocked)

    def limit_reached(self) -> list[Move]:
        """Moves blocked by the visit limit here: the loop the walk reports."""
        return [m for m in self.moves() if m.blocked]

    def _inner_start(self, node: Node) -> Node | None:
        """The start event inside a sub-process the walk enters (the leftmost), None for any other node."""
        if not node.is_sub_process:
            return None
        starts = [n for n in self.session.nodes.values() if n.parent_id == node.id and n.node_kind == NodeKind.START]
        return min(starts, key=lambda n: (n.x, n.y, n.id), default=None)

    def _flow_text(self, flow: Flow) -> str:
        return flow.label or flow.condition or node_name(self.session.nodes[flow.target_id])

    def _enter(self, flow: Flow, move: str, pending: tuple[str, ...], note: str) -> Move:
        """The move along ``flow``: pause on it at a handoff, else enter its target (or turn at a join)."""
        target = self.session.nodes[flow.target_id]
        at_flow = self.current_flow() is not None
        orgs = None if at_flow else handoff_orgs(self.session, flow)
        if orgs is not None:
            names = f"{org_name(self.session, orgs[0])} → {org_name(self.session, orgs[1])}"
            label = f"{self._flow_text(flow)} → handoff {names}"
            return Move(move, "flow", flow.id, flow.id, label, note, pending, self._blocked(target))
        if pending and self._is_join(target.id, pending):
            return self._next_parallel(pending, f"this path reaches the join {node_name(target)!r}")
        label = f"{self._flow_text(flow)} → {node_name(target)}" if move == "branch" else node_name(target)
        return Move(move, "node", target.id, flow.id, label, note, pending, self._blocked(target))

    def _is_join(self, node_id: str, pending: tuple[str, ...]) -> bool:
        split = self.session.flows[pending[0]].source_id
        return join_of(self.session, split, self.adj) == node_id

    def _next_parallel(self, pending: tuple[str, ...], why: str) -> Move:
        flow = self.session.flows[pending[0]]
        split = self.session.nodes[flow.source_id]
        total = len(outgoing(self.session, split.id, self.adj))
        left = sum(1 for f in pending if self.session.flows[f].source_id == split.id)
        note = f"{why}; next parallel path from {node_name(split)!r} ({total - left + 1} of {total})"
        rest = pending[1:]
        target = self.session.nodes[flow.target_id]
        if handoff_orgs(self.session, flow) is not None:
            label = f"next parallel path: {self._flow_text(flow)} (handoff)"
            return Move("parallel", "flow", flow.id, flow.id, label, note, rest, self._blocked(target))
        label = f"next parallel path: {node_name(target)}"
        return Move("parallel", "node", target.id, flow.id, label, note, rest, self._blocked(target))

    def _blocked(self, target: Node) -> str:
        limit = self.walkthrough.visit_limit
        if self.visits(target.id) >= limit:
            return f"visit limit reached: {node_name(target)!r} was entered {limit} times (a loop)"
        return ""

    # -- operations ---------------------------------------------------------

    def _record_move(self, *, kind: str, element_id: str, when: datetime | None, **fields: object) -> Operation:
        taken = WalkMove(
            id=new_id("walkstep"),  # the id prefix saved files already hold
            walkthrough_id=self.walkthrough.id,
            index=self.last_move.index + 1,
            element_kind=kind,
            element_id=element_id,
            entered=_now(when),
            **fields,
        )
        # a one-operation batch, so the undo menu and the log say what the gesture was
        verb = {"back": "back to", "jump": "jump to"}.get(str(fields.get("move")), "to")
        return batch(f"Walk {verb} {self._element_text(kind, element_id)}", [add(taken)])

    def _element_text(self, kind: str, element_id: str) -> str:
        if kind == "flow" and (flow := self.session.flows.get(element_id)) is not None:
            orgs = handoff_orgs(self.session, flow)
            if orgs:
                return f"handoff {org_name(self.session, orgs[0])} → {org_name(self.session, orgs[1])}"
            return f"flow {self._flow_text(flow)!r}"
        node = self.session.nodes.get(element_id)
        return repr(node_name(node)) if node else element_id

    def _check_open(self) -> None:
        if self.finished:
            raise WalkError("this walkthrough is finished; start a new one")

    def forward(self, flow_id: str | None = None, *, when: datetime | None = None) -> Operation:
        """Step forward; at a decision ``flow_id`` names the branch (or the scenario's preset is taken)."""
        self._check_open()
        moves = self.moves()
        if not moves:
            raise WalkError("the walk has reached an end: finish it, step back or jump to a node")
        chosen: Move | None
        if flow_id is not None:
            chosen = next((m for m in moves if m.flow_id == flow_id), None)
            if chosen is None:
                raise WalkError(f"flow {flow_id!r} is not a way on from here")
        elif len(moves) == 1:
            chosen = moves[0]
        else:
            chosen = self.preset_move()
            if chosen is None:
                options = "; ".join(m.label for m in moves)
                raise WalkError(f"choose a branch: {options}")
            chosen = replace(chosen, note=f"scenario: {chosen.note}")
        if chosen.blocked:
            raise WalkError(chosen.blocked)
        return self._record_move(
            kind=chosen.element_kind,
            element_id=chosen.element_id,
            when=when,
            move=chosen.move,
            note=chosen.note,
            pending=list(chosen.pending),
        )

    def back(self, *, when: datetime | None = None) -> Operation:
        """Step back to the previous position, recorded as a new step."""
        self._check_open()
        if len(self.path) < 2:
            raise WalkError("already at the start of the walk")
        previous = self.path[-2]
        return self._record_move(
            kind=previous.element_kind,
            element_id=previous.element_id,
            when=when,
            move="back",
            note="stepped back",
            pending=list(previous.pending),
        )

    def jump(self, node_id: str, *, when: datetime | None = None) -> Operation:
        """Put the token on any node of the model (pending parallel paths are dropped)."""
        self._check_open()
        node = self.session.nodes.get(node_id)
        if node is None or node.model_id != self.walkthrough.model_id:
            raise WalkError(f"node {node_id!r} is not in this walkthrough's model")
        note = f"jump to {node_name(node)!r}"
        return self._record_move(kind="node", element_id=node.id, when=when, move="jump", note=note)

    def finish(self, *, when: datetime | None = None) -> Operation:
        self._check_open()
        finished = update("walkthrough", self.walkthrough.id, finished=_now(when).isoformat())
        return batch("Finish walkthrough", [finished])

    def capture(
        self,
        kind: AnnotationKind | str,
        text: str,
        *,
        author_id: str | None = None,
        organization_id: str | None = None,
        when: datetime | None = None,
    ) -> Operation:
        """An annotation on the current node or flow, tied to the walk's last move."""
        if not text.strip():
            raise WalkError("write something to capture")
        element_kind, element_id = self.position
        current = self.session.current_step
        annotation = Annotation(
            id=new_id("annotation"),
            annotation_kind=AnnotationKind(kind),
            text=text.strip(),
            target_kind=TargetKind(element_kind),
            target_id=element_id,
            author_id=author_id,
            organization_id=organization_id,
            created=_now(when),
            intervention_id=current.intervention_id if current else None,
            step_id=current.step_id if current else None,
            walkthrough_id=self.walkthrough.id,
            walkthrough_step=self.last_move.index,
        )
        where = self._element_text(element_kind, element_id)
        return batch(f"Capture {annotation.annotation_kind} at {where}", [add(annotation)])

    # -- words --------------------------------------------------------------

    def notice(self) -> tuple[str, str] | None:
        """What the room should be told at a node, as (title, text): parallel paths, a loop, a decision, the end."""
        node = self.current_node()
        if node is None or self.finished:
            return None
        moves = self.moves()
        if not moves:
            return "End of the walk", f"{node_name(node)!r}: finish the walkthrough, step back or jump"
        if len(moves) == 1 and moves[0].move == "parallel" and moves[0].note.startswith("parallel paths"):
            return "Parallel paths", moves[0].note
        if len(moves) == 1 and moves[0].move == "parallel":
            return "Next parallel path", moves[0].note
        blocked = [m.blocked for m in moves if m.blocked]
        if blocked:
            return "Loop", blocked[0]
        if self.needs_choice():
            return "Decision", f"{node_name(node)}: " + " / ".join(m.label for m in moves)
        return None

    def describe(self) -> str:
        """One line for the panel: where the token is and what happens next."""
        handoff = self.handoff()
        if handoff is not None:
            text = handoff.banner()
            count = len(handoff.boundaries)
            if count:
                text += f" — {count} knowledge boundar{'y' if count == 1 else 'ies'}"
            return text
        node = self.current_node()
        if node is None:
            return "the walk stands on an element that no longer exists: jump to a node"
        text = f"{node_name(node)} ({org_name(self.session, node_organization(node, self.session.lanes))})"
        if self.finished:
            return f"{text} — walkthrough finished"
        notice = self.notice()
        if notice is None:
            return text
        title, detail = notice
        if title == "Decision":
            return f"{text} — decision: choose the branch taken"
        if title == "End of the walk":
            return f"{text} — end of the walk"
        return f"{text} — {detail}"
