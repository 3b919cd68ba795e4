"""What the current facilitation step shows participants and lets them do.

The session embeds its facilitation script as a plain dict
(``session.script``: interventions -> steps). This module reads the few
things the participant page needs from the step in force: its title,
prompt and timebox, which model variant is shown, and what may be captured.
It reads the dict tolerantly (``prompt`` or ``prompts``, ``captures`` or
``capture``) so it keeps working while the script format grows; without a
script or step, participants may add the basic contributions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from workshop.domain.coordination import WalkStep, Walkthrough
from workshop.domain.research import SurveyRound
from workshop.domain.session import Session
from workshop.domain.voting import DEFAULT_DOTS

ANNOTATION_ACTIONS = frozenset({"comment", "problem", "idea", "question", "requirement"})
BASIC_ACTIONS = ANNOTATION_ACTIONS | {"boundary", "vote", "agreement"}
"""What participants may do when no script step says otherwise."""

_SYNONYMS = {
    "boundaries": "boundary",
    "knowledge_boundary": "boundary",
    "knowledge_boundaries": "boundary",
    "votes": "vote",
    "dot_vote": "vote",
    "dot_votes": "vote",
    "voting": "vote",
    "agreement_check": "agreement",
    "agreements": "agreement",
    "comments": "comment",
    "problems": "problem",
    "ideas": "idea",
    "questions": "question",
    "requirements": "requirement",
    "walkthrough": "capture",
    "walkthrough_capture": "capture",
}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

"""Dots each participant may place per voting round unless the step says otherwise."""


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


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return ""


def _actions(raw: Any) -> frozenset[str] | None:
    if raw is None:
        return None
    items: Iterable[Any] = raw if isinstance(raw, list) else [raw]
    return frozenset(_SYNONYMS.get(str(item).lower(), str(item).lower()) for item in items)


def current_step(session: Session) -> StepInfo | None:
    """The step in force, read from the embedded script; None without a script or step."""
    ref = session.current_step
    script = session.script
    if ref is None or not isinstance(script, dict):
        return None
    for intervention in script.get("interventions") or []:
        if not isinstance(intervention, dict) or intervention.get("id") != ref.intervention_id:
            continue
        for step in intervention.get("steps") or []:
            if isinstance(step, dict) and step.get("id") == ref.step_id:
                timebox = step.get("timebox_minutes", step.get("timebox"))
                dots = step.get("dots", DEFAULT_DOTS)
                shows = step.get("shows", step.get("model", step.get("process_state")))
                return StepInfo(
                    intervention_id=ref.intervention_id,
                    step_id=ref.step_id,
                    title=_text(step.get("title") or step.get("name") or ref.step_id),
                    prompt=_text(step.get("prompt") or step.get("prompts") or step.get("aim")),
                    timebox_minutes=float(timebox) if isinstance(timebox, int | float) else None,
                    shows=str(shows) if isinstance(shows, str) else None,
                    captures=_actions(step.get("captures", step.get("capture"))),
                    dots=dots if isinstance(dots, int) and dots > 0 else DEFAULT_DOTS,
                )
    return None


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


def running_walk(session: Session) -> tuple[Walkthrough, WalkStep] | None:
    """The walkthrough under way (started, not finished) and where its token stands."""
    running = [w for w in session.walkthroughs.values() if w.started is not None and w.finished is None]
    if not running:
        return None
    walk = max(running, key=lambda w: w.started or _EPOCH)
    steps = [s for s in session.walk_steps.values() if s.walkthrough_id == walk.id]
    if not steps:
        return None
    return walk, max(steps, key=lambda s: s.index)


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
