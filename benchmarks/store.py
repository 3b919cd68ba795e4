"""Store budget: per-operation commit latency and the time to open a file with 10,000 operations.

Prints JSON. Targets (issue 2): p95 <= 5 ms per committed operation, opening <= 300 ms.
Run: python -m benchmarks.store [--ops N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from statistics import quantiles

from workshop.domain.annotations import Annotation
from workshop.domain.operations import Operation, add, update
from workshop.domain.process import Flow, Lane, Node, Organization, ProcessModel
from workshop.domain.session import new_session
from workshop.store.sessions import create_document, open_document


def _operations(count: int) -> list[Operation]:
    """A realistic mix: organizations and lanes, then nodes, flows, moves and annotations."""
    ops: list[Operation] = [add(ProcessModel(id="m", name="Bench"))]
    for i in range(8):
        ops.append(add(Organization(id=f"o{i}", name=f"Organization {i}")))
        ops.append(add(Lane(id=f"l{i}", model_id="m", organization_id=f"o{i}", index=i)))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=10_000)
    args = parser.parse_args()
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
        print(
            json.dumps(
                {
                    "operations": len(ops),
                    "ops_per_second": round(len(ops) / total),
                    "commit_latency_ms": {f"p{q}": round(cuts[q - 1], 3) for q in (50, 95, 99)},
                    "open_ms": round(open_ms, 1),
                    "file_mb": round(path.stat().st_size / 1e6, 2),
                    "targets": {"p95_ms": 5, "open_ms": 300},
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
