"""Archival documents of a study: ``workshop study archive`` keeps them with a date, a kind and an intervention.

They are shown by ``study info``, listed in Table 1's archival data cell of
their intervention, coded with ``study code`` like a transcript and exported
in the study QDPX with their date, kind and intervention as variables.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.test_cli_study import Q, info, ok, read_csv, refused, study  # noqa: F401 - study is the fixture
from workshop.store.study_folder import load_study, study_path

MINUTES = "Steering group minutes\n\nThe IT provider <b>agrees</b> to report case status weekly.\n"


@pytest.fixture
def archived(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:  # noqa: F811
    minutes = tmp_path / "minutes-2026-02.md"
    minutes.write_text(MINUTES, encoding="utf-8")
    out = ok(capsys, "study", "archive", study, minutes, "--date", "2026-02-14", "--document-kind", "minutes",
             "--intervention", "1", "--title", "Steering group minutes", "--as", "Ben Ortiz")  # fmt: skip
    assert "archived" in out
    assert "minutes, 2026-02-14, intervention 1" in out
    (document,) = [t for t in info(capsys, study)["texts"] if t["archival"]]
    return study, document["id"]


def test_an_archival_document_is_kept_shown_and_listed_in_table1(
    archived: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, text_id = archived
    (document,) = [t for t in info(capsys, folder)["texts"] if t["id"] == text_id]
    assert document | {"characters": 0} == {
        "id": text_id,
        "sitting": "",
        "kind": "document",
        "name": "minutes-2026-02.md",
        "title": "Steering group minutes",
        "archival": True,
        "intervention": 1,
        "date": "2026-02-14",
        "document_kind": "minutes",
        "characters": 0,
        "codings": 0,
    }
    shown = ok(capsys, "study", "info", folder)
    assert f"archival {text_id} (minutes, 2026-02-14, intervention 1): Steering group minutes" in shown
    assert ok(capsys, "study", "text", folder, text_id) == MINUTES
    stored = json.loads(study_path(folder).read_text(encoding="utf-8"))
    assert stored["version"] == 4
    # a document of the whole study belongs to no row of Table 1
    contract = tmp_path / "contract.txt"
    contract.write_text("Service contract between the IT provider and the customers.", encoding="utf-8")
    ok(capsys, "study", "archive", folder, contract, "--date", "2025-12-01", "--document-kind", "contract")
    ok(capsys, "study", "export", folder, "--format", "table1", "-o", tmp_path / "t1.csv")
    one, two, three = read_csv(tmp_path / "t1.csv")
    assert one["archival data"] == "Steering group minutes"
    assert two["archival data"] == three["archival data"] == ""
    assert "(contract, 2025-12-01, the study): contract, 0 codings" in ok(capsys, "study", "info", folder)


def test_an_archival_document_is_coded_with_a_codebook_of_its_intervention(
    archived: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, text_id = archived
    start = MINUTES.index("report case status")
    ok(capsys, "study", "code", folder, "s02", text_id, "--start", str(start), "--end", str(start + 18),
       "--code", "coordination", "--as", "Ben Ortiz")  # fmt: skip
    (coding,) = load_study(folder).codings
    assert (coding.source_id, coding.code_name, coding.added_by) == (text_id, "coordination", "Ben Ortiz")
    line = refused(capsys, "study", "code", folder, "s04", text_id, "--start", "0", "--end", "5", "--code",
                   "coordination")  # fmt: skip
    assert "archival document of intervention 1" in line
    assert "s04" in line


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--date", "14.2.2026", "--document-kind", "minutes"], "--date"),
        (["--date", "2026-02-14", "--document-kind", " "], "--document-kind"),
        (["--date", "2026-02-14", "--document-kind", "minutes", "--intervention", "0"], "--intervention"),
    ],
)
def test_bad_archive_options_are_one_line_naming_the_option(
    study: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    named: str,
) -> None:
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("Minutes", encoding="utf-8")
    before = study_path(study).read_bytes()
    assert named in refused(capsys, "study", "archive", study, minutes, *options)
    assert study_path(study).read_bytes() == before
    missing = refused(capsys, "study", "archive", study, tmp_path / "nope.pdf", "--date", "2026-02-14",
                      "--document-kind", "minutes")  # fmt: skip
    assert "nope.pdf" in missing
    assert not (study / "sources").exists() or len(list((study / "sources").iterdir())) == 2


def test_a_version_3_study_file_still_reads(study: Path) -> None:  # noqa: F811
    data: dict[str, Any] = json.loads(study_path(study).read_text(encoding="utf-8"))
    data["version"] = 3
    study_path(study).write_text(json.dumps(data), encoding="utf-8")
    read = load_study(study)
    assert [s.archival for s in read.sources] == [False, False]
    assert read.sources[0].where() == "sitting s01"


def test_an_archival_document_in_the_study_qdpx(
    archived: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    folder, text_id = archived
    start = MINUTES.index("report case status")
    ok(capsys, "study", "code", folder, "s01", text_id, "--start", str(start), "--end", str(start + 18),
       "--code", "coordination", "--as", "Ben Ortiz")  # fmt: skip
    target = tmp_path / "study.qdpx"
    ok(capsys, "study", "export", folder, "--format", "qdpx", "-o", target)
    schema = etree.XMLSchema(etree.parse(str(corpus / "refi-qda" / "Project.xsd")))
    with zipfile.ZipFile(target) as archive:
        document = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    assert schema.validate(document), schema.error_log.last_error
    variables = {v.get("guid"): v.get("name") for v in document.iter(f"{Q}Variable")}
    (source,) = [s for s in document.iter(f"{Q}TextSource") if "Steering group minutes" in s.get("name")]
    values = {
        variables[v.find(f"{Q}VariableRef").get("targetGUID")]: v[1].text for v in source.iter(f"{Q}VariableValue")
    }
    assert values == {
        "intervention": "1",
        "date": "2026-02-14",
        "source kind": "archival document",
        "document kind": "minutes",
    }
    assert texts[f"sources/{source.get('guid')}.txt"] == MINUTES
    (selection,) = source.iter(f"{Q}PlainTextSelection")
    assert MINUTES[int(selection.get("startPosition")) : int(selection.get("endPosition"))] == "report case status"
