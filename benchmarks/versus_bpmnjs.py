"""Opening a BPMN file here against bpmn-js's Modeler, both in one interleaved run (issue #32, "opening").

For each size the generated 8-pool collaboration (:func:`benchmarks.open.generated_bpmn`,
with diagram interchange) is written once, and both sides open that same file,
``--runs`` times each, interleaved (ours first in even runs, bpmn-js first in
odd ones), so that a busy moment of the shared machine hits both sides alike.

What is timed, on both sides the same way:

* **Included**: reading the file (our ``open_window`` reads and parses it; the
  page fetches it from a local HTTP server), building the model, zoom to
  fit, and the first painted frame.
* **Excluded**: process start and imports on our side (as in
  ``benchmarks.open``'s ``open_to_fitted_paint_ms``: the app is running when
  the user opens a file); browser start, page and bundle load and the
  Modeler's construction on the bpmn-js side (the page is open when the user
  drops a file on it). The Modeler's construction is reported on its own.

Our side: ``python -m benchmarks.open FILE`` in a fresh process per run — the
real main window (1920 × 1080 screen), from the open call until the first
frame that painted the fitted canvas has ended. bpmn-js side: headless Chromium
(Debian's, driven by playwright as the participant-page tests do) with a
1920 × 1080 viewport, a fresh browser process per run, on a page that loads
``bpmn-modeler.production.min.js`` and its CSS from ``tests/js/node_modules``;
``performance.now()`` from before the fetch until ``importXML``,
``canvas.zoom('fit-viewport')`` and two ``requestAnimationFrame`` callbacks
(the first frame painted) are done.

Both sides start as an installed app on a machine that ran it before: our
processes keep compiled bytecode (``.pyc``, as pip writes at install; in a
cache folder of their own, even where ``PYTHONDONTWRITEBYTECODE`` is set) and
the browsers share one profile (HTTP and V8 code cache). Each side is run
untimed first (twice for bpmn-js: V8 caches a script's code on its second load)
so that neither pays a first-ever compile.

Prints JSON: per size each side's median/min/max (and every run) in ms (ours
also the time after the first frame until the panels were built and painted,
``ours_panels_after_paint_ms``, which the ratio does not count), the
ratio of the medians (bpmn-js ÷ ours) and the load average around the size's
runs. Needs Chromium and ``npm ci`` in tests/js (``scripts/install-test-deps.sh``);
without them it says so and exits 2.

``--baseline DIR`` times an earlier checkout's app as well, in the same
interleaved run (with this checkout's benchmarks, so both are timed alike):
``baseline_ms`` and ``baseline_ratio``, a before/after under the same load.

python -m benchmarks.versus_bpmnjs --sizes 100,800,2000,9000,20000,50000 --runs 3
git worktree add /tmp/before HEAD~3 && python -m benchmarks.versus_bpmnjs --baseline /tmp/before
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BPMN_JS = ROOT / "tests" / "js" / "node_modules" / "bpmn-js"
WINDOW_SIZE = (1920, 1080)
"""The same screen as our side's (benchmarks.window.WINDOW_SIZE)."""
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SIDES = ("both", "ours", "bpmn-js")

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/bpmn-js/dist/assets/diagram-js.css">
<link rel="stylesheet" href="/bpmn-js/dist/assets/bpmn-js.css">
<link rel="stylesheet" href="/bpmn-js/dist/assets/bpmn-font/css/bpmn.css">
<style>html, body, #canvas { margin: 0; width: 100%; height: 100%; overflow: hidden; }</style>
<script src="/bpmn-js/dist/bpmn-modeler.production.min.js"></script>
</head><body><div id="canvas"></div>
<script>
const constructed = performance.now();
window.modeler = new BpmnJS({ container: "#canvas" });
window.constructMs = performance.now() - constructed;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
window.openFitted = async (url) => {
  const started = performance.now();
  const xml = await (await fetch(url)).text();
  const { warnings } = await window.modeler.importXML(xml);
  window.modeler.get("canvas").zoom("fit-viewport");
  await frame();
  await frame();
  const ms = performance.now() - started;
  return { ms, warnings: warnings.length, elements: window.modeler.get("elementRegistry").getAll().length };
};
</script></body></html>
"""
"""The bpmn-js page: the Modeler is built when the page loads; ``openFitted`` is the timed open."""


class Unavailable(Exception):
    """Something the benchmark needs is not installed; the message says what to install."""


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def summary(times: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(times), 1),
        "min": round(min(times), 1),
        "max": round(max(times), 1),
        "runs": [round(t, 1) for t in times],
    }


def ours_ms(path: Path, tree: Path = ROOT) -> tuple[float, float]:
    """``open_to_fitted_paint_ms`` of ``benchmarks.open`` on ``path``, in a fresh process (bytecode cached),
    and how long after that frame the panels were built and painted (``settled_after_paint``).

    ``tree`` is the checkout whose app is timed (:func:`baseline_tree` for an earlier one).
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "versus-bpmnjs-pycache")
    env["PYTHONPATH"] = str(tree)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.open", str(path)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.open failed on {path.name}:\n{done.stderr[-2000:]}")
    measured = json.loads(done.stdout)
    return float(measured["open_to_fitted_paint_ms"]), float(measured["phases_ms"].get("settled_after_paint", 0.0))


@contextmanager
def baseline_tree(baseline: Path) -> Iterator[Path]:
    """``baseline``'s app with this checkout's benchmarks (links in a temporary folder): timed the same way."""
    tree = Path(tempfile.mkdtemp(prefix="versus-bpmnjs-baseline-"))
    try:
        for entry in baseline.iterdir():
            if entry.name not in ("benchmarks", ".git"):
                (tree / entry.name).symlink_to(entry.resolve())
        (tree / "benchmarks").symlink_to(ROOT / "benchmarks")
        yield tree
    finally:
        shutil.rmtree(tree, ignore_errors=True)


class _Files(http.server.SimpleHTTPRequestHandler):
    """The page, bpmn-js's bundle (``/bpmn-js/…``) and the file under test (``/file/NAME``), quietly."""

    def __init__(self, *args: Any, bpmn: Path, **kwargs: Any) -> None:
        self.bpmn = bpmn
        super().__init__(*args, directory=str(BPMN_JS.parent), **kwargs)

    def do_GET(self) -> None:
        if self.path == "/":
            self._send(PAGE.encode(), "text/html; charset=utf-8")
        elif self.path.startswith("/file/"):
            self._send(self.bpmn.read_bytes(), "application/xml")
        else:
            super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the benchmark prints JSON only."""


@contextmanager
def serving(bpmn: Path) -> Iterator[str]:
    """A local HTTP server for the page and ``bpmn``, on a free port; yields its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Files, bpmn=bpmn))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def check_bpmnjs_side(chromium: str) -> None:
    """Raise :class:`Unavailable` naming what is missing: Chromium, playwright or bpmn-js in tests/js."""
    if shutil.which(chromium) is None and not Path(chromium).is_file():
        raise Unavailable(f"Chromium not found at {chromium!r}: install it (scripts/install-test-deps.sh)")
    if not (BPMN_JS / "dist" / "bpmn-modeler.production.min.js").is_file():
        raise Unavailable(f"bpmn-js is not installed in {BPMN_JS.parent}: run `npm ci` in tests/js")
    try:
        import playwright.sync_api  # noqa: F401 - only whether it is there
    except ImportError:
        raise Unavailable('playwright is not installed: pip install -e ".[test]"') from None


def bpmnjs_ms(path: Path, chromium: str, profile: Path) -> dict[str, float]:
    """One timed open of ``path`` in bpmn-js's Modeler, in a freshly started headless Chromium on ``profile``."""
    from playwright.sync_api import sync_playwright

    width, height = WINDOW_SIZE
    executable = shutil.which(chromium) or chromium
    with serving(path) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            args=[*CHROMIUM_FLAGS, f"--window-size={width},{height}"],
            headless=True,
            viewport={"width": width, "height": height},
        )
        try:
            page = browser.pages[0] if browser.pages else browser.new_page()
            page.goto(f"{address}/", wait_until="load")
            measured = page.evaluate("url => window.openFitted(url)", f"{address}/file/{path.name}")
            construct = page.evaluate("window.constructMs")
        finally:
            browser.close()
    if measured["elements"] < 2:
        raise RuntimeError(f"bpmn-js showed nothing of {path.name}: {measured}")
    return {"ms": float(measured["ms"]), "construct_ms": float(construct), "elements": measured["elements"]}


def warm_up(side: str, chromium: str, profile: Path, baseline: Path | None) -> None:
    """Run each side untimed on a small file: bytecode and the browser's caches exist, as after installing."""
    from benchmarks.open import generated_bpmn

    path = generated_bpmn(100)
    if side in ("both", "ours"):
        ours_ms(path)
        if baseline is not None:
            ours_ms(path, baseline)
    if side in ("both", "bpmn-js"):
        for _ in range(2):
            bpmnjs_ms(path, chromium, profile)
    shutil.rmtree(path.parent, ignore_errors=True)


def compare(
    tasks: int, runs: int, side: str, chromium: str, profile: Path, baseline: Path | None = None
) -> dict[str, Any]:
    """One size: the same generated file opened ``runs`` times by each side (and the baseline), interleaved."""
    from benchmarks.open import generated_bpmn

    path = generated_bpmn(tasks)
    ours: list[float] = []
    settling: list[float] = []
    earlier: list[float] = []
    theirs: list[float] = []
    construct: list[float] = []
    elements = 0
    before = load_average()
    sides = ["ours", "bpmn-js"] + (["baseline"] if baseline is not None else [])
    for run in range(runs):
        order = sides[run % len(sides) :] + sides[: run % len(sides)]  # each side first in turn
        for which in order:
            if which == "ours" and side in ("both", "ours"):
                fitted, settled = ours_ms(path)
                ours.append(fitted)
                settling.append(settled)
            elif which == "baseline" and baseline is not None and side in ("both", "ours"):
                earlier.append(ours_ms(path, baseline)[0])
            elif which == "bpmn-js" and side in ("both", "bpmn-js"):
                measured = bpmnjs_ms(path, chromium, profile)
                theirs.append(measured["ms"])
                construct.append(measured["construct_ms"])
                elements = int(measured["elements"])
    result: dict[str, Any] = {
        "tasks": tasks,
        "file_kb": round(path.stat().st_size / 1024),
        "load_average_before": before,
        "load_average_after": load_average(),
    }
    if ours:
        result["ours_ms"] = summary(ours)
        result["ours_panels_after_paint_ms"] = summary(settling)  # not in the ratio: the model is on screen
    if theirs:
        result["bpmn_js_ms"] = summary(theirs)
        result["bpmn_js_modeler_construct_ms"] = summary(construct)
        result["bpmn_js_elements"] = elements
    if ours and theirs:
        result["ratio"] = round(statistics.median(theirs) / statistics.median(ours), 2)
    if earlier:
        result["baseline_ms"] = summary(earlier)
        if theirs:
            result["baseline_ratio"] = round(statistics.median(theirs) / statistics.median(earlier), 2)
    shutil.rmtree(path.parent, ignore_errors=True)
    return result


def bpmnjs_version() -> str | None:
    try:
        return str(json.loads((BPMN_JS / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,800,2000,9000,20000", help="task counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="timed opens per side and size")
    parser.add_argument("--side", choices=SIDES, default="both", help="measure one side only")
    parser.add_argument("--chromium", default="chromium", help="the Chromium to drive (name on PATH or path)")
    parser.add_argument(
        "--baseline", type=Path, help="an earlier checkout (git worktree, git archive) whose app to time too"
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.side != "ours":
        try:
            check_bpmnjs_side(args.chromium)
        except Unavailable as missing:
            print(f"versus_bpmnjs: {missing}", file=sys.stderr)
            return 2
    if args.baseline is not None and not (args.baseline / "workshop").is_dir():
        print(f"versus_bpmnjs: {args.baseline} is no checkout of this project (no workshop/)", file=sys.stderr)
        return 2
    profile = Path(tempfile.mkdtemp(prefix="versus-bpmnjs-chromium-"))
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, profile, ignore_errors=True)
        baseline = stack.enter_context(baseline_tree(args.baseline)) if args.baseline is not None else None
        warm_up(args.side, args.chromium, profile, baseline)
        results = []
        for tasks in sizes:
            results.append(compare(tasks, args.runs, args.side, args.chromium, profile, baseline))
            print(f"versus_bpmnjs: {json.dumps(results[-1])}", file=sys.stderr)  # progress of a long run
    report = {
        "bpmn_js_version": bpmnjs_version(),
        "window": list(WINDOW_SIZE),
        "runs": args.runs,
        "timed": "file read + parse + model + zoom to fit + first painted frame; not process/page start",
        "load_average": load_average(),
        "sizes": results,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
