"""A whole study built through the command line alone: sittings, carry-forward, texts, codings, the study record.

Three interventions, ten sittings (modeling, simulation, interviews,
observation), three business processes, five organizations; an interview
transcript (.docx) coded with three themes. The study Table 1 is checked
against the sittings, an idea is followed from its proposal in
intervention 1 to "checked" in intervention 3, and the study QDPX is
validated against the REFI-QDA schema with its time variables present.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from workshop.cli import main
from workshop.domain.research.survey import load_instrument
from workshop.resources import scripts_dir

Q = "{urn:QDA-XML:project:1.0}"
ORGS = {
    "org-it": "IT provider",
    "org-a": "Customer group A",
    "org-b": "Customer group B",
    "org-p": "Partner",
    "org-u": "End users",
}


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def ok(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    status, out, err = run(capsys, *args)
    assert status == 0, err
    return out


def refused(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    """The command fails with one clear line, never a traceback."""
    status, out, err = run(capsys, *args)
    assert status == 1, out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("workshop: "), err
    assert "Traceback" not in err
    return lines[0]


def ops_file(folder: Path, name: str, ops: list[dict[str, Any]]) -> Path:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(op) + "\n" for op in ops), encoding="utf-8")
    return path


def add(kind: str, **data: Any) -> dict[str, Any]:
    return {"op": "add", "kind": kind, "data": data}


def update(kind: str, element_id: str, **changes: Any) -> dict[str, Any]:
    return {"op": "update", "kind": kind, "id": element_id, "changes": changes}


def docx(path: Path, paragraphs: list[str]) -> Path:
    """A minimal Word document (what Word writes, reduced to the body)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t xml:space='preserve'>{p}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document xmlns:w='{w}'><w:body>{body}</w:body></w:document>")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture
def study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The study of the module docstring, built only with 'workshop study ...' commands."""
    folder = tmp_path / "study"
    ok(capsys, "study", "new", folder, "--title", "Contact processing study", "--as", "Anna Virtanen")
    attendance = [x for org in ORGS.values() for x in ("--attendance", f"{org}=2")]
    ok(capsys, "study", "add", folder, "--kind", "interview", "--intervention", "1", "--process",
       "Contact processing", "--date", "2026-03-03", "--person", "Mia Koski", "--person", "Jon Berg")  # fmt: skip
    ok(capsys, "study", "add", folder, "--kind", "modeling", "--intervention", "1", "--process", "Contact processing",
       "--date", "2026-03-10", "--time", "09:00", *attendance, "--as", "Anna Virtanen")  # fmt: skip
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")
    start = [add("organization", id=oid, name=name) for oid, name in ORGS.items()]
    start += [add("participant", id=f"p-{oid}-{n}", name=f"{name} {n}", organization_id=oid)
              for oid, name in ORGS.items() for n in range(3)]  # fmt: skip
    start += [
        add("model", id="m-1", name="Contact processing", state="current"),
        add("annotation", id="idea-form", annotation_kind="idea", text="A shared web form instead of e-mail",
            author_id="p-org-a-0", organization_id="org-a", idea_mode="explore", idea_status="proposed"),
        {"op": "set_session", "changes": {"anonymous_step": True}},  # typed in for someone in an anonymous step
        add("annotation", id="idea-quiet", annotation_kind="idea", text="Nobody reads our forms",
            author_id="p-org-b-1", organization_id="org-b", codes=["code-knowledge-boundaries"]),
        {"op": "set_session", "changes": {"anonymous_step": False}},
        add("boundary", id="kb-1", org_a="org-a", org_b="org-it", not_shared="What a 'case' is"),
        add("survey_round", id="rc-before", label="Before", phase="before",
            instrument=instrument.model_dump(mode="json")),
    ]  # fmt: skip
    start += [add("survey_response", id=f"r{n}", round_id="rc-before", participant_id=f"p-org-a-{n}",
                  organization_id="org-a", about_org_id="org-it", answers={"frequent": 2 + n})
              for n in range(3)]  # fmt: skip
    ok(capsys, "study", "apply", folder, "s02", ops_file(tmp_path, "s02", start), "--as", "Anna Virtanen")
    ok(capsys, "study", "add", folder, "--kind", "simulation", "--intervention", "1", "--from", "s02",
       "--date", "2026-03-24", "--attendance", "IT provider=3", "--attendance", "End users=4")  # fmt: skip
    ok(capsys, "study", "add", folder, "--kind", "modeling", "--intervention", "2", "--process",
       "Order handling", "--from", "s03", "--date", "2026-06-02", *attendance)  # fmt: skip
    ok(capsys, "study", "apply", folder, "s04", ops_file(tmp_path, "s04", [
        update("annotation", "idea-form", idea_status="agreed"),
        update("boundary", "kb-1", status="being_crossed"),
        add("commitment", id="c-1", from_org_id="org-it", to_org_id="org-a", what="Case status each morning",
            by_when="2026-07-01"),
    ]), "--as", "Ben Ortiz")  # fmt: skip
    ok(capsys, "study", "add", folder, "--kind", "follow-up-interview", "--intervention", "2",
       "--process", "Order handling", "--date", "2026-06-20", "--person", "Mia Koski")  # fmt: skip
    ok(capsys, "study", "add", folder, "--kind", "observation", "--intervention", "2",
       "--process", "Order handling", "--date", "2026-07-01")  # fmt: skip
    ok(capsys, "study", "add", folder, "--kind", "modeling", "--intervention", "3", "--process",
       "Invoicing", "--from", "s04", "--date", "2026-10-06", *attendance)  # fmt: skip
    ok(capsys, "study", "apply", folder, "s07", ops_file(tmp_path, "s07", [
        update("annotation", "idea-form", idea_status="implemented"),
        update("boundary", "kb-1", status="crossed", crossing_note="A shared case definition"),
    ]))  # fmt: skip
    ok(capsys, "study", "add", folder, "--kind", "simulation", "--intervention", "3", "--from", "s07",
       "--date", "2026-10-20")  # fmt: skip
    ok(capsys, "study", "add", folder, "--kind", "follow_up_interview", "--intervention", "3", "--from", "s08",
       "--date", "2026-12-01", "--person", "Jon Berg", "--person", "Eva Lind")  # fmt: skip
    after = [
        add("survey_round", id="rc-after", label="After", phase="after", instrument=instrument.model_dump(mode="json"))
    ]
    after += [
        add(
            "survey_response",
            id=f"a{n}",
            round_id="rc-after",
            organization_id="org-a",
            about_org_id="org-it",
            answers={"frequent": 4 + n % 2},
        )
        for n in range(4)
    ]  # paper answers
    ok(capsys, "study", "apply", folder, "s09", ops_file(tmp_path, "s09", [
        update("annotation", "idea-form", idea_status="checked"), update("commitment", "c-1", done=True), *after,
    ]), "--as", "Anna Virtanen")  # fmt: skip
    ok(capsys, "study", "add", folder, "--kind", "interview", "--intervention", "3", "--process", "Invoicing",
       "--date", "2026-09-15", "--person", "Eva Lind")  # fmt: skip
    transcript = docx(tmp_path / "Interview Mia.docx", [
        "Q: How do cases reach you?",
        "A: By e-mail, and half of them lack the contract number.",
        "We never agreed what a case is.",
    ])  # fmt: skip
    ok(capsys, "study", "attach", folder, "s01", transcript, "--as", "Ben Ortiz")
    note = tmp_path / "observation.md"
    note.write_text("# Floor visit\n\nThe IT desk keeps a paper list of open cases.\n", encoding="utf-8")
    ok(capsys, "study", "attach", folder, "s06", note)
    return folder


def info(capsys: pytest.CaptureFixture[str], folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(capsys, "study", "info", folder, "--json"))
    return data


def test_the_study_table1_follows_from_the_sittings(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = info(capsys, study)
    assert len(summary["sittings"]) == 10
    assert summary["interventions"] == [1, 2, 3]
    ok(capsys, "study", "export", study, "--format", "table1", "-o", tmp_path / "t1.csv")
    one, two, three = read_csv(tmp_path / "t1.csv")
    assert [r["intervention"] for r in (one, two, three)] == [
        "Intervention 1 (spring 2026)",
        "Intervention 2 (spring 2026)",
        "Intervention 3 (fall 2026)",
    ]
    assert [r["business process"] for r in (one, two, three)] == ["Contact processing", "Order handling", "Invoicing"]
    # s02's own 15 participants (3 per organization; types not given: "other") are people, not its declared seats
    assert one["process modeling workshops"] == "week 11; 15 other representatives; 1 workshop"
    assert one["interviews"] == "2026-03-03; 2 other representatives; 1 interview", "counted, never named"
    assert two["interviews"] == "2026-06-20; 1 other representative; 1 interview"
    assert three["interviews"] == "2026-09-15 and 2026-12-01; 2 other representatives; 2 interviews"
    # declared attendance where no one is named: the most each organization sent
    assert one["simulation workshops"] == "2026-03-24; 7 other representatives"
    # the simulation in intervention 3 declared no attendance and has no participants of its own
    assert three["simulation workshops"] == "2026-10-20"
    assert "Mia Koski" not in (tmp_path / "t1.csv").read_text(encoding="utf-8-sig")


def test_an_idea_is_followed_from_proposal_to_checked(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "study", "export", study, "--format", "ideas", "-o", tmp_path / "ideas.csv")
    ideas = {row["idea"]: row for row in read_csv(tmp_path / "ideas.csv")}
    form = ideas["idea-form"]
    assert form["status"] == "checked"
    assert form["proposed in"] == "s02 (intervention 1)"
    assert form["agreed in"] == "s04 (intervention 2)"
    assert form["implemented in"] == "s07 (intervention 3)"
    assert form["checked in"] == "s09 (intervention 3)"
    assert form["history"] == "s02: proposed; s04: agreed; s07: implemented; s09: checked"
    # the anonymous idea stays anonymous though it crossed sittings whose logs do not say it was anonymous
    assert "Customer group B 1" not in ideas["idea-quiet"]["raised by"]
    ok(capsys, "study", "export", study, "--format", "boundaries", "-o", tmp_path / "kb.csv")
    (boundary,) = read_csv(tmp_path / "kb.csv")
    assert (boundary["marked in"], boundary["crossed in"], boundary["status"]) == ("s02", "s07", "crossed")
    assert [h.split(":")[0].split()[0] for h in boundary["history"].split("; ")] == ["s02", "s04", "s07"]
    ok(capsys, "study", "export", study, "--format", "commitments", "-o", tmp_path / "c.csv")
    (commitment,) = read_csv(tmp_path / "c.csv")
    assert (commitment["made in"], commitment["done in"], commitment["last seen in"]) == ("s04", "s09", "s09")
    assert commitment["history"] == "s04: agreed; s09: done"
    assert commitment["negotiation"] == "agreed", "a line typed straight into the contract is agreed"
    ok(capsys, "study", "export", study, "--format", "survey", "-o", tmp_path / "rc.csv")
    score, later = read_csv(tmp_path / "rc.csv")
    assert (later["sitting"], later["phase"], later["respondents"]) == ("s09", "after", "4")
    ok(capsys, "study", "export", study, "--format", "survey_change", "-o", tmp_path / "change.csv")
    (change,) = read_csv(tmp_path / "change.csv")
    assert (change["first measured"], change["last measured"]) == ("s02 Before", "s09 After")
    assert float(change["change"].lstrip("'")) == pytest.approx(
        float(change["last score"]) - float(change["first score"])
    )
    assert (score["sitting"], score["organization"], score["about"], score["respondents"]) == (
        "s02",
        "Customer group A",
        "IT provider",
        "3",
    )


def test_carry_forward_keeps_ids_and_provenance_not_the_log(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sittings = {s["id"]: s for s in info(capsys, study)["sittings"]}
    carried = sittings["s03"]
    assert carried["carried_from"]["from_sitting"] == "s02"
    assert carried["carried_from"]["from_seq"] == sittings["s02"]["operations"] > 0
    assert carried["operations"] == 0  # the new file does not contain the old log
    assert carried["organizations"] == 5
    assert carried["ideas"] == 2
    assert carried["boundaries"] == 1
    assert carried["process"] == "Contact processing"  # the earlier sitting's process unless said otherwise
    from workshop.store.workshop_file import WorkshopFile

    copy = WorkshopFile.open(Path(carried["file"]), read_only=True)
    try:  # the file itself says where its starting state came from
        assert json.loads(copy.meta()["provenance"])["from_sitting"] == "s02"
    finally:
        copy.close()
    log = ok(capsys, "log", sittings["s04"]["file"])
    assert "Ben Ortiz" in log
    assert "cli" not in log.split()
    study_file = json.loads((study / "study.json").read_text(encoding="utf-8"))
    assert study_file["created_by"] == "Anna Virtanen"
    assert {s["id"]: s["created_by"] for s in study_file["sittings"]}["s02"] == "Anna Virtanen"
    assert study_file["sources"][0]["added_by"] == "Ben Ortiz"


def test_the_anonymous_author_is_not_carried_forward(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workshop.store.sessions import read_record

    sittings = {s["id"]: s for s in info(capsys, study)["sittings"]}
    later = read_record(Path(sittings["s03"]["file"])).session
    assert later.annotations["idea-quiet"].author_id is None
    assert later.annotations["idea-form"].author_id == "p-org-a-0"
    assert set(later.participants) == {"p-org-a-0"}  # only who a carried element names


def test_a_transcript_coded_with_three_themes_goes_into_the_study_qdpx(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    (text_info,) = [t for t in info(capsys, study)["texts"] if t["kind"] == "transcript"]
    text = ok(capsys, "study", "text", study, text_info["id"])
    spans = {
        "knowledge boundaries": "We never agreed what a case is.",
        "coordination": "By e-mail",
        "code-boundary-object": "contract number",
    }
    for theme, phrase in spans.items():
        start = text.index(phrase)
        ok(capsys, "study", "code", study, "s01", text_info["id"], "--start", str(start),
           "--end", str(start + len(phrase)), "--code", theme, "--as", "Ben Ortiz")  # fmt: skip
    target = tmp_path / "study.qdpx"
    ok(capsys, "study", "export", study, "--format", "qdpx", "-o", target)
    schema = etree.XMLSchema(etree.parse(str(corpus / "refi-qda" / "Project.xsd")))
    with zipfile.ZipFile(target) as archive:
        document = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    assert schema.validate(document), schema.error_log.last_error
    variables = {v.get("guid"): v.get("name") for v in document.iter(f"{Q}Variable")}
    assert {"intervention", "sitting", "sitting kind", "date"} <= set(variables.values())
    sources = list(document.iter(f"{Q}TextSource"))

    def values(source: Any) -> dict[str, str]:
        return {
            variables[v.find(f"{Q}VariableRef").get("targetGUID")]: v[1].text for v in source.iter(f"{Q}VariableValue")
        }

    transcript = next(s for s in sources if "Interview Mia" in s.get("name"))
    assert values(transcript) == {
        "intervention": "1",
        "sitting": "s01 interview 2026-03-03 (intervention 1)",
        "sitting kind": "interview",
        "date": "2026-03-03",
        "business process": "Contact processing",
        "source kind": "transcript",
    }
    codes = {c.get("guid"): c.get("name") for c in document.iter(f"{Q}Code")}
    transcript_text = texts[f"sources/{transcript.get('guid')}.txt"]
    coded = {
        codes[selection.find(f"{Q}Coding/{Q}CodeRef").get("targetGUID")]: transcript_text[
            int(selection.get("startPosition")) : int(selection.get("endPosition"))
        ]
        for selection in transcript.iter(f"{Q}PlainTextSelection")
    }
    assert coded == {
        "knowledge boundaries": "We never agreed what a case is.",
        "coordination": "By e-mail",
        "boundary object": "contract number",
    }
    note = next(s for s in sources if "observation_note" in s.get("name"))
    assert values(note)["sitting kind"] == "observation"
    assert values(note)["intervention"] == "2"
    # every contribution carries its time variables; a carried idea is one source, where it first appears
    ideas = [s for s in sources if "idea-form" in s.get("guid") or "shared web form" in (s.get("name") or "")]
    assert len(ideas) == 1
    assert values(ideas[0])["date"] == "2026-03-10"
    quiet = next(s for s in sources if "Nobody reads" in s.get("name"))
    assert quiet.get("creatingUser") is None
    assert all("date" in values(s) and "intervention" in values(s) for s in sources)


def test_the_study_pdf_json_and_csv(study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "study", "export", study, "--format", "pdf", "-o", tmp_path / "study.pdf")
    assert (tmp_path / "study.pdf").read_bytes().startswith(b"%PDF")
    ok(capsys, "study", "export", study, "--format", "json", "-o", tmp_path / "study.json")
    document = json.loads((tmp_path / "study.json").read_text(encoding="utf-8"))
    assert set(document["tables"]) == {
        "sittings",
        "table1",
        "ideas",
        "explore_exploit",
        "conditions",
        "boundaries",
        "mechanisms",
        "commitments",
        "joint_commitments",
        "survey",
        "survey_roles",
        "survey_change",
        "survey_change_dimensions",
        "survey_change_handoffs",
    }
    assert "Customer group B 1" not in (tmp_path / "study.json").read_text(encoding="utf-8")
    ok(capsys, "study", "export", study, "--format", "csv", "-o", tmp_path / "tables.zip")
    with zipfile.ZipFile(tmp_path / "tables.zip") as archive:
        assert sorted(archive.namelist()) == [
            "boundaries.csv",
            "commitments.csv",
            "conditions.csv",
            "explore_exploit.csv",
            "ideas.csv",
            "joint_commitments.csv",
            "mechanisms.csv",
            "sittings.csv",
            "survey.csv",
            "survey_change.csv",
            "survey_change_dimensions.csv",
            "survey_change_handoffs.csv",
            "survey_roles.csv",
            "table1.csv",
        ]


def test_bad_input_is_one_clear_line_and_leaves_nothing_behind(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in study.rglob("*"))
    study_text = (study / "study.json").read_bytes()
    assert "sitting kind" in refused(capsys, "study", "add", study, "--kind", "party", "--intervention", "1")
    assert "--date" in refused(capsys, "study", "add", study, "--kind", "interview", "--intervention", "1",
                               "--date", "2026-13-01")  # fmt: skip
    assert "no sitting 's99'" in refused(
        capsys, "study", "add", study, "--kind", "modeling", "--intervention", "2", "--from", "s99"
    )
    assert "ORGANIZATION=NUMBER" in refused(
        capsys, "study", "add", study, "--kind", "modeling", "--intervention", "2", "--attendance", "IT"
    )
    (pdf := tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    assert ".txt, .md or .docx" in refused(capsys, "study", "attach", study, "s01", pdf)
    (broken := tmp_path / "broken.docx").write_bytes(b"not a zip")
    assert "broken.docx" in refused(capsys, "study", "attach", study, "s01", broken)
    (latin := tmp_path / "latin.txt").write_bytes("Grüße\n".encode("latin-1"))
    assert "latin.txt:1: not UTF-8" in refused(capsys, "study", "attach", study, "s01", latin)
    source = json.loads(study_text)["sources"][0]["id"]
    assert "not a selection" in refused(
        capsys, "study", "code", study, "s01", source, "--start", "5", "--end", "99999", "--code", "coordination"
    )
    assert "not in the codebook" in refused(
        capsys, "study", "code", study, "s01", source, "--start", "0", "--end", "5", "--code", "gossip"
    )
    assert "attached to sitting s01" in refused(
        capsys, "study", "code", study, "s02", source, "--start", "0", "--end", "5", "--code", "coordination"
    )
    (bad_ops := tmp_path / "bad.jsonl").write_text('{"op": "add", "kind": "node", "data": {}}\n', encoding="utf-8")
    assert "bad.jsonl:1" in refused(capsys, "study", "apply", study, "s01", bad_ops)
    assert "not a study folder" in refused(capsys, "study", "info", tmp_path / "nowhere")
    assert "not empty" in refused(capsys, "study", "new", study, "--title", "Again")
    assert sorted(p.name for p in study.rglob("*")) == before
    assert (study / "study.json").read_bytes() == study_text
    (study / "study.json").write_text('{"format": "process-workshop-study", "title": ""}', encoding="utf-8")
    assert "not a valid study file" in refused(capsys, "study", "info", study)


def test_no_study_output_ties_the_anonymous_idea_to_its_author(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The idea typed in for p-org-b-1 in an anonymous step: no output names them as its author."""
    import shutil
    import subprocess

    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/install-test-deps.sh"
    texts = []
    for kind, name in (("json", "s.json"), ("csv", "t.zip"), ("pdf", "s.pdf")):
        ok(capsys, "study", "export", study, "--format", kind, "-o", tmp_path / name)
    texts.append((tmp_path / "s.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(tmp_path / "t.zip") as archive:
        texts += [archive.read(n).decode("utf-8-sig") for n in archive.namelist()]
    texts.append(
        subprocess.run(
            ["pdftotext", "-raw", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for text in texts:
        assert "p-org-b-1" not in text
        assert "Customer group B 1" not in text
    assert any("Nobody reads our forms" in text for text in texts)  # the idea itself is there


def test_the_example_study_from_the_readme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Running a study") :]
    assert "workshop study example example-study" in section
    used = set(re.findall(r"^workshop study (\w+)", section, flags=re.MULTILINE))
    assert {"new", "add", "apply", "attach", "text", "code", "info", "export", "example"} <= used
    folder = tmp_path / "example-study"
    out = ok(capsys, "study", "example", folder, "--as", "Anna Virtanen")
    assert "2 sittings" in out
    info = json.loads(ok(capsys, "study", "info", folder, "--json"))
    assert [s["kind"] for s in info["sittings"]] == ["modeling", "follow_up_interview"]
    assert info["sittings"][1]["carried_from"]["from_sitting"] == "s01"
    assert "not empty" in refused(capsys, "study", "example", folder)


def test_explore_exploit_and_the_integrating_conditions_per_intervention(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = [
        add("agreement", id=f"g{n}", check_id="i2-agreement", organization_id=org, rating=rating,
            predictability=predictability)
        for n, (org, rating, predictability) in enumerate(
            [("org-a", 4, 2), ("org-a", 5, 3), ("org-it", 3, None), ("org-it", 2, 4)]
        )
    ]  # fmt: skip
    ok(capsys, "study", "apply", study, "s04", ops_file(tmp_path, "s04-more", [
        add("annotation", id="idea-bot", annotation_kind="idea", text="A chatbot answers first", idea_mode="explore"),
        add("annotation", id="idea-tpl", annotation_kind="idea", text="One e-mail template", idea_mode="exploit",
            idea_status="agreed"),
        add("annotation", id="obs-try", annotation_kind="comment", text="Try the portal once",
            codes=["code-explorative"]),
        add("lane", id="lane-it", model_id="m-1", organization_id="org-it", role="Service desk"),
        add("node", id="n-1", model_id="m-1", label="Register case", lane_id="lane-it", owner_org_id="org-it",
            owner_role="Service desk"),
        add("node", id="n-2", model_id="m-1", label="Check contract", lane_id="lane-it", owner_org_id="org-it"),
        add("node", id="n-3", model_id="m-1", label="Answer customer"),
        *answers,
    ]), "--as", "Ben Ortiz")  # fmt: skip
    ok(capsys, "study", "export", study, "--format", "explore_exploit", "-o", tmp_path / "ee.csv")
    rows = {row["intervention"]: row for row in read_csv(tmp_path / "ee.csv")}
    assert (rows["1"]["explore"], rows["1"]["exploit"], rows["1"]["ideas not classified"]) == ("1", "0", "1")
    assert rows["1"]["explorative ideas and activities"] == "A shared web form instead of e-mail (proposed)"
    assert (rows["2"]["explore"], rows["2"]["exploit"]) == ("2", "1"), "carried ideas count where first raised"
    assert (
        rows["2"]["explorative ideas and activities"]
        == "A chatbot answers first (proposed); Try the portal once (comment)"
    )
    assert rows["2"]["exploitative ideas and activities"] == "One e-mail template (agreed)"
    assert rows["3"]["explore"] == rows["3"]["exploit"] == "0"

    ok(capsys, "study", "export", study, "--format", "conditions", "-o", tmp_path / "conditions.csv")
    conditions = {row["intervention"]: row for row in read_csv(tmp_path / "conditions.csv")}
    two = conditions["2"]
    assert two["accountability: activities with an owner"] == "2 of 3"
    assert two["accountability: activities with an owner role"] == "1 of 3"
    assert two["accountability: activities without an owner"] == "Answer customer"
    assert two["common understanding (agreement check, 1-5)"] == "3.50"
    assert two["common understanding per organization"] == "IT provider 2.50 (2); Customer group A 4.50 (2)"
    assert two["predictability (1-5)"] == "3.00"
    assert two["predictability per organization"] == "Customer group A 2.50 (2); IT provider 4.00 (1)"
    assert two["measured in"] == "owners: s04, agreement check: s04"
    assert conditions["1"]["common understanding (agreement check, 1-5)"] == "no agreement check"
    assert conditions["3"]["accountability: activities with an owner"] == "no activities modeled", (
        "intervention 3 was carried forward before these nodes were drawn"
    )


def test_a_contract_line_negotiated_across_sittings(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s07 = study / "s07-modeling.workshop"
    out = ok(capsys, "contract", "request", s07, "--requester", "End users", "--asked", "IT provider",
             "--what", "Tell us when a case is closed", "--as", "Anna Virtanen")  # fmt: skip
    line = out.split(":")[0]
    ok(capsys, "contract", "answer", s07, line, "can-do", "--note", "by e-mail", "--as", "Ben Ortiz")
    ok(capsys, "study", "add", study, "--kind", "feedback", "--intervention", "3", "--from", "s07",
       "--date", "2026-12-15")  # fmt: skip
    added = info(capsys, study)["sittings"][-1]
    ok(capsys, "contract", "agree", added["file"], line, "--by-when", "2027-01-31", "--as", "Anna Virtanen")
    ok(capsys, "study", "export", study, "--format", "commitments", "-o", tmp_path / "c.csv")
    rows = {row["commitment"]: row for row in read_csv(tmp_path / "c.csv")}
    negotiated = rows[line]
    assert (negotiated["from"], negotiated["to"]) == ("IT provider", "End users")
    assert negotiated["negotiation"] == "agreed"
    assert negotiated["history"] == f"s07: requested, can do; {added['id']}: agreed"
    assert negotiated["by when"] == "2027-01-31"
    # the sitting the line was carried into shows the move made there, from the line as it was carried
    shown = json.loads(ok(capsys, "contract", "show", added["file"], "--json"))
    (carried,) = [entry for entry in shown if entry["id"] == line]
    assert [(step["state"], step["by"]) for step in carried["history"]] == [("agreed", "Anna Virtanen")]
    assert "agreed: Tell us when a case is closed" in ok(capsys, "contract", "show", added["file"])


def test_relational_coordination_between_roles_where_the_lanes_carry_roles(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")
    ops = [
        add("lane", id="lane-desk", model_id="m-1", organization_id="org-it", role="Service desk"),
        add("lane", id="lane-sales", model_id="m-1", organization_id="org-a", role="Sales", index=1),
        add("lane", id="lane-field", model_id="m-1", organization_id="org-a", role="Field service", index=2),
        add("survey_round", id="rc-roles", label="Roles", phase="after", instrument=instrument.model_dump(mode="json")),
    ]
    ops += [add("survey_response", id=f"rr{n}", round_id="rc-roles", organization_id="org-a", about_org_id="org-it",
                role="Sales", about_role="Service desk", answers={"frequent": 2 + n}) for n in range(3)]  # fmt: skip
    ops += [add("survey_response", id="rr-field", round_id="rc-roles", organization_id="org-a", about_org_id="org-it",
                role="Field service", about_role="Service desk", answers={"frequent": 5})]  # fmt: skip
    ok(capsys, "study", "apply", study, "s04", ops_file(tmp_path, "roles", ops))
    ok(capsys, "study", "export", study, "--format", "survey_roles", "-o", tmp_path / "roles.csv")
    rows = [
        (r["role"], r["about role"], r["overall score"], r["respondents"]) for r in read_csv(tmp_path / "roles.csv")
    ]
    assert rows[0] == ("Field service", "Service desk", "too few answers", "1"), "one person's answer is withheld"
    assert rows[1][:2] == ("Sales", "Service desk")
    assert rows[1][3] == "3"
    assert rows[1][2] != "too few answers"
    ok(capsys, "study", "export", study, "--format", "survey", "-o", tmp_path / "orgs.csv")
    by_org = [r for r in read_csv(tmp_path / "orgs.csv") if r["round"] == "Roles"]
    assert [r["respondents"] for r in by_org] == ["4"], "between organizations every answer counts"
    wrong = add("survey_response", id="x", round_id="rc-roles", organization_id="org-a", about_org_id="org-it",
                role="Logistics", answers={"frequent": 3})  # fmt: skip
    bad = ops_file(tmp_path, "bad", [wrong])
    assert "no lane of organization org-a carries the role 'Logistics'" in refused(
        capsys, "study", "apply", study, "s04", bad
    )


def test_observation_notes_written_in_a_sitting_go_into_the_study_qdpx(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    note = add("observation", id="obs-1", text="The IT desk waits for A to speak first.", observer="Ben Ortiz")
    ok(capsys, "study", "apply", study, "s04", ops_file(tmp_path, "obs", [note]), "--as", "Ben Ortiz")
    ok(capsys, "study", "add", study, "--kind", "simulation", "--intervention", "2", "--from", "s04")
    target = tmp_path / "study.qdpx"
    ok(capsys, "study", "export", study, "--format", "qdpx", "-o", target)
    schema = etree.XMLSchema(etree.parse(str(corpus / "refi-qda" / "Project.xsd")))
    with zipfile.ZipFile(target) as archive:
        document = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    assert schema.validate(document), schema.error_log.last_error
    variables = {v.get("guid"): v.get("name") for v in document.iter(f"{Q}Variable")}
    (source,) = [s for s in document.iter(f"{Q}TextSource") if "observation note:" in s.get("name")]
    assert texts[f"sources/{source.get('guid')}.txt"] == "The IT desk waits for A to speak first."
    assert source.find(f"{Q}Description").text == "observed by Ben Ortiz"
    shown = {
        variables[v.find(f"{Q}VariableRef").get("targetGUID")]: v[1].text for v in source.iter(f"{Q}VariableValue")
    }
    assert (shown["sitting kind"], shown["intervention"], shown["source kind"]) == ("modeling", "2", "observation_note")
    assert shown["date"] == "2026-06-02"


def test_a_feedback_report_per_intervention_for_the_organizations(
    study: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re
    import shutil
    import subprocess

    out = ok(capsys, "study", "export", study, "--format", "feedback", "-o", tmp_path / "feedback")
    assert out.strip() == f"wrote 3 feedback reports to {tmp_path / 'feedback'}"
    names = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert names == [f"feedback-intervention-{n}.pdf" for n in (1, 2, 3)]
    assert shutil.which("pdftotext"), "poppler-utils is part of the machine (scripts/install-test-deps.sh)"
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "feedback" / "feedback-intervention-2.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    words = " ".join(text.split())
    assert "Feedback to the organizations: intervention 2" in text
    assert "Order handling" in text
    assert "2026-03-10" not in text, "only this intervention's sittings (not intervention 1's workshop)"
    assert "Invoicing" not in text, "nor intervention 3's process"
    contract = words.split("The collaboration contract", 1)[1].split("Joint commitments", 1)[0]
    for said in ("provider", "Customer", "Case", "morning", "2026-07-01", "agreed"):
        assert said in contract, f"the contract agreed in this intervention: {said}"
    assert "We never agreed what a case is" not in text, "researchers' transcripts stay out"
    # readable by the organizations: no ids (elements, sittings), no names; sittings by what they were
    for sitting in info(capsys, study)["sittings"]:
        assert not re.search(rf"\b{sitting['id']}\b", words), f"the sitting id {sitting['id']}"
    for element_id in ("c-1", "kb-1", "idea-form", "idea-quiet", "org-a", "p-org-a-0"):
        assert element_id not in words
    for name in ("Mia Koski", "Jon Berg", "Customer group A 0", "Customer group B 1", "Anna Virtanen", "Ben Ortiz"):
        assert name not in words, f"the feedback names {name}"
    assert "process modeling workshop of 2.6.2026" in words
    ideas = words.split("Ideas and what became of them", 1)[1].split("What was said", 1)[0]
    assert "10.3.2026" in ideas, "an idea's true history starts where it was proposed, in intervention 1"
