"""Latency of live participation on loopback, through the real path, printed as JSON.

Simulated participants join the participant server over HTTP and send ideas
over WebSockets; the server hands each operation to the Qt main thread
through the bridge's queued signal, where ``Document.apply`` runs while the
facilitator keeps editing (a node moves every 20 ms). Three figures, each as
p50/p95/p99 in milliseconds:

* ``send_to_applied``: from a participant's send to the operation applied on
  the facilitator's side (the document's subscriber runs);
* ``send_to_acknowledged``: from the send to the sender's page holding its
  acknowledgement (committed to the file, then told) — what the person
  waits for, and what the target is about;
* ``send_to_broadcast``: from the send to the change reaching each *other*
  participant's page.

Scenarios: ``room`` (30 participants, each sending 20 ideas at human pace,
one every 0.1-0.5 s), ``crowd`` (100 participants x 50 ideas, one every
0.2-0.6 s each: about 250 contributions a second), ``flood`` (100 x 50
sent as fast as the sockets take them: a saturation test whose latency is
queueing) and ``join`` (300 phones joining at once, one idea each: ``join_ms``
from the join request to its token). Targets: acknowledged p95 <= 50 ms in
the room and the crowd; join p95 <= 1 s with nobody lost; in every scenario
no contribution waits more than 10 s for its acknowledgement
(``max_ack_ms``, ``unacknowledged``). The simulated pages run in two
processes of their own (real phones do not share the app's interpreter), on
the same machine (they do share its cores). Every run works on a real
``.workshop`` file, through the bridge's ``Document.apply_all`` as the app
does; the JSON names the machine's load average (``os.getloadavg()``) before
and after, since other work on a shared machine moves every figure.

    python benchmarks/live.py [--scenario room|crowd|flood|join|all] [--window] [--profile FILE]

``--window`` runs the whole app: the main window with every panel open, on a
session file that already holds 1,000 annotations, so every panel's reaction
to each contribution is in the measurement (as it is in a room).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import multiprocessing
import multiprocessing.queues
import os
import queue
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.operations import update
from workshop.domain.model.session import Session
from workshop.live.security import SecurityPolicy
from workshop.resources import example_session_path
from workshop.ui.participation.bridge import ParticipationBridge

TARGET_P95_MS = 50.0
CLIENT_PROCESSES = 2
NODES = ["n-contact", "n-which", "n-a-register", "n-a-local"]


@dataclass
class Scenario:
    name: str
    participants: int
    contributions: int
    pause: tuple[float, float] | None
    """Seconds between one participant's sends (uniform), or None for as fast as possible."""


SCENARIOS = {
    "room": Scenario("room", 30, 20, (0.1, 0.5)),
    "crowd": Scenario("crowd", 100, 50, (0.2, 0.6)),
    "flood": Scenario("flood", 100, 50, None),
    "join": Scenario("join", 300, 1, (0.0, 0.0)),
}
TARGET_JOIN_P95_MS = 1000.0
LONGEST_WAIT_MS = 10_000.0
"""No contribution may wait longer than this for its acknowledgement while the server is up."""


@dataclass
class Timings:
    sent: dict[str, float] = field(default_factory=dict)
    """idempotency key -> send time"""
    ids: dict[str, str] = field(default_factory=dict)
    """annotation id -> key"""
    owner: dict[str, int] = field(default_factory=dict)
    """key -> participant number"""
    applied: dict[str, float] = field(default_factory=dict)
    """annotation id -> applied time"""
    acked: dict[str, float] = field(default_factory=dict)
    """idempotency key -> time the sender's page got its acknowledgement"""
    seen: list[tuple[int, str, float]] = field(default_factory=list)
    """(participant number, annotation id, time a change carrying it arrived)"""
    joins: list[float] = field(default_factory=list)
    """Seconds from each join request to its token."""


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "n": 0}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2), "n": len(samples)}


async def participant(
    http: aiohttp.ClientSession,
    url: str,
    code: str,
    number: int,
    scenario: Scenario,
    timings: Timings,
    start_at: float,
) -> None:
    asked = time.monotonic()
    response = await http.post(
        url + "api/join", json={"code": code, "name": f"Person {number}", "organization_id": "org-a"}
    )
    token = (await response.json())["token"]
    timings.joins.append(time.monotonic() - asked)
    socket = await http.ws_connect(url + "ws", max_msg_size=0)
    await socket.send_str(json.dumps({"type": "hello", "token": token}))
    acks = 0
    done = asyncio.Event()

    async def read() -> None:
        nonlocal acks
        async for frame in socket:
            now = time.monotonic()
            message = json.loads(frame.data)
            if message["type"] == "ack":
                timings.ids[message["id"]] = message["key"]
                timings.acked[message["key"]] = now
                acks += 1
            elif message["type"] == "changes":
                for change in message["changes"]:
                    if change["kind"] == "annotation":
                        timings.seen.append((number, change["id"], now))
            if acks == scenario.contributions:
                done.set()

    reader = asyncio.create_task(read())
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))  # everybody has joined before measuring
    for i in range(scenario.contributions):
        key = f"p{number}-{i}"
        message = {
            "type": "annotate",
            "key": key,
            "target_kind": "node",
            "target_id": NODES[i % len(NODES)],
            "annotation_kind": "idea",
            "text": f"idea {i} of person {number}",
        }
        timings.owner[key] = number
        timings.sent[key] = time.monotonic()
        await socket.send_str(json.dumps(message))
        if scenario.pause:
            await asyncio.sleep(random.uniform(*scenario.pause))
    await asyncio.wait_for(done.wait(), timeout=120)
    await asyncio.sleep(0.5)  # the last broadcasts
    await socket.close()
    reader.cancel()


def client_process(url: str, code: str, numbers: list[int], scenario_name: str, start_at: float, results: Any) -> None:
    """Simulated phones in a process of their own, so their JSON parsing does not hold the server's interpreter."""
    scenario = SCENARIOS[scenario_name]
    timings = Timings()

    async def clients() -> None:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await asyncio.gather(*(participant(http, url, code, n, scenario, timings, start_at) for n in numbers))

    try:
        asyncio.run(clients())
        results.put(
            {
                "sent": timings.sent,
                "ids": timings.ids,
                "owner": timings.owner,
                "seen": timings.seen,
                "acked": timings.acked,
                "joins": timings.joins,
            }
        )
    except BaseException as error:
        results.put({"error": repr(error)})


def make_document(folder: Path, window: bool = False) -> tuple[Document, str, Any]:
    session = Session.model_validate_json(example_session_path().read_text(encoding="utf-8"))
    if window:
        from datetime import UTC, datetime

        from benchmarks.window import show_every_panel
        from workshop.domain.model.annotations import Annotation
        from workshop.store.sessions import create_document
        from workshop.ui.window.main_window import open_window

        for number in range(1000):  # a session well into its day
            note = Annotation(
                id=f"earlier-{number}",
                annotation_kind="idea",
                text=f"An earlier idea, number {number}",
                target_kind="node",
                target_id=NODES[number % len(NODES)],
                created=datetime.now(UTC),
            )
            session.annotations[note.id] = note
        document, workshop_file = create_document(folder / "bench.workshop", session)
        workshop_file.close(document.session, document.last_seq)
        main_window = open_window(folder / "bench.workshop")  # the app's own open path
        assert main_window is not None
        main_window.resize(1920, 1080)
        show_every_panel(main_window)  # the worst case: no mode hides a panel
        described = "the main window with every panel, 1,000 annotations, sqlite .workshop file"
        return main_window.document, described, main_window
    from workshop.store.sessions import create_document

    document, _file = create_document(folder / "bench.workshop", session)
    return document, "sqlite .workshop file", None


def run(scenario: Scenario, window: bool = False, profile: str | None = None) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([])
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        document, storage, main_window = make_document(Path(folder), window)
        timings = Timings()
        document.subscribe(lambda record: _on_applied(record, timings))
        policy = SecurityPolicy(
            max_participants=1000,
            new_participants_per_window=1000,
            contribution_burst=1000,
            contributions_per_second=1000,
        )
        bridge = ParticipationBridge(document, policy=policy)
        server = bridge.open()
        edits = 0

        def facilitator_edit() -> None:
            nonlocal edits
            edits += 1
            document.apply(update("node", "n-contact", x=100.0 + edits % 40))

        editing = QTimer()
        editing.timeout.connect(facilitator_edit)
        editing.start(20)
        groups = [list(range(scenario.participants))[k::CLIENT_PROCESSES] for k in range(CLIENT_PROCESSES)]
        context = multiprocessing.get_context("spawn")
        results: multiprocessing.queues.Queue[dict[str, Any]] = context.Queue()
        start_at = time.monotonic() + 4.0 + scenario.participants * 0.01
        workers = [
            context.Process(
                target=client_process, args=(server.url, server.join_code, group, scenario.name, start_at, results)
            )
            for group in groups
        ]
        for worker in workers:
            worker.start()
        collected: list[dict[str, Any]] = []

        def collect() -> None:
            while True:
                try:
                    collected.append(results.get_nowait())
                except queue.Empty:
                    break
            if len(collected) == len(workers) or (not any(w.is_alive() for w in workers) and results.empty()):
                app.quit()

        started = time.monotonic()
        poll = QTimer()
        poll.timeout.connect(collect)
        poll.start(20)
        profiler = cProfile.Profile() if profile else None
        if profiler is not None:
            profiler.enable()
        app.exec()
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(f"{profile}.{scenario.name}" if profile else "")
        elapsed = time.monotonic() - started
        editing.stop()
        poll.stop()
        bridge.close()
        for worker in workers:
            worker.join(10)
        if main_window is not None:
            main_window.close()
    failures = [c["error"] for c in collected if c.get("error")]
    if failures or len(collected) != len(workers):
        raise RuntimeError(f"simulated participants failed: {failures or 'a client process died'}")
    for part in collected:
        timings.sent.update(part["sent"])
        timings.ids.update(part["ids"])
        timings.owner.update(part["owner"])
        timings.seen.extend(part["seen"])
        timings.acked.update(part["acked"])
        timings.joins.extend(part["joins"])
    to_applied = [
        (timings.applied[aid] - timings.sent[key]) * 1000 for aid, key in timings.ids.items() if aid in timings.applied
    ]
    to_broadcast = [
        (when - timings.sent[timings.ids[aid]]) * 1000
        for number, aid, when in timings.seen
        if aid in timings.ids and timings.owner[timings.ids[aid]] != number
    ]
    broadcast = percentiles(to_broadcast)
    waits = [(when - timings.sent[key]) * 1000 for key, when in timings.acked.items()]
    acknowledged = percentiles(waits)
    joins = percentiles([seconds * 1000 for seconds in timings.joins])
    unacknowledged = len(set(timings.sent) - set(timings.acked))
    longest = round(max(waits, default=0.0), 1)
    met = acknowledged["p95"] <= TARGET_P95_MS if scenario.name != "join" else joins["p95"] <= TARGET_JOIN_P95_MS
    return {
        "scenario": scenario.name,
        "participants": scenario.participants,
        "contributions": len(to_applied),
        "facilitator_edits": edits,
        "storage": storage,
        "seconds": round(elapsed, 2),
        "send_to_applied_ms": percentiles(to_applied),
        "send_to_acknowledged_ms": acknowledged,
        "send_to_broadcast_ms": broadcast,
        "join_ms": joins,
        "joined": len(timings.joins),
        "max_ack_ms": longest,
        "unacknowledged": unacknowledged,
        "target_p95_ms": TARGET_JOIN_P95_MS if scenario.name == "join" else TARGET_P95_MS,
        "met": met
        and unacknowledged == 0
        and longest <= LONGEST_WAIT_MS
        and len(timings.joins) == scenario.participants,
        "loadavg_before": [round(v, 2) for v in load_before],
        "loadavg_after": [round(v, 2) for v in os.getloadavg()],
    }


def _on_applied(record: LogRecord, timings: Timings) -> None:
    now = time.monotonic()
    if record.actor.startswith("participant:"):
        for op in record.op.primitives():
            if op.op == "add" and op.kind == "annotation":
                timings.applied[str(op.data["id"])] = now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--window", action="store_true", help="the real main window with every panel open")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the main thread's event loop to FILE")
    args = parser.parse_args()
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    results = [run(SCENARIOS[name], args.window, args.profile) for name in names]
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
