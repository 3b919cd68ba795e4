"""What a busy second Python thread does to the main thread's durable commits, per switch interval.

The participant server's loop runs Python on its own thread. A commit gives the interpreter lock up for its
fsync and then waits for the other thread to reach its switch interval before it runs on: 5 ms by default.
This measures one commit (WAL, ``synchronous=FULL``, as the ``.workshop`` file) while another thread counts,
at the default interval and at the one the bridge sets (``SWITCH_INTERVAL``), interleaved, as JSON.

    python -m benchmarks.gil_commit
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

COMMITS = 200
SWITCH_INTERVAL = 0.0005
"""As ``workshop.ui.participation.bridge.SWITCH_INTERVAL`` (not imported: this runs without Qt)."""


def commit_times(interval: float, folder: Path, name: str) -> list[float]:
    """Milliseconds per commit while another thread runs Python flat out."""
    sys.setswitchinterval(interval)
    running = [True]

    def busy() -> None:
        count = 0
        while running[0]:
            count += 1

    other = threading.Thread(target=busy)
    other.start()
    db = sqlite3.connect(folder / f"{name}.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE ops (seq INTEGER)")
    times = []
    for seq in range(COMMITS):
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO ops VALUES (?)", (seq,))
        db.execute("COMMIT")
        times.append((time.perf_counter() - started) * 1000)
    running[0] = False
    other.join()
    db.close()
    return times


def main() -> int:
    default = sys.getswitchinterval()
    results: dict[str, list[float]] = {str(default): [], str(SWITCH_INTERVAL): []}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(2):
            for interval in (default, SWITCH_INTERVAL):
                results[str(interval)] += commit_times(interval, Path(folder), f"commits-{round_}-{interval}")
    sys.setswitchinterval(default)
    summary: dict[str, dict[str, float]] = {}
    for label, times in results.items():
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        summary[label] = {"p50_ms": round(cuts[49], 2), "p95_ms": round(cuts[94], 2), "n": len(times)}
    print(
        json.dumps(
            {
                "commit_while_another_thread_runs": summary,
                "loadavg_before": [round(v, 2) for v in load_before],
                "loadavg_after": [round(v, 2) for v in os.getloadavg()],
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
