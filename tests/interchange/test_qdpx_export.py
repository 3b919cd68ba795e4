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
from workshop.interchange.qdpx_export import project_xml, write_qdpx
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
    root = etree.fromstring(project_xml(record))
    assert len(root.findall(f"{Q}CodeBook/{Q}Codes/{Q}Code")) == 8
    assert {u.get("name") for u in root.iter(f"{Q}User")} >= {"Anna Müller", "Łukasz Nowak", "Nguyễn Thị Lan"}
    sources = {s.findtext(f"{Q}PlainTextContent"): s for s in root.iter(f"{Q}TextSource")}
    quote = sources["We never know what happens to a case after we send it."]
    assert quote.get("creatingUser") is not None
    assert len(quote.findall(f"{Q}PlainTextSelection/{Q}Coding")) == 1
    anonymous = sources["Nobody reads our forms"]
    assert anonymous.get("creatingUser") is None, "an anonymous contribution names no user"
    case = next(c for c in root.iter(f"{Q}Case") if c.get("name") == "Customer group A")
    assert case.findtext(f"{Q}VariableValue/{Q}FloatValue") == "3.000"
    assert project_xml(record) == project_xml(record), "the same session exports the same GUIDs"
