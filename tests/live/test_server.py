"""The participant server over real HTTP and WebSockets on loopback: joining, contributing, durability."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
import pytest

from tests.live.client import Participant
from tests.live.harness import LiveFixture, example_session
from workshop.domain.model.operations import SetSessionOp, add, update
from workshop.domain.model.session import StepRef
from workshop.domain.walkthrough.moves import WalkMove, Walkthrough
from workshop.live.identity import RejoinRequest
from workshop.live.security import Secrets, SecurityPolicy
from workshop.live.server import LiveServer

Scenario = Callable[[aiohttp.ClientSession, LiveFixture], Awaitable[None]]


@pytest.fixture
def live() -> Iterator[LiveFixture]:
    fixture = LiveFixture()
    yield fixture
    fixture.close()


def run(live: LiveFixture, scenario: Scenario) -> None:
    async def main() -> None:
        async with aiohttp.ClientSession() as http:
            await scenario(http, live)

    asyncio.run(main())


async def joined(
    http: aiohttp.ClientSession, live: LiveFixture, name: str = "Ann Lee", org: str = "org-a"
) -> Participant:
    person = Participant(http, live.server.url)
    response = await person.join(live.server.join_code, name, org)
    assert response.status == 200, await response.text()
    welcome = await person.connect()
    assert welcome["type"] == "welcome"
    return person


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for something another thread does, by looking again each turn of the loop (never a fixed sleep)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.001)


async def answered(person: Participant, code: str) -> aiohttp.ClientResponse:
    """Ask until the facilitator's answer (given on another thread) has reached the server."""
    async with asyncio.timeout(5.0):
        while (response := await person.rejoin_status(code)).status == 202:
            pass
    return response


def idea(key: str, text: str = "Send the form digitally", target: str = "n-contact") -> dict[str, Any]:
    return {
        "type": "annotate",
        "key": key,
        "target_kind": "node",
        "target_id": target,
        "annotation_kind": "idea",
        "text": text,
    }


def test_joining_adds_a_participant_with_an_operation_made_as_that_participant(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live, name="  Ann   Lee ")
        session = live.document.session
        assert session.participants[person.participant_id].name == "Ann Lee"
        assert session.participants[person.participant_id].organization_id == "org-a"
        assert person.welcome["participant_id"] == person.participant_id
        assert len(person.welcome["elements"]["node"]) == 22
        again = Participant(http, live.server.url)
        assert (await again.join(live.server.join_code, "ann lee", "org-a", device="phone-1")).status == 202
        assert again.token == "", "a name alone does not give anyone's identity"

    run(live, scenario)
    assert live.document.last_seq == 1


def test_the_same_device_joining_again_is_the_same_participant(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        first = Participant(http, live.server.url)
        assert (await first.join(live.server.join_code, "Ann Lee", "org-a", device="phone-1")).status == 200
        again = Participant(http, live.server.url)
        assert (await again.join(live.server.join_code, "ann  lee", "org-a", device="phone-1")).status == 200
        assert again.participant_id == first.participant_id

    run(live, scenario)


def test_rejoining_as_an_existing_participant_needs_the_facilitator(live: LiveFixture) -> None:
    """'łukasz NOWAK' from an unknown device is not given Łukasz Nowak's identity until the facilitator says so."""
    asked: list[RejoinRequest] = []
    live.server.on_rejoin = asked.append

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        code = live.server.join_code
        impostor = Participant(http, live.server.url)
        assert (await impostor.join(code, "łukasz NOWAK", "org-a", device="laptop-x")).status == 202
        assert (await impostor.rejoin_status(code)).status == 202
        assert [r.participant_id for r in asked] == ["p-nowak"]
        live.server.decide_rejoin(asked[0].id, same_person=False)
        refused = await answered(impostor, code)
        assert refused.status == 403
        assert "could not confirm" in await refused.text()

        person = Participant(http, live.server.url)
        assert (await person.join(code, "Lukasz Nowak", "org-a", device="new-phone")).status == 202
        live.server.decide_rejoin(asked[1].id, same_person=True)
        assert (await answered(person, code)).status == 200
        assert person.participant_id == "p-nowak"
        assert (await person.connect())["type"] == "welcome"

    run(live, scenario)
    assert live.document.last_seq == 0


def test_a_removal_sticks_for_the_device_and_the_name_until_lifted(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        code = live.server.join_code
        person = Participant(http, live.server.url)
        assert (await person.join(code, "Ann Lee", "org-a", device="phone-1")).status == 200
        live.server.revoke(person.participant_id)
        await until(lambda: "phone-1" in live.server.secrets.removed_devices)
        other_name = Participant(http, live.server.url)
        assert (await other_name.join(code, "A. Lee", "org-b", device="phone-1")).status == 410
        other_device = Participant(http, live.server.url)
        assert (await other_device.join(code, "ANN LEE", "org-b", device="phone-2")).status == 410
        live.server.lift_removal(person.participant_id)
        back = Participant(http, live.server.url)
        assert (await back.join(code, "Ann Lee", "org-a", device="phone-1")).status == 200

    run(live, scenario)


def test_a_removal_shows_at_once_and_let_back_in_just_after_it_wins(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        code = live.server.join_code
        person = Participant(http, live.server.url)
        assert (await person.join(code, "Ann Lee", "org-a", device="phone-1")).status == 200
        live.server.revoke(person.participant_id)
        assert person.participant_id in live.server.secrets.revoked, "the panel can say 'removed' at once"
        live.server.lift_removal(person.participant_id)  # the facilitator's next click, before the loop ran
        back = Participant(http, live.server.url)  # handled by the loop after the removal it was handed first
        assert (await back.join(code, "Ann Lee", "org-a", device="phone-1")).status == 200
        assert person.participant_id not in live.server.secrets.revoked

    run(live, scenario)


def test_the_facilitator_can_lock_joining(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        code = live.server.join_code
        first = Participant(http, live.server.url)
        assert (await first.join(code, "Ann Lee", "org-a", device="phone-1")).status == 200
        live.server.joining_locked = True
        late = Participant(http, live.server.url)
        refused = await late.join(code, "Bo", "org-b", device="phone-2")
        assert refused.status == 403
        assert "closed" in await refused.text()
        assert (await first.connect())["type"] == "welcome", "people already in may reconnect"

    run(live, scenario)


def test_reopening_with_the_same_secrets_keeps_code_port_tokens_and_removals() -> None:
    first = LiveFixture()
    try:
        secrets = first.server.secrets
        port, code = first.server.port, first.server.join_code

        async def join_and_remove(http: aiohttp.ClientSession, live: LiveFixture) -> tuple[str, str]:
            person = await joined(http, live)
            removed = await joined(http, live, name="Bo", org="org-b")
            live.server.revoke(removed.participant_id)
            closed = await removed.receive_type("closed")  # the loop has handled the removal
            assert closed["code"] == 4003, "the page is told its person was removed"
            return person.token, removed.participant_id

        result: list[tuple[str, str]] = []

        async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
            result.append(await join_and_remove(http, live))

        run(first, scenario)
        saved = secrets.to_json()
        session = first.document.session
    finally:
        first.close()
    token, _ = result[0]
    second = LiveFixture(session=session, secrets=Secrets.from_json(saved))
    try:
        assert (second.server.port, second.server.join_code) == (port, code)

        async def again(http: aiohttp.ClientSession, live: LiveFixture) -> None:
            person = Participant(http, live.server.url)
            assert (await person.connect(token=token))["type"] == "welcome", "phones keep their tokens"
            assert (await Participant(http, live.server.url).join(code, "Bo", "org-b")).status == 410

        run(second, again)
    finally:
        second.close()


def test_an_idea_is_acknowledged_after_it_is_in_the_log_and_reaches_other_pages(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        author = await joined(http, live)
        other = await joined(http, live, name="Bo", org="org-b")
        payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
        await author.send(idea("k1", payload))
        ack = await author.receive_type("ack")
        annotation = live.document.session.annotations[ack["id"]]  # acknowledged once committed
        assert ack["seq"] == live.document.last_seq
        assert annotation.text == payload  # stored verbatim; the page escapes it
        assert annotation.author_id == author.participant_id
        assert annotation.organization_id == "org-a"
        while True:
            message = await other.receive_type("changes")
            shown = [c for c in message["changes"] if c["kind"] == "annotation" and c["id"] == ack["id"]]
            if shown:
                assert shown[0]["data"]["text"] == payload
                assert shown[0]["data"]["author"] == "Ann Lee (Customer group A)"
                assert "author_id" not in shown[0]["data"]
                break

    run(live, scenario)


def test_a_resent_contribution_is_applied_once(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        await person.send(idea("same-key"))
        first = await person.receive_type("ack")
        await person.close()
        await person.connect()  # reconnect with the stored token, then resend what looked pending
        await person.send(idea("same-key"))
        second = await person.receive_type("ack")
        assert first == second

    run(live, scenario)
    assert len([a for a in live.document.session.annotations.values() if a.text == "Send the form digitally"]) == 1


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "p-nowak.0000", "p-nowak." + "0" * 64],
)
def test_wrong_tokens_are_refused(live: LiveFixture, token: str) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = Participant(http, live.server.url)
        reply = await person.connect(token=token)
        assert reply["type"] in ("error", "closed")
        closed = await person.receive_type("closed")
        assert closed["code"] == 4001

    run(live, scenario)
    assert live.document.last_seq == 0


def test_a_token_cannot_be_turned_into_another_participants(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = Participant(http, live.server.url)
        await person.join(live.server.join_code, "Ann", "org-a")
        _, mac = person.token.rsplit(".", 1)
        reply = await person.connect(token=f"p-nowak.{mac}")
        assert reply["type"] == "error"

    run(live, scenario)


@pytest.mark.parametrize("forged", [{"actor": "facilitator"}, {"author_id": "p-nowak"}, {"participant_id": "p-nowak"}])
def test_a_message_cannot_name_who_acts(live: LiveFixture, forged: dict[str, str]) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        before = live.document.last_seq
        await person.send({**idea("k1"), **forged})
        reply = await person.receive_type("error")
        assert "Extra inputs are not permitted" in reply["error"]
        await person.send(idea("k2"))  # the connection is still usable
        assert (await person.receive_type("ack"))["key"] == "k2"
        assert live.document.last_seq == before + 1

    run(live, scenario)
    assert all(
        r.author_id != "p-nowak" for r in live.document.session.annotations.values() if r.text.startswith("Send")
    )


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        '{"type": "annotate"}',
        '{"type": "delete_everything", "key": "k"}',
        '{"type": "annotate", "key": "k", "target_kind": "node", "target_id": "n-contact", '
        '"annotation_kind": "quote", "text": "x"}',
        '{"type": "annotate", "key": "../../etc", "target_kind": "node", "target_id": "n-contact", '
        '"annotation_kind": "idea", "text": "x"}',
        '{"type": "vote", "key": "k", "annotation_id": "a", "dots": 500}',
    ],
)
def test_malformed_messages_are_refused_and_change_nothing(live: LiveFixture, raw: str) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        before = live.document.session.model_dump()
        assert person.socket is not None
        await person.socket.send_str(raw)
        assert (await person.receive_type("error"))["type"] == "error"
        assert live.document.session.model_dump() == before

    run(live, scenario)


def test_an_oversized_message_closes_the_connection_and_changes_nothing(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        seq = live.document.last_seq
        await person.send(idea("big", "x" * 40_000))
        assert (await person.receive_type("closed"))["type"] == "closed"
        assert live.document.last_seq == seq
        response = await http.post(
            live.server.url + "api/join", data=b"{" + b" " * 40_000 + b"}", headers={"Content-Type": "application/json"}
        )
        assert response.status == 413

    run(live, scenario)


def test_text_over_the_limit_is_refused_by_validation(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        await person.send(idea("long", "x" * 2001))
        assert "at most 2000 characters" in (await person.receive_type("error"))["error"]

    run(live, scenario)


def test_a_flood_of_join_attempts_is_refused_and_leaves_the_session_intact(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        statuses = []
        for attempt in range(40):
            response = await http.post(
                live.server.url + "api/join", json={"code": f"WRONG{attempt}", "name": "X", "organization_id": "org-a"}
            )
            statuses.append(response.status)
        assert statuses[:10] == [403] * 10
        assert set(statuses[10:]) == {429}
        # once blocked, even the right code waits for the window to pass
        late = await http.post(
            live.server.url + "api/join", json={"code": live.server.join_code, "name": "X", "organization_id": "org-a"}
        )
        assert late.status == 429

    before = live.document.session.model_dump()
    run(live, scenario)
    assert live.document.session.model_dump() == before
    assert live.document.last_seq == 0


def test_joining_needs_an_organization_of_the_session(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = Participant(http, live.server.url)
        response = await person.join(live.server.join_code, "Ann", "org-nowhere")
        assert response.status == 400
        assert "organization" in await response.text()

    run(live, scenario)
    assert live.document.last_seq == 0


def test_the_server_serves_its_page_with_a_content_security_policy_and_nothing_else(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        page = await http.get(live.server.url)
        assert page.status == 200
        policy = page.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        for path in ("participant.js", "participant.css"):
            assert (await http.get(live.server.url + path)).status == 200
        for path in ("pyproject.toml", "..%2Fpyproject.toml", "assets/participant/index.html", "ws/../README.md"):
            response = await http.get(live.server.url + path)
            assert response.status == 404, path
            assert "Content-Security-Policy" in response.headers

    run(live, scenario)


def test_a_removed_participant_is_disconnected_and_cannot_come_back(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        live.server.revoke(person.participant_id)
        assert (await person.receive_type("closed"))["code"] == 4003, "the page is told: removed"
        reply = await Participant(http, live.server.url).connect(token=person.token)
        assert reply["type"] == "removed", "the page says so rather than asking to join again"
        again = Participant(http, live.server.url)
        assert (await again.join(live.server.join_code, "Ann Lee", "org-a")).status == 410

    run(live, scenario)


def test_the_step_decides_what_may_be_contributed(live: LiveFixture) -> None:
    script = {
        "id": "test",
        "title": "Test",
        "interventions": [
            {
                "id": "i1",
                "title": "Intervention",
                "steps": [
                    {
                        "id": "s-problems",
                        "title": "Where does it hurt?",
                        "prompts": ["Mark problems"],
                        "timebox_minutes": 10,
                        "captures": ["problem"],
                    }
                ],
            }
        ],
    }
    live.apply(
        SetSessionOp(changes={"script": script, "current_step": StepRef(intervention_id="i1", step_id="s-problems")})
    )

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        meta = person.welcome["meta"]
        assert meta["step"]["title"] == "Where does it hurt?"
        assert meta["step"]["timebox_minutes"] == 10
        assert meta["step"]["started"] is not None
        assert meta["allowed"] == ["problem"]
        await person.send(idea("k1"))
        refused = await person.receive_type("nack")
        assert "does not ask for ideas" in refused["error"]
        await person.send({**idea("k2"), "annotation_kind": "problem"})
        ack = await person.receive_type("ack")
        annotation = live.document.session.annotations[ack["id"]]
        assert (annotation.intervention_id, annotation.step_id) == ("i1", "s-problems")

    run(live, scenario)


def test_in_an_anonymous_step_contributions_name_the_organization_only(live: LiveFixture) -> None:
    live.apply(SetSessionOp(changes={"anonymous_step": True}))

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        other = await joined(http, live, name="Bo", org="org-b")
        await person.send(idea("k1"))
        ack = await person.receive_type("ack")
        annotation = live.document.session.annotations[ack["id"]]
        assert annotation.author_id is None
        assert annotation.anonymous
        while True:
            changes = (await other.receive_type("changes"))["changes"]
            shown = [c["data"] for c in changes if c["id"] == ack["id"]]
            if shown:
                assert shown[0]["author"] == "Customer group A (anonymous)"
                break

    run(live, scenario)


def test_votes_boundaries_and_agreement(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        await person.send(idea("k1"))
        idea_id = (await person.receive_type("ack"))["id"]
        for number in range(3):
            await person.send({"type": "vote", "key": f"v{number}", "annotation_id": idea_id})
            assert (await person.receive_type("ack"))["key"] == f"v{number}"
        await person.send({"type": "vote", "key": "v4", "annotation_id": idea_id})
        assert "all 3 of your dots" in (await person.receive_type("nack"))["error"]

        handoff = next(
            f.id for f in live.document.session.flows.values() if f.id == "flow-09"
        )  # customer group A -> IT provider
        await person.send({"type": "boundary", "key": "b1", "flow_id": handoff, "not_shared": "what a case is"})
        boundary = live.document.session.boundaries[(await person.receive_type("ack"))["id"]]
        assert {boundary.org_a, boundary.org_b} == {"org-a", "org-it"}
        assert boundary.raised_by == person.participant_id
        await person.send({"type": "boundary", "key": "b2", "flow_id": "flow-01"})
        assert "handoff" in (await person.receive_type("nack"))["error"]

        await person.send({"type": "agreement", "key": "a1", "rating": 2})
        first = (await person.receive_type("ack"))["id"]
        await person.send({"type": "agreement", "key": "a2", "rating": 4})
        second = (await person.receive_type("ack"))["id"]
        assert first == second  # answering again changes the answer
        rating = live.document.session.agreements[first]
        assert (rating.rating, rating.organization_id) == (4, "org-a")

    run(live, scenario)


def test_predictability_is_answered_only_when_the_check_asks_it_and_never_names_anyone(live: LiveFixture) -> None:
    """Predictability travels with the agreement answer, validated like it; other phones see no one."""

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        observer = await joined(http, live, name="Olga Observer", org="org-b")
        person = await joined(http, live, name="Zofia Kowalczyk", org="org-a")
        assert person.welcome["meta"]["ask_predictability"] is False
        await person.send({"type": "agreement", "key": "a1", "rating": 3, "predictability": 2})
        assert "does not ask about predictability" in (await person.receive_type("nack"))["error"]
        assert not live.document.session.agreements

        live.apply(SetSessionOp(changes={"ask_predictability": True}))
        while not (await person.receive_type("changes"))["meta"]["ask_predictability"]:
            pass
        await person.send({"type": "agreement", "key": "a2", "rating": 3, "predictability": 6})
        assert "predictability" in (await person.receive_type("error"))["error"]
        await person.send({"type": "agreement", "key": "a3", "rating": 3, "predictability": 2})
        answer_id = (await person.receive_type("ack"))["id"]
        await person.send({"type": "agreement", "key": "a4", "rating": 4, "comment": "calls back at nine"})
        await person.receive_type("ack")
        answer = live.document.session.agreements[answer_id]
        assert (answer.rating, answer.predictability, answer.comment) == (4, 2, "calls back at nine"), (
            "an answer without predictability keeps the earlier one"
        )
        await person.send({"type": "agreement", "key": "a5", "rating": 4, "predictability": 5})
        await person.receive_type("ack")
        assert live.document.session.agreements[answer_id].predictability == 5

        seen = [json.dumps(observer.welcome, ensure_ascii=False)]
        while True:
            message = await observer.receive()
            seen.append(json.dumps(message, ensure_ascii=False))
            if message["type"] == "changes" and any(
                c["kind"] == "agreement" and (c["data"] or {}).get("predictability") == 5 for c in message["changes"]
            ):
                break
        everything = "\n".join(seen)
        assert person.participant_id not in everything
        assert "Kowalczyk" not in everything
        shown = [c["data"] for c in message["changes"] if c["kind"] == "agreement"][-1]  # changes come in groups
        assert "participant_id" not in shown
        assert (shown["organization_id"], shown["predictability"]) == ("org-a", 5), "by organization only"
        await person.close()
        await person.connect()
        assert person.welcome["own"]["agreements"][answer.check_id]["predictability"] == 5

    run(live, scenario)


def test_capture_goes_on_the_current_walkthrough_step(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        await person.send({"type": "capture", "key": "c0", "annotation_kind": "question", "text": "who?"})
        assert "no walkthrough" in (await person.receive_type("nack"))["error"]
        live.apply(add(Walkthrough(id="walk-1", model_id="model-current", started=live.document.session.created)))
        live.apply(add(WalkMove(id="ws-1", walkthrough_id="walk-1", index=0, element_id="n-contact")))
        live.apply(
            add(WalkMove(id="ws-2", walkthrough_id="walk-1", index=1, element_kind="flow", element_id="flow-09"))
        )
        while (await person.receive_type("changes"))["meta"]["walk"] != {
            "walkthrough_id": "walk-1",
            "element_kind": "flow",
            "element_id": "flow-09",
        }:
            pass
        await person.send({"type": "capture", "key": "c1", "annotation_kind": "question", "text": "who calls back?"})
        annotation = live.document.session.annotations[(await person.receive_type("ack"))["id"]]
        assert (annotation.target_kind, annotation.target_id) == ("flow", "flow-09")
        assert (annotation.walkthrough_id, annotation.walkthrough_step) == ("walk-1", 1)

    run(live, scenario)


def test_hidden_contributions_leave_every_page(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        await person.send(idea("k1", "rude words"))
        annotation_id = (await person.receive_type("ack"))["id"]
        live.apply(update("annotation", annotation_id, hidden=True))
        while True:
            changes = (await person.receive_type("changes"))["changes"]
            if {"kind": "annotation", "id": annotation_id, "data": None} in changes:
                break
        late = await joined(http, live, name="Late", org="org-b")
        assert annotation_id not in late.welcome["elements"]["annotation"]

    run(live, scenario)
    assert live.document.session.annotations  # kept in the record


def test_closing_disconnects_pages(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        await asyncio.get_running_loop().run_in_executor(None, live.server.stop)
        assert (await person.receive_type("closed"))["type"] == "closed"
        assert not live.server.running

    run(live, scenario)


def test_the_example_session_is_served_as_loaded() -> None:
    session = example_session()
    fixture = LiveFixture(session)
    try:
        assert fixture.server.join_url.startswith("http://127.0.0.1:")
        assert fixture.server.join_url.endswith(f"?code={fixture.server.join_code}")
    finally:
        fixture.close()


def test_a_participant_sending_too_fast_is_told_to_slow_down_and_may_resend() -> None:
    live = LiveFixture(policy=SecurityPolicy(contribution_burst=2, contributions_per_second=0.001))

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        for key in ("k1", "k2", "k3"):
            await person.send(idea(key))
        replies = []
        while len(replies) < 3:
            message = await person.receive()
            if message["type"] in ("ack", "nack"):
                replies.append(message)
        assert sorted((r["type"], r["key"]) for r in replies) == [("ack", "k1"), ("ack", "k2"), ("nack", "k3")]
        assert next(r for r in replies if r["type"] == "nack")["retry"] is True

    async def third(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live, name="Other", org="org-b")
        await person.send(idea("k1"))
        assert (await person.receive_type("ack"))["key"] == "k1"  # the limit is per participant

    try:
        run(live, scenario)
        texts = [a.text for a in live.document.session.annotations.values()]
        assert texts.count("Send the form digitally") == 2
        run(live, third)
    finally:
        live.close()


def test_a_connection_sending_only_garbage_is_closed(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        assert person.socket is not None
        for _ in range(30):
            await person.socket.send_str("{")
        assert (await person.receive_type("closed"))["type"] == "closed"

    run(live, scenario)


def test_one_device_cannot_fill_the_session_with_names() -> None:
    live = LiveFixture(policy=SecurityPolicy(new_participants_per_window=3))

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        statuses = []
        for number in range(5):
            statuses.append(
                (await Participant(http, live.server.url).join(live.server.join_code, f"N{number}", "org-a")).status
            )
        assert statuses == [200, 200, 200, 429, 429]
        existing = await Participant(http, live.server.url).join(live.server.join_code, "N0", "org-a")
        assert existing.status == 202, "an existing name is not a new participant: the facilitator is asked"

    try:
        run(live, scenario)
        assert live.document.last_seq == 3
    finally:
        live.close()


def test_joining_from_a_form_on_another_site_is_refused(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        body = f'{{"code": "{live.server.join_code}", "name": "Mallory", "organization_id": "org-a"}}'
        response = await http.post(live.server.url + "api/join", data=body, headers={"Content-Type": "text/plain"})
        assert response.status == 415

    run(live, scenario)
    assert live.document.last_seq == 0


def test_a_contribution_resent_to_the_next_opening_is_not_applied_twice(live: LiveFixture) -> None:
    async def first_opening(http: aiohttp.ClientSession, live: LiveFixture) -> dict[str, Any]:
        person = await joined(http, live)
        await person.send(idea("k1"))
        acks = {"k1": (await person.receive_type("ack"))["id"], "token": person.token}
        for number in range(3):  # all three dots
            await person.send({"type": "vote", "key": f"v{number}", "annotation_id": acks["k1"]})
            acks[f"v{number}"] = (await person.receive_type("ack"))["id"]
        return acks

    acked: dict[str, Any] = {}

    async def record(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        acked.update(await first_opening(http, live))

    run(live, record)
    live.server.stop()
    # the facilitator opens again: the session's kept secrets, a new server with no memory of keys
    live.server = LiveServer(live.document.session, live.owner.submit, secrets=live.server.secrets)
    live.document.subscribe(live.server.broadcast, hand_off=True)
    live.server.start()
    seq = live.document.last_seq

    async def second_opening(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = Participant(http, live.server.url)
        assert (await person.connect(token=acked["token"]))["type"] == "welcome"  # the phone kept its token
        await person.send(idea("k1"))  # what the page still showed as pending
        assert (await person.receive_type("ack"))["id"] == acked["k1"]
        await person.send({"type": "vote", "key": "v2", "annotation_id": acked["k1"]})
        assert (await person.receive_type("ack"))["id"] == acked["v2"]  # not "all your dots are placed"

    run(live, second_opening)
    assert live.document.last_seq == seq
    assert len(live.document.session.votes) == 3


def test_a_burst_cannot_exceed_the_dot_budget_or_answer_a_check_twice(live: LiveFixture) -> None:
    """Ten votes against a 3-dot budget and five agreement answers, all sent before any reply."""

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        await person.send(idea("k1"))
        idea_id = (await person.receive_type("ack"))["id"]
        for number in range(10):
            await person.send({"type": "vote", "key": f"v{number}", "annotation_id": idea_id})
        for number in range(5):
            await person.send({"type": "agreement", "key": f"a{number}", "rating": number + 1})
        replies: dict[str, dict[str, Any]] = {}
        while len(replies) < 15:
            message = await person.receive()
            if message["type"] in ("ack", "nack"):
                replies[message["key"]] = message
        votes = [v for v in live.document.session.votes.values() if v.participant_id == person.participant_id]
        assert sum(v.dots for v in votes) == 3
        assert sum(replies[f"v{n}"]["type"] == "ack" for n in range(10)) == 3
        answers = [a for a in live.document.session.agreements.values() if a.participant_id == person.participant_id]
        assert len(answers) == 1
        assert answers[0].rating == 5, "the last answer replaces the earlier ones"
        assert all(replies[f"a{n}"]["type"] == "ack" for n in range(5))

    run(live, scenario)


def test_other_phones_never_learn_who_voted_or_answered(live: LiveFixture) -> None:
    """Votes, agreement answers and boundaries reach other pages without a participant id; no names list."""
    live.apply(SetSessionOp(changes={"anonymous_step": True}))

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        observer = await joined(http, live, name="Olga Observer", org="org-b")
        person = await joined(http, live, name="Zofia Kowalczyk", org="org-a")
        seen = [json.dumps(observer.welcome, ensure_ascii=False)]
        await person.send(idea("k1"))
        idea_id = (await person.receive_type("ack"))["id"]
        await person.send({"type": "vote", "key": "v1", "annotation_id": idea_id})
        await person.receive_type("ack")
        await person.send({"type": "agreement", "key": "a1", "rating": 2, "comment": "unclear who calls back"})
        await person.receive_type("ack")
        await person.send({"type": "boundary", "key": "b1", "flow_id": "flow-09", "not_shared": "what a case is"})
        await person.receive_type("ack")
        while True:
            message = await observer.receive()
            seen.append(json.dumps(message, ensure_ascii=False))
            if message["type"] == "changes" and any(c["kind"] == "boundary" for c in message["changes"]):
                break
        everything = "\n".join(seen)
        assert person.participant_id not in everything
        assert "Kowalczyk" not in everything
        assert "unclear who calls back" in everything, "the answer itself is shown, by organization"
        assert observer.welcome["meta"]["participants"]["org-b"] == 3, "a count per organization, no names"
        await person.close()
        await person.connect()  # a page (re)connecting is told about its own person, alone
        own = person.welcome["own"]
        assert own["me"]["name"] == "Zofia Kowalczyk"
        (answer,) = [a for a in live.document.session.agreements.values() if a.participant_id == person.participant_id]
        assert own["agreements"][answer.check_id]["rating"] == 2
        assert sum(own["votes"].values()) == 1

    run(live, scenario)


def test_one_participant_may_hold_three_pages_and_the_session_a_set_number() -> None:
    live = LiveFixture(policy=SecurityPolicy(max_connections=5))

    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        pages = [Participant(http, live.server.url) for _ in range(3)]
        replies = [await page.connect(token=person.token) for page in pages[:2]]
        assert [r["type"] for r in replies] == ["welcome", "welcome"]  # with the first: three pages
        fourth = await Participant(http, live.server.url).connect(token=person.token)
        assert fourth["type"] == "error"
        assert "too many pages" in fourth["error"]
        other = await joined(http, live, name="Bo", org="org-b")
        extra = await joined(http, live, name="Cy", org="org-b")
        assert other.welcome
        assert extra.welcome
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await Participant(http, live.server.url).connect(token=other.token)  # the session's sixth page

    try:
        run(live, scenario)
    finally:
        live.close()


def test_a_flood_of_hello_or_ping_messages_closes_the_connection(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        person = await joined(http, live)
        for _ in range(200):
            await person.send({"type": "ping"})
        while (message := await person.receive())["type"] != "closed":
            pass
        assert message["type"] == "closed"

    run(live, scenario)


def test_origin_must_match_scheme_and_host_and_no_versions_are_served(live: LiveFixture) -> None:
    async def scenario(http: aiohttp.ClientSession, live: LiveFixture) -> None:
        host = f"127.0.0.1:{live.server.port}"
        for origin in (f"https://{host}", f"http://evil.example:{live.server.port}", "null"):
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await http.ws_connect(live.server.url + "ws", headers={"Origin": origin})
        socket = await http.ws_connect(live.server.url + "ws", headers={"Origin": f"http://{host}"})
        await socket.close()
        page = await http.get(live.server.url)
        assert page.headers["Server"] == "Process Workshop"
        missing = await http.get(live.server.url + "nothing-here")
        assert "aiohttp" not in missing.headers.get("Server", "")
        assert "Python" not in missing.headers.get("Server", "")

    run(live, scenario)
