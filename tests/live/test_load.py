"""Load on loopback: 100 participants x 50 contributions while the facilitator edits.

Every acknowledged contribution must be in the op log exactly once, also
when some participants lose their connection and resend what they had not
seen acknowledged.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import aiohttp
import pytest

from tests.live.harness import LiveFixture
from workshop.domain.model.document import LogRecord
from workshop.domain.model.operations import update
from workshop.live.security import SecurityPolicy

PARTICIPANTS = 100
CONTRIBUTIONS = 50
NODES = ["n-contact", "n-which", "n-a-register", "n-a-local"]


async def one_participant(http: aiohttp.ClientSession, live: LiveFixture, number: int) -> dict[str, str]:
    """Join, send 50 ideas without waiting, drop the line halfway (some), resend all unacknowledged."""
    response = await http.post(
        live.server.url + "api/join",
        json={"code": live.server.join_code, "name": f"Person {number}", "organization_id": "org-a"},
    )
    token = (await response.json())["token"]
    messages = {
        f"p{number}-{i}": {
            "type": "annotate",
            "key": f"p{number}-{i}",
            "target_kind": "node",
            "target_id": NODES[i % len(NODES)],
            "annotation_kind": "idea",
            "text": f"idea {i} of person {number}",
        }
        for i in range(CONTRIBUTIONS)
    }
    acked: dict[str, str] = {}
    drop_after = CONTRIBUTIONS // 2 if number % 10 == 0 else None
    while len(acked) < CONTRIBUTIONS:
        socket = await http.ws_connect(live.server.url + "ws", max_msg_size=0)
        await socket.send_str(json.dumps({"type": "hello", "token": token}))
        for key, message in messages.items():
            if key not in acked:  # what the page still shows as pending
                await socket.send_str(json.dumps(message))
        async for frame in socket:
            reply = json.loads(frame.data)
            if reply["type"] == "ack":
                acked[reply["key"]] = reply["id"]
            elif reply["type"] == "nack":
                raise AssertionError(reply)
            if len(acked) == CONTRIBUTIONS or (drop_after is not None and len(acked) >= drop_after):
                break
        drop_after = None
        await socket.close()
    return acked


def facilitator_edits(live: LiveFixture, stop: asyncio.Event) -> int:
    edits = 0
    while not stop.is_set():
        live.apply(update("node", "n-contact", x=100.0 + edits % 50))
        edits += 1
    return edits


@pytest.mark.slow
@pytest.mark.timeout(300)  # 5,000 contributions; slow on a loaded 2-core machine
def test_every_acknowledged_contribution_is_in_the_log_exactly_once() -> None:
    live = LiveFixture(policy=SecurityPolicy(max_participants=1000, new_participants_per_window=1000))
    records: list[LogRecord] = []
    live.document.subscribe(records.append)

    async def main() -> tuple[list[dict[str, str]], int]:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        editing = loop.run_in_executor(None, facilitator_edits, live, stop)
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            results = await asyncio.wait_for(
                asyncio.gather(*(one_participant(http, live, n) for n in range(PARTICIPANTS))), timeout=120
            )
        stop.set()
        return list(results), await editing

    try:
        results, edits = asyncio.run(main())
        on_disk = live.records_on_disk()
    finally:
        live.close()
    assert [(r.seq, r.op) for r in on_disk] == [(r.seq, r.op) for r in records], "what was told is what is on disk"
    acked_ids = [annotation_id for acked in results for annotation_id in acked.values()]
    assert len(acked_ids) == PARTICIPANTS * CONTRIBUTIONS
    added = Counter(
        op.data["id"]
        for record in records
        if record.actor.startswith("participant:")
        for op in record.op.primitives()
        if op.op == "add" and op.kind == "annotation"
    )
    assert all(added[annotation_id] == 1 for annotation_id in acked_ids)
    assert sum(added.values()) == len(acked_ids)  # nothing was applied twice or without an acknowledgement
    assert edits > 0
    assert [r.seq for r in records] == list(range(1, len(records) + 1))
