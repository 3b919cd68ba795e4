"""The step clock: how much time the current step has left, the one rule every front shows.

The console, the projector and the phones all count down the same step: its
timebox from the script, plus minutes the facilitator added, less the time
it ran, not counting pauses. The clock's state lives in the session
(``Session.step_clock``) and changes through ``set_session`` operations, so
the log says when a step was paused or extended, and a reopened session
continues where it stood. The operations that change it are built in
:mod:`workshop.domain.facilitation.progress`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

WARNING_SECONDS = 120.0
"""The clock turns amber in the last fifth of the timebox, or the last two minutes if that is sooner."""


class StepClock(BaseModel):
    """When the current step started, and the facilitator's pauses and extensions of it."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    started: datetime
    paused_at: datetime | None = None
    """Set while the clock is paused."""
    paused_seconds: float = Field(default=0.0, ge=0, le=1e7)
    """Seconds spent in earlier pauses of this step."""
    extra_minutes: float = Field(default=0.0, ge=-600, le=600)
    """Minutes added ("+5 min") to the script's timebox."""


class Phase(StrEnum):
    RUNNING = "running"
    WARNING = "warning"
    OVER = "over"
    PAUSED = "paused"


@dataclass(frozen=True)
class StepTime:
    """The clock at one moment: seconds left (negative once over) out of the step's total."""

    remaining: float
    total: float
    paused: bool

    @property
    def phase(self) -> Phase:
        if self.paused:
            return Phase.PAUSED
        if self.remaining < 0:
            return Phase.OVER
        if self.remaining <= self.warning_seconds:
            return Phase.WARNING
        return Phase.RUNNING

    @property
    def warning_seconds(self) -> float:
        """The clock turns amber this long before the end: two minutes, or the last fifth of a short step."""
        return min(WARNING_SECONDS, self.total / 5)

    @property
    def text(self) -> str:
        """``12:05`` while time is left, ``−01:16`` once over (a true minus sign, readable from afar)."""
        seconds = int(abs(self.remaining) + (0 if self.remaining >= 0 else 0.999))
        sign = "−" if self.remaining < 0 and seconds else ""
        return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


def step_time(clock: StepClock | None, timebox_minutes: float | None, now: datetime | None = None) -> StepTime | None:
    """The clock of a step with this timebox, or None when the step has no timebox or no clock."""
    if clock is None or timebox_minutes is None:
        return None
    moment = clock.paused_at or now or datetime.now(UTC)
    ran = (moment - clock.started).total_seconds() - clock.paused_seconds
    total = (timebox_minutes + clock.extra_minutes) * 60
    return StepTime(remaining=total - ran, total=total, paused=clock.paused_at is not None)


def step_deadline(clock: StepClock | None, timebox_minutes: float | None) -> datetime | None:
    """The moment a running step's clock reaches 00:00 (pauses and added minutes counted); None while paused.

    What a remote clock counts down to (the phones): :func:`step_time` stays the one rule, read at the start.
    """
    time = step_time(clock, timebox_minutes, clock.started if clock is not None else None)
    if clock is None or time is None or time.paused:
        return None
    return clock.started + timedelta(seconds=time.remaining)


def step_warning_at(clock: StepClock | None, timebox_minutes: float | None) -> datetime | None:
    """The moment a running step's clock turns amber (:attr:`StepTime.warning_seconds` before its deadline).

    With :func:`step_deadline` it is all a remote clock (the phones) needs to show the same phases as the
    console and the projector: amber from here, red past the deadline.
    """
    deadline = step_deadline(clock, timebox_minutes)
    time = step_time(clock, timebox_minutes, clock.started if clock is not None else None)
    if deadline is None or time is None:
        return None
    return deadline - timedelta(seconds=time.warning_seconds)
