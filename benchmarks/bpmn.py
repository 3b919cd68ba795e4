"""BPMN import and export times for generated collaborations of 2,000 / 9,000 / 20,000 tasks.

The generated session (benchmarks/generated.py: 8 organizations, chained
tasks, handoffs between them) is exported to BPMN with diagram interchange,
and that file imported again (a collaboration of 8 pools with message flows).
Prints JSON. Run: python -m benchmarks.bpmn [--tasks 2000 9000 20000]
"""

from __future__ import annotations

import argparse
import io
import json
import time

from benchmarks.generated import generated_session
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.bpmn_import import import_bpmn


def measure(tasks: int) -> dict[str, object]:
    """One size: export seconds, file size, import seconds and what the import counted."""
    session = generated_session(tasks).session
    stream = io.BytesIO()
    t0 = time.perf_counter()
    export_bpmn(session, stream)
    export_s = time.perf_counter() - t0
    data = stream.getvalue()
    t0 = time.perf_counter()
    result = import_bpmn(data, source_name=f"generated-{tasks}.bpmn")
    import_s = time.perf_counter() - t0
    counts = result.counts()
    return {
        "tasks": tasks,
        "export_s": round(export_s, 2),
        "bpmn_mb": round(len(data) / 1e6, 1),
        "import_s": round(import_s, 2),
        "source_elements": counts["source_elements"],
        "silent": counts["silent"],
        "reported": counts["reported"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, nargs="+", default=[2000, 9000, 20000])
    args = parser.parse_args()
    print(json.dumps([measure(n) for n in args.tasks], indent=2))


if __name__ == "__main__":
    main()
