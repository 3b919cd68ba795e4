"""The script laid out against the day: step times, what fits, and by how much it does not."""

from __future__ import annotations

from datetime import time

from workshop.domain.facilitation.day_plan import duration, plan_day
from workshop.domain.facilitation.script import load_script
from workshop.resources import scripts_dir


def test_one_intervention_is_laid_out_from_the_start_and_compared_with_the_end() -> None:
    script = load_script(scripts_dir() / "three-interventions.yaml")
    first = script.interventions[0]
    plan = plan_day(script, time(9, 0), time(12, 0), [first.id])
    assert [step.title for step in plan.steps] == [step.title for step in first.steps]
    assert plan.steps[0].starts == time(9, 0)
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert before.ends == after.starts, "steps follow one another"
    minutes = sum(step.timebox_minutes or 0 for step in first.steps)
    assert plan.planned_minutes == minutes
    assert plan.available_minutes == 180
    assert plan.spare_minutes == 180 - minutes
    assert ("fits" in plan.verdict()) == (minutes <= 180)


def test_the_whole_method_in_one_morning_says_how_much_too_long() -> None:
    script = load_script(scripts_dir() / "three-interventions.yaml")
    plan = plan_day(script, time(9, 0), time(12, 0))
    assert plan.spare_minutes < 0
    assert f"{duration(-plan.spare_minutes)} too long for 3 h" in plan.verdict()
    assert len(plan.steps) == len(script.steps())


def test_durations_read_as_people_say_them() -> None:
    assert [duration(m) for m in (45, 60, 410, 0.4)] == ["45 min", "1 h", "6 h 50 min", "0 min"]


def test_an_evening_session_runs_past_midnight() -> None:
    script = load_script(scripts_dir() / "half-day.yaml")
    plan = plan_day(script, time(22, 0), time(1, 0))
    assert plan.available_minutes == 180
