"""The participant page fits every phone: no sideways scrolling, thumb-sized targets, no accessibility errors.

Every screen a participant sees (join, the model, a comment, a boundary, the
vote, the agreement check with its predictability question, the survey,
Mine, offline) is walked at 320, 390
and 430 px wide in real headless Chromium, and axe-core (the accessibility
engine behind Lighthouse) checks each one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.live.browser import chromium
from tests.live.flaky_link import FlakyLink
from tests.live.harness import LiveFixture
from tests.live.test_participant_page import join, tap_flow
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import SetSessionOp, add
from workshop.domain.model.session import StepRef
from workshop.domain.research.sources import SurveyRound
from workshop.domain.research.survey import load_instrument
from workshop.resources import scripts_dir

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

MEASURE = """() => {
  const tappable = [...document.querySelectorAll("button, input, select, textarea")].filter((e) => {
    const r = e.getBoundingClientRect();
    const open = !e.closest("dialog") || e.closest("dialog").open;
    return open && r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
  });
  const small = tappable.filter((e) => {
    const r = e.getBoundingClientRect();
    return r.height < 44 || r.width < 44;
  }).map((e) => `${e.tagName.toLowerCase()}#${e.id || e.className || e.textContent.trim().slice(0, 20)}`
    + ` ${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`);
  const outside = tappable.filter((e) => {
    const r = e.getBoundingClientRect();
    return r.left < -1 || r.right > document.documentElement.clientWidth + 1;
  }).map((e) => e.id || e.textContent.trim().slice(0, 20));
  return {
    // a phone widens its layout to fit what overflows, so innerWidth grows too: compare with the screen
    scrollWidth: document.documentElement.scrollWidth, innerWidth: document.documentElement.clientWidth, small, outside,
    dialogs: [...document.querySelectorAll("dialog[open]")].map((d) => {
      const r = d.getBoundingClientRect();
      return { id: d.id, left: r.left, right: r.right };
    }),
  };
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def live() -> Iterator[LiveFixture]:
    fixture = LiveFixture()
    step = StepRef(intervention_id="i1", step_id="s1")
    script = {
        "id": "test",
        "title": "Test",
        "interventions": [
            {
                "id": "i1",
                "title": "Intervention",
                "steps": [
                    {
                        "id": "s1",
                        "title": "Ideas, votes and agreement on the current process of contact processing",
                        "prompts": ["What happens when a customer's request arrives, and who takes it from there?"],
                        "timebox_minutes": 20,
                        "captures": ["comment", "problem", "idea", "boundary", "vote", "agreement"],
                    }
                ],
            }
        ],
    }
    fixture.apply(SetSessionOp(changes={"script": script, "current_step": step.model_dump()}))
    fixture.apply(SetSessionOp(changes={"ask_predictability": True}))  # the agreement screen's longest form
    for number, kind in enumerate(("idea", "problem")):
        fixture.apply(
            add(
                Annotation(
                    id=f"a-{kind}",
                    annotation_kind=kind,
                    text=f"A rather long {kind} about sending the registration form digitally, number {number}",
                    target_kind="node",
                    target_id="n-contact",
                )
            )
        )
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")
    fixture.apply(
        add(
            SurveyRound(
                id="rc-1",
                label="Before intervention 1",
                instrument=instrument.model_dump(mode="json"),
                opened=datetime.now(UTC),
            )
        )
    )
    yield fixture
    fixture.close()


def _check(page: Page, screen: str, width: int, problems: list[str]) -> None:
    measured: dict[str, Any] = page.evaluate(MEASURE)
    if measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(f"{width}px {screen}: page is {measured['scrollWidth']} px wide")
    if measured["small"]:
        problems.append(f"{width}px {screen}: tap targets under 44 px: {measured['small']}")
    if measured["outside"]:
        problems.append(f"{width}px {screen}: controls off-screen: {measured['outside']}")
    for dialog in measured["dialogs"]:
        if dialog["left"] < 0 or dialog["right"] > width:
            problems.append(f"{width}px {screen}: dialog {dialog['id']} off-screen {dialog}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations")
    for violation in result:
        if violation["impact"] in ("critical", "serious"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{width}px {screen}: axe {violation['impact']} {violation['id']} on {targets}")


def _screens(page: Page, live: LiveFixture, width: int, problems: list[str], shoot: bool) -> None:
    def look(screen: str) -> None:
        _check(page, screen, width, problems)
        if shoot and width == 390:
            page.screenshot(path=str(SCREENSHOTS / f"phone-{screen}.png"))

    page.goto(live.server.url)
    look("join-code")
    page.fill("#code", live.server.join_code)
    page.click("#code-form button")
    page.wait_for_selector("#details-form:not([hidden])")
    look("join-details")
    page.fill("#name", "Mira Sand")
    page.select_option("#organization", "org-a")
    page.click("#details-form button")
    page.wait_for_selector("#connection:not(.offline)")
    page.wait_for_selector("[data-kind=node]")
    look("model")
    readable = page.evaluate(
        "() => { const svg = document.getElementById('canvas'); const box = svg.viewBox.baseVal;"
        " return svg.clientWidth / box.width; }"
    )
    if readable < 1:
        problems.append(f"{width}px model: first view at {readable:.2f}×; labels below 12 px")
    page.click("#fit")
    page.locator("[data-kind=node][data-id=n-contact]").tap()
    page.wait_for_selector("#sheet[open]")
    look("comment")
    page.click("#sheet-close")
    tap_flow(page, "flow-09")  # a handoff: the sheet offers a knowledge boundary
    page.wait_for_selector("#boundary-fields:not([hidden])")
    look("boundary")
    page.click("#sheet-close")
    page.click("#fit")
    look("whole")
    page.click("#open-votes")
    page.wait_for_selector("#votes[open]")
    look("vote")
    page.click("#votes-close")
    page.click("#open-agreement")
    page.wait_for_selector("#agreement[open]")
    page.wait_for_selector("#predictability-question:not([hidden])")
    page.click("#predictability-ratings button[data-rating='3']")
    look("agreement")
    page.click("#agreement-close")
    page.click("#open-survey")
    page.wait_for_selector("#survey[open]")
    look("survey")
    page.click("#survey-close")
    page.click("#open-mine")
    page.wait_for_selector("#mine[open]")
    look("mine")
    page.click("#mine-close")
    mira = next(p.id for p in live.document.session.participants.values() if p.name == "Mira Sand")
    live.server.revoke(mira)
    page.wait_for_selector("#removed:not([hidden])")
    look("removed")


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("width", [320, 390, 430])
def test_every_screen_fits_and_passes_axe(browser: Browser, live: LiveFixture, width: int) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
        bypass_csp=True,  # axe-core is injected as a script tag; the page's own policy refuses that
    )
    try:
        page = context.new_page()
        problems: list[str] = []
        _screens(page, live, width, problems, shoot=bool(os.environ.get("WORKSHOP_SCREENSHOTS")))
        assert problems == [], json.dumps(problems, indent=1, ensure_ascii=False)
    finally:
        context.close()


@pytest.mark.slow
def test_a_silent_loss_shows_offline_within_15_seconds_and_resends_on_return(
    browser: Browser, live: LiveFixture
) -> None:
    link = FlakyLink(live.server.port)
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        join(page, live, url=link.url)
        page.wait_for_selector("#connection:not(.offline)")
        link.mode = "silent"  # the Wi-Fi is gone and nothing says so
        page.wait_for_selector("#connection.offline", timeout=15_000)
        page.click("#fit")
        page.locator("[data-kind=node][data-id=n-contact]").tap()
        page.click("#kinds button[data-kind=idea]")
        page.fill("#text", "Sent while the line was dead")
        page.click("#sheet-send")
        page.wait_for_timeout(3000)  # a reconnect attempt starts on the dead line and its handshake is lost
        link.restore()
        page.wait_for_selector("#connection:not(.offline)", timeout=30_000)
        page.wait_for_selector("#pending-count:empty", state="attached", timeout=30_000)
        sent = [a for a in live.document.session.annotations.values() if a.text == "Sent while the line was dead"]
        assert len(sent) == 1
    finally:
        context.close()
        link.close()
