"""The study folder: safe writes, cleanup after a failure, the write lock, texts from .docx."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import add, update
from workshop.domain.model.process import Organization
from workshop.domain.research.study import STUDY_VERSION, SittingKind, StudyError
from workshop.interchange.study_tables import idea_tracker, study_record
from workshop.store import study_folder
from workshop.store.lock import SessionLock
from workshop.store.study_folder import (
    add_sitting,
    create_study,
    load_study,
    read_sittings,
    read_text_file,
    study_for_writing,
    study_path,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_a_failed_study_write_leaves_the_old_file_and_no_sitting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "s"
    study = create_study(folder, "Study", "Anna")
    before = study_path(folder).read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(study_folder.os, "replace", refuse)
    with pytest.raises(StudyError, match="No space left on device"):
        add_sitting(folder, study, kind=SittingKind.MODELING, intervention=1, process="P", actor="Anna")
    assert study_path(folder).read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["study.json"]  # no sitting file, no temporary file
    assert study.sittings == []


def test_a_second_writer_is_told_who_is_changing_the_study(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    create_study(folder, "Study", "Anna")
    lock = SessionLock.acquire(study_path(folder), "workshop study add")
    try:
        with (
            pytest.raises(StudyError, match="another command is changing the study"),
            study_for_writing(folder, "workshop study code"),
        ):
            pass
    finally:
        lock.release()
    with study_for_writing(folder, "workshop study code") as study:
        assert study.title == "Study"
    assert not (folder / "study.json.lock").exists()


def test_docx_paragraphs_tabs_and_breaks_become_lines(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t>Q:</w:t><w:tab/><w:t xml:space='preserve'>Who sends </w:t></w:r>"
        "<w:r><w:t>the case?</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>A: We do.</w:t><w:br/><w:t>Łukasz, Nguyễn</w:t></w:r></w:p>"
    )
    path = tmp_path / "t.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document xmlns:w='{W}'><w:body>{body}</w:body></w:document>")
    assert read_text_file(path) == "Q:\tWho sends the case?\nA: We do.\nŁukasz, Nguyễn"


def test_a_docx_without_a_body_or_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("other.xml", "<x/>")
    with pytest.raises(StudyError, match=r"empty\.docx: not a Word document"):
        read_text_file(empty)
    big = tmp_path / "big.docx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<x>" + " " * 5000 + "</x>")
    monkeypatch.setattr(study_folder, "MAX_DOCX_XML_BYTES", 1000)
    with pytest.raises(StudyError, match="too large"):
        read_text_file(big)


@pytest.fixture
def two_sittings(tmp_path: Path) -> Path:
    from workshop.store.sessions import open_document

    folder = tmp_path / "s"
    study = create_study(folder, "Study", "Anna")
    first = add_sitting(folder, study, kind=SittingKind.MODELING, intervention=1, process="P", actor="Anna")
    document, workshop_file = open_document(folder / first.file)
    document.apply(add(Organization(id="org-a", name="A")))
    document.apply(add(Annotation(id="idea-1", annotation_kind="idea", text="Share a form", idea_status="proposed")))
    workshop_file.close(document.session, document.last_seq)
    second = add_sitting(
        folder, study, kind=SittingKind.FOLLOW_UP_INTERVIEW, intervention=2, process="", actor="Ben", from_key="s01"
    )
    document, workshop_file = open_document(folder / second.file)
    document.apply(update("annotation", "idea-1", idea_status="implemented"))
    workshop_file.close(document.session, document.last_seq)
    return folder


def test_skipped_statuses_are_reached_in_the_sitting_that_skipped_them(two_sittings: Path) -> None:
    study = load_study(two_sittings)
    header, rows = idea_tracker(study_record(study, read_sittings(two_sittings, study)))
    (row,) = (dict(zip(header, r, strict=True)) for r in rows)
    assert row["proposed in"] == "s01 (intervention 1)"
    assert row["agreed in"] == row["implemented in"] == "s02 (intervention 2)"
    assert row["checked in"] == ""
    assert study.sittings[1].process == "P"  # carried from the earlier sitting when not given


def test_a_damaged_earlier_sitting_is_named_and_nothing_is_added(two_sittings: Path) -> None:
    study = load_study(two_sittings)
    (two_sittings / study.sittings[0].file).write_bytes(b"garbage")
    with pytest.raises(StudyError, match=r"sitting s01: .*not a Process Workshop session file"):
        add_sitting(
            two_sittings, study, kind=SittingKind.SIMULATION, intervention=1, process="", actor="A", from_key="s01"
        )
    assert len(load_study(two_sittings).sittings) == 2
    assert not any(p.name.startswith("s03") for p in two_sittings.iterdir())
    assert os.path.exists(study_path(two_sittings))


def test_a_study_from_a_newer_version_is_refused_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    create_study(folder, "Study", "Anna")
    text = study_path(folder).read_text(encoding="utf-8").replace('"version": 4', '"version": 7')
    study_path(folder).write_text(text, encoding="utf-8")
    with pytest.raises(StudyError, match="newer Process Workshop"):
        load_study(folder)


def test_a_version_2_study_reads_with_an_empty_roster_and_is_saved_as_the_current_version(tmp_path: Path) -> None:
    import json

    from workshop.domain.research.roster import put_person

    folder = tmp_path / "s"
    create_study(folder, "Study", "Anna")
    data = json.loads(study_path(folder).read_text(encoding="utf-8"))
    data["version"] = 2
    for field in ("organizations", "people"):
        data.pop(field)
    study_path(folder).write_text(json.dumps(data), encoding="utf-8")
    study = load_study(folder)
    assert (study.people, study.organizations) == ([], [])
    put_person(study, "Mia Koski", actor="Anna", when=study.created, organization="IT provider")
    study_folder.save_study(folder, study)
    saved = json.loads(study_path(folder).read_text(encoding="utf-8"))
    assert saved["version"] == STUDY_VERSION == 4
    assert [p["name"] for p in saved["people"]] == ["Mia Koski"]
