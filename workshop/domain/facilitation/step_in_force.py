"""What the step in force shows participants and lets them do: one reading of the validated script.

The facilitator's console, the participant server and the phones all ask
what the current step is, what it shows, what may be captured, which dot
round and which agreement check are in force. They ask here, and this reads
the session's script through :func:`workshop.domain.facilitation.progress.current_script_step`,
the same validated :class:`~workshop.domain.facilitation.script.FacilitationScript`
the console uses (it used to be a second, lenient reader of the raw dict,
with three spellings of ``shows``). Without a script or step, participants
may add the basic contributions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from workshop.domain.facilitation.progress import current_script_step
from workshop.domain.facilitation.voting import DEFAULT_DOTS
from workshop.domain.model.session import Session
from workshop.domain.research.sources import SurveyRound
from workshop.domain.walkthrough.moves import WalkMove, Walkthrough

ANNOTATION_ACTIONS = frozenset({"comment", "problem", "idea", "question", "requirement"})
BASIC_ACTIONS = ANNOTATION_ACTIONS | {"boundary", "vote", "agreement"}
"""What participants may do when no script step says otherwise."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class StepInfo:
    """The current step as the page shows it."""

    intervention_id: str
    step_id: str
    title: str
    prompt: str
    timebox_minutes: float | None
    shows: str | None
    captures: frozenset[str] | None
    dots: int


def current_step(session: Session) -> StepInfo | None:
    """The step in force as the validated script defines it; None without a script or step."""
    found = current_script_step(session)
    if found is None:
        return None
    _position, intervention, step = found
    return StepInfo(
        intervention_id=intervention.id,
        step_id=step.id,
        title=step.title,
        prompt="\n".join(step.prompts) or step.aim,
        timebox_minutes=step.timebox_minutes,
        shows=str(step.shows) if step.shows is not None else None,
        captures=frozenset(str(capture) for capture in step.captures),
        dots=step.dots,
    )


def shown_model_id(session: Session, step: StepInfo | None) -> str | None:
    """The model the step shows (by id or process state), else the first model."""
    models = sorted(session.models.values(), key=lambda m: (m.index, m.name))
    if step is not None and step.shows:
        if step.shows in session.models:
            return step.shows
        for model in models:
            if model.state == step.shows:
                return model.id
    return models[0].id if models else None


def running_walk(session: Session) -> tuple[Walkthrough, WalkMove] | None:
    """The walkthrough under way (started, not finished) and where its token stands."""
    running = [w for w in session.walkthroughs.values() if w.started is not None and w.finished is None]
    if not running:
        return None
    walk = max(running, key=lambda w: w.started or _EPOCH)
    moves = [m for m in session.walk_steps.values() if m.walkthrough_id == walk.id]
    if not moves:
        return None
    return walk, max(moves, key=lambda m: m.index)


def open_survey(session: Session) -> SurveyRound | None:
    """The survey round participants answer now: the latest one opened and not yet closed."""
    running = [r for r in session.survey_rounds.values() if r.opened is not None and r.closed is None]
    return max(running, key=lambda r: r.opened or 0) if running else None


def allowed_actions(session: Session) -> frozenset[str]:
    """What a participant may do right now (a survey round, while open, may always be answered)."""
    step = current_step(session)
    base = BASIC_ACTIONS if step is None or step.captures is None else step.captures
    base = base | {"survey"} if open_survey(session) is not None else base - {"survey"}
    if running_walk(session) is None:
        return frozenset(base - {"capture"})
    return frozenset(base | {"capture"})


def vote_round(session: Session) -> tuple[str, int]:
    """The dot-voting round in force (the step's id) and how many dots each participant has in it."""
    step = current_step(session)
    return (step.step_id, step.dots) if step is not None else ("votes", DEFAULT_DOTS)


def agreement_check_id(session: Session) -> str:
    """The agreement check in force: one per step, so each step's answers stay apart."""
    step = current_step(session)
    return step.step_id if step is not None else "agreement"
