"""Who a join names: one person, one identity.

A name typed on a phone is not proof of who someone is. A join that names
someone already in the session — the same name, or one a reader cannot tell
from it (:mod:`workshop.domain.model.person_names` holds that rule) — is not given
their identity: the facilitator is asked (:class:`RejoinRequest`). So is a
look-alike of a removed person's name. One question per person at a time,
whatever the number of devices asking: the facilitator sees how many tried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


class Decision(StrEnum):
    PENDING = "pending"
    SAME_PERSON = "same_person"
    SOMEONE_ELSE = "someone_else"


@dataclass
class RejoinRequest:
    """A join naming an existing (or removed) participant from a device that does not hold their token.

    Handed to the facilitator as a copy each time it changes (a new attempt), so the app's thread never reads
    one the server's thread is changing.
    """

    id: str
    participant_id: str
    device: str
    check: str
    """A number the phone shows and the facilitator's question names: which phone the answer is about."""
    typed: str = ""
    """The name as typed (bidi controls removed) when it only looks like the participant's; empty when the same."""
    attempts: int = 1
    """Joins naming this person while the question waited, from any device: more than one is worth a look."""
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    decision: Decision = Decision.PENDING
