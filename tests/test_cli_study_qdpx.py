"""The study's QDPX as a QDA program reads it: pyqdpx (a REFI-QDA reader) reads back every text, code and coding.

The study of :mod:`tests.test_cli_study` (ten sittings built with ``workshop
study ...``), with its interview transcript coded with three themes by a
researcher, is exported and read with pyqdpx 0.1.8 in a Python 3.12 venv
(:mod:`tests.pyqdpx_env`; made on first use, and the test fails — never
skips — when it cannot be). Every ``TextSource`` of ``project.qde`` must be
read with its whole text from ``sources/``, every code of the codebook,
and every coding with its code and coder; coders are researchers and
facilitators, never participants; people and organizations are cases
linked to what they said.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.pyqdpx_env import ReaderUnavailable, reader_python
from tests.test_cli_study import ORGS, info, ok, study  # noqa: F401 - study is the fixture

Q = "{urn:QDA-XML:project:1.0}"
READER = Path(__file__).parent / "interchange" / "read_with_pyqdpx.py"


def read_with_pyqdpx(path: Path) -> dict[str, Any]:
    try:
        python = reader_python()
    except ReaderUnavailable as error:
        pytest.fail(f"cannot read the QDPX back: {error}")
    done = subprocess.run([str(python), str(READER), str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    read: dict[str, Any] = json.loads(done.stdout)
    return read


@pytest.fixture
def exported(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:  # noqa: F811
    (text_info,) = [t for t in info(capsys, study)["texts"] if t["kind"] == "transcript"]
    text = ok(capsys, "study", "text", study, text_info["id"])
    for theme, phrase in {"knowledge boundaries": "We never agreed", "coordination": "By e-mail"}.items():
        start = text.index(phrase)
        ok(capsys, "study", "code", study, "s01", text_info["id"], "--start", str(start),
           "--end", str(start + len(phrase)), "--code", theme, "--as", "Ben Ortiz")  # fmt: skip
    minutes = tmp_path / "Steering minutes.md"  # an archival document, coded like a transcript
    minutes.write_text("Minutes\n\nCase status goes out <weekly> & by e-mail.\n", encoding="utf-8")
    ok(capsys, "study", "archive", study, minutes, "--date", "2026-02-14", "--document-kind", "minutes",
       "--intervention", "1", "--as", "Ben Ortiz")  # fmt: skip
    (archived,) = [t for t in info(capsys, study)["texts"] if t["archival"]]
    start = ok(capsys, "study", "text", study, archived["id"]).index("Case status")
    ok(capsys, "study", "code", study, "s02", archived["id"], "--start", str(start), "--end", str(start + 11),
       "--code", "coordination", "--as", "Ben Ortiz")  # fmt: skip
    target = tmp_path / "study.qdpx"
    ok(capsys, "study", "export", study, "--format", "qdpx", "-o", target)
    return target


@pytest.mark.timeout(600)
def test_pyqdpx_reads_every_text_code_and_coding(exported: Path, corpus: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        project = etree.fromstring(archive.read("project.qde"))
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name != "project.qde"}
    schema = etree.XMLSchema(etree.parse(str(corpus / "refi-qda" / "Project.xsd")))
    assert schema.validate(project), schema.error_log.last_error
    sources = list(project.iter(f"{Q}TextSource"))
    assert len(sources) >= 4
    for source in sources:  # texts as files, as QDA programs exchange them
        assert source.find(f"{Q}PlainTextContent") is None
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert f"sources/{source.get('guid')}.txt" in files
    codes = {c.get("guid"): c.get("name") for c in project.iter(f"{Q}Code")}
    users = {u.get("guid"): u.get("name") for u in project.iter(f"{Q}User")}
    written = Counter(
        (source.get("guid"), codes[coding.find(f"{Q}CodeRef").get("targetGUID")], users[coding.get("creatingUser")])
        for source in sources
        for coding in source.iter(f"{Q}Coding")
    )
    assert sum(written.values()) >= 3

    read = read_with_pyqdpx(exported)
    assert "Warning" not in read["said"], read["said"]
    assert "Error" not in read["said"], read["said"]
    assert sorted(codes.values()) == read["codes"]
    assert sorted(users.values()) == read["users"]
    by_guid = {s["guid"]: s for s in read["sources"]}
    assert set(by_guid) == {s.get("guid") for s in sources}, "pyqdpx reads every text"
    for source in sources:
        assert by_guid[source.get("guid")]["text"] == files[f"sources/{source.get('guid')}.txt"]
    got = Counter((s["guid"], sel["code"], sel["user"]) for s in read["sources"] for sel in s["selections"])
    assert got == written, "pyqdpx reads every coding, with its code and coder"
    transcript = next(s for s in read["sources"] if "Interview Mia" in s["name"])
    assert {(sel["code"], sel["text"]) for sel in transcript["selections"]} == {
        ("knowledge boundaries", "We never agreed"),
        ("coordination", "By e-mail"),
    }
    assert {sel["user"] for sel in transcript["selections"]} == {"Ben Ortiz"}
    minutes = next(s for s in read["sources"] if "Steering minutes" in s["name"])
    assert [(sel["code"], sel["text"]) for sel in minutes["selections"]] == [("coordination", "Case status")]


def test_coders_are_researchers_and_people_are_cases(exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        project = etree.fromstring(archive.read("project.qde"))
    users = {u.get("name") for u in project.iter(f"{Q}User")}
    assert "Ben Ortiz" in users
    assert not users & {f"{name} {n}" for name in ORGS.values() for n in range(3)}, "participants are no coders"
    variables = {v.get("guid"): v.get("name") for v in project.iter(f"{Q}Variable")}
    sources = {s.get("guid"): s for s in project.iter(f"{Q}TextSource")}

    def case(name: str) -> tuple[dict[str, str], list[str]]:
        (found,) = [c for c in project.iter(f"{Q}Case") if c.get("name") == name]
        values = {variables[v[0].get("targetGUID")]: v[1].text for v in found.findall(f"{Q}VariableValue")}
        said = [sources[r.get("targetGUID")].get("name") for r in found.findall(f"{Q}SourceRef")]
        return values, said

    values, said = case("Customer group A 0")
    assert values["organization"] == "Customer group A"
    assert values["organization type"] == "other"
    assert values["sittings attended"] == "s02"
    assert any("shared web form" in name.casefold() for name in said)
    # the anonymous idea is linked to its organization, never to its author
    _, quiet_said = case("Customer group B 1")
    assert not [name for name in quiet_said if "Nobody reads" in name]
    _, org_said = case("Customer group B")
    assert [name for name in org_said if "Nobody reads" in name]
    # an interviewee is one person across the study, linked to the transcript of their interview
    values, said = case("Mia Koski")
    assert values["sittings attended"] == "s01, s05"
    assert [name for name in said if "Interview Mia" in name]


@pytest.mark.timeout(600)
def test_pyqdpx_reads_the_session_qdpx_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workshop.resources import example_session_path

    target = tmp_path / "session.qdpx"
    ok(capsys, "export", example_session_path(), "--format", "qdpx", "-o", target)
    with zipfile.ZipFile(target) as archive:
        project = etree.fromstring(archive.read("project.qde"))
    sources = list(project.iter(f"{Q}TextSource"))
    codings = list(project.iter(f"{Q}Coding"))
    assert sources
    assert codings
    read = read_with_pyqdpx(target)
    assert "Warning" not in read["said"], read["said"]
    assert {s["guid"] for s in read["sources"]} == {s.get("guid") for s in sources}
    assert sum(len(s["selections"]) for s in read["sources"]) == len(codings)
    assert sorted(read["codes"]) == sorted(c.get("name") for c in project.iter(f"{Q}Code"))
