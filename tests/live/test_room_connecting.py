"""A room scanning the code at once: every connection is held while the server's loop is busy, none dropped."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import aiohttp
import pytest

from tests.live.harness import LiveFixture
from workshop.live.server import LISTEN_BACKLOG


@pytest.fixture
def live() -> Iterator[LiveFixture]:
    fixture = LiveFixture()
    yield fixture
    fixture.close()


def test_three_hundred_phones_connecting_while_the_loop_is_busy_are_all_held(live: LiveFixture) -> None:
    """Past the listen backlog the system drops a connection and the phone retries a second later, then three.

    The server's loop is kept busy (as by a burst of joins) while 300 connections open; each must complete its
    handshake at once, held by the system until the loop takes it.
    """
    assert LISTEN_BACKLOG >= 300
    loop = live.server._loop
    assert loop is not None
    busy = threading.Event()

    def block() -> None:
        busy.set()
        time.sleep(1.5)

    loop.call_soon_threadsafe(block)
    assert busy.wait(5)
    sockets = []
    started = time.monotonic()
    try:
        for _ in range(300):
            phone = socket.create_connection(("127.0.0.1", live.server.port), timeout=0.9)
            sockets.append(phone)  # a dropped connection would wait a second for its retry: the timeout fails it
        assert time.monotonic() - started < 1.4, "every connection completed while the loop was still busy"
    finally:
        for phone in sockets:
            phone.close()


def test_a_page_welcomed_after_many_changes_holds_what_a_fresh_snapshot_holds(live: LiveFixture) -> None:
    """The welcome's elements are kept by the records' changes; they must equal the session's public view."""
    from tests.live.test_server import joined, run, until
    from workshop.domain.model.annotations import Annotation
    from workshop.domain.model.operations import add, remove, update
    from workshop.live import public_view

    async def scenario(http: aiohttp.ClientSession, fixture: LiveFixture) -> None:
        await joined(http, fixture, name="First Phone")  # its welcome makes the kept elements
        node_id = next(iter(fixture.document.session.nodes))
        fixture.apply(
            add(Annotation(id="idea-w1", annotation_kind="idea", text="one", target_kind="node", target_id=node_id))
        )
        fixture.apply(add(Annotation(id="idea-w2", annotation_kind="idea", text="two")))
        fixture.apply(update("node", node_id, label="Renamed step", x=900.0))
        fixture.apply(remove("annotation", "idea-w2"))
        await until(lambda: fixture.server._copy.seq == fixture.document.last_seq)
        later = await joined(http, fixture, name="Later Phone")
        expected = public_view.snapshot(fixture.server._copy.session, 0, None)["elements"]
        assert later.welcome["elements"] == json.loads(json.dumps(expected))
        assert "idea-w2" not in later.welcome["elements"]["annotation"]

    run(live, scenario)
