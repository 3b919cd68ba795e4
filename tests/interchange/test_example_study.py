"""The bundled example is a small study of two sittings, built reproducibly from the example model."""

from __future__ import annotations

from pathlib import Path

from workshop.interchange.example_study import build_example_study, example_study_folder
from workshop.interchange.study_table1 import study_table1
from workshop.interchange.study_tables import idea_tracker, study_record
from workshop.interchange.study_timeline import timeline
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json
from workshop.store.study_folder import load_study, read_sitting, read_sittings


def test_the_example_study_is_the_example_workshop_and_a_carried_forward_follow_up(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    build_example_study(folder, "Anna Virtanen")
    study = load_study(folder)
    first, second = study.in_order()
    assert (first.kind, first.intervention, first.process) == ("modeling", 1, "Contact processing")
    assert (second.kind, second.intervention) == ("follow_up_interview", 1)
    example = load_session_json(example_session_path())
    workshop = read_sitting(folder, first)
    for collection in ("organizations", "participants", "models", "lanes", "nodes", "flows", "annotations"):
        assert getattr(workshop.session, collection) == getattr(example, collection), collection
    assert [log.actor for log in workshop.records] == ["Anna Virtanen"]
    follow_up = read_sitting(folder, second)
    assert second.provenance is not None
    assert second.provenance.from_sitting == first.id
    assert second.provenance.from_seq == 1
    assert follow_up.session.models == example.models, "carried forward, ids kept"
    assert len(follow_up.records) == 1, "the follow-up's log holds only what happened in it"

    record = study_record(study, read_sittings(folder, study))
    _, ideas = idea_tracker(record)
    checklist = next(row for row in ideas if row[0] == "ann-3")
    assert checklist[4] == "implemented"
    assert checklist[7] == f"{second.id} (intervention 1)"
    header, rows = study_table1(record)
    row = dict(zip(header, rows[0], strict=True))
    assert row["process modeling workshops"].endswith("; 1 workshop"), "one modeling workshop"
    assert row["interviews"].endswith("; 1 interview"), "one interview"
    assert "Maria Svensson" not in row["interviews"], "interviewees by organization type, never by name"


def test_the_example_is_built_once_then_opened_again_and_a_stray_folder_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "example-study").mkdir()
    (tmp_path / "example-study" / "notes.txt").write_text("mine", encoding="utf-8")
    folder = example_study_folder(tmp_path)
    assert folder == tmp_path / "example-study-2"
    assert example_study_folder(tmp_path) == folder
    assert (tmp_path / "example-study" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_timeline_names_sittings_by_what_they_were(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    study = build_example_study(folder)
    (column,) = timeline(folder, study)
    assert column.heading == "Intervention 1\nContact processing"
    first, second = column.cards
    assert first.lines() == ["Process modeling workshop", "Tue 10 Mar 2026, 09:00", "Contact processing",
                             "7 people from 4 organizations"]  # fmt: skip
    assert second.lines()[1:] == [
        "Tue 7 Apr 2026, 13:00",
        "Contact processing",
        "1 interviewee",
        "carried forward from the Process modeling workshop, 10 Mar 2026",
    ]
    (folder / study.sittings[1].file).write_bytes(b"damaged")
    (column,) = timeline(folder, load_study(folder))
    assert column.cards[1].problem.startswith("cannot be opened")
    assert column.cards[0].problem == ""
