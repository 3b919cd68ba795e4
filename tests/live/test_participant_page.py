"""The participant page in real headless Chromium (Debian's, driven by Python playwright)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.live.browser import chromium
from tests.live.flaky_link import FlakyLink
from tests.live.harness import LiveFixture
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import SetSessionOp, add
from workshop.domain.walkthrough.moves import WalkMove, Walkthrough
from workshop.live.identity import RejoinRequest

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>&amp;'


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def live() -> Iterator[LiveFixture]:
    fixture = LiveFixture()
    yield fixture
    fixture.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh phone (its own storage) for each test."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    yield context
    context.close()


def join(page: Page, live: LiveFixture, name: str = "Mira Sand", org: str = "org-a", url: str | None = None) -> None:
    """Join as a person would, at the server's address or ``url`` (a relay standing for the room's Wi-Fi)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url or live.server.url)
    page.fill("#code", live.server.join_code.lower())  # typed as read off the projector
    page.click("#code-form button")
    page.fill("#name", name)
    page.select_option("#organization", org)
    page.click("#details-form button")
    page.wait_for_selector("#main:not([hidden])")
    assert errors == []


def tap(page: Page, kind: str, element_id: str) -> None:
    """Tap an element; the whole model is shown first so it is on screen."""
    page.click("#fit")
    page.locator(f"[data-kind={kind}][data-id={element_id}]").tap()


def test_join_by_code_see_the_model_tap_a_node_and_add_an_idea(live: LiveFixture, phone: BrowserContext) -> None:
    page = phone.new_page()
    join(page, live)
    assert page.locator("svg [data-kind=node]").count() == 22
    assert page.locator("svg [data-kind=flow]").count() == 26
    before = page.get_attribute("#canvas", "viewBox")
    page.mouse.move(200, 400)
    page.mouse.wheel(0, -300)  # zoom in, as a pinch does
    after = page.get_attribute("#canvas", "viewBox")
    assert before is not None
    assert after is not None
    assert float(after.split()[2]) < float(before.split()[2])
    assert page.locator("svg .lane-title").all_text_contents()[:2] == ["End-users", "Customer group A"]
    assert page.locator("svg .boundary-mark").count() >= 1  # the example's knowledge boundaries
    page.click("#fit")
    band = page.locator("svg .lane-band").first.bounding_box()
    assert band is not None
    page.touchscreen.tap(band["x"] + band["width"] - 4, band["y"] + 4)  # an empty corner of a lane
    page.wait_for_timeout(200)
    assert page.locator("#sheet[open]").count() == 0, "a lane is no place to add to"

    tap(page, "node", "n-contact")
    page.wait_for_selector("#sheet[open]")
    assert page.text_content("#sheet-title") == "Contact local sales unit"
    page.click("#kinds button[data-kind=idea]")
    page.fill("#text", "Let people send the form online")
    page.click("#sheet-send")

    def added() -> list[Annotation]:
        return [a for a in live.document.session.annotations.values() if a.text == "Let people send the form online"]

    wait_for(lambda: bool(added()), "the idea in the facilitator's document")
    idea = added()[0]
    assert (idea.annotation_kind, idea.target_kind, idea.target_id) == ("idea", "node", "n-contact")
    person = live.document.session.participants[idea.author_id or ""]
    assert (person.name, person.organization_id) == ("Mira Sand", "org-a")
    page.click("#open-mine")
    page.wait_for_selector("#mine-list .state.saved")


def test_an_html_payload_renders_as_text_and_is_stored_verbatim(live: LiveFixture, phone: BrowserContext) -> None:
    live.apply(
        add(
            Annotation(
                id="annotation-xss", annotation_kind="problem", text=PAYLOAD, target_kind="node", target_id="n-which"
            )
        )
    )
    page = phone.new_page()
    join(page, live)
    tap(page, "node", "n-which")
    page.wait_for_selector("#sheet[open]")
    assert page.locator("#sheet-notes .text").first.text_content() == PAYLOAD
    assert page.locator("#sheet-notes img, #sheet-notes script").count() == 0
    # the participant's own payload goes out and comes back as text too
    page.click("#kinds button[data-kind=comment]")
    page.fill("#text", PAYLOAD)
    page.click("#sheet-send")
    wait_for(
        lambda: any(a.author_id and a.text == PAYLOAD for a in live.document.session.annotations.values()),
        "the payload in the document",
    )
    tap(page, "node", "n-which")
    page.wait_for_function("document.querySelectorAll('#sheet-notes .text').length === 2")
    assert page.locator("#sheet-notes .text").all_text_contents() == [PAYLOAD, PAYLOAD]
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("img").count() == 0


def test_joining_under_an_existing_name_waits_for_the_facilitator(live: LiveFixture, phone: BrowserContext) -> None:
    asked: list[RejoinRequest] = []
    live.server.on_rejoin = asked.append
    page = phone.new_page()
    page.goto(live.server.url)
    page.fill("#code", live.server.join_code)
    page.click("#code-form button")
    page.fill("#name", "jonas berg")
    page.select_option("#organization", "org-b")
    page.click("#details-form button")
    page.wait_for_function("document.getElementById('join-error').textContent.includes('facilitator')")
    assert page.locator("#main").is_hidden()
    wait_for(lambda: bool(asked), "the facilitator asked")
    live.server.decide_rejoin(asked[0].id, same_person=True)
    page.wait_for_selector("#main:not([hidden])")
    assert page.evaluate("localStorage.getItem('workshop.token')").startswith("p-berg.")  # the session's Jonas Berg


def test_a_removed_person_is_told_so_with_no_form_after_reloading_too(live: LiveFixture, phone: BrowserContext) -> None:
    page = phone.new_page()
    join(page, live, name="Anna Berg")
    anna = next(p.id for p in live.document.session.participants.values() if p.name == "Anna Berg")
    live.server.revoke(anna)
    page.wait_for_selector("#removed:not([hidden])")
    for _ in range(2):
        assert "removed you" in page.inner_text("#removed")
        assert page.locator("#join").is_hidden()
        assert page.locator("#main").is_hidden()
        assert page.locator("input:visible, select:visible, button:visible").count() == 0, "no form to fill in"
        page.reload()
        page.wait_for_selector("#removed:not([hidden])")


def test_a_participant_who_reloads_comes_back_as_the_same_participant(live: LiveFixture, phone: BrowserContext) -> None:
    page = phone.new_page()
    join(page, live, name="Jonas Bergström", org="org-b")
    count = len(live.document.session.participants)
    token = page.evaluate("localStorage.getItem('workshop.token')")
    page.reload()
    page.wait_for_selector("#main:not([hidden])")
    page.wait_for_selector("#connection:not(.offline)")
    assert len(live.document.session.participants) == count
    assert page.evaluate("localStorage.getItem('workshop.token')") == token


def test_a_contribution_made_offline_is_pending_and_sent_once_after_reconnecting(
    live: LiveFixture, phone: BrowserContext
) -> None:
    link = FlakyLink(live.server.port)
    try:
        page = phone.new_page()
        join(page, live, url=link.url)
        page.wait_for_selector("#connection:not(.offline)")

        link.cut()  # the Wi-Fi is gone
        page.wait_for_selector("#connection.offline")
        tap(page, "node", "n-contact")
        page.click("#kinds button[data-kind=question]")
        page.fill("#text", "Who calls the customer back?")
        page.click("#sheet-send")
        page.click("#open-mine")
        page.wait_for_selector("#mine-list .state.pending")
        assert page.text_content("#pending-count") == "(1 pending)"
        page.evaluate("document.getElementById('mine').close()")
        link.restore()
        page.wait_for_selector("#pending-count:empty", state="attached", timeout=15000)

        # the server gets a contribution but its acknowledgement is lost on the way back
        link.mode = "swallow"
        tap(page, "node", "n-which")
        page.click("#kinds button[data-kind=problem]")
        page.fill("#text", "Forms get lost")
        page.click("#sheet-send")
        wait_for(
            lambda: any(a.text == "Forms get lost" for a in live.document.session.annotations.values()),
            "the problem in the document",
        )
        assert page.text_content("#pending-count") == "(1 pending)"
        link.cut()
        page.wait_for_selector("#connection.offline")
        link.restore()
        page.wait_for_selector("#pending-count:empty", state="attached", timeout=15000)  # resent, acknowledged
    finally:
        link.close()
    texts = [a.text for a in live.document.session.annotations.values()]
    assert texts.count("Who calls the customer back?") == 1
    assert texts.count("Forms get lost") == 1


def tap_flow(page: Page, flow_id: str) -> None:
    """Tap the middle of a flow's line (its bounding box's centre may lie off an elbowed line)."""
    page.click("#fit")
    point = page.evaluate(
        """(id) => {
            const path = document.querySelector(`[data-kind=flow][data-id="${id}"] .flow-line`);
            const p = path.getPointAtLength(path.getTotalLength() / 2);
            const screen = new DOMPoint(p.x, p.y).matrixTransform(path.getScreenCTM());
            return {x: screen.x, y: screen.y};
        }""",
        flow_id,
    )
    page.touchscreen.tap(point["x"], point["y"])


def test_dot_votes_a_boundary_on_a_handoff_and_an_agreement_answer(live: LiveFixture, phone: BrowserContext) -> None:
    for number, kind in enumerate(("idea", "problem")):
        live.apply(
            add(
                Annotation(
                    id=f"annotation-{kind}",
                    annotation_kind=kind,
                    text=f"{kind} {number}",
                    target_kind="node",
                    target_id="n-contact",
                )
            )
        )
    page = phone.new_page()
    join(page, live)
    page.click("#open-votes")
    assert page.text_content("#dots-left") == "You have 3 of 3 dots left."
    page.click("#votes-list button[data-annotation=annotation-idea]")
    page.click("#votes-list button[data-annotation=annotation-idea]")
    page.click("#votes-list button[data-annotation=annotation-problem]")
    page.wait_for_selector("#pending-count:empty", state="attached")
    assert page.text_content("#dots-left") == "You have 0 of 3 dots left."
    assert page.locator("#votes-list button.vote:enabled").count() == 0
    votes = list(live.document.session.votes.values())
    assert sorted(v.annotation_id for v in votes) == ["annotation-idea", "annotation-idea", "annotation-problem"]
    page.click("#votes-close")

    tap_flow(page, "flow-09")  # customer group A -> IT provider: a handoff
    page.wait_for_selector("#boundary-fields:not([hidden])")
    page.select_option("#boundary-type", "pragmatic")
    page.fill("#not-shared", "Who pays for a lost case")
    page.click("#send-boundary")
    wait_for(
        lambda: any(b.not_shared == "Who pays for a lost case" for b in live.document.session.boundaries.values()),
        "the boundary",
    )
    boundary = next(b for b in live.document.session.boundaries.values() if b.not_shared == "Who pays for a lost case")
    assert (boundary.target_id, boundary.boundary_type) == ("flow-09", "pragmatic")

    page.click("#open-agreement")
    page.click("#ratings button[data-rating='4']")
    wait_for(lambda: bool(live.document.session.agreements), "the agreement answer")
    answer = next(iter(live.document.session.agreements.values()))
    assert (answer.rating, answer.organization_id) == (4, "org-a")


def test_a_phone_answers_predictability_when_the_check_asks_it(live: LiveFixture, phone: BrowserContext) -> None:
    page = phone.new_page()
    join(page, live)
    page.click("#open-agreement")
    page.wait_for_selector("#agreement[open]")
    assert page.is_hidden("#predictability-question"), "not asked: not shown"

    live.apply(SetSessionOp(changes={"ask_predictability": True}))  # the facilitator asks it, dialog open
    page.wait_for_selector("#predictability-question:not([hidden])")
    assert "foresee what the others will do" in (page.text_content("#predictability-question") or "")
    page.click("#predictability-ratings button[data-rating='2']")
    assert page.text_content("#agreement-state") == "Now choose how well your organization understands the process."
    page.click("#ratings button[data-rating='4']")
    wait_for(lambda: bool(live.document.session.agreements), "the agreement answer")
    (answer,) = live.document.session.agreements.values()
    assert (answer.rating, answer.predictability, answer.organization_id) == (4, 2, "org-a")
    assert page.text_content("#agreement-state") == "You answered 4 of 5; predictability 2 of 5."

    page.click("#predictability-ratings button[data-rating='5']")  # changing it changes the one answer
    wait_for(lambda: live.document.session.agreements[answer.id].predictability == 5, "the new predictability")
    assert live.document.session.agreements[answer.id].rating == 4
    page.wait_for_selector("#pending-count:empty", state="attached")
    page.click("#agreement-close")
    page.click("#open-agreement")  # reopened: its own answer is shown, from what the server told this page alone
    page.wait_for_selector("#predictability-ratings button[data-rating='5'][aria-pressed=true]")


def test_pinching_zooms_the_model(live: LiveFixture, phone: BrowserContext) -> None:
    page = phone.new_page()
    join(page, live)
    before = float((page.get_attribute("#canvas", "viewBox") or "").split()[2])
    touch = phone.new_cdp_session(page)

    def fingers(kind: str, spread: float) -> None:
        points = (
            []
            if kind == "touchEnd"
            else [
                {"x": 195 - spread, "y": 400, "id": 0},
                {"x": 195 + spread, "y": 400, "id": 1},
            ]
        )
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    fingers("touchStart", 30)
    for spread in range(40, 130, 10):  # two fingers move apart
        fingers("touchMove", spread)
    fingers("touchEnd", 0)
    after = float((page.get_attribute("#canvas", "viewBox") or "").split()[2])
    assert after < before / 2
    assert not page.locator("#sheet[open]").count()  # a pinch is not a tap


def test_capture_on_the_current_walkthrough_step(live: LiveFixture, phone: BrowserContext) -> None:
    page = phone.new_page()
    join(page, live)
    assert page.locator("#walk").is_hidden()
    live.apply(add(Walkthrough(id="walk-1", model_id="model-current", started=live.document.session.created)))
    live.apply(add(WalkMove(id="ws-1", walkthrough_id="walk-1", index=0, element_id="n-a-register")))
    page.wait_for_selector("#walk:not([hidden])")
    assert page.text_content("#walk-text") == "Walkthrough at: Register contact in CRM"
    page.click("#walk-capture")
    assert page.text_content("#sheet-title") == "Walkthrough: Register contact in CRM"
    page.click("#kinds button[data-kind=requirement]")
    page.fill("#text", "The CRM must show the contract type")
    page.click("#sheet-send")
    wait_for(
        lambda: any(a.walkthrough_id == "walk-1" for a in live.document.session.annotations.values()),
        "the capture",
    )
    capture = next(a for a in live.document.session.annotations.values() if a.walkthrough_id == "walk-1")
    assert (capture.annotation_kind, capture.target_id, capture.walkthrough_step) == ("requirement", "n-a-register", 0)


def test_the_phone_shows_the_step_clock_the_console_shows(live: LiveFixture, phone: BrowserContext) -> None:
    from datetime import UTC, datetime, timedelta

    from workshop.domain.facilitation.step_clock import StepClock, step_time
    from workshop.domain.model.session import StepRef

    step = {"id": "s1", "title": "Current process", "timebox_minutes": 20, "captures": ["idea"]}
    script = {"id": "t", "title": "T", "interventions": [{"id": "i1", "title": "One", "steps": [step]}]}
    started = datetime.now(UTC) - timedelta(minutes=3)
    live.apply(
        SetSessionOp(
            changes={
                "script": script,
                "current_step": StepRef(intervention_id="i1", step_id="s1"),
                "step_clock": StepClock(started=started, extra_minutes=5).model_dump(mode="json"),
            }
        )
    )
    page = phone.new_page()
    join(page, live)
    wait_for(lambda: bool(page.text_content("#timer")), "the clock on the phone")
    shown = page.text_content("#timer") or ""
    assert shown[:2] in ("21", "22"), f"20 + 5 minutes, 3 gone: {shown}"
    paused = StepClock(started=started, extra_minutes=5, paused_at=started + timedelta(minutes=10))
    live.apply(SetSessionOp(changes={"step_clock": paused.model_dump(mode="json")}))
    wait_for(lambda: "❚❚" in (page.text_content("#timer") or ""), "the paused clock")
    console = step_time(paused, 20)
    assert console is not None
    assert (page.text_content("#timer") or "").startswith(console.text), "paused, the phone reads as the console"


def test_the_phones_clock_turns_amber_then_red_in_the_style_tables_colours(
    live: LiveFixture, phone: BrowserContext
) -> None:
    """The phone reads the domain's phases (amber in the last two minutes, red when over), not its own copy."""
    from datetime import UTC, datetime, timedelta

    from workshop.domain.drawing.style import CLOCK_PHASE_COLOURS
    from workshop.domain.facilitation.step_clock import StepClock
    from workshop.domain.model.session import StepRef

    def rgb(hex_colour: str) -> str:
        red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgb({red}, {green}, {blue})"

    step = {"id": "s1", "title": "Current process", "timebox_minutes": 20, "captures": ["idea"]}
    script = {"id": "t", "title": "T", "interventions": [{"id": "i1", "title": "One", "steps": [step]}]}
    started = datetime.now(UTC) - timedelta(minutes=19)  # one minute left: amber
    live.apply(
        SetSessionOp(
            changes={
                "script": script,
                "current_step": StepRef(intervention_id="i1", step_id="s1"),
                "step_clock": StepClock(started=started).model_dump(mode="json"),
            }
        )
    )
    page = phone.new_page()
    join(page, live)
    wait_for(lambda: page.get_attribute("#timer", "data-phase") == "warning", "amber near the end")
    colour = page.eval_on_selector("#timer", "t => getComputedStyle(t).color")
    assert colour == rgb(CLOCK_PHASE_COLOURS["warning"])
    over = StepClock(started=datetime.now(UTC) - timedelta(minutes=21))
    live.apply(SetSessionOp(changes={"step_clock": over.model_dump(mode="json")}))
    wait_for(lambda: page.get_attribute("#timer", "data-phase") == "over", "red once over")
    assert page.eval_on_selector("#timer", "t => getComputedStyle(t).color") == rgb(CLOCK_PHASE_COLOURS["over"])
    assert (page.text_content("#timer") or "").startswith("−")
