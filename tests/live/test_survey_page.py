"""Three participants of two organizations answer the survey on their phones; the canvas shows the ties."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page
from PySide6.QtWidgets import QApplication

from tests.live.harness import LiveFixture
from tests.live.test_participant_page import browser, join, live, wait_for  # noqa: F401 - fixtures by name
from workshop.domain.model.operations import add
from workshop.domain.research.sources import SurveyRound
from workshop.domain.research.survey import OVERALL, load_instrument, score_round, tie_colour
from workshop.resources import scripts_dir
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.tie_overlay import show_ties
from workshop.ui.themes import THEMES


@pytest.fixture
def phones(browser: Browser) -> Iterator[list[Page]]:  # noqa: F811
    """Three phones: separate browser contexts, so each keeps its own participant token."""
    contexts = [browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True) for _ in range(3)]
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def answer(page: Page, about: str, values: dict[str, int]) -> None:
    page.click("#open-survey")
    page.select_option("#survey-org", about)
    for item, value in values.items():
        page.click(f"fieldset[data-item={item}] button[data-value='{value}']")
    page.click("#survey-send")
    page.wait_for_selector("#pending-count:empty", state="attached")
    page.click("#survey-close")


def test_answers_from_phones_become_scores_and_colour_the_handoffs(
    live: LiveFixture,  # noqa: F811
    phones: list[Page],
    qapp: QApplication,
) -> None:
    people = (("Mira Sand", "org-a"), ("Zofia Kowalczyk", "org-a"), ("Anke Möller", "org-it"))
    for page, (name, org) in zip(phones, people, strict=True):
        join(page, live, name=name, org=org)
        assert page.locator("#open-survey").is_hidden(), "no survey before the facilitator opens one"
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")
    live.apply(
        add(
            SurveyRound(
                id="rc-1",
                label="Before intervention 1",
                instrument=instrument.model_dump(mode="json"),
                opened=datetime.now(UTC),
            )
        )
    )
    for page in phones:
        page.wait_for_selector("#open-survey:not([hidden])")
    answer(phones[0], "org-it", {"frequent": 2, "blame": 4, "respect": 3})
    answer(phones[1], "org-it", {"frequent": 1, "blame": 5})
    answer(phones[2], "org-a", {"frequent": 4, "respect": 5})
    wait_for(lambda: len(live.document.session.survey_responses) == 3, "three questionnaires")

    cells = {(c.from_org, c.about_org, c.dimension): c for c in score_round(live.document.session, "rc-1", threshold=2)}
    # respondent 1: frequent 2, blame reversed 2, respect 3 -> 7/3; respondent 2: frequent 1, blame reversed 1 -> 1
    assert cells[("org-a", "org-it", OVERALL)].mean == pytest.approx((7 / 3 + 1) / 2, abs=1e-3)
    assert cells[("org-it", "org-a", OVERALL)].respondents == 1
    scene = CanvasScene(live.document, "model-current", THEMES["light"])
    ties = show_ties(scene, score_round(live.document.session, "rc-1", threshold=2))
    a_to_it = ties["flow-09"]  # customer group A -> IT provider; IT's single answer is below the threshold
    assert a_to_it == pytest.approx((7 / 3 + 1) / 2, abs=1e-3)
    assert scene.flow_items["flow-09"].colour_override == tie_colour(a_to_it)
    assert scene.flow_items["flow-12"].colour_override == tie_colour(None), "group B did not answer"
    scene.detach()
