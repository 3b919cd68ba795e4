"""A session together with its operation log: what exports and analyses of the record read."""

from __future__ import annotations

from dataclasses import dataclass, field

from workshop.domain.model.document import LogRecord
from workshop.domain.model.session import Session
from workshop.domain.research.survey import DEFAULT_THRESHOLD, Cell


@dataclass(frozen=True)
class SessionRecord:
    """The state of a session and the log that led to it.

    The state answers "what is the model now"; the log answers "who said
    what, when, during which step" (agenda as it ran, boundary status
    history). Example models opened from JSON have an empty log.
    """

    session: Session
    records: list[LogRecord] = field(default_factory=list)
    survey_cells: dict[str, list[Cell]] | None = None
    """Set on a de-identified record (:func:`workshop.domain.research.privacy.public_record`): the survey's aggregated
    scores per round, computed before the per-person responses were taken out."""
    role_cells: dict[str, list[Cell]] | None = None
    """Set on a de-identified record: the scores per round by role pair (where answers name roles)."""
    threshold: int = DEFAULT_THRESHOLD
    """Fewest respondents (and members of a group) an output shows on its own."""
