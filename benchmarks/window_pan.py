"""Panning in the real main window (every dock open, the Overview included) on a generated model.

Opens the full window on a generated session of ``--nodes`` nodes, zooms the
canvas to 100 %, then scrolls it step by step; each step is timed until the
canvas and the Overview have repainted. Prints JSON: pan p50/p95 in ms.

QT_QPA_PLATFORM=offscreen python -m benchmarks.window_pan --nodes 10000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.generated import generated_session
from workshop.store.sessions import create_document
from workshop.ui.app import application, load_fonts
from workshop.ui.window.main_window import MainWindow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args()
    os.environ["WORKSHOP_CONFIG_DIR"] = tempfile.mkdtemp()
    app = application()
    load_fonts()
    session = generated_session(args.nodes).session
    document, workshop_file = create_document(Path(tempfile.mkdtemp()) / "pan.workshop", session)
    window = MainWindow(document, workshop_file)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    view = window.canvas_view
    assert view is not None
    view.zoom_actual()
    app.processEvents()
    bar = view.horizontalScrollBar()
    times = []
    for step in range(args.steps):
        started = time.perf_counter()
        bar.setValue(bar.value() + 40 * (1 if step % 20 < 10 else -1))
        view.viewport().repaint()
        window.minimap.repaint()
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "nodes": args.nodes,
                "pan_ms_p50": round(statistics.median(times), 2),
                "pan_ms_p95": round(statistics.quantiles(times, n=20)[18], 2),
            }
        )
    )
    window.close()


if __name__ == "__main__":
    main()
