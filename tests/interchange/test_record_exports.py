"""The session record exports: PDF report, JSON, CSV — complete, readable, escaped, anonymous where it must be."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import Document, participant_actor
from workshop.domain.model.operations import SetSessionOp, add
from workshop.domain.model.process import Participant
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session
from workshop.domain.research.privacy import public_record
from workshop.interchange.data_export import write_csv, write_json
from workshop.interchange.report_pdf import write_report
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json

HOSTILE = '<b>bold?</b> <script>alert(1)</script> & =HYPERLINK("x")'


class ListSink:
    def __init__(self) -> None:
        self.records: list = []  # type: ignore[type-arg]

    def append(self, record: object) -> None:
        self.records.append(record)


@pytest.fixture
def record() -> SessionRecord:
    sink = ListSink()
    doc = Document(load_session_json(example_session_path()), sink=sink)
    doc.apply(
        add(
            Annotation(
                id="ann-hostile", annotation_kind="comment", text=HOSTILE, author_id="p-nowak", organization_id="org-a"
            )
        ),
        actor=participant_actor("p-nowak"),
    )
    # a third member, so that Customer group B is big enough to be shown behind an anonymous contribution
    doc.apply(add(Participant(id="p-third", name="Third Member", organization_id="org-b")))
    doc.apply(SetSessionOp(changes={"anonymous_step": True}))
    doc.apply(
        add(
            Annotation(
                id="ann-secret",
                annotation_kind="problem",
                text="Our manager never answers",
                organization_id="org-b",
                anonymous=True,
                created=datetime.now(UTC),
            )
        ),
        actor=participant_actor("p-berg"),
    )
    return SessionRecord(doc.session, sink.records)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/install-test-deps.sh"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_the_report_recovers_every_name_and_annotation_and_prints_markup_as_typed(
    record: SessionRecord, tmp_path: Path
) -> None:
    stream = io.BytesIO()
    write_report(record, stream)
    text = _pdf_text(stream.getvalue(), tmp_path)
    for person in record.session.participants.values():
        assert person.name in text
    for annotation in record.session.annotations.values():
        assert " ".join(annotation.text.split()) in text, annotation.text
    assert "Knowledge boundaries" in text
    assert "Handoffs between organizations" in text


def test_json_round_trips_and_hides_the_person_behind_anonymity(record: SessionRecord) -> None:
    stream = io.BytesIO()
    write_json(record, stream)
    data = json.loads(stream.getvalue())
    assert Session.model_validate(data["session"]) == public_record(record).session
    actors = [entry["actor"] for entry in data["log"]]
    assert "Customer group B (anonymous)" in actors
    assert "Łukasz Nowak (Customer group A)" in actors
    secret = next(e for e in data["log"] if (e["op"].get("data") or {}).get("id") == "ann-secret")
    assert "p-berg" not in json.dumps(secret), "the anonymous record names no person"
    assert "Berg" not in json.dumps(secret)


def test_csv_tables_open_cleanly_and_never_run_formulas(record: SessionRecord, tmp_path: Path) -> None:
    names = write_csv(record, tmp_path / "tables.zip")
    assert {"annotations.csv", "boundaries.csv", "op_log.csv", "survey_scores.csv", "commitments.csv"} <= set(names)
    with zipfile.ZipFile(tmp_path / "tables.zip") as archive:
        annotations = archive.read("annotations.csv").decode("utf-8")
        log = archive.read("op_log.csv").decode("utf-8")
        boundaries = archive.read("boundaries.csv").decode("utf-8")
    assert annotations.startswith("\ufeffid,kind,text")
    rows = list(csv.DictReader(io.StringIO(annotations.lstrip("\ufeff"))))
    hostile = next(r for r in rows if r["id"] == "ann-hostile")
    assert hostile["text"] == HOSTILE, "text that merely contains = is kept as typed"
    secret = next(r for r in rows if r["id"] == "ann-secret")
    assert secret["author"] == "Customer group B (anonymous)"
    assert "Jonas Berg" not in log
    assert "p-berg" not in log
    crossed = next(
        r for r in csv.DictReader(io.StringIO(boundaries.lstrip("\ufeff"))) if r["id"] == "boundary-classify"
    )
    assert crossed["status"] == "crossed"
    write_csv(record, tmp_path / "folder")
    assert (tmp_path / "folder" / "votes.csv").exists()


def test_a_cell_that_starts_like_a_formula_is_defused() -> None:
    from workshop.interchange.data_export import safe_cell

    assert safe_cell("=SUM(A1:A9)") == "'=SUM(A1:A9)"
    assert safe_cell("-5 days") == "'-5 days"
    assert safe_cell("ok =1") == "ok =1"


def test_survey_scores_reach_the_report_and_the_csv_but_never_per_person(tmp_path: Path) -> None:
    from workshop.domain.research.sources import SurveyResponse, SurveyRound
    from workshop.domain.research.survey import load_instrument
    from workshop.resources import scripts_dir

    doc = Document(load_session_json(example_session_path()))
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")
    doc.apply(add(SurveyRound(id="rc", label="Before intervention 1", instrument=instrument.model_dump(mode="json"))))
    for n, value in enumerate((2, 3, 4)):
        doc.apply(
            add(
                SurveyResponse(
                    id=f"r{n}",
                    round_id="rc",
                    participant_id="p-nowak",
                    organization_id="org-a",
                    about_org_id="org-it",
                    answers={"frequent": value},
                )
            )
        )
    record = SessionRecord(doc.session, [])
    write_csv(record, tmp_path / "t")
    scores = list(csv.DictReader(io.StringIO((tmp_path / "t" / "survey_scores.csv").read_text("utf-8-sig"))))
    overall = next(r for r in scores if r["dimension"] == "overall")
    assert (overall["organization"], overall["about organization"], overall["mean"], overall["respondents"]) == (
        "Customer group A",
        "IT provider",
        "3.000",
        "3",
    )
    assert "Nowak" not in (tmp_path / "t" / "survey_scores.csv").read_text("utf-8-sig")
    stream = io.BytesIO()
    write_report(record, stream)
    text = _pdf_text(stream.getvalue(), tmp_path)
    assert "Relational coordination: Before intervention 1" in text
    assert "Customer group A IT provider 3.000 3" in text
