"""Handoffs: flows that cross from one organization to another — the one place that says which.

The canvas draws them thick and red, the walkthrough pauses on them, the
analysis counts them, the what-if totals the waiting lost at them, exports
mark them and the phones draw them: all ask :func:`handoff_orgs`.
"""

from __future__ import annotations

from workshop.domain.model.process import Flow, node_organization
from workshop.domain.model.session import Session


def handoff_orgs(session: Session, flow: Flow) -> tuple[str, str] | None:
    """``(from_org, to_org)`` when the flow crosses between two organizations, else None."""
    source = session.nodes.get(flow.source_id)
    target = session.nodes.get(flow.target_id)
    if source is None or target is None:
        return None
    return crossing(flow, node_organization(source, session.lanes), node_organization(target, session.lanes))


def crossing(flow: Flow, source_org: str | None, target_org: str | None) -> tuple[str, str] | None:
    """The rule itself, given the organizations of the flow's two ends (a view that keeps each node's
    organization asks this instead of looking both nodes up again)."""
    if not flow.is_sequence:  # data and note links hand nothing over
        return None
    a, b = source_org, target_org
    if a and b and a != b:
        return a, b
    return None


def is_handoff(session: Session, flow: Flow) -> bool:
    return handoff_orgs(session, flow) is not None
