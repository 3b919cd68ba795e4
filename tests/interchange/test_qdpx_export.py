"""REFI-QDA export: valid against the REFI schema, codings as coded selections, scores as case variables."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import Document
from workshop.domain.model.operations import add
from workshop.domain.model.record import SessionRecord
from workshop.domain.research.sources import SurveyResponse, SurveyRound
from workshop.domain.research.survey import load_instrument
from workshop.interchange.qdpx_export import build_project, project_xml, write_qdpx
from workshop.resources import example_session_path, scripts_dir
from workshop.store.sessions import load_session_json

Q = "{urn:QDA-XML:project:1.0}"


@pytest.fixture
def record() -> SessionRecord:
    doc = Document(load_session_json(example_session_path()))
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")
    doc.apply(add(SurveyRound(id="rc", label="Before", instrument=instrument.model_dump(mode="json"))))
    for n, value in enumerate((2, 3, 4)):
        doc.apply(
            add(
                SurveyResponse(
                    id=f"r{n}",
                    round_id="rc",
                    organization_id="org-a",
                    about_org_id="org-it",
                    answers={"frequent": value},
                )
            )
        )
    doc.apply(
        add(
            Annotation(
                id="anon",
                text="Nobody reads our forms",
                organization_id="org-b",
                anonymous=True,
                codes=["code-knowledge-boundaries"],
            )
        )
    )
    return SessionRecord(doc.session)


def test_the_project_validates_against_the_refi_schema(record: SessionRecord, corpus) -> None:  # type: ignore[no-untyped-def]
    schema = etree.XMLSchema(etree.parse(str(corpus / "refi-qda" / "Project.xsd")))
    stream = io.BytesIO()
    write_qdpx(record, stream)
    with zipfile.ZipFile(stream) as archive:
        document = etree.fromstring(archive.read("project.qde"))
    assert schema.validate(document), schema.error_log.last_error


def test_codings_users_and_case_variables(record: SessionRecord) -> None:
    built = build_project(record)
    root = etree.fromstring(built.project)
    assert len(root.findall(f"{Q}CodeBook/{Q}Codes/{Q}Code")) == 8
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    assert set(users.values()) == {"facilitator"}, "the users are who coded, not the participants"
    sources = {built.texts[s.get("guid")]: s for s in root.iter(f"{Q}TextSource")}
    quote = sources["We never know what happens to a case after we send it."]
    assert quote.find(f"{Q}PlainTextContent") is None, "texts are files under sources/"
    assert quote.get("plainTextPath") == f"internal://{quote.get('guid')}.txt"
    (selection,) = quote.findall(f"{Q}PlainTextSelection")
    assert users[selection.get("creatingUser")] == "facilitator"
    assert len(selection.findall(f"{Q}Coding")) == 1
    cases = {c.get("name"): c for c in root.iter(f"{Q}Case")}
    refs = {c: {r.get("targetGUID") for r in case.iter(f"{Q}SourceRef")} for c, case in cases.items()}
    author = next(name for name, found in refs.items() if quote.get("guid") in found and "Customer" not in name)
    assert cases[author].findtext(f"{Q}Description") == "person"
    anonymous = sources["Nobody reads our forms"]
    people = [name for name, c in cases.items() if c.findtext(f"{Q}Description") == "person"]
    assert not [p for p in people if anonymous.get("guid") in refs[p]], "an anonymous contribution names no person"
    case = cases["Customer group A"]
    assert "3.000" in [v.text for v in case.iter(f"{Q}FloatValue")]
    assert project_xml(record) == project_xml(record), "the same session exports the same GUIDs"


def test_the_archive_holds_every_text_under_sources(record: SessionRecord) -> None:
    stream = io.BytesIO()
    write_qdpx(record, stream)
    with zipfile.ZipFile(stream) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        for source in root.iter(f"{Q}TextSource"):
            text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
            assert text.strip()
