"""The real main window on generated sessions: what a facilitator feels at 1k to 20k nodes.

For each size, a generated session (benchmarks/generated.py: 8 lanes, chained
tasks, handoffs) is saved as a ``.workshop`` file; a fresh process then opens
it through the app's own open path with the default docks and panels (the
Overview included) and drives it with real Qt events:

* ``open_ms``: File › Open → the fitted model painted;
* ``pan_p95_100_ms`` / ``pan_p95_twice_fit_ms``: one scroll step that moves the
  canvas → what Qt invalidated painted, at 100 % and at twice the fitted zoom
  (half the model in sight); ``pan_full_repaint_*`` the same with the whole
  canvas and Overview painted again each step (the worst case). At the fitted
  zoom a scroll step moves nothing (the whole model is in sight), so there
  ``full_repaint_p95_fit_ms`` times the whole canvas and Overview painted again;
* ``zoom_to_fit_ms``: the Zoom to fit action → painted;
* ``drag_release_ms``: a node dragged with the mouse, from the release → painted;
* ``enter_label_ms``: Enter in the in-place label editor → painted;
* ``select_all_ms``: Edit › Select all → painted;
* ``undo_layout_ms``: undo of a 500-node layout → painted;
* ``stall_after_edit_ms``: the longest time the event loop could not answer in
  the 1.5 s after an edit (a panel recomputing on the main thread);
* ``rss_mb`` / ``rss_peak_mb``: resident memory after all that.

Each size runs in its own process, so memory and caches do not carry over.

python -m benchmarks.app [--sizes 1000,2000,5000,10000,20000]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.window import isolated_app, longest_stall_ms, ms_since, open_in_window, painted, repainted, rss_mb

PAN_STEPS = 60


def saved_session(nodes: int) -> Path:
    """The generated session of ``nodes`` nodes as a closed .workshop file."""
    from benchmarks.generated import generated_session
    from workshop.store.sessions import create_document

    session = generated_session(nodes).session
    path = Path(tempfile.mkdtemp(prefix="bench-app-")) / f"generated-{nodes}.workshop"
    document, workshop_file = create_document(path, session)
    workshop_file.close(document.session, document.last_seq)
    return path


def _pan_p95(window: Any, frame: Callable[[Any], None]) -> float:
    """p95 of one horizontal scroll step until ``frame`` says it is on screen (a step that moves the canvas)."""
    view = window.canvas_view
    bar = view.horizontalScrollBar()
    if bar.maximum() <= bar.minimum():
        raise RuntimeError("the canvas cannot scroll at this zoom: a pan here would time nothing")
    step = max(1, min(40, (bar.maximum() - bar.minimum()) // (PAN_STEPS // 2) or 1))
    times = []
    for number in range(PAN_STEPS):
        started = time.perf_counter()
        bar.setValue(bar.value() + step * (1 if number % 20 < 10 else -1))
        frame(window)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.quantiles(times, n=20)[18], 2)


def _repaint_p95(window: Any) -> float:
    """p95 of the whole canvas and Overview painted again, where they are (a frame of the worst kind)."""
    times = []
    for _ in range(PAN_STEPS):
        started = time.perf_counter()
        repainted(window)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.quantiles(times, n=20)[18], 2)


def _mouse(view: Any, kind: Any, point: Any, buttons: Any) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    local = QPointF(point)
    event = QMouseEvent(
        kind,
        local,
        QPointF(view.viewport().mapToGlobal(point)),
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def _drag_release_ms(window: Any, node_id: str) -> float:
    """Drag ``node_id`` 60 units right with the mouse; the time from the release until it is painted."""
    from PySide6.QtCore import QEvent, QPoint, Qt

    view = window.canvas_view
    scene = view.canvas_scene()
    item = scene.node_items[node_id]
    view.centerOn(item.sceneBoundingRect().center())
    painted(window)
    start = view.mapFromScene(item.scene_rect().center())
    left = Qt.MouseButton.LeftButton
    _mouse(view, QEvent.Type.MouseButtonPress, start, left)
    for dx in range(10, 70, 10):
        _mouse(view, QEvent.Type.MouseMove, start + QPoint(dx, 0), left)
    started = time.perf_counter()
    _mouse(view, QEvent.Type.MouseButtonRelease, start + QPoint(60, 0), Qt.MouseButton.NoButton)
    painted(window)
    return ms_since(started)


def _enter_label_ms(window: Any, node_id: str) -> float:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    view = window.canvas_view
    view.edit_label("node", node_id)
    editor = view.editor
    assert editor is not None
    editor.setText("Renamed in the benchmark")
    painted(window)
    started = time.perf_counter()
    QTest.keyClick(editor, Qt.Key.Key_Return)
    painted(window)
    took = ms_since(started)
    assert window.document.session.nodes[node_id].label == "Renamed in the benchmark"
    return took


def _layout_500(window: Any) -> None:
    """Move 500 nodes as a layout does (one batch, one undo step)."""
    from workshop.domain.model.operations import Operation, batch, update

    session = window.document.session
    ops: list[Operation] = []
    for number in range(500):
        node = session.nodes[f"n{number}"]
        ops.append(update("node", node.id, x=node.x + 20.0))
    window.apply(batch("Lay out left to right", ops))


def measure(nodes: int) -> dict[str, object]:
    """One size, in this process (run by :func:`main` in a fresh process per size)."""
    path = saved_session(nodes)
    gc.collect()  # the session written above is garbage (a cycle through its document): as if the app just started
    app = isolated_app()
    window, open_ms = open_in_window(path)
    result: dict[str, object] = {"nodes": nodes, "open_ms": open_ms}
    view = window.canvas_view
    fit_action = next(a for a in window.menu("View").actions() if a.text() == "Zoom to fit")
    select_action = next(a for a in window.menu("Edit").actions() if a.text() == "Select all")

    result["full_repaint_p95_fit_ms"] = _repaint_p95(window)
    view.zoom_by(2.0)  # twice the fitted zoom: half the model in sight, and a scroll step moves it
    painted(window)
    result["pan_p95_twice_fit_ms"] = _pan_p95(window, painted)
    result["pan_full_repaint_p95_twice_fit_ms"] = _pan_p95(window, repainted)
    view.zoom_actual()
    painted(window)
    result["pan_p95_100_ms"] = _pan_p95(window, painted)
    result["pan_full_repaint_p95_100_ms"] = _pan_p95(window, repainted)

    started = time.perf_counter()
    fit_action.trigger()
    painted(window)
    result["zoom_to_fit_ms"] = ms_since(started)

    view.zoom_actual()
    painted(window)
    node_id = f"n{nodes // 2}"
    before = window.document.session.nodes[node_id].x
    result["drag_release_ms"] = _drag_release_ms(window, node_id)
    assert window.document.session.nodes[node_id].x != before, "the drag was not recorded"
    stall_drag = longest_stall_ms()
    result["enter_label_ms"] = _enter_label_ms(window, node_id)
    stall_label = longest_stall_ms()
    result["stall_after_edit_ms"] = max(stall_drag, stall_label)

    started = time.perf_counter()
    select_action.trigger()
    painted(window)
    result["select_all_ms"] = ms_since(started)
    selected = len(view.canvas_scene().selected_node_ids())
    window.scene.clearSelection()
    painted(window)

    _layout_500(window)
    painted(window)
    longest_stall_ms(600)
    started = time.perf_counter()
    window.undo_stack.undo()
    painted(window)
    result["undo_layout_ms"] = ms_since(started)
    result["stall_after_undo_ms"] = longest_stall_ms()
    result["selected_by_select_all"] = selected
    result.update(rss_mb())
    window.close()
    app.processEvents()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,2000,5000,10000,20000", help="comma-separated node counts")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        run = subprocess.run(
            [sys.executable, "-m", "benchmarks.app", "--one", str(size)], capture_output=True, text=True, check=False
        )
        if run.returncode != 0:
            results.append({"nodes": size, "error": run.stderr.strip().splitlines()[-1:]})
            continue
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
