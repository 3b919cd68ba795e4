"""Canvas budget: generated models of 500, 2,000 and 10,000 nodes in 8 lanes, drawn offscreen.

Prints JSON per size: open-to-first-paint ms (document -> scene -> first rendered frame),
zoom-to-fit render ms, pan frame p50/p95 ms at 100 %, one-node drag frame ms, RSS MB.
Targets at 10,000 nodes (issue 3): first paint <= 2 s, pan p95 <= 16 ms, fit <= 250 ms.
Run: python -m benchmarks.canvas [--sizes 500 2000 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from statistics import quantiles

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from benchmarks.generated import generated_session
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.canvas_view import CanvasView
from workshop.ui.themes import THEMES


def render(view: CanvasView, image: QImage) -> float:
    t0 = time.perf_counter()
    painter = QPainter(image)
    view.render(painter)
    painter.end()
    return (time.perf_counter() - t0) * 1000


def measure(nodes: int) -> dict[str, float]:
    app = QApplication.instance() or QApplication([])
    document = generated_session(nodes)
    image = QImage(1600, 900, QImage.Format.Format_ARGB32_Premultiplied)
    t0 = time.perf_counter()
    scene = CanvasScene(document, "m", THEMES["light"])
    view = CanvasView(scene)
    view.resize(1600, 900)
    app.processEvents()  # builds the scene's spatial index (the first paint pays for it otherwise)
    view.centerOn(800, 450)
    render(view, image)
    first_paint = (time.perf_counter() - t0) * 1000

    view.zoom_to_fit()
    fit = min(render(view, image) for _ in range(3))

    view.resetTransform()
    view.centerOn(0, 0)
    frames = []
    for step in range(60):
        view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 40)
        if step % 10 == 0:
            view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 20)
        frames.append(render(view, image))
    cuts = quantiles(frames, n=20)

    item = scene.node_items["n0"]
    view.centerOn(item.pos())
    drags = []
    for step in range(20):
        t1 = time.perf_counter()
        item.setPos(item.pos() + QPointF(10, 0 if step % 2 else 10))
        render(view, image)
        drags.append((time.perf_counter() - t1) * 1000)
    scene.detach()
    return {
        "nodes": nodes,
        "flows": len(document.session.flows),
        "first_paint_ms": round(first_paint, 1),
        "fit_render_ms": round(fit, 1),
        "pan_frame_p50_ms": round(cuts[9], 2),
        "pan_frame_p95_ms": round(cuts[18], 2),
        "drag_frame_ms": round(sorted(drags)[len(drags) // 2], 2),
        "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10_000])
    args = parser.parse_args()
    results = [measure(n) for n in args.sizes]
    print(
        json.dumps(
            {"results": results, "targets_10k": {"first_paint_ms": 2000, "pan_p95_ms": 16, "fit_ms": 250}}, indent=2
        )
    )


if __name__ == "__main__":
    main()
