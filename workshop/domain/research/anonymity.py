"""Who a contribution is attributed to in views and exports.

In an organization-anonymous step, contributions are attributed to the
organization, not the person. The element itself then carries no person
(``author_id`` is empty); only the op log's ``actor`` keeps the participant.

This module serves the app's own views in the room. Everything that leaves
the app (exports, the bundle, ``workshop log``/``replay``) goes through
:mod:`workshop.domain.research.privacy`, the one rule for outputs, which also covers
boundaries, votes, agreement answers, claims and survey answers.
"""

from __future__ import annotations

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import FACILITATOR, LogRecord
from workshop.domain.model.session import Session
from workshop.domain.research.privacy import disclose


def author_label(session: Session, annotation: Annotation) -> str:
    """What the app's own views (in the room) show as the author of an annotation.

    The rule is :func:`workshop.domain.research.privacy.disclose`; in the room an
    anonymous contribution shows its organization whatever its size (the
    facilitator sees who is there anyway). Outputs that leave the app use the
    anonymity threshold: see :mod:`workshop.domain.research.privacy`.
    """
    shown = disclose(
        session, annotation.author_id, annotation.organization_id, anonymous=annotation.anonymous, threshold=1
    )
    return shown.label


def _is_anonymous(record: LogRecord) -> bool:
    return any(
        getattr(op, "kind", None) == "annotation" and bool((getattr(op, "data", None) or {}).get("anonymous"))
        for op in record.op.primitives()
    )


def public_actor(session: Session, record: LogRecord) -> str:
    """The actor of a log record as the app's views may show it (outputs: :meth:`privacy.Privacy.actor`).

    Participant actors are shown by name and organization, except in records
    that add anonymous contributions, which show the organization only.
    """
    if record.actor == FACILITATOR or not record.actor.startswith("participant:"):
        return record.actor
    participant = session.participants.get(record.actor.removeprefix("participant:"))
    org = session.organizations.get(participant.organization_id) if participant else None
    if _is_anonymous(record):
        return f"participant of {org.name} (anonymous)" if org else "participant (anonymous)"
    if participant is None:
        return "participant (left the session)"
    return f"{participant.name} ({org.name})" if org else participant.name


def attribution(session: Session, participant_id: str) -> dict[str, str | bool | None]:
    """The author fields for a participant's new annotation, honouring the current step's anonymity."""
    participant = session.participants[participant_id]
    if session.anonymous_step:
        return {"author_id": None, "organization_id": participant.organization_id, "anonymous": True}
    return {"author_id": participant_id, "organization_id": participant.organization_id, "anonymous": False}
