"""Handoffs: flows that cross from one organization to another — the one place that says which.

The canvas draws them thick and red, the walkthrough pauses on them, the
analysis counts them, the what-if totals the waiting lost at them, exports
mark them and the phones draw them: all ask :func:`handoff_orgs`.
"""

from __future__ import annotations

from workshop.domain.process import Flow, node_organization
from workshop.domain.session import Session


def handoff_orgs(session: Session, flow: Flow) -> tuple[str, str] | None:
    """``(from_org, to_org)`` when the flow crosses between two organizations, else None."""
    source = session.nodes.get(flow.source_id)
    target = session.nodes.get(flow.target_id)
    if source is None or target is None or not flow.is_sequence:  # data and note links hand nothing over
        return None
    a = node_organization(source, session.lanes)
    b = node_organization(target, session.lanes)
    if a and b and a != b:
        return a, b
    return None


def is_handoff(session: Session, flow: Flow) -> bool:
    return handoff_orgs(session, flow) is not None
