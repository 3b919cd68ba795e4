"""Who a contribution is attributed to in views and exports.

In an organization-anonymous step, contributions are attributed to the
organization, not the person. The element itself then carries no person
(``author_id`` is empty); only the op log's ``actor`` keeps the participant,
and every export of the log goes through :func:`public_actor`, which never
reveals it for such records.
"""

from __future__ import annotations

from workshop.domain.annotations import Annotation
from workshop.domain.document import FACILITATOR, LogRecord
from workshop.domain.session import Session


def author_label(session: Session, annotation: Annotation) -> str:
    """What any view shows as the author of an annotation."""
    org = session.organizations.get(annotation.organization_id or "")
    if annotation.anonymous:
        return f"{org.name} (anonymous)" if org else "anonymous"
    person = session.participants.get(annotation.author_id or "")
    if person is None:
        return "facilitator" if annotation.author_id is None and not org else (org.name if org else "unknown")
    home = session.organizations.get(person.organization_id)
    return f"{person.name} ({home.name})" if home else person.name


def _is_anonymous(record: LogRecord) -> bool:
    return any(
        getattr(op, "kind", None) == "annotation" and bool((getattr(op, "data", None) or {}).get("anonymous"))
        for op in record.op.primitives()
    )


def public_actor(session: Session, record: LogRecord) -> str:
    """The actor of a log record as exports may show it.

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
