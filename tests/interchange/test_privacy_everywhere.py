"""Anonymous means anonymous in every output: a property test over generated sessions and every exporter.

Sessions are generated with named participants; some of them ("quiet"
people) contribute only in organization-anonymous steps, with every kind of
contribution (annotation, capture, boundary, dot vote, agreement answer,
ownership claim), and everybody answers the survey. Every export (PDF,
JSON, CSV, QDPX, SVG, PNG, the bundle) and the command line's ``log``,
``log --json`` and ``replay`` must then never name a quiet person or their
id, except in the list of who took part (which names everyone, so it says
nothing about who said what), and never show a survey answer per person.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication

from workshop.cli import main
from workshop.domain.facilitation.coordination import AgreementRating, Vote
from workshop.domain.model.annotations import Annotation, KnowledgeBoundary
from workshop.domain.model.claims import OwnershipClaim
from workshop.domain.model.document import Document, participant_actor
from workshop.domain.model.operations import SetSessionOp, add, update
from workshop.domain.model.process import Flow, Lane, Node, Organization, Participant, ProcessModel
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session, new_session
from workshop.domain.research.privacy import THRESHOLD
from workshop.domain.research.sources import SurveyResponse, SurveyRound
from workshop.domain.research.survey import load_instrument
from workshop.domain.walkthrough.moves import WalkMove, Walkthrough
from workshop.interchange.exports import export
from workshop.interchange.qdpx_export import _guid
from workshop.resources import scripts_dir
from workshop.store.sessions import create_document, read_record
from workshop.ui.presenter.rasterize import svg_to_png

KINDS = ("annotation", "capture", "boundary", "vote", "agreement", "typed agreement", "claim")
"""'typed agreement': the facilitator types in a participant's answer given on paper."""


@st.composite
def plans(draw: st.DrawFn) -> dict[str, object]:
    """Organizations with their members, who is quiet, and what happens in anonymous and open steps."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=3))
    quiet = {
        (org, member)
        for org, size in enumerate(sizes)
        for member in range(size)
        if draw(st.booleans()) and not (org == 0 and member == 0)  # someone always speaks openly
    }
    contributions = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
    open_kinds = draw(st.lists(st.sampled_from(KINDS), max_size=3))
    names = draw(st.lists(st.sampled_from(["Łucja", "Nguyễn", "O'Brien", "Ana", "<b>Bo</b>"]), min_size=9, max_size=9))
    return {"sizes": sizes, "quiet": quiet, "kinds": contributions, "open": open_kinds, "names": names}


def _session(plan: dict[str, object]) -> tuple[Session, dict[str, str]]:
    sizes: list[int] = plan["sizes"]  # type: ignore[assignment]
    names: list[str] = plan["names"]  # type: ignore[assignment]
    session = new_session("Privacy sweep")
    session.models["m"] = ProcessModel(id="m", name="Shared process")
    people: dict[str, str] = {}
    for org, size in enumerate(sizes):
        session.organizations[f"o{org}"] = Organization(id=f"o{org}", name=f"Organisation {org}")
        session.lanes[f"l{org}"] = Lane(id=f"l{org}", model_id="m", organization_id=f"o{org}", index=org)
        session.nodes[f"n{org}"] = Node(
            id=f"n{org}", model_id="m", label=f"Task {org}", lane_id=f"l{org}", x=40, y=org * 180 + 50
        )
        if org:
            session.flows[f"f{org}"] = Flow(id=f"f{org}", model_id="m", source_id=f"n{org - 1}", target_id=f"n{org}")
        for member in range(size):
            pid = f"p{org}x{member}"
            people[pid] = f"{names[(org * 3 + member) % 9]}Zq{org}{member}"
            session.participants[pid] = Participant(id=pid, name=people[pid], organization_id=f"o{org}")
    session.walkthroughs["w1"] = Walkthrough(id="w1", model_id="m", scenario="Paper form")
    session.walk_steps["w1-0"] = WalkMove(id="w1-0", walkthrough_id="w1", index=0, element_id="n0")
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")
    session.survey_rounds["rc"] = SurveyRound(id="rc", label="Before", instrument=instrument.model_dump(mode="json"))
    return session, people


def _contribute(doc: Document, pid: str, kind: str, n: int, anonymous: bool) -> None:
    s = doc.session
    org = s.participants[pid].organization_id
    actor = participant_actor(pid)
    author = {"author_id": None, "anonymous": True} if anonymous else {"author_id": pid}
    if kind in ("annotation", "capture"):
        doc.apply(
            add(
                Annotation(
                    id=f"{kind}-{n}",
                    annotation_kind="idea" if kind == "annotation" else "comment",
                    text=f"contribution {n}",
                    target_kind="node",
                    target_id="n0",
                    organization_id=org,
                    **({"walkthrough_id": "w1", "walkthrough_step": 0} if kind == "capture" else {}),
                    **author,
                )
            ),
            actor=actor,
        )
    elif kind == "boundary":
        doc.apply(
            add(KnowledgeBoundary(id=f"b-{n}", org_a="o0", org_b="o1", not_shared=f"gap {n}", raised_by=pid)),
            actor=actor,
        )
    elif kind == "vote":
        target = f"idea-target-{n}"
        doc.apply(add(Annotation(id=target, annotation_kind="idea", text="vote on me", target_kind="session")))
        # a round of its own: one person's dots in one round are limited (3), and this sweep may draw more votes
        vote = Vote(id=f"v-{n}", round_id=f"r{n}", participant_id=pid, annotation_id=target)
        doc.apply(add(vote), actor=actor)
    elif kind in ("agreement", "typed agreement"):
        doc.apply(
            add(AgreementRating(id=f"ag-{n}", check_id=f"c{n}", organization_id=org, participant_id=pid, rating=3)),
            actor=actor if kind == "agreement" else "facilitator",
        )
    elif kind == "claim":
        doc.apply(add(OwnershipClaim(id=f"cl-{n}", node_id="n0", organization_id=org, participant_id=pid)), actor=actor)


def _build(plan: dict[str, object], folder: Path) -> tuple[Path, set[str]]:
    """The session as a .workshop file; returns it and every string that would identify a quiet person."""
    session, people = _session(plan)
    quiet_ids = [f"p{org}x{member}" for org, member in sorted(plan["quiet"])]  # type: ignore[attr-defined]
    open_ids = [pid for pid in people if pid not in quiet_ids]
    path = folder / "s.workshop"
    doc, workshop_file = create_document(path, session)
    try:
        n = 0
        for kind in plan["open"]:  # type: ignore[attr-defined]
            n += 1
            _contribute(doc, open_ids[n % len(open_ids)], kind, n, anonymous=False)
        doc.apply(SetSessionOp(changes={"anonymous_step": True}))
        for i, kind in enumerate(plan["kinds"]):  # type: ignore[attr-defined]
            n += 1
            _contribute(doc, (quiet_ids or open_ids)[i % len(quiet_ids or open_ids)], kind, n, anonymous=True)
        doc.apply(SetSessionOp(changes={"anonymous_step": False}))
        for rating in list(doc.session.agreements.values()):  # changed later, in an open step, by its author
            if rating.participant_id in quiet_ids:
                doc.apply(update("agreement", rating.id, rating=5), actor=participant_actor(rating.participant_id))
        for i, pid in enumerate(people):  # everybody answers the survey, quiet or not
            about = "o1" if doc.session.participants[pid].organization_id != "o1" else "o0"
            doc.apply(
                add(
                    SurveyResponse(
                        id=f"sr-{i}",
                        round_id="rc",
                        participant_id=pid,
                        organization_id=doc.session.participants[pid].organization_id,
                        about_org_id=about,
                        answers={"frequent": 1 + i % 5, "timely": 5 - i % 5},
                    )
                ),
                actor=participant_actor(pid),
            )
    finally:
        workshop_file.close()
    secrets = set()
    for pid in quiet_ids:
        secrets |= {pid, people[pid], _guid(session.id, "participant", pid)}
    return path, secrets


def _without_participant_list(document: dict) -> dict:  # type: ignore[type-arg]
    document = dict(document)
    document["session"] = {k: v for k, v in document["session"].items() if k != "participants"}
    return document


def _assert_clean(where: str, text: str, secrets: set[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"{where} shows {secret!r}"
        escaped = secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;")
        assert escaped not in text, f"{where} shows {secret!r} (escaped)"


def _assert_no_survey_answer_per_person(where: str, document: dict) -> None:  # type: ignore[type-arg]
    assert document["session"]["survey_responses"] == {}, where
    flat = json.dumps(document["log"])
    assert "survey_response" not in flat, f"{where}: a survey answer in the log"
    assert '"answers"' not in flat, where
    for cells in document.get("survey_scores", {}).values():
        for cell in cells:
            assert cell["mean"] is None or cell["respondents"] >= THRESHOLD, where


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _cli(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return out.getvalue()


def _check_everything(path: Path, secrets: set[str], folder: Path) -> None:
    record = read_record(path)
    quiet_names = {s for s in secrets if not re.fullmatch(r"p\d+x\d+|[0-9a-f-]{36}", s)}
    for kind in ("pdf", "json", "csv", "qdpx", "svg", "png", "bundle", "table1"):
        target = folder / f"out-{kind}" if kind == "csv" else folder / f"out.{kind}"
        export(kind, record, target, session_file=path, rasterize=svg_to_png)
    document = json.loads((folder / "out.json").read_text("utf-8"))
    _assert_clean("JSON", json.dumps(_without_participant_list(document), ensure_ascii=False), secrets)
    _assert_no_survey_answer_per_person("JSON", document)
    for csv_file in sorted((folder / "out-csv").iterdir()):
        _assert_clean(csv_file.name, csv_file.read_text("utf-8-sig"), secrets)
    _assert_clean("table 1", (folder / "out.table1").read_text("utf-8-sig"), secrets)
    with zipfile.ZipFile(folder / "out.qdpx") as archive:
        project = ET.fromstring(archive.read("project.qde"))
        for name in archive.namelist():
            if name.startswith("sources/"):
                _assert_clean(f"QDPX {name}", archive.read(name).decode("utf-8"), secrets)
    q = "{urn:QDA-XML:project:1.0}"
    for users in project.findall(f"{q}Users"):
        project.remove(users)
    for cases in project.findall(f"{q}Cases"):  # people as cases: who took part, tied to nothing they said unseen
        for case in cases.findall(f"{q}Case"):
            if case.findtext(f"{q}Description") != "person":
                continue
            if case.get("name") in quiet_names:
                assert case.find(f"{q}SourceRef") is None, f"QDPX ties {case.get('name')!r} to a text"
                assert case.find(f"{q}SelectionRef") is None, f"QDPX ties {case.get('name')!r} to a selection"
            cases.remove(case)
    _assert_clean("QDPX", ET.tostring(project, encoding="unicode"), secrets)
    _assert_clean("SVG", (folder / "out.svg").read_text("utf-8"), secrets)
    report = _pdf_text(folder / "out.pdf")
    for name in quiet_names:  # named once, in the list of who took part, and nowhere else
        assert report.count(name) == 1, f"the report names {name!r} {report.count(name)} times"
    with zipfile.ZipFile(folder / "out.bundle") as archive:
        names = archive.namelist()
        assert not [n for n in names if n.endswith(".workshop")], "a de-identified bundle has no session file"
        for name in names:
            if name.endswith((".csv", ".svg", ".bpmn")):
                _assert_clean(f"bundle {name}", archive.read(name).decode("utf-8-sig"), secrets)
        bundled = json.loads(archive.read("session.json"))
    _assert_clean("bundle JSON", json.dumps(_without_participant_list(bundled), ensure_ascii=False), secrets)
    _assert_no_survey_answer_per_person("bundle JSON", bundled)
    _assert_clean("workshop log", _cli("log", str(path)), secrets)
    log_json = _cli("log", str(path), "--json")
    _assert_clean("workshop log --json", log_json, secrets)
    assert "survey_response" not in log_json
    last = len(record.records)
    _cli("replay", str(path), "--at", str(last), "-o", str(folder / "replay.json"))
    state = json.loads((folder / "replay.json").read_text("utf-8"))
    assert state["survey_responses"] == {}
    _assert_clean("workshop replay", json.dumps({k: v for k, v in state.items() if k != "participants"}), secrets)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_no_output_names_an_anonymous_contributor_or_shows_a_survey_answer(
    qapp: QApplication, plan: dict[str, object]
) -> None:
    """(``qapp``: the PNG export renders with Qt; the application must be pytest-qt's, made once.)"""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path, secrets = _build(plan, folder)
        _check_everything(path, secrets, folder)


def test_the_property_test_can_fail_a_leaky_export(tmp_path: Path) -> None:
    """The check itself works: the full record (no privacy) does name a quiet person."""
    plan = {
        "sizes": [3, 3],
        "quiet": {(1, 2)},
        "kinds": list(KINDS),
        "open": [],
        "names": ["Ana"] * 9,
    }
    path, secrets = _build(plan, tmp_path)
    full = read_record(path)
    leaked = json.dumps([r.model_dump(mode="json") for r in full.records])
    assert any(secret in leaked for secret in secrets)
    public = _cli("log", str(path), "--json")
    _assert_clean("log", public, secrets)
    assert SessionRecord  # the record type the exports take
