"""Main-thread time per participant contribution in the real window, with every panel open.

A room's phones send annotations one after another; each is applied on the
main thread and acknowledged only then, so every panel that rebuilds on each
one delays every phone. This opens the full main window (all docks) on the
example session, adds ``--count`` annotations as the participant server would
(``Document.apply`` as a participant), and after each runs the event loop until
every view's deferred refresh has run and is painted (what the facilitator
waits for: :func:`workshop.ui.throttle.views_settled`). Prints JSON with the
load average: per contribution the wall time until settled (p50, p95, max) and
the main thread's own CPU time in it (the cost, without the throttle's waits).

QT_QPA_PLATFORM=offscreen python -m benchmarks.window_annotations --count 300
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.window import show_every_panel
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import participant_actor
from workshop.domain.model.operations import add
from workshop.resources import example_session_path
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.app import application, load_fonts
from workshop.ui.throttle import views_settled
from workshop.ui.window.main_window import open_window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    os.environ["WORKSHOP_CONFIG_DIR"] = tempfile.mkdtemp()
    app = application()
    load_fonts()
    document, workshop_file = create_document(
        Path(tempfile.mkdtemp()) / "bench.workshop", load_session_json(example_session_path())
    )
    workshop_file.close(document.session, document.last_seq)
    opened = open_window(workshop_file.path)  # the app's own open path
    assert opened is not None
    window, document = opened, opened.document
    window.resize(1920, 1080)
    show_every_panel(window)  # the worst case: no mode hides a panel
    app.processEvents()
    person = next(iter(document.session.participants))
    times: list[float] = []
    busy: list[float] = []
    load_before = os.getloadavg()
    started = time.perf_counter()
    for number in range(args.count):
        note = Annotation(
            id=f"bench-{number}",
            annotation_kind="idea",
            text=f"Idea {number} from a phone",
            target_kind="node",
            target_id="n-contact",
            author_id=person,
            created=datetime.now(UTC),
        )
        before, cpu_before = time.perf_counter(), time.thread_time()
        document.apply(add(note), actor=participant_actor(person))
        app.processEvents()  # the panels' own reaction to this one, as the event loop would run it
        while not views_settled():  # a throttled panel refreshes later: the person waits for that too
            time.sleep(0.001)  # waiting, not spinning: the CPU figure is the views' own work
            app.processEvents()
        app.processEvents()  # and its paint
        times.append((time.perf_counter() - before) * 1000)
        busy.append((time.thread_time() - cpu_before) * 1000)
    total = time.perf_counter() - started
    print(
        json.dumps(
            {
                "annotations": args.count,
                "load_before": load_before,
                "load_after": os.getloadavg(),
                "until_settled_and_painted_ms_p50": round(statistics.median(times), 2),
                "until_settled_and_painted_ms_p95": round(statistics.quantiles(times, n=20)[18], 2),
                "until_settled_and_painted_ms_max": round(max(times), 2),
                "main_thread_cpu_ms_p50": round(statistics.median(busy), 2),
                "main_thread_cpu_ms_p95": round(statistics.quantiles(busy, n=20)[18], 2),
                "main_thread_cpu_ms_max": round(max(busy), 2),
                "last_ten_ms": [round(t, 2) for t in times[-10:]],
                "total_s": round(total, 2),
            }
        )
    )
    window.close()


if __name__ == "__main__":
    main()
