"""Who a join names: one person, one identity.

A name typed on a phone is not proof of who someone is. Names are compared
as people read them — case, accents and spacing do not make another person
("łukasz NOWAK" is "Łukasz Nowak") — and a join that names someone already
in the session is not given their identity: the facilitator confirms it
(:class:`RejoinRequest`). Names that merely look alike are flagged for the
facilitator, never merged.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

SIMILAR_RATIO = 0.85
"""Names at least this alike (difflib ratio of their comparable forms) are flagged as possibly one person."""

_FOLDED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
"""Letters that Unicode does not decompose into a base letter and an accent."""


def comparable_name(name: str) -> str:
    """A name as it is compared: no accents, case or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLDED)


def similar_names(a: str, b: str) -> bool:
    """True for two different spellings that may be one person (a typo, a nickname's missing letter)."""
    left, right = comparable_name(a), comparable_name(b)
    return left != right and difflib.SequenceMatcher(None, left, right).ratio() >= SIMILAR_RATIO


class Decision(StrEnum):
    PENDING = "pending"
    SAME_PERSON = "same_person"
    SOMEONE_ELSE = "someone_else"


@dataclass
class RejoinRequest:
    """A join naming an existing participant from a device that does not hold their token."""

    id: str
    participant_id: str
    device: str
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    decision: Decision = Decision.PENDING
