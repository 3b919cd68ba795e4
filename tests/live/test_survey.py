"""Survey answers from participants' phones: open rounds only, other organizations only, no duplicates."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp

from tests.live.harness import LiveFixture
from tests.live.test_server import joined, live, run  # noqa: F401 - the fixture is used by name
from workshop.domain.model.operations import add, update
from workshop.domain.research.sources import SurveyRound
from workshop.domain.research.survey import OVERALL, load_instrument, score_round
from workshop.resources import scripts_dir

INSTRUMENT = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")


def survey(key: str, about: str, **answers: int) -> dict[str, object]:
    return {"type": "survey", "key": key, "round_id": "rc-1", "about_org_id": about, "answers": answers}


def test_three_participants_of_two_organizations_answer_and_the_scores_follow(live: LiveFixture) -> None:  # noqa: F811
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        people = [
            await joined(http, live, name="Ann Lee", org="org-a"),
            await joined(http, live, name="Bo Berg", org="org-a"),
            await joined(http, live, name="Cy Dahl", org="org-a"),
        ]
        it = await joined(http, live, name="Ida Holm", org="org-it")
        await people[0].send(survey("early", "org-it", frequent=4))
        assert "not open" in (await people[0].receive_type("nack"))["error"]
        live.apply(
            add(
                SurveyRound(
                    id="rc-1", label="Before", instrument=INSTRUMENT.model_dump(mode="json"), opened=datetime.now(UTC)
                )
            )
        )
        meta = (await it.receive_type("changes"))["meta"]
        assert meta["survey"]["round_id"] == "rc-1"
        assert [i["id"] for i in meta["survey"]["items"]][:2] == ["frequent", "timely"]
        assert "survey" in meta["allowed"]
        for n, (person, value) in enumerate(zip(people, (2, 3, 4), strict=True)):
            await person.send(survey(f"k{n}", "org-it", frequent=value, blame=value))
            assert (await person.receive_type("ack"))["key"] == f"k{n}"
        await people[0].send(survey("k0-again", "org-it", frequent=5, blame=2))  # a changed mind, not a 4th answer
        assert (await people[0].receive_type("ack"))["key"] == "k0-again"
        await it.send(survey("own", "org-it", frequent=5))
        assert "another organization" in (await it.receive_type("nack"))["error"]

    run(live, scenario)
    session = live.document.session
    assert len(session.survey_responses) == 3
    cells = {(c.from_org, c.about_org, c.dimension): c for c in score_round(session, "rc-1")}
    # frequent: 5, 3, 4 -> 4.0; blame reversed (6 - x): 4, 3, 2 -> 3.0; overall per respondent 4.5, 3, 3 -> 3.5
    assert cells[("org-a", "org-it", "frequent_communication")].mean == 4.0
    assert cells[("org-a", "org-it", OVERALL)].mean == 3.5
    assert all(r.participant_id for r in session.survey_responses.values())


def test_a_closed_round_takes_no_more_answers(live: LiveFixture) -> None:  # noqa: F811
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live, name="Ann Lee", org="org-a")
        live.apply(
            add(
                SurveyRound(
                    id="rc-1", label="Before", instrument=INSTRUMENT.model_dump(mode="json"), opened=datetime.now(UTC)
                )
            )
        )
        live.apply(update("survey_round", "rc-1", closed=datetime.now(UTC).isoformat()))
        await person.send(survey("late", "org-it", frequent=3))
        assert "not open" in (await person.receive_type("nack"))["error"]

    run(live, scenario)
    assert live.document.session.survey_responses == {}
