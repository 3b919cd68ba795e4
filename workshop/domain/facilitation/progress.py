"""Running a facilitation script: moving between steps, recording deviations, the agenda as it ran.

Moving to a step is an operation (``set_session`` of ``current_step``), so
the log says when every step started and ended, and every other record
carries the step it was made in. Interventions keep their order: starting a
later intervention before the earlier ones were reached is a deviation,
recorded as a coded comment in the same undo step, so the research record
shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from workshop.domain.facilitation.script import FacilitationScript, Intervention, Step
from workshop.domain.facilitation.step_clock import StepClock, StepTime, step_time
from workshop.domain.facilitation.voting import agreement_results, tally
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import BatchOp, Operation, SetSessionOp, add
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session

DEVIATION_CODE = "code-facilitation"


_parsed: tuple[dict[str, Any], FacilitationScript] | None = None
"""The last script read, with the dict it was read from: every phone's page and every contribution ask
for the step in force, and a new script is a new dict (set_session replaces it), so it is read once."""


def script_of(session: Session) -> FacilitationScript | None:
    """The script embedded in the session, if any.

    A script loads through :func:`load_script_op`, validated; one set by hand (``workshop apply`` of a
    ``set_session``) that is not a valid script is no script for the console and the phones alike, rather
    than an error in every view that asks.
    """
    global _parsed
    raw = session.script
    if not raw:
        return None
    if _parsed is not None and _parsed[0] is raw:
        return _parsed[1]
    try:
        script: FacilitationScript | None = FacilitationScript.model_validate(raw)
    except ValidationError:
        script = None
    _parsed = (raw, script) if script is not None else None
    return script


def load_script_op(script: FacilitationScript) -> SetSessionOp:
    """Embed ``script`` in the session (the record then does not depend on the file) and start before step one."""
    return SetSessionOp(
        changes={
            "script": script.model_dump(mode="json"),
            "current_step": None,
            "anonymous_step": False,
            "ask_predictability": False,
            "step_clock": None,
        },
        label=f"Use the script {script.title}",
    )


def step_titles(session: Session) -> dict[str, str]:
    """Each step of the session's script by id, as people read it ("Intervention 1 · Walk the process").

    Records keep step ids; screens and outputs show this instead. Step ids are unique across a script.
    """
    script = script_of(session)
    if script is None:
        return {}
    return {step.id: f"{intervention.title} · {step.title}" for intervention, step in script.steps()}


def current_script_step(session: Session) -> tuple[int, Intervention, Step] | None:
    """The current step as the script defines it (its position, intervention and step), or None."""
    script = script_of(session)
    ref = session.current_step
    return script.find(ref.intervention_id, ref.step_id) if script is not None and ref is not None else None


def position(session: Session) -> int | None:
    """Index of the current step in the script's order, or None before the first."""
    found = current_script_step(session)
    return found[0] if found else None


def is_deviation(session: Session, intervention_id: str) -> bool:
    """Would starting ``intervention_id`` skip an intervention that has not been reached?"""
    script = script_of(session)
    if script is None:
        return False
    order = [i.id for i in script.interventions]
    current = session.current_step.intervention_id if session.current_step else None
    reached = order.index(current) if current in order else -1
    return order.index(intervention_id) > reached + 1


def goto_op(
    session: Session,
    intervention_id: str,
    step_id: str,
    *,
    confirmed_deviation: bool = False,
    now: datetime | None = None,
) -> Operation:
    """Move to a step; refuses an out-of-order intervention unless the facilitator confirmed it."""
    script = script_of(session)
    if script is None:
        raise OperationError("no facilitation script is loaded")
    found = script.find(intervention_id, step_id)
    if found is None:
        raise OperationError(f"the script has no step {step_id!r} in intervention {intervention_id!r}")
    _, intervention, step = found
    move = SetSessionOp(
        changes={
            "current_step": {"intervention_id": intervention_id, "step_id": step_id},
            "anonymous_step": step.anonymous,
            "ask_predictability": step.predictability,
            "step_clock": StepClock(started=now or datetime.now(UTC)).model_dump(mode="json"),
        },
        label=f"Go to {intervention.title} · {step.title}",
    )
    if not is_deviation(session, intervention_id):
        return move
    if not confirmed_deviation:
        raise OperationError(f"starting '{intervention.title}' now skips an earlier intervention; confirm to deviate")
    note = Annotation(
        id=new_id("annotation"),
        annotation_kind="comment",
        text=f"Deviation from the script: '{intervention.title}' started before the earlier interventions.",
        target_kind="session",
        codes=[DEVIATION_CODE],
        created=datetime.now(UTC),
        intervention_id=intervention_id,
        step_id=step_id,
    )
    return BatchOp(label=f"Deviate: start {intervention.title}", ops=[move, add(note)])


def step_op(session: Session, delta: int, now: datetime | None = None) -> Operation | None:
    """The operation for Next (+1) or Previous (-1); None at either end."""
    script = script_of(session)
    if script is None:
        return None
    order = script.steps()
    here = position(session)
    target = (0 if delta > 0 else None) if here is None else here + delta
    if target is None or not 0 <= target < len(order):
        return None
    intervention, step = order[target]
    return goto_op(session, intervention.id, step.id, confirmed_deviation=True, now=now)


def current_step_time(
    session: Session, now: datetime | None = None, started: datetime | None = None
) -> StepTime | None:
    """The current step's clock (see :mod:`workshop.domain.facilitation.step_clock`), or None without a timebox or
    clock.

    ``started`` stands in for sessions recorded before the clock lived in the
    session: the time the log says the step began.
    """
    ref = session.current_step
    found = current_script_step(session)
    clock = session.step_clock or (StepClock(started=started) if started is not None and ref is not None else None)
    return step_time(clock, found[2].timebox_minutes if found else None, now)


def walk_in_view(session: Session) -> bool:
    """Whether the walkthrough's overlay belongs on the model now: in a walkthrough step, or with no script step.

    A walk left open at the end of the simulation step must not sit on the projector through the agreement
    check and the next intervention; it is still there (and shown again) when a walkthrough step comes.
    """
    found = current_script_step(session)
    return found is None or found[2].main_tool() == "walkthrough"


def room_results(session: Session, top: int = 8) -> tuple[str, list[str]]:
    """What the room sees as results in the current step: the vote's leaders, or understanding per organization.

    Returns a title and lines of plain text ("●●●● 4  Web form instead of fax",
    "Customer group A  ▇▇▇▇▇▇ 3.0 of 5"), or ("", []) when the step is neither a
    vote nor an agreement check. Only counts and organizations: never who.
    """
    ref = session.current_step
    found = current_script_step(session)
    tool = found[2].main_tool() if found is not None else None
    if ref is None or tool not in ("vote", "agreement"):
        return "", []
    if tool == "vote":
        lines = []
        for annotation_id, dots in tally(session, ref.step_id)[:top]:
            text = session.annotations[annotation_id].text
            short = text if len(text) <= 48 else text[:47] + "…"
            lines.append(f"{'●' * min(dots, 10)} {dots}  {short}")
        return "Dots so far", lines or ["No dots yet."]
    lines = []
    for result in agreement_results(session, ref.step_id):
        org = session.organizations.get(result.organization_id)
        bar = "▇" * round(result.mean * 2)
        lines.append(f"{org.name if org else '?'}\n{bar} {result.mean:.1f} of 5 ({len(result.ratings)})")
    return "How well we understand the process", lines or ["No answers yet."]


def _clock_change(clock: StepClock, label: str) -> SetSessionOp:
    return SetSessionOp(changes={"step_clock": clock.model_dump(mode="json")}, label=label)


def pause_op(session: Session, now: datetime | None = None) -> SetSessionOp | None:
    """Pause the running step clock (None if there is none or it is paused already)."""
    clock = session.step_clock
    if clock is None or clock.paused_at is not None:
        return None
    return _clock_change(clock.model_copy(update={"paused_at": now or datetime.now(UTC)}), "Pause the step clock")


def resume_op(session: Session, now: datetime | None = None) -> SetSessionOp | None:
    """Resume a paused step clock; the pause does not count against the step."""
    clock = session.step_clock
    if clock is None or clock.paused_at is None:
        return None
    paused = max(0.0, ((now or datetime.now(UTC)) - clock.paused_at).total_seconds())
    resumed = clock.model_copy(update={"paused_at": None, "paused_seconds": clock.paused_seconds + paused})
    return _clock_change(resumed, "Resume the step clock")


def add_minutes_op(session: Session, minutes: float = 5.0) -> SetSessionOp | None:
    """Give the current step more time ("+5 min")."""
    clock = session.step_clock
    if clock is None:
        return None
    extended = clock.model_copy(update={"extra_minutes": clock.extra_minutes + minutes})
    return _clock_change(extended, f"Add {minutes:g} minutes to the step")


def step_started_at(records: Iterable[LogRecord]) -> datetime | None:
    """When the current step began: the time of the last record that moved to a step (None if it left them)."""
    started: datetime | None = None
    for log in records:
        for op in log.op.primitives():
            if isinstance(op, SetSessionOp) and "current_step" in op.changes:
                started = log.time if op.changes["current_step"] else None
    return started


@dataclass(frozen=True)
class AgendaEntry:
    intervention_id: str
    step_id: str
    title: str
    started: datetime
    ended: datetime | None
    deviation: bool


def agenda_as_run(record: SessionRecord) -> list[AgendaEntry]:
    """The steps in the order they were actually run, with start and end times, from the log."""
    script = script_of(record.session)
    titles = {(i.id, s.id): s.title for i, s in script.steps()} if script else {}
    entries: list[AgendaEntry] = []
    for log in record.records:
        for op in log.op.primitives():
            if not isinstance(op, SetSessionOp) or "current_step" not in op.changes:
                continue
            if entries and entries[-1].ended is None:
                last = entries[-1]
                entries[-1] = AgendaEntry(
                    last.intervention_id, last.step_id, last.title, last.started, log.time, last.deviation
                )
            step = op.changes["current_step"]
            if step:
                deviation = isinstance(log.op, BatchOp) and log.op.label.startswith("Deviate")
                key = (step["intervention_id"], step["step_id"])
                entries.append(AgendaEntry(*key, titles.get(key, key[1]), log.time, None, deviation))
    return entries
