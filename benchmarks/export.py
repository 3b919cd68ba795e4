"""Export budget: the PDF report and the CSV/JSON data of a generated session with 1,000 annotations.

Targets: a 2,000-node report <= 3 s (issue 7); a 20,000-node report <= 10 s and the process's peak
resident memory <= 500 MB (issue 13); 20,000 <= 10 s and 60,000 <= 30 s within 400 MB while the report is
made (issue 32: ``report_peak_rss_mb``, the session included as the app holds it). Prints JSON with the load
average. Run it alone: the peak is the process's own.

    python -m benchmarks.export                    # 2,000 nodes
    python -m benchmarks.export --nodes 20000      # the issue-13 budget
    python -m benchmarks.export --nodes 60000      # issue 32
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generated import generated_session
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.record import SessionRecord
from workshop.interchange.bpmn_export import export_bpmn
from workshop.interchange.data_export import write_csv, write_json
from workshop.interchange.report_pdf import write_report


def _peak_rss_mb() -> int:
    """The process's peak resident set so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--annotations", type=int, default=1000)
    args = parser.parse_args()
    session = generated_session(args.nodes).session
    kinds = ("comment", "problem", "idea", "question", "requirement")
    for i in range(args.annotations):
        session.annotations[f"a{i}"] = Annotation(
            id=f"a{i}",
            annotation_kind=kinds[i % 5],
            text=f"Observation number {i} about task {i % args.nodes}",
            target_kind="node",
            target_id=f"n{i % args.nodes}",
        )
    record = SessionRecord(session)
    session_peak = _peak_rss_mb()
    pdf = io.BytesIO()
    t0, c0 = time.perf_counter(), time.process_time()
    write_report(record, pdf)
    report_s, report_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    report_peak = _peak_rss_mb()  # the session is in memory as in the app; the other exports come after
    t0 = time.perf_counter()
    export_bpmn(session, io.BytesIO())
    bpmn_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_json(record, io.BytesIO())
    json_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        write_csv(record, Path(folder) / "tables.zip")
        csv_s = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "nodes": args.nodes,
                "annotations": args.annotations,
                "report_s": round(report_s, 2),
                "report_cpu_s": round(report_cpu_s, 2),  # what the machine's other load does not change
                "report_kb": len(pdf.getvalue()) // 1024,
                "bpmn_s": round(bpmn_s, 2),
                "json_s": round(json_s, 2),
                "csv_s": round(csv_s, 2),
                "target_report_s": 3 if args.nodes <= 2000 else (10 if args.nodes <= 20000 else 30),
                "session_peak_rss_mb": session_peak,
                "report_peak_rss_mb": report_peak,
                "target_report_peak_rss_mb": 400,
                "report_pages": pdf.getvalue().count(b"/Type /Page\n"),
                "loadavg": [round(x, 2) for x in os.getloadavg()],
                "peak_rss_mb": _peak_rss_mb(),
                "target_peak_rss_mb": 500,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
