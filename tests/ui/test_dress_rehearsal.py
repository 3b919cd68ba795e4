"""A dress rehearsal: the built-in three-intervention script run through the main window, with no phones.

Each step brings its own tool forward and shows its process state; the
facilitator uses the tools by hand (dots for people without phones, typed
agreement ratings), creates the future process when the script asks for it,
and the record and the report come out at the end.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QInputDialog
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from tests.ui.views import settled
from workshop.domain.facilitation.script import load_script
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import add
from workshop.resources import scripts_dir
from workshop.ui.files.export_actions import export_report
from workshop.ui.panels.agreement_votes_panel import AgreementVotesPanel
from workshop.ui.panels.facilitation_panel import FacilitationPanel

TOOL_OF_STEP = {
    "i1-boundaries": "Boundaries",
    "i1-glossary": "Glossary",
    "i1-vote": "Agreement and votes",
    "i2-simulation": "Walkthrough",
    "i2-agreement": "Agreement and votes",
    "i3-existing": "Coordination",
    "i3-contract": "Coordination",
}


def _front_dock(window: object, title: str) -> bool:
    dock = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == title)  # type: ignore[attr-defined]
    return not dock.visibleRegion().isEmpty()


@pytest.mark.slow
def test_the_whole_script_runs_from_the_console_without_phones(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = example_window(qtbot, tmp_path)
    facilitation = window.findChild(FacilitationPanel)
    votes = window.findChild(AgreementVotesPanel)
    assert facilitation is not None
    assert votes is not None
    facilitation.scripts.setCurrentIndex(facilitation.scripts.findData(str(scripts_dir() / "three-interventions.yaml")))
    qtbot.mouseClick(facilitation.load_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    script = load_script(scripts_dir() / "three-interventions.yaml")
    steps = [step.id for _intervention, step in script.steps()]
    by_id = {step.id: step for _intervention, step in script.steps()}
    answers = iter([("Ewa Zielińska", True), (window.document.session.organizations["org-a"].name, True)])
    window.apply(add(Annotation(id="idea-web", annotation_kind="idea", text="A web form instead of the fax")))
    settled(qtbot)
    seen: list[str] = []
    for step_id in steps:
        qtbot.mouseClick(facilitation.next_button, Qt.MouseButton.LeftButton)
        settled(qtbot)
        current = window.document.session.current_step
        assert current is not None
        assert current.step_id == step_id
        seen.append(step_id)
        if step_id in TOOL_OF_STEP:
            assert _front_dock(window, TOOL_OF_STEP[step_id]), f"{step_id} brings {TOOL_OF_STEP[step_id]} forward"
        follower = window.step_follower
        assert follower is not None
        if follower.create_button.isVisibleTo(facilitation):
            qtbot.mouseClick(follower.create_button, Qt.MouseButton.LeftButton)  # the script asks for a new state
            settled(qtbot)
        shown = window.document.session.models[window.current_model_id() or ""]
        script_step = by_id[step_id]
        if script_step.shows is not None:
            assert shown.state == script_step.shows, f"{step_id} shows the {script_step.shows} process"
        if step_id == "i1-vote":  # nobody has a phone: the facilitator adds a voter and places dots
            monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
            monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: next(answers))
            qtbot.mouseClick(votes.add_person_button, Qt.MouseButton.LeftButton)
            settled(qtbot)
            votes.target.setCurrentIndex(votes.target.findData("idea-web"))
            qtbot.mouseClick(votes.dot_button, Qt.MouseButton.LeftButton)
            settled(qtbot)
            votes.voter.setCurrentIndex(votes.voter.findData("organization:org-it"))
            qtbot.mouseClick(votes.dot_button, Qt.MouseButton.LeftButton)
            settled(qtbot)
        if step_id == "i2-agreement":  # ratings said aloud, typed in
            for org, rating in (("org-a", 2), ("org-it", 4)):
                votes.rating_org.setCurrentIndex(votes.rating_org.findData(org))
                votes.rating.setValue(rating)
                qtbot.mouseClick(votes.rate_button, Qt.MouseButton.LeftButton)
                settled(qtbot)
    assert seen == steps
    session = window.document.session
    assert sum(v.dots for v in session.votes.values()) == 2
    assert len(session.agreements) == 2
    assert any(m.state == "future" for m in session.models.values()), "the future process was created on cue"
    labels = [record.op.summary() for record in window.workshop_file.records()]
    assert any(label.startswith("Go to 2 · Common understanding") for label in labels)
    assert not any("i2-agreement" in label for label in labels), "people read titles, not step ids"
    report = tmp_path / "report.pdf"
    assert export_report(window, report)
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout
    assert "A web form instead of the fax" in text


@pytest.mark.slow
def test_the_whole_script_runs_with_three_phones(qtbot: QtBot, tmp_path: Path) -> None:
    """Three phones join on loopback and contribute in the steps that ask for it, while the console runs the script."""
    import asyncio
    import json
    import threading

    import aiohttp

    window = example_window(qtbot, tmp_path)
    facilitation = window.findChild(FacilitationPanel)
    assert facilitation is not None
    panel = window.participants_panel
    assert panel is not None
    panel.open_on("127.0.0.1")
    server = panel.bridge.server
    assert server is not None
    facilitation.scripts.setCurrentIndex(facilitation.scripts.findData(str(scripts_dir() / "three-interventions.yaml")))
    qtbot.mouseClick(facilitation.load_button, Qt.MouseButton.LeftButton)
    window.apply(add(Annotation(id="idea-web", annotation_kind="idea", text="A web form instead of the fax")))
    people = (("Mira Sand", "org-a"), ("Zofia Kowalczyk", "org-b"), ("Anke Möller", "org-it"))
    sent: dict[str, int] = {}
    failures: list[BaseException] = []
    stop = threading.Event()

    async def phone(http: aiohttp.ClientSession, name: str, org: str) -> None:
        joined = await http.post(
            server.url + "api/join",
            json={"code": server.join_code, "name": name, "organization_id": org, "device": name},
        )
        assert joined.status == 200, await joined.text()
        token = (await joined.json())["token"]
        socket = await http.ws_connect(server.url + "ws")
        await socket.send_str(json.dumps({"type": "hello", "token": token}))
        number = 0
        while not stop.is_set():
            for message in (
                {
                    "type": "annotate",
                    "target_kind": "node",
                    "target_id": "n-contact",
                    "annotation_kind": "comment",
                    "text": f"{name} says {number}",
                },
                {"type": "vote", "annotation_id": "idea-web"},
                {"type": "agreement", "rating": 3, "comment": f"{name}: partly"},
            ):
                key = f"{org}-{number}-{message['type']}"  # keys are plain ASCII, like a page's random ones
                await socket.send_str(json.dumps({**message, "key": key}))
            number += 1
            sent[name] = number
            await asyncio.sleep(0.2)
        await socket.close()

    def phones() -> None:
        async def room() -> None:
            async with aiohttp.ClientSession() as http:
                await asyncio.gather(*(phone(http, name, org) for name, org in people))

        try:
            asyncio.run(room())
        except BaseException as error:
            failures.append(error)

    worker = threading.Thread(target=phones, daemon=True)
    worker.start()
    for _ in load_script(scripts_dir() / "three-interventions.yaml").steps():
        qtbot.mouseClick(facilitation.next_button, Qt.MouseButton.LeftButton)
        qtbot.wait(400)  # the room works in the step; the phones send what the step allows
        follower = window.step_follower
        if follower is not None and follower.create_button.isVisibleTo(facilitation):
            qtbot.mouseClick(follower.create_button, Qt.MouseButton.LeftButton)
    stop.set()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=10000)
    panel.bridge.close()
    assert failures == []
    session = window.document.session
    records = list(window.workshop_file.records())
    by_phones = [r for r in records if r.actor.startswith("participant:")]
    assert len({r.actor for r in by_phones}) == 3, "each phone is its own participant"
    assert any(a.text.startswith("Mira Sand says") for a in session.annotations.values())
    for person in session.participants.values():
        if person.name in dict(people):
            spent = sum(v.dots for v in session.votes.values() if v.participant_id == person.id)
            assert spent <= 3, "a phone's dots stay within the step's budget however often it taps"
            answers = [a for a in session.agreements.values() if a.participant_id == person.id]
            assert len({a.check_id for a in answers}) == len(answers), "one answer per check"
    report = tmp_path / "report.pdf"
    assert export_report(window, report)
