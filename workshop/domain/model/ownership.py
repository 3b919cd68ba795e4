"""Contested ownership: several organizations may claim an activity until the facilitator resolves it.

Setting an owner directly lets the last edit win silently; in a room of
organizations negotiating accountability that hides the disagreement. A
claim is an element of its own, so every claim, and the resolution, is in
the record.
"""

from __future__ import annotations

from collections import defaultdict

from workshop.domain.model.claims import OwnershipClaim
from workshop.domain.model.errors import OperationError
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import BatchOp, Operation, add, update
from workshop.domain.model.session import Session


def claim_op(session: Session, node_id: str, organization_id: str, participant_id: str | None = None) -> Operation:
    """An organization (through one of its participants) claims to own a node."""
    for claim in session.claims.values():
        if not claim.resolved and claim.node_id == node_id and claim.organization_id == organization_id:
            raise OperationError(f"{session.organizations[organization_id].name} has already claimed this activity")
    return add(
        OwnershipClaim(
            id=new_id("claim"), node_id=node_id, organization_id=organization_id, participant_id=participant_id
        )
    )


def contested(session: Session) -> dict[str, list[str]]:
    """Nodes whose ownership is disputed: node id -> organizations claiming it (including the current owner).

    A node is contested when its open claims name an organization other than its owner,
    or when two or more organizations claim an unowned node.
    """
    claimants: dict[str, set[str]] = defaultdict(set)
    for claim in session.claims.values():
        if not claim.resolved:
            claimants[claim.node_id].add(claim.organization_id)
    result: dict[str, list[str]] = {}
    for node_id, orgs in claimants.items():
        owner = session.nodes[node_id].owner_org_id
        everyone = orgs | ({owner} if owner else set())
        if len(everyone) > 1:
            result[node_id] = sorted(everyone)
    return result


def resolve_op(session: Session, node_id: str, organization_id: str, *, role: str = "") -> BatchOp:
    """The facilitator's decision: one owner, and every open claim on the node marked resolved."""
    if node_id not in session.nodes:
        raise OperationError(f"no node with id {node_id!r}")
    node = session.nodes[node_id]
    person = session.participants.get(node.owner_participant_id or "")
    keep_person = person is not None and person.organization_id == organization_id
    ops: list[Operation] = [
        update(
            "node",
            node_id,
            owner_org_id=organization_id,
            owner_role=role,
            owner_participant_id=node.owner_participant_id if keep_person else None,
        )
    ]
    ops += [
        update("claim", claim.id, resolved=True)
        for claim in session.claims.values()
        if claim.node_id == node_id and not claim.resolved
    ]
    name = session.organizations[organization_id].name if organization_id in session.organizations else organization_id
    return BatchOp(label=f"Resolve ownership: {name}", ops=ops)
