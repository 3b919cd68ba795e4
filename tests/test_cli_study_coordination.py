"""Intervention 3's outcome in every study export: coordination mechanisms, the contract with its history, who
agreed, and the joint commitment — in the CSV tables, the JSON, the study PDF, the feedback report and the QDPX.

Built on the study of :mod:`tests.test_cli_study` with ``workshop study ...`` and ``workshop contract ...``
alone: a core group decided in the modeling workshop of intervention 3, a line requested and answered there,
agreed side by side and committed to jointly in the feedback sitting it was carried into.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.test_cli_study import add, info, ok, ops_file, read_csv, study  # noqa: F401 - study is the fixture

Q = "{urn:QDA-XML:project:1.0}"


@pytest.fixture
def agreed(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:  # noqa: F811
    s07 = study / "s07-modeling.workshop"
    core = add("mechanism", id="mech-core", name="Core group <weekly>", mechanism_kind="meetings_and_groups",
               owner_org_id="org-it", cadence="every Monday", coordinates="changes to the case form")  # fmt: skip
    ok(capsys, "study", "apply", study, "s07", ops_file(tmp_path, "mech", [core]), "--as", "Anna Virtanen")
    out = ok(capsys, "contract", "request", s07, "--requester", "End users", "--asked", "IT provider",
             "--what", "Tell us when a case is closed", "--as", "Anna Virtanen")  # fmt: skip
    line = out.split(":")[0]
    ok(capsys, "contract", "answer", s07, line, "can-do", "--as", "Ben Ortiz")
    ok(capsys, "study", "add", study, "--kind", "feedback", "--intervention", "3", "--from", "s07",
       "--date", "2026-12-15")  # fmt: skip
    feedback = Path(info(capsys, study)["sittings"][-1]["file"])
    ok(capsys, "contract", "agree", feedback, line, "--org", "IT provider", "--as", "Ben Ortiz")
    ok(capsys, "contract", "agree", feedback, line, "--org", "End users", "--as", "Anna Virtanen")
    ok(capsys, "contract", "commit", feedback, "--org", "End users", "--org", "IT provider",
       "--note", "We review it together in March", "--as", "Anna Virtanen")  # fmt: skip
    return study, line


def test_mechanisms_contract_and_joint_commitment_in_the_csv_and_json(
    agreed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, line = agreed
    ok(capsys, "study", "export", folder, "--format", "csv", "-o", tmp_path / "tables")
    (mechanism,) = read_csv(tmp_path / "tables" / "mechanisms.csv")
    assert (mechanism["name"], mechanism["owner"], mechanism["cadence"]) == (
        "Core group <weekly>",
        "IT provider",
        "every Monday",
    )
    assert mechanism["made in"] == "s07"
    rows = {row["commitment"]: row for row in read_csv(tmp_path / "tables" / "commitments.csv")}
    negotiated = rows[line]
    assert negotiated["negotiation"] == "agreed"
    assert negotiated["agreed by"] == "End users and IT provider"
    assert negotiated["committed jointly by"] == "End users and IT provider"
    assert negotiated["history"].startswith("s07: requested, can do; s11: can do, agreed")
    (joint,) = read_csv(tmp_path / "tables" / "joint_commitments.csv")
    assert joint["organizations"] == "End users, IT provider"
    assert joint["lines committed to"] == "IT provider to End users: Tell us when a case is closed"
    assert (joint["note"], joint["made in"]) == ("We review it together in March", "s11")
    ok(capsys, "study", "export", folder, "--format", "json", "-o", tmp_path / "study.json")
    tables = json.loads((tmp_path / "study.json").read_text("utf-8"))["tables"]
    assert tables["mechanisms"][0]["name"] == "Core group <weekly>"
    assert tables["joint_commitments"][0]["organizations"] == "End users, IT provider"


def test_mechanisms_and_the_contract_in_the_study_pdf_the_feedback_and_the_qdpx(
    agreed: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = agreed
    ok(capsys, "study", "export", folder, "--format", "pdf", "-o", tmp_path / "study.pdf")
    ok(capsys, "study", "export", folder, "--format", "feedback", "-o", tmp_path / "feedback")
    for pdf in (tmp_path / "study.pdf", *sorted((tmp_path / "feedback").glob("*3*.pdf"))):
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        flat = " ".join(text.split())
        assert "Coordination mechanisms" in flat, pdf.name
        assert "Core group <weekly>" in flat, pdf.name
        assert "Joint commitments" in flat, pdf.name
        assert "We review it together in March" in flat, pdf.name
    ok(capsys, "study", "export", folder, "--format", "qdpx", "-o", tmp_path / "study.qdpx")
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        from lxml import etree

        project = etree.fromstring(archive.read("project.qde"))
        (source,) = [s for s in project.iter(f"{Q}TextSource") if s.get("name").startswith("intervention 3:")]
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
    assert "- Core group <weekly> (meetings and groups, mode: mutual adjustment, owner: IT provider" in text
    assert "- IT provider to End users: Tell us when a case is closed: agreed" in text
    assert "  agreed by End users and IT provider" in text
    assert "- End users, IT provider commit together (s11, " in text
    it_provider = next(c for c in project.iter(f"{Q}Case") if c.get("name") == "IT provider")
    assert source.get("guid") in {r.get("targetGUID") for r in it_provider.iter(f"{Q}SourceRef")}
