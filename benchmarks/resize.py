"""Resizing the real window with a fitted model: how long until each resize is painted, and how often it fits.

A fit inside ``resizeEvent`` used to loop forever with some imported models (the scroll bars it made
appear resized the viewport, which fitted again). This resizes the main window, opened the way File ›
Open opens a file, through the same 22 sizes as ``tests/ui/test_fit_settles.py`` for the example and
the MIWG reference models with pools, and prints JSON: per model the slowest and the median time from
the resize until the event loop is idle with the fitted canvas painted, and the most fits one resize
caused. Load average first and last (the machine is shared).

python -m benchmarks.resize [FILE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.window import isolated_app, open_in_window, painted

ROOT = Path(__file__).resolve().parent.parent
POOLS = ["A.4.0", "B.2.0", "C.1.0", "C.4.0", "C.5.0", "C.9.2"]
SIZES = [
    (1920, 1080), (1366, 768), (1280, 720), (1024, 700), (1600, 900), (1900, 1000), (800, 600), (1440, 900),
    (1920, 1040), (1366, 740), (1500, 1000), (1000, 1000), (1910, 1075), (1280, 1024), (1680, 1050),
    (900, 700), (1920, 1080), (1365, 767), (1700, 800), (1200, 900), (1920, 1079), (1024, 768),
]  # fmt: skip


def measure(path: Path) -> dict[str, object]:
    copy = Path(tempfile.mkdtemp(prefix="bench-resize-")) / path.name
    shutil.copy(path, copy)
    window, _opened = open_in_window(copy)
    view = window.canvas_view
    assert view is not None
    fits: list[int] = []
    view.fitted.connect(lambda: fits.append(1))
    times: list[float] = []
    most_fits = 0
    for size in SIZES:
        fits.clear()
        started = time.perf_counter()
        window.resize(*size)
        painted(window)
        times.append((time.perf_counter() - started) * 1000)
        most_fits = max(most_fits, len(fits))
    window.close()
    return {
        "model": path.name,
        "resizes": len(SIZES),
        "slowest_resize_painted_ms": round(max(times), 1),
        "median_resize_painted_ms": round(statistics.median(times), 1),
        "most_fits_per_resize": most_fits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or [
        ROOT / "models" / "contact-processing.json",
        *(ROOT / "tests" / "data" / "bpmn-miwg" / "reference" / f"{name}.bpmn" for name in POOLS),
    ]
    load_before = os.getloadavg()
    isolated_app()
    results = [measure(path) for path in files]
    print(json.dumps({"load_before": load_before, "load_after": os.getloadavg(), "models": results}, indent=2))


if __name__ == "__main__":
    main()
