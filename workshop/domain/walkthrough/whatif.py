"""Quantitative what-if for a (future) process: expected lead time, touch time, waits at handoffs.

The calculation is exact and analytic, not a simulation. Inputs: each node's
``duration_minutes`` (touch time, work) and ``wait_minutes`` (time the case
waits there), and ``probability`` on the flows out of every decision.

* **Touch and waiting time** are expected sums over every visit of every
  token: the expected visit counts solve ``v = e_start + Mᵀ v`` (an
  absorbing Markov chain; loops are fine as long as they can be left).
* **Parallel paths** (a non-decision node with several outgoing flows) send
  one token down each path; side tokens merge at the paths' *join* (the
  nearest node they all reach, as in the walk), so work after the join
  counts once. To keep this exact, each side path lives in its own copy of
  the graph where the join absorbs.
* **Lead time** is the expected time from the start to the end along the
  critical path: ``T(n) = d(n) + w(n) + E[T(next)]`` at a decision and the
  longest of the paths at a parallel split (the maximum of the paths'
  expected times; exact when no decision lies between a split and its join).
  The maximum is found by policy iteration over the linear systems.
* Per organization: touch and waiting time of its nodes, and its share of
  the lead time (the same linear system with only its nodes' times).
* Handoffs: expected crossings of each flow between two organizations and
  the waiting time the case spends at the receiving end.

Linear systems are solved by Gaussian elimination with partial pivoting
(models have tens to hundreds of nodes), so the domain needs no numpy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from workshop.domain.model.errors import OperationError
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.naming import flow_name
from workshop.domain.model.process import Flow, Node, NodeKind, node_organization
from workshop.domain.model.session import Session
from workshop.domain.walkthrough.branching import Adjacency, adjacency, join_of, outgoing
from workshop.domain.walkthrough.walk import node_name, org_name, walked_choices

PROBABILITY_TOLERANCE = 1e-6

State = tuple[str, str]
"""(layer, node id): layer "" is the main token; "split:i" a side path of a parallel split."""


class WhatIfError(OperationError):
    """The model lacks what the calculation needs (probabilities, a start, a way out of a loop)."""


@dataclass(frozen=True)
class OrganizationFigures:
    organization_id: str
    name: str
    touch_minutes: float
    wait_minutes: float
    lead_minutes: float
    """This organization's share of the expected lead time (critical path)."""


@dataclass(frozen=True)
class HandoffLoss:
    flow_id: str
    from_org: str
    to_org: str
    crossings: float
    """Expected times a case crosses this handoff."""
    wait_minutes: float
    """Expected waiting at the receiving node caused by these crossings."""


@dataclass(frozen=True)
class WhatIf:
    model_id: str
    scenario: str
    lead_minutes: float
    touch_minutes: float
    wait_minutes: float
    organizations: tuple[OrganizationFigures, ...]
    handoffs: tuple[HandoffLoss, ...]
    """Sorted by waiting time lost, largest first."""
    visits: dict[str, float] = field(default_factory=dict)
    """Expected visits per node (all tokens)."""
    missing_durations: tuple[str, ...] = ()
    """Activities without a duration (counted as 0 minutes)."""


SparseRows = list[dict[int, float]]
"""A square matrix as one {column: value} dict per row."""


def solve(rows: SparseRows, rhs: list[float]) -> list[float]:
    """Solve ``A · x = rhs`` for a sparse ``A``; raises ZeroDivisionError when it is singular.

    Gaussian elimination with partial pivoting on dict rows: process graphs
    are sparse and nearly acyclic, so fill-in stays small and a model of
    thousands of nodes solves in well under a second.
    """
    n = len(rhs)
    a = [dict(row) for row in rows]
    b = list(rhs)
    in_column: defaultdict[int, set[int]] = defaultdict(set)
    for r, row in enumerate(a):
        for c in row:
            in_column[c].add(r)
    pivots: list[tuple[int, int]] = []
    used: set[int] = set()
    for col in range(n):
        candidates = [r for r in in_column[col] if r not in used]
        if not candidates:
            raise ZeroDivisionError("singular")
        pivot = max(candidates, key=lambda r: (abs(a[r][col]), r == col, -r))
        value = a[pivot][col]
        if abs(value) < 1e-12:
            raise ZeroDivisionError("singular")
        used.add(pivot)
        pivots.append((col, pivot))
        for r in candidates:
            if r == pivot:
                continue
            factor = a[r].pop(col) / value
            in_column[col].discard(r)
            for c, v in a[pivot].items():
                if c == col:
                    continue
                updated = a[r].get(c, 0.0) - factor * v
                if abs(updated) < 1e-15:
                    a[r].pop(c, None)
                    in_column[c].discard(r)
                else:
                    a[r][c] = updated
                    in_column[c].add(r)
            b[r] -= factor * b[pivot]
    x = [0.0] * n
    for col, pivot in reversed(pivots):
        row = a[pivot]
        x[col] = (b[pivot] - sum(v * x[c] for c, v in row.items() if c != col)) / row[col]
    return x


def _identity_minus(n: int, entries: list[tuple[int, int, float]]) -> SparseRows:
    """The rows of ``I - W`` for the weights ``W[row][col]`` given as (row, col, weight)."""
    rows: SparseRows = [{i: 1.0} for i in range(n)]
    for row, col, weight in entries:
        rows[row][col] = rows[row].get(col, 0.0) - weight
    return rows


def branch_probabilities(
    session: Session, node: Node, choices: dict[str, str], adj: Adjacency | None = None
) -> list[tuple[Flow, float]]:
    """The flows out of a decision with their probabilities; checks they are all given and sum to 1."""
    out = outgoing(session, node.id, adj)
    chosen = choices.get(node.id)
    if chosen is not None and any(f.id == chosen for f in out):
        return [(f, 1.0 if f.id == chosen else 0.0) for f in out]
    if len(out) == 1:
        return [(out[0], 1.0)]
    missing = [f for f in out if f.probability is None]
    if missing:
        names = ", ".join(repr(flow_name(session, f)) for f in missing)
        raise WhatIfError(f"decision {node_name(node)!r}: no probability on {names}")
    total = sum(f.probability or 0.0 for f in out)
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        raise WhatIfError(
            f"decision {node_name(node)!r}: branch probabilities sum to {total:g}, not 1 "
            f"({', '.join(f'{flow_name(session, f)!r} {f.probability:g}' for f in out)})"
        )
    return [(f, f.probability or 0.0) for f in out]


class _Graph:
    """The layered state graph: transitions with weights, and the choices at parallel splits."""

    def __init__(self, session: Session, start: str, choices: dict[str, str]) -> None:
        self.session = session
        self.index: dict[State, int] = {}
        self.states: list[State] = []
        self.edges: dict[State, list[tuple[State, float, Flow]]] = defaultdict(list)
        self.splits: dict[State, list[tuple[State, State | None]]] = {}
        """Parallel split -> options for the lead time: (first state of a path, join state to add or None)."""
        self.joins: dict[str, str | None] = {}
        self.adj = adjacency(session, session.nodes[start].model_id)
        self._build(("", start), choices)

    def absorbing(self, state: State) -> bool:
        layer, node_id = state
        return bool(layer) and self.joins.get(layer.rsplit(":", 1)[0]) == node_id

    def _join(self, split_id: str) -> str | None:
        if split_id not in self.joins:
            self.joins[split_id] = join_of(self.session, split_id, self.adj)
        return self.joins[split_id]

    def _build(self, first: State, choices: dict[str, str]) -> None:
        todo = [first]
        while todo:
            state = todo.pop()
            if state in self.index:
                continue
            self.index[state] = len(self.states)
            self.states.append(state)
            layer, node_id = state
            node = self.session.nodes[node_id]
            out = outgoing(self.session, node_id, self.adj)
            targets: list[tuple[State, float, Flow]] = []
            if node.node_kind == NodeKind.END or not out:
                pass
            elif node.node_kind == NodeKind.DECISION:
                targets = [
                    ((layer, f.target_id), p, f) for f, p in branch_probabilities(self.session, node, choices, self.adj)
                ]
            elif len(out) == 1:
                targets = [((layer, out[0].target_id), 1.0, out[0])]
            else:
                join = self._join(node_id)
                options: list[tuple[State, State | None]] = []
                for i, flow in enumerate(out):
                    target_layer = layer if i == 0 else f"{node_id}:{i}"
                    target = (target_layer, flow.target_id)
                    targets.append((target, 1.0, flow))
                    options.append((target, (layer, join) if i and join else None))
                self.splits[state] = options
            for target, weight, flow in targets:
                self.edges[state].append((target, weight, flow))
                if not self.absorbing(target):
                    todo.append(target)
            for _target, join_state in self.splits.get(state, []):
                if join_state is not None and not self.absorbing(join_state):
                    todo.append(join_state)

    def live(self, state: State) -> bool:
        return state in self.index and not self.absorbing(state)


def _loop_error(session: Session, what: str) -> WhatIfError:
    return WhatIfError(f"{what}: the model loops without a way out (check the branch probabilities of its loops)")


def what_if(
    session: Session,
    model_id: str,
    *,
    choices: dict[str, str] | None = None,
    start_node_id: str | None = None,
    scenario: str = "expected (branch probabilities)",  # BASE_SCENARIO
) -> WhatIf:
    """Expected lead, touch and waiting time of one model; ``choices`` force branches (a scenario)."""
    model = session.models.get(model_id)
    if model is None:
        raise WhatIfError("the model to calculate is gone (it was removed)")
    if start_node_id is None:
        starts = sorted(
            (  # the process's own start: a sub-process's start is where its contents begin
                n
                for n in session.nodes.values()
                if n.model_id == model_id and n.node_kind == NodeKind.START and n.parent_id is None
            ),
            key=lambda n: (n.x, n.y, n.id),
        )
        if not starts:
            raise WhatIfError(f"model {model.name!r} has no start event")
        start_node_id = starts[0].id
    graph = _Graph(session, start_node_id, choices or {})
    states = [s for s in graph.states if graph.live(s)]
    pos = {s: i for i, s in enumerate(states)}
    n = len(states)
    nodes = session.nodes

    def minutes(state: State) -> tuple[float, float]:
        node = nodes[state[1]]
        return node.duration_minutes or 0.0, node.wait_minutes or 0.0

    # expected visits: (I - Mᵀ) v = e_start
    entries = [
        (pos[target], pos[source], weight)
        for source in states
        for target, weight, _flow in graph.edges[source]
        if target in pos
    ]
    rhs = [0.0] * n
    rhs[pos[("", start_node_id)]] = 1.0
    try:
        visits = solve(_identity_minus(n, entries), rhs)
    except ZeroDivisionError:
        raise _loop_error(session, f"model {model.name!r}") from None
    if any(v < -1e-9 for v in visits):
        raise _loop_error(session, f"model {model.name!r}")

    lead, shares = _lead_times(session, graph, states, pos, start_node_id, minutes)

    touch: defaultdict[str, float] = defaultdict(float)
    wait: defaultdict[str, float] = defaultdict(float)
    per_node: defaultdict[str, float] = defaultdict(float)
    for state, v in zip(states, visits, strict=True):
        d, w = minutes(state)
        org = node_organization(nodes[state[1]], session.lanes) or ""
        touch[org] += v * d
        wait[org] += v * w
        per_node[state[1]] += v

    crossings: defaultdict[str, float] = defaultdict(float)
    lost: defaultdict[str, float] = defaultdict(float)
    for source in states:
        for target, weight, flow in graph.edges[source]:
            if handoff_orgs(session, flow) is not None:
                crossings[flow.id] += visits[pos[source]] * weight
                if target in pos:
                    lost[flow.id] += visits[pos[source]] * weight * minutes(target)[1]
    handoffs = []
    for flow_id, count in crossings.items():
        flow = session.flows[flow_id]
        a, b = handoff_orgs(session, flow) or ("", "")
        handoffs.append(HandoffLoss(flow_id, a, b, count, lost[flow_id]))
    handoffs.sort(key=lambda h: (-h.wait_minutes, -h.crossings, h.flow_id))

    orgs = sorted(set(touch) | set(shares), key=lambda o: (o == "", org_name(session, o)))
    figures = tuple(
        OrganizationFigures(o, org_name(session, o or None), touch[o], wait[o], shares.get(o, 0.0)) for o in orgs
    )
    missing = tuple(
        sorted(
            {
                s[1]
                for s in states
                if nodes[s[1]].node_kind == NodeKind.ACTIVITY and nodes[s[1]].duration_minutes is None
            }
        )
    )
    return WhatIf(
        model_id=model_id,
        scenario=scenario,
        lead_minutes=lead,
        touch_minutes=sum(touch.values()),
        wait_minutes=sum(wait.values()),
        organizations=figures,
        handoffs=tuple(handoffs),
        visits=dict(per_node),
        missing_durations=missing,
    )


def _lead_times(
    session: Session,
    graph: _Graph,
    states: list[State],
    pos: dict[State, int],
    start: str,
    minutes: Callable[[State], tuple[float, float]],
) -> tuple[float, dict[str, float]]:
    """Expected critical-path time from the start, and each organization's share of it."""
    n = len(states)
    policy = {split: 0 for split in graph.splits if split in pos}

    def chain() -> list[tuple[int, int, float]]:
        """``A`` of ``T = c + A T`` under the current policy, as (row, col, weight)."""
        entries = []
        for state in states:
            row = pos[state]
            if state in policy:
                target, join = graph.splits[state][policy[state]]
                entries += [(row, pos[part], 1.0) for part in (target, join) if part is not None and part in pos]
            else:
                entries += [(row, pos[t], w) for t, w, _flow in graph.edges[state] if t in pos]
        return entries

    def system(entries: list[tuple[int, int, float]], rhs: list[float]) -> list[float]:
        try:
            return solve(_identity_minus(n, entries), rhs)
        except ZeroDivisionError:
            raise _loop_error(session, "lead time") from None

    costs = [sum(minutes(s)) for s in states]
    for _round in range(100):
        times = system(chain(), costs)

        def value(option: tuple[State, State | None], times: list[float] = times) -> float:
            return sum(times[pos[p]] for p in option if p is not None and p in pos)

        changed = False
        for split in policy:
            options = graph.splits[split]
            best = max(range(len(options)), key=lambda i: (value(options[i]), -i))
            if value(options[best]) > value(options[policy[split]]) + 1e-9:
                policy[split] = best
                changed = True
        if not changed:
            break
    start_row = pos[("", start)]
    # time spent at each state on the critical path: u solves (I - A)ᵀ u = e_start,
    # and T(start) = u · c, so an organization's share is u · c restricted to its nodes
    unit = [0.0] * n
    unit[start_row] = 1.0
    occupancy = system([(col, row, w) for row, col, w in chain()], unit)
    shares: defaultdict[str, float] = defaultdict(float)
    for state, u, cost in zip(states, occupancy, costs, strict=True):
        if u * cost:
            shares[node_organization(session.nodes[state[1]], session.lanes) or ""] += u * cost
    return times[start_row], dict(shares)


BASE_SCENARIO = "expected (branch probabilities)"


@dataclass(frozen=True)
class ScenarioProblem:
    """A scenario that could not be calculated, and why."""

    scenario: str
    message: str


def scenarios(session: Session, model_id: str) -> tuple[list[WhatIf], list[ScenarioProblem]]:
    """The model with its branch probabilities, then one figure per walkthrough of it (its scenario).

    A scenario that cannot be calculated (say, probabilities missing on a
    branch the walk did not fix) is reported and the others still are.
    """
    runs: list[tuple[str, dict[str, str]]] = [(BASE_SCENARIO, {})]
    for walkthrough in sorted(session.walkthroughs.values(), key=lambda w: (w.started is None, w.started, w.id)):
        if walkthrough.model_id == model_id:
            name = walkthrough.scenario or f"walkthrough {walkthrough.id}"
            runs.append((name, walked_choices(session, walkthrough.id)))
    results: list[WhatIf] = []
    problems: list[ScenarioProblem] = []
    for name, choices in runs:
        try:
            results.append(what_if(session, model_id, choices=choices, scenario=name))
        except WhatIfError as error:
            problems.append(ScenarioProblem(name, str(error)))
    return results, problems
