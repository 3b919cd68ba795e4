"""Facilitation scripts: validation with line numbers, moving between steps, deviations, the agenda as run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.facilitation.progress import (
    agenda_as_run,
    goto_op,
    is_deviation,
    load_script_op,
    step_op,
    step_started_at,
)
from workshop.domain.facilitation.script import FacilitationScript, load_script
from workshop.domain.facilitation.step_in_force import allowed_actions, current_step
from workshop.domain.model.document import LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.yaml_source import SourceError
from workshop.resources import scripts_dir


def _method():  # type: ignore[no-untyped-def]
    return load_script(scripts_dir() / "three-interventions.yaml")


def test_the_built_in_scripts_load() -> None:
    method = _method()
    assert [i.id for i in method.interventions] == ["i1", "i2", "i3"]
    assert all(step.timebox_minutes for _, step in method.steps())
    assert load_script(scripts_dir() / "half-day.yaml").steps()[0][1].id == "hd-welcome"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "id: x\ntitle: X\ninterventions:\n  - id: a\n    title: A\n    steps:\n      - id: s\n        title: S\n"
            "        timebox_minutes: -5\n",
            r"bad\.yaml:9: interventions\[0\]\.steps\[0\]\.timebox_minutes",
        ),
        (
            "id: x\ntitle: X\ninterventions:\n  - id: a\n    title: A\n    steps:\n      - id: s\n        title: S\n"
            "        captures: [dance]\n",
            r"bad\.yaml:9: interventions\[0\]\.steps\[0\]\.captures\[0\]",
        ),
        ("id: x\ntitle: X\ninterventions: [\n", r"bad\.yaml:4: YAML syntax"),
        (
            "id: x\ntitle: X\ninterventions:\n  - id: a\n    title: A\n    steps:\n      - id: a\n        title: S\n",
            r"bad\.yaml:1: .*id 'a' is used twice",
        ),
    ],
)
def test_a_broken_script_names_file_line_and_field(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=where):
        load_script(path)


def test_next_and_previous_walk_the_script_and_set_anonymity() -> None:
    doc = two_org_document()
    doc.apply(load_script_op(_method()))
    first = step_op(doc.session, +1)
    assert first is not None
    doc.apply(first)
    assert doc.session.current_step is not None
    assert doc.session.current_step.step_id == "i1-welcome"
    info = current_step(doc.session)
    assert info is not None
    assert allowed_actions(doc.session) == {"comment", "question"}, "the live server reads the same script"
    assert step_op(doc.session, -1) is None
    doc.apply(goto_op(doc.session, "i3", "i3-reflection", confirmed_deviation=True))
    assert doc.session.anonymous_step is True
    assert step_op(doc.session, +1) is None


def test_starting_a_later_intervention_early_is_a_recorded_deviation() -> None:
    doc = two_org_document()
    doc.apply(load_script_op(_method()))
    assert is_deviation(doc.session, "i3")
    assert not is_deviation(doc.session, "i1")
    with pytest.raises(OperationError, match="skips an earlier intervention"):
        goto_op(doc.session, "i3", "i3-existing")
    record = doc.apply(goto_op(doc.session, "i3", "i3-existing", confirmed_deviation=True))
    (note,) = doc.session.annotations.values()
    assert note.codes == ["code-facilitation"]
    assert "Deviation" in note.text
    assert record.op.summary().startswith("Deviate")


def test_agenda_as_run_from_the_log() -> None:
    times = iter(datetime(2026, 3, 10, 9, tzinfo=UTC) + timedelta(minutes=10 * i) for i in range(50))
    records: list[LogRecord] = []

    class Sink:
        def append(self, record: LogRecord) -> None:
            records.append(record)

    doc = two_org_document(sink=Sink(), clock=lambda: next(times))
    doc.apply(load_script_op(_method()))
    for _ in range(3):
        op = step_op(doc.session, +1)
        assert op is not None
        doc.apply(op)
    doc.apply(goto_op(doc.session, "i3", "i3-contract", confirmed_deviation=True))
    agenda = agenda_as_run(SessionRecord(doc.session, records))
    assert [e.step_id for e in agenda] == ["i1-welcome", "i1-walk-current", "i1-boundaries", "i3-contract"]
    assert agenda[0].ended == agenda[1].started
    assert agenda[-1].ended is None
    assert [e.deviation for e in agenda] == [False, False, False, True]
    assert agenda[1].title == "Explain the current process, lane by lane"
    assert step_started_at(records) == agenda[-1].started


def test_a_step_s_agreement_check_asks_predictability_when_the_script_says_so() -> None:
    """The session flag phones follow is set as each step starts, and undone with the move."""
    script = _method().model_dump(mode="json")
    steps = script["interventions"][0]["steps"]
    steps[1]["predictability"] = True
    doc = two_org_document()
    doc.apply(load_script_op(FacilitationScript.model_validate(script)))
    doc.apply(goto_op(doc.session, "i1", steps[1]["id"]))
    assert doc.session.ask_predictability is True
    moved = doc.apply(goto_op(doc.session, "i1", steps[0]["id"]))
    assert doc.session.ask_predictability is False
    doc.apply(moved.op.inverse())
    assert doc.session.ask_predictability is True


def test_console_and_phones_read_one_script_and_a_bad_one_as_none() -> None:
    from workshop.domain.facilitation.progress import current_script_step, goto_op, load_script_op
    from workshop.domain.model.operations import SetSessionOp
    from workshop.domain.model.session import StepRef

    doc = two_org_document()
    doc.apply(load_script_op(_method()))
    doc.apply(goto_op(doc.session, "i1", "i1-glossary"))
    found = current_script_step(doc.session)
    step = current_step(doc.session)
    assert found is not None
    assert step is not None
    assert (step.step_id, step.title, step.dots) == (found[2].id, found[2].title, found[2].dots)
    assert step.captures == frozenset(found[2].captures), "what phones may do is what the script says"
    doc.apply(
        SetSessionOp(
            changes={
                "script": {"steps": "not a script"},
                "current_step": StepRef(intervention_id="i1", step_id="i1-glossary"),
            }
        )
    )
    assert current_script_step(doc.session) is None
    assert current_step(doc.session) is None, "a script set by hand that is not valid is no script, for both"
    assert "comment" in allowed_actions(doc.session)
