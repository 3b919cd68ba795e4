"""What a claim to own an activity records; claiming and resolving are in :mod:`workshop.domain.model.ownership`."""

from __future__ import annotations

from typing import ClassVar

from workshop.domain.model.entity import Entity, register


@register
class OwnershipClaim(Entity):
    """An organization's claim to own an activity, kept until the facilitator resolves it."""

    kind: ClassVar[str] = "claim"
    collection: ClassVar[str] = "claims"
    refs: ClassVar[dict[str, str]] = {
        "node_id": "node",
        "organization_id": "organization",
        "participant_id": "participant",
    }

    node_id: str
    organization_id: str
    participant_id: str | None = None
    resolved: bool = False
