"""Joining cannot be blocked or fooled: wrong-code floods, rejoin floods, look-alike names.

Each attack comes from loopback addresses 127.0.0.2 and up (Linux routes the whole 127/8 to loopback), so
limits per source address are exercised as in a room.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from tests.live.client import Participant
from tests.live.harness import LiveFixture
from tests.live.test_server import answered, joined, run, until
from workshop.domain.model.person_names import look_alike
from workshop.live.identity import RejoinRequest
from workshop.live.join_limits import GuessPacer, days_to_guess
from workshop.live.security import SecurityPolicy


@asynccontextmanager
async def from_address(address: str) -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client whose connections leave from ``address`` (a loopback address)."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0))) as http:
        yield http


async def try_code(http: aiohttp.ClientSession, live: LiveFixture, code: str, device: str = "") -> int:
    body = {"code": code, "name": f"Guesser {device}", "organization_id": "org-a", "device": device}
    async with http.post(live.server.url + "api/join", json=body) as response:
        return response.status


@pytest.fixture
def live() -> Iterator[LiveFixture]:
    fixture = LiveFixture()
    yield fixture
    fixture.close()


@pytest.fixture
def quick() -> Iterator[LiveFixture]:
    """The default limits, but wrong codes past the burst answered fast enough for a test."""
    fixture = LiveFixture(policy=SecurityPolicy(failed_joins_overall=40, wrong_codes_per_second=500.0))
    yield fixture
    fixture.close()


def test_wrong_codes_from_49_addresses_never_refuse_the_right_code_and_tell_the_facilitator_once(
    quick: LiveFixture,
) -> None:
    alerts: list[str] = []
    quick.server.on_alert = alerts.append

    async def guesser(n: int) -> list[int]:
        async with from_address(f"127.0.0.{n}") as http:
            return [await try_code(http, quick, f"WRONG{n}X{k}") for k in range(3 if n <= 3 else 2)]

    async def scenario(_http: aiohttp.ClientSession, live: LiveFixture) -> None:
        results = await asyncio.gather(*(guesser(n) for n in range(2, 51)))  # 49 addresses, 100 guesses at once
        statuses = [status for per_address in results for status in per_address]
        assert len(statuses) == 100
        assert set(statuses) == {403}, "slowed past the burst, never paused"
        async with from_address("127.0.0.51") as fresh:
            assert await try_code(fresh, live, live.server.join_code, device="fresh") == 200
        async with from_address("127.0.0.2") as guessed_a_little:
            assert await try_code(guessed_a_little, live, live.server.join_code, device="late") == 200

    run(quick, scenario)
    assert len(alerts) == 1, alerts
    assert "49 addresses" in alerts[0]


def test_one_address_is_refused_after_ten_wrong_codes_and_others_are_not(quick: LiveFixture) -> None:
    async def scenario(_http: aiohttp.ClientSession, live: LiveFixture) -> None:
        async with from_address("127.0.0.2") as guesser:
            assert [await try_code(guesser, live, f"BAD{k}") for k in range(10)] == [403] * 10
            assert await try_code(guesser, live, live.server.join_code) == 429, "even the right code, for a while"
        async with from_address("127.0.0.3") as neighbour:
            assert await try_code(neighbour, live, live.server.join_code, device="n") == 200

    run(quick, scenario)


def test_one_device_is_refused_after_ten_wrong_codes_from_any_address(quick: LiveFixture) -> None:
    async def scenario(_http: aiohttp.ClientSession, live: LiveFixture) -> None:
        for k in range(10):
            async with from_address(f"127.0.0.{2 + k}") as http:
                assert await try_code(http, live, f"BAD{k}", device="roaming") == 403
        async with from_address("127.0.0.20") as http:
            assert await try_code(http, live, "BAD", device="roaming") == 429
            assert await try_code(http, live, live.server.join_code, device="honest") == 200

    run(quick, scenario)


def test_an_address_waits_for_the_answer_to_its_guess_before_guessing_again() -> None:
    """Past the burst, concurrent guesses from one address do not multiply its pace."""
    live = LiveFixture(policy=SecurityPolicy(failed_joins_overall=1, wrong_codes_per_second=2.0))

    async def scenario(_http: aiohttp.ClientSession, live: LiveFixture) -> None:
        async with from_address("127.0.0.2") as first:
            assert await try_code(first, live, "BAD") == 403  # the burst of one
        async with from_address("127.0.0.3") as http:
            held = asyncio.create_task(try_code(http, live, "BAD1"))
            await until(lambda: live.server._joining.limits._answering == {"127.0.0.3"})
            assert await try_code(http, live, "BAD2") == 429
            assert await try_code(http, live, live.server.join_code, device="d") == 429
            assert await held == 403
            assert await try_code(http, live, live.server.join_code, device="d") == 200, "answered: may go on"

    try:
        run(live, scenario)
    finally:
        live.close()


def test_wrong_codes_past_the_burst_wait_one_interval_each() -> None:
    now = [0.0]
    pacer = GuessPacer(burst=3, rate=2.0, clock=lambda: now[0])
    assert [pacer.delay() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert [pacer.delay() for _ in range(3)] == [0.5, 1.0, 1.5]
    assert not pacer.quiet()
    now[0] = 10.0
    assert pacer.quiet()
    assert pacer.delay() == 0.0


def test_guessing_the_code_at_the_allowed_pace_takes_years() -> None:
    assert days_to_guess(SecurityPolicy()) > 365 * 10


def test_a_rejoin_flood_asks_the_facilitator_one_question_with_its_count() -> None:
    """300 joins for an existing name from 300 device ids (30 addresses) make one question, not 300."""
    asked: list[RejoinRequest] = []
    live = LiveFixture()
    live.server.on_rejoin = asked.append

    async def flood(n: int, code: str) -> list[int]:
        async with from_address(f"127.0.0.{n}") as http:
            statuses = []
            for k in range(10):
                body = {"code": code, "name": "Lukasz Nowak", "organization_id": "org-a", "device": f"d{n}-{k}"}
                async with http.post(live.server.url + "api/join", json=body) as response:
                    statuses.append(response.status)
            return statuses

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        code = live.server.join_code
        results = await asyncio.gather(*(flood(n, code) for n in range(2, 32)))
        statuses = [status for per_address in results for status in per_address]
        assert statuses.count(202) == 1, "one question waits"
        assert statuses.count(409) == 30 * 5 - 1, "each address may try five times a minute"
        assert statuses.count(429) == 30 * 5
        assert {request.id for request in asked} == {asked[0].id}
        assert max(request.attempts for request in asked) == 150
        genuine = Participant(http, live.server.url)
        assert (await genuine.join(code, "Lukasz Nowak", "org-a", device="mine")).status == 409
        live.server.decide_rejoin(asked[0].id, same_person=False)
        async with from_address("127.0.0.40") as room:
            genuine = Participant(room, live.server.url)
            await until_asked_anew(genuine, code)
            assert asked[-1].id != asked[0].id, "once answered, the next join asks anew"

    async def until_asked_anew(person: Participant, code: str) -> None:
        async with asyncio.timeout(5.0):
            while (await person.join(code, "Lukasz Nowak", "org-a", device="mine")).status != 202:
                pass

    try:
        run(live, scenario)
    finally:
        live.close()


def test_a_phone_holding_its_token_rejoins_without_a_question(live: LiveFixture) -> None:
    asked: list[RejoinRequest] = []
    live.server.on_rejoin = asked.append

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live, name="Ann Lee")
        again = Participant(http, live.server.url)
        response = await again.join(live.server.join_code, "ann lee", "org-a", device="new-tab", token=person.token)
        assert response.status == 200
        assert again.participant_id == person.participant_id
        other = await joined(http, live, name="Bo Berg", org="org-b")
        stolen = Participant(http, live.server.url)  # someone else's token does not name Ann
        assert (await stolen.join(live.server.join_code, "Ann Lee", "org-a", token=other.token)).status == 202

    run(live, scenario)
    assert len(asked) == 1


LOOK_ALIKES = ["An\u200dna Berg", "\u0410nna Berg", "Anna Berg.", "ＡＮＮＡ  BERG", "Anna\u202e Berg"]


@pytest.mark.parametrize("typed", LOOK_ALIKES)
def test_a_look_alike_of_a_present_name_waits_for_the_facilitator(live: LiveFixture, typed: str) -> None:
    asked: list[RejoinRequest] = []
    live.server.on_rejoin = asked.append

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        anna = await joined(http, live, name="Anna Berg", org="org-a")
        copy = Participant(http, live.server.url)
        assert (await copy.join(live.server.join_code, typed, "org-b", device="other")).status == 202
        assert asked[0].participant_id == anna.participant_id
        live.server.decide_rejoin(asked[0].id, same_person=False)
        assert (await answered(copy, live.server.join_code)).status == 403

    run(live, scenario)
    names = [p.name for p in live.document.session.participants.values()]
    assert sum(look_alike(name, "Anna Berg") for name in names) == 1, "no second Anna Berg"
    assert all("\u202e" not in p.name and "\u200d" not in p.name for p in live.document.session.participants.values())


def test_a_look_alike_of_a_removed_name_waits_and_the_removed_name_itself_is_refused(live: LiveFixture) -> None:
    asked: list[RejoinRequest] = []
    live.server.on_rejoin = asked.append

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        code = live.server.join_code
        anna = await joined(http, live, name="Anna Berg", org="org-a")
        live.server.revoke(anna.participant_id)
        assert (await anna.receive_type("closed"))["code"] == 4003
        assert (await Participant(http, live.server.url).join(code, "Anna Berg", "org-a", device="x")).status == 410
        dotted = Participant(http, live.server.url)
        assert (await dotted.join(code, "Anna Berg.", "org-a", device="y")).status == 202
        assert asked[-1].participant_id == anna.participant_id
        assert asked[-1].typed == "Anna Berg."
        live.server.decide_rejoin(asked[-1].id, same_person=True)
        assert (await answered(dotted, code)).status == 410, "the same person is still removed"

    run(live, scenario)
    names = [p.name for p in live.document.session.participants.values()]
    assert sum(look_alike(name, "Anna Berg") for name in names) == 1


def test_bidi_controls_never_reach_a_stored_name(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live, name="Zed \u202egnirts\u202c Olsen", org="org-a")
        assert live.document.session.participants[person.participant_id].name == "Zed gnirts Olsen"

    run(live, scenario)
