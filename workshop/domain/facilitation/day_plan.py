"""The script against the time available: when each step starts and ends, and whether the day fits.

The method's script runs about seven hours across its three interventions; a facilitator preparing one
workshop needs to see, before the room arrives, whether the steps they will run fit between the start
and the end of the day, and by how much they do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from workshop.domain.facilitation.script import FacilitationScript


@dataclass(frozen=True)
class PlannedStep:
    intervention: str
    title: str
    minutes: float | None
    """The step's timebox; None when the script gives it none (it then takes no time in the plan)."""
    starts: time
    ends: time


@dataclass(frozen=True)
class DayPlan:
    steps: list[PlannedStep]
    planned_minutes: float
    available_minutes: float

    @property
    def spare_minutes(self) -> float:
        return self.available_minutes - self.planned_minutes

    @property
    def untimed(self) -> int:
        return sum(1 for step in self.steps if step.minutes is None)

    def verdict(self) -> str:
        """One line a facilitator reads at a glance."""
        planned = duration(self.planned_minutes)
        if self.spare_minutes >= 0:
            text = f"{planned} planned: fits, {duration(self.spare_minutes)} to spare"
        else:
            text = f"{planned} planned: {duration(-self.spare_minutes)} too long for {duration(self.available_minutes)}"
        if self.untimed:
            text += f" ({self.untimed} step{'s' if self.untimed > 1 else ''} without a time)"
        return text


def duration(minutes: float) -> str:
    """Minutes as people say them: "45 min", "2 h", "6 h 50 min"."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def plan_day(script: FacilitationScript, start: time, end: time, interventions: Sequence[str] | None = None) -> DayPlan:
    """Lay the steps of ``interventions`` (all when None) end to end from ``start``; compare with ``end``.

    An end before the start is read as the next day (an evening session running past midnight).
    """
    day = date(2000, 1, 1)
    clock = datetime.combine(day, start)
    finish = datetime.combine(day, end)
    if finish <= clock:
        finish += timedelta(days=1)
    steps: list[PlannedStep] = []
    planned = 0.0
    for intervention, step in script.steps():
        if interventions is not None and intervention.id not in interventions:
            continue
        minutes = step.timebox_minutes
        begins = clock
        clock += timedelta(minutes=minutes or 0)
        planned += minutes or 0
        steps.append(PlannedStep(intervention.title, step.title, minutes, begins.time(), clock.time()))
    available = (finish - datetime.combine(day, start)).total_seconds() / 60
    return DayPlan(steps, planned, available)
