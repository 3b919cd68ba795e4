"""The step clock's deadline, which phones count down to (workshop.domain.facilitation.step_clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workshop.domain.facilitation.step_clock import StepClock, step_deadline, step_time


def test_the_deadline_a_phone_counts_down_to_is_where_the_clock_reads_zero() -> None:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    clock = StepClock(started=start, paused_seconds=90, extra_minutes=5)
    deadline = step_deadline(clock, 20)
    assert deadline == start + timedelta(minutes=25, seconds=90)
    time = step_time(clock, 20, deadline)
    assert time is not None
    assert time.remaining == 0
    assert step_deadline(clock.model_copy(update={"paused_at": start}), 20) is None, "paused: nothing to count to"
    assert step_deadline(clock, None) is None
