"""The feedback report the organizations read after an intervention: the flowchart, quotes by role and
organization type, and neither ids nor names (the bundled example study, whose workshop has a real model)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from workshop.domain.model.naming import ids_in
from workshop.interchange.example_study import build_example_study
from workshop.interchange.study_report import write_feedback_report
from workshop.interchange.study_tables import study_record
from workshop.store.study_folder import load_study, read_sittings


def test_the_feedback_report_shows_the_flowchart_and_quotes_by_role_and_organization_type(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    build_example_study(folder, "Anna Virtanen")
    study = load_study(folder)
    sittings = read_sittings(folder, study)
    record = study_record(study, sittings)
    stream = io.BytesIO()
    write_feedback_report(record, 1, stream)
    (tmp_path / "feedback.pdf").write_bytes(stream.getvalue())
    text = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "feedback.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    assert "The process as modelled:" in words, "the flowchart"
    said = words.split("What was said", 1)[1].split("Coordination mechanisms", 1)[0]
    assert "We never know what happens to a case after we send it." in said
    assert "representative" in said, "quoted by role and organization type"
    for _, session_record in sittings:
        session = session_record.session
        for person in session.participants.values():
            assert person.name not in words, f"the feedback names {person.name}"
        assert ids_in(text, session) == [], "the feedback shows no ids"
    for sitting, _ in sittings:
        assert f" {sitting.id} " not in f" {words} ", f"the sitting id {sitting.id}"
    assert "Maria Svensson" not in words, "the interviewee is not named"
