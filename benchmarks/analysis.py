"""Analysis budget: model health of a generated 10,000-node model (issue 4 target: <= 500 ms).

Prints JSON. Run: python -m benchmarks.analysis [--nodes N]
"""

from __future__ import annotations

import argparse
import json
import time

from benchmarks.generated import generated_session
from workshop.domain.model.analysis import analyse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=10_000)
    args = parser.parse_args()
    session = generated_session(args.nodes).session
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        health = analyse(session, "m")
        runs.append((time.perf_counter() - t0) * 1000)
    print(
        json.dumps(
            {
                "nodes": args.nodes,
                "flows": len(session.flows),
                "findings": len(health.findings),
                "handoff_pairs": len(health.handoffs),
                "analyse_ms_best": round(min(runs), 1),
                "analyse_ms_median": round(sorted(runs)[2], 1),
                "target_ms": 500,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
