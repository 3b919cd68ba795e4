"""Store budget: per-operation commit latency and the time to open a file with 10,000 operations;
with --large N, a long session: file size, 'workshop info' and one 'workshop apply' on N operations.

Prints JSON. Targets (issue 2): p95 <= 5 ms per committed operation, opening <= 300 ms.
Targets (issue 20), 100,000 operations and ~33,000 nodes: <= 150 MB on disk, info <= 1 s, one apply <= 0.3 s
(measured in-process, i.e. without the ~0.5 s the interpreter and imports take; the command's wall time
is printed too). Targets (issue 30): verify of 100,000 operations <= 5 s and <= 200 MB (peak resident size of
the command); at 300,000 operations one apply <= 0.3 s and info <= 0.5 s. Also the cost of a passive
checkpoint after each change (what the app does when idle). The machine's load averages are printed, since
the benchmark machine is shared.
Run: python -m benchmarks.store [--ops N] [--large N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import quantiles

from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import Operation, add, update
from workshop.domain.model.process import Flow, Lane, Node, Organization, ProcessModel
from workshop.domain.model.session import new_session
from workshop.store.sessions import create_document, open_document


def _model_with_lanes() -> list[Operation]:
    """The start of every benchmark session: one model, eight organizations, a lane each."""
    ops: list[Operation] = [add(ProcessModel(id="m", name="Bench"))]
    for i in range(8):
        ops.append(add(Organization(id=f"o{i}", name=f"Organization {i}")))
        ops.append(add(Lane(id=f"l{i}", model_id="m", organization_id=f"o{i}", index=i)))
    return ops


def _operations(count: int) -> list[Operation]:
    """A realistic mix: organizations and lanes, then nodes, flows, moves and annotations."""
    ops = _model_with_lanes()
    n = 0
    while len(ops) < count:
        kind = len(ops) % 10
        if kind < 4 or n < 2:
            ops.append(add(Node(id=f"n{n}", model_id="m", label=f"Task {n}", lane_id=f"l{n % 8}", x=n * 10.0)))
            n += 1
        elif kind < 6:
            ops.append(add(Flow(id=f"f{len(ops)}", model_id="m", source_id=f"n{n - 2}", target_id=f"n{n - 1}")))
        elif kind < 9:
            ops.append(update("node", f"n{(len(ops) * 7) % n}", x=float(len(ops)), y=float(n % 300)))
        else:
            ops.append(
                add(Annotation(id=f"a{len(ops)}", text="An observation", target_kind="node", target_id=f"n{n - 1}"))
            )
    return ops[:count]


def _large_operations(count: int) -> list[Operation]:
    """A long session: a third of the operations add nodes, a third move them, the rest flows and annotations."""
    ops = _model_with_lanes()
    n = 0
    while len(ops) < count:
        kind = len(ops) % 6
        if kind < 2 or n < 2:
            ops.append(add(Node(id=f"n{n}", model_id="m", label=f"Task {n}", lane_id=f"l{n % 8}", x=n * 10.0)))
            n += 1
        elif kind == 2:
            ops.append(add(Flow(id=f"f{len(ops)}", model_id="m", source_id=f"n{n - 2}", target_id=f"n{n - 1}")))
        elif kind < 5:
            ops.append(update("node", f"n{(len(ops) * 7) % n}", x=float(len(ops) % 100_000), y=float(n % 300)))
        else:
            ops.append(
                add(Annotation(id=f"a{len(ops)}", text="An observation", target_kind="node", target_id=f"n{n - 1}"))
            )
    return ops[:count]


def _size_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    return round(total / 1e6, 1)


def _command_seconds(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "workshop", *args], check=True, capture_output=True)
    return round(time.perf_counter() - t0, 3)


def _command_peak_mb(args: list[str]) -> tuple[float, float]:
    """Wall time and peak resident size of one ``workshop`` command in a child process of its own."""
    # VmHWM, the peak of this process's own memory: ru_maxrss would also count the benchmark's memory, which a
    # forked child carries until it starts the interpreter
    code = (
        "import re, sys, time; from workshop.cli import main; t0 = time.perf_counter(); rc = main(sys.argv[1:]); "
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1); "
        "print(time.perf_counter() - t0, hwm)"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    seconds, peak_kb = done.stdout.strip().splitlines()[-1].split()
    return round(float(seconds), 3), round(int(peak_kb) / 1024, 1)


def large(count: int) -> dict[str, object]:
    """Generate a ``count``-operation session (each operation committed, as the app does) and time the commands."""
    import importlib

    from workshop.cli import main as cli

    # the commands import what they use when they run: load it now, so the timings below are the commands' own work
    for name in (
        "workshop.cli.file",
        "workshop.domain.model.handoffs",
        "workshop.domain.research.privacy",
        "workshop.store.rescue",
    ):
        importlib.import_module(name)
    load_before = [round(x, 2) for x in os.getloadavg()]
    ops = _large_operations(count)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.workshop"
        t0 = time.perf_counter()
        document, workshop_file = create_document(path, new_session("benchmark"))
        for op in ops:
            document.apply(op)
        workshop_file.close(document.session, document.last_seq)
        generate_s = time.perf_counter() - t0
        one = Path(folder) / "one.jsonl"
        one.write_text(json.dumps({"op": "update", "kind": "node", "id": "n5", "changes": {"x": 1.5}}) + "\n")

        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli(["info", str(path), "--json"]) == 0
        info_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli(["apply", str(path), str(one)]) == 0
        apply_s = time.perf_counter() - t0
        verify_s, verify_peak_mb = _command_peak_mb(["verify", str(path)])
        return {
            "loadavg": load_before,
            "operations": count,
            "nodes": len(document.session.nodes),
            "generate_s": round(generate_s, 1),
            "file_mb": _size_mb(path),
            "info_s": round(info_s, 3),
            "apply_one_s": round(apply_s, 3),
            "info_command_wall_s": _command_seconds(["info", str(path)]),
            "apply_command_wall_s": _command_seconds(["apply", str(path), str(one)]),
            "verify_s": verify_s,
            "verify_peak_mb": verify_peak_mb,
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            "targets": {
                "file_mb": 150,
                "info_s": 1.0 if count <= 100_000 else 0.5,
                "apply_one_s": 0.3,
                "verify_s (100,000)": 5.0,
                "verify_peak_mb (100,000)": 200,
            },
        }


def _checkpoint_cost(path: Path, ops: list[Operation]) -> dict[str, float]:
    """What the app's idle checkpoint costs, measured at its most frequent: a PASSIVE checkpoint after every change.

    The app checkpoints only after 2 s without a change, so in a workshop it runs at most once per pause; this is
    the price of one, with a single change in the WAL (each change rewrites a few pages of the file).
    """
    document, workshop_file = create_document(path, new_session("checkpoint"))
    costs = []
    for op in ops:
        document.apply(op)
        t0 = time.perf_counter()
        workshop_file.checkpoint()
        costs.append((time.perf_counter() - t0) * 1000)
    workshop_file.close()
    cuts = quantiles(costs, n=100)
    return {f"p{q}": round(cuts[q - 1], 3) for q in (50, 95, 99)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=0, help="also measure a session of this many operations")
    args = parser.parse_args()
    if args.large:
        print(json.dumps(large(args.large), indent=2))
        return
    ops = _operations(args.ops)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.workshop"
        document, workshop_file = create_document(path, new_session("benchmark"))
        latencies = []
        start = time.perf_counter()
        for op in ops:
            t0 = time.perf_counter()
            document.apply(op)
            latencies.append((time.perf_counter() - t0) * 1000)
        total = time.perf_counter() - start
        workshop_file.close()  # no final snapshot: opening must cope with the ops since the last periodic one

        t0 = time.perf_counter()
        reopened, reopened_file = open_document(path)
        open_ms = (time.perf_counter() - t0) * 1000
        assert reopened.session == document.session
        reopened_file.close()
        cuts = quantiles(latencies, n=100)
        checkpoint = _checkpoint_cost(Path(folder) / "checkpointed.workshop", ops[:2000])
        print(
            json.dumps(
                {
                    "operations": len(ops),
                    "ops_per_second": round(len(ops) / total),
                    "commit_latency_ms": {f"p{q}": round(cuts[q - 1], 3) for q in (50, 95, 99)},
                    "open_ms": round(open_ms, 1),
                    "file_mb": round(path.stat().st_size / 1e6, 2),
                    "passive_checkpoint_after_each_change_ms": checkpoint,
                    "loadavg": [round(x, 2) for x in os.getloadavg()],
                    "targets": {"p95_ms": 5, "open_ms": 300},
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
