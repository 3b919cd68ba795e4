"""A dress rehearsal of a workshop day on any model: the built-in script through the real window.

A facilitator (or a test) gives a model — a BPMN file from any tool, an example ``.json`` or a session —
and the rehearsal runs the method's whole script on it as the room would see it: the console in Run
mode, the projector on, every step entered with *Next step*, each step's work done by hand at the
console (dots for an organization voting together, ratings said aloud, a walk through the model,
remarks typed in) and, in a second pass, by simulated phones on loopback. After each step it checks
what the back row and the facilitator see, and keeps the evidence:

* the countdown on the projector (shown, not cut off, its text height in px),
* the step's results on the projector whenever the step has them,
* the walkthrough overlay only in walkthrough steps,
* the console's controls that are not fully visible (cut off, or scrolled out of sight),
* how much of the projector's free area the model fills,
* the longest main-thread stall while the step was worked,

with screenshots of the console and the projector. ``summary.json`` holds it all; a step with a problem
is listed under ``problems`` and the rehearsal exits non-zero.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STALL_BUDGET_MS = 500.0
"""A main-thread stall the room notices as a freeze."""
MIN_CLOCK_PX = 40
"""The countdown must be readable from the back row."""
MIN_MODEL_FILL = 0.85
"""A model shown whole fills at least this share of the projector's free width or height."""
SIZES = ((1920, 1080), (1366, 768))


@dataclass
class StepCheck:
    """What the rehearsal saw in one step."""

    step: str
    title: str
    tool: str | None
    countdown_shown: bool = False
    countdown_px: int = 0
    countdown_text: str = ""
    results_expected: bool = False
    results_shown: bool = False
    results_text: str = ""
    walkthrough_step: bool = False
    overlay_shown: bool = False
    controls_not_visible: list[str] = field(default_factory=list)
    model_fill: float = 0.0
    longest_stall_ms: float = 0.0
    screenshots: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """What is wrong in this step, in words."""
        found = []
        if not self.countdown_shown:
            found.append("the projector shows no countdown")
        elif self.countdown_px < MIN_CLOCK_PX:
            found.append(f"the countdown is {self.countdown_px} px high")
        if self.results_expected and not self.results_shown:
            found.append("the step's results are not on the projector")
        if self.overlay_shown and not self.walkthrough_step:
            found.append("the walkthrough overlay is on the projector outside a walkthrough step")
        if self.controls_not_visible:
            found.append(f"console controls not fully visible: {', '.join(self.controls_not_visible)}")
        if self.model_fill < MIN_MODEL_FILL:
            found.append(f"the model fills {self.model_fill:.0%} of the projector's free area")
        if self.longest_stall_ms > STALL_BUDGET_MS:
            found.append(f"the main thread stalled {self.longest_stall_ms:.0f} ms")
        return found


class StallMeter:
    """The longest gap between ticks of a 10 ms timer: how long the main thread did not answer."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._last = time.perf_counter()
        self.longest_ms = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000 - 10)
        self._last = now

    def start(self) -> None:
        self.longest_ms = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return max(0.0, self.longest_ms)


def controls_not_fully_visible(window: Any) -> list[str]:
    """The console's controls a facilitator cannot fully see or reach without scrolling.

    Every enabled-or-not button, field, list box and spin box in each dock that is in front (a dock
    behind another's tab is not on screen and counts for nothing), and in the main window's tool bars:
    counted when part of it is cut off by its dock or a scroll area, or when it is narrower than its
    text needs (a button reading "+5 mi").
    """
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QDockWidget,
        QLineEdit,
        QTabBar,
        QWidget,
    )

    missing: list[str] = []
    for dock in window.findChildren(QDockWidget):
        if not dock.isVisible() or dock.visibleRegion().isEmpty():
            continue
        controls = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)
        for widget in dock.findChildren(QWidget):
            if not isinstance(widget, controls) or not widget.isVisibleTo(dock) or isinstance(widget.parent(), QTabBar):
                continue
            if widget.objectName().startswith("qt_") or type(widget).__name__ == "QDockWidgetTitleButton":
                continue
            name = _control_name(widget)
            if not widget.isVisible():
                continue
            seen = widget.visibleRegion().boundingRect()
            whole = widget.rect()
            if seen.width() < whole.width() - 1 or seen.height() < whole.height() - 1:
                missing.append(f"{dock.windowTitle()}: {name}")
            elif isinstance(widget, QAbstractButton) and widget.text():
                needed = widget.fontMetrics().horizontalAdvance(widget.text().replace("&", "")) + 8
                if widget.width() < needed:
                    missing.append(f"{dock.windowTitle()}: {name} (text cut)")
    return missing


def _control_name(widget: Any) -> str:
    from PySide6.QtWidgets import QAbstractButton

    if isinstance(widget, QAbstractButton) and widget.text():
        return repr(widget.text())
    return widget.accessibleName() or widget.toolTip()[:40] or type(widget).__name__


def model_fill(presenter: Any) -> float:
    """How much of the projector's free area the model fills (the larger of width and height share)."""
    from workshop.domain.model.process import LANE_HEADER_WIDTH
    from workshop.ui.canvas.canvas_scene import CanvasScene
    from workshop.ui.presenter.presenter_window import STRIP_WIDTH

    view = presenter.view
    scene = view.scene()
    if not isinstance(scene, CanvasScene) or presenter.stack.currentWidget() is not view:
        return 1.0
    shown = view.mapFromScene(scene.model_rect()).boundingRect()
    port = view.viewport().rect()
    if shown.width() > port.width() or shown.height() > port.height():
        return 1.0  # zoomed in to be readable: the model is larger than the screen
    free_width = port.width() - STRIP_WIDTH  # the lane strip names the lanes at the left
    contents = shown.width() - max(0, LANE_HEADER_WIDTH * view.transform().m11())
    return max(contents / max(1, free_width), shown.height() / max(1, port.height()))


def _phones(
    url: str, code: str, organizations: list[str], nodes: list[str], count: int, stop: threading.Event
) -> threading.Thread:
    """``count`` phones that join on loopback and send a remark now and then, until ``stop``."""
    import aiohttp

    async def one(number: int) -> None:
        org = organizations[number % len(organizations)]
        async with aiohttp.ClientSession() as http:
            joined = await http.post(
                url + "api/join",
                json={"code": code, "name": f"Phone {number}", "organization_id": org, "device": f"rehearsal-{number}"},
            )
            if joined.status != 200:
                return
            token = (await joined.json())["token"]
            socket = await http.ws_connect(url + "ws")
            await socket.send_str(json.dumps({"type": "hello", "token": token}))
            sent = 0
            while not stop.is_set():
                message = {
                    "type": "annotate",
                    "key": f"{number}-{sent}",
                    "target_kind": "node",
                    "target_id": nodes[(number + sent) % len(nodes)],
                    "annotation_kind": "comment",
                    "text": f"Remark {sent} from phone {number}",
                }
                await socket.send_str(json.dumps(message))
                sent += 1
                await asyncio.sleep(1.5)
            await socket.close()

    async def all_phones() -> None:
        await asyncio.gather(*(one(n) for n in range(count)), return_exceptions=True)

    thread = threading.Thread(target=lambda: asyncio.run(all_phones()), daemon=True)
    thread.start()
    return thread


def _settle(milliseconds: int) -> None:
    """Let the event loop run (throttled refreshes, worker results, paints) for ``milliseconds``."""
    from PySide6.QtWidgets import QApplication

    end = time.perf_counter() + milliseconds / 1000
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.005)


def _settle_views(timeout_s: float = 30.0) -> None:
    """Let the event loop run until no view has deferred work left (the facilitator waits for the window)."""
    from PySide6.QtWidgets import QApplication

    from workshop.ui.throttle import views_settled

    end = time.perf_counter() + timeout_s
    QApplication.processEvents()
    while not views_settled() and time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.005)


def open_for_rehearsal(model: Path, folder: Path) -> tuple[Any, Any]:
    """A new workshop on ``model`` with the method's script, made as New workshop makes it."""
    from workshop.domain.facilitation.progress import load_script_op
    from workshop.domain.facilitation.script import load_script
    from workshop.resources import scripts_dir
    from workshop.store.file_kinds import FileKind, file_kind
    from workshop.ui.files.opening import new_workshop, open_path

    script = scripts_dir() / "three-interventions.yaml"
    if file_kind(model) == FileKind.BPMN:
        document, workshop_file, _note, _missing = new_workshop(
            f"Rehearsal: {model.stem}", [], bpmn=model, script=script
        )
        return document, workshop_file
    copy = folder / model.name
    shutil.copy(model, copy)
    document, workshop_file, _note, _missing = open_path(copy)
    document.apply(load_script_op(load_script(script)))
    return document, workshop_file


def _work_the_step(window: Any, tool: str | None) -> None:
    """What a facilitator does at the console in a step: the step's tool, used by hand."""
    from workshop.domain.model.annotations import Annotation
    from workshop.domain.model.ids import new_id
    from workshop.domain.model.operations import add
    from workshop.ui.panels.agreement_votes_panel import AgreementVotesPanel
    from workshop.ui.walkthrough.walkthrough_panel import WalkthroughPanel

    session = window.document.session
    model_id = window.current_model_id()
    nodes = [n for n in session.nodes.values() if n.model_id == model_id and n.node_kind == "activity"]
    follower = window.step_follower
    if follower is not None and follower.create_button.isVisible():
        follower.create_button.click()
    if tool == "vote":
        if not any(a.annotation_kind in ("idea", "problem") for a in session.annotations.values()) and nodes:
            idea = Annotation(
                id=new_id("ann"), annotation_kind="idea", text="Say it once", target_kind="node", target_id=nodes[0].id
            )
            window.apply(add(idea))
        votes = window.findChild(AgreementVotesPanel)
        for index in range(votes.voter.count()):
            votes.voter.setCurrentIndex(index)
            for _ in range(5):  # one more than a step allows: the budget must hold
                votes.dot_button.click()
    elif tool == "agreement":
        votes = window.findChild(AgreementVotesPanel)
        for index in range(votes.rating_org.count()):
            votes.rating_org.setCurrentIndex(index)
            votes.rating.setValue(2 + index % 4)
            votes.rate_button.click()
    elif tool == "walkthrough":
        walk = window.findChild(WalkthroughPanel)
        walk.scenario_edit.setText("A case as it usually comes in")
        walk.start_button.click()
        for _ in range(3):
            if walk.forward_button.isEnabled():
                walk.forward_button.click()
    elif nodes:
        remark = Annotation(
            id=new_id("ann"),
            annotation_kind="problem",
            text="Nobody knows who\nhas the latest form",
            target_kind="node",
            target_id=nodes[len(session.annotations) % len(nodes)].id,
        )
        window.apply(add(remark))


def _check_step(window: Any, check: StepCheck) -> None:
    from workshop.ui.walkthrough.walkthrough_panel import WalkthroughPanel

    presenter = window.presenter_control.presenter
    clock = presenter.clock
    text = clock.text()
    whole = clock.visibleRegion().boundingRect()
    check.countdown_text = text
    check.countdown_shown = (
        clock.isVisible()
        and bool(re.fullmatch(r"-?\d+:\d\d.*", text))
        and whole.width() >= clock.fontMetrics().horizontalAdvance(text) - 1
        and whole.height() >= clock.fontMetrics().height() - 1
    )
    check.countdown_px = clock.fontMetrics().height() if check.countdown_shown else 0
    check.results_shown = presenter.results_box.isVisible() and bool(presenter.results.text().strip())
    check.results_text = presenter.results_title.text() + "\n" + presenter.results.text()
    walk = window.findChild(WalkthroughPanel)
    overlay = walk.overlay if walk is not None else None
    check.overlay_shown = overlay is not None and any(item.isVisible() for item in overlay.items)
    check.controls_not_visible = controls_not_fully_visible(window)
    check.model_fill = round(model_fill(presenter), 3)


def rehearse(model: Path, out: Path, *, size: tuple[int, int], phones: int) -> list[StepCheck]:
    """One pass through the whole script on ``model`` at window ``size``; screenshots go to ``out``."""
    from PySide6.QtWidgets import QApplication, QWidget

    from workshop.domain.facilitation.progress import current_script_step, step_op
    from workshop.ui.app import load_fonts
    from workshop.ui.panels.facilitation_panel import FacilitationPanel
    from workshop.ui.themes import apply_style_sheet, saved_theme
    from workshop.ui.window.main_window import MainWindow
    from workshop.ui.window.modes import Mode

    load_fonts()
    apply_style_sheet(saved_theme())  # as the app starts (run_app): its fonts and style sheet size the panels
    folder = Path(tempfile.mkdtemp(prefix="rehearsal-"))
    os.environ["WORKSHOP_DATA_DIR"] = str(folder / "data")
    document, workshop_file = open_for_rehearsal(model, folder)
    window = MainWindow(document, workshop_file)
    window.resize(*size)
    window.show()
    _settle_views()  # the window's panels are built right after its first frame
    window.modes.set_mode(Mode.RUN)
    stop = threading.Event()
    if phones and window.participants_panel is not None:
        window.participants_panel.open_on("127.0.0.1")
        server = window.participants_panel.bridge.server
        nodes = [n.id for n in document.session.nodes.values() if n.model_id == window.current_model_id()]
        if server is not None and nodes:
            _phones(server.url, server.join_code, list(document.session.organizations), nodes, phones, stop)
    control = window.presenter_control
    facilitation = window.findChild(FacilitationPanel)
    if control is None or facilitation is None:
        raise RuntimeError("this window has no projector or no facilitation console")
    control.toggle_action.setChecked(True)
    presenter = control.presenter
    if presenter is None:
        raise RuntimeError("the projector did not open")
    presenter.setGeometry(0, 0, *size)
    _settle(800)
    tag = f"{size[0]}x{size[1]}" + (f"-{phones}-phones" if phones else "")
    checks: list[StepCheck] = []
    meter = StallMeter()
    try:
        while facilitation.next_button.isEnabled() and step_op(window.document.session, +1) is not None:
            meter.start()
            facilitation.next_button.click()
            found = current_script_step(window.document.session)
            assert found is not None
            _index, intervention, step = found
            tool = step.main_tool()
            check = StepCheck(step=step.id, title=f"{intervention.title} · {step.title}", tool=tool)
            check.results_expected = tool in ("vote", "agreement")
            check.walkthrough_step = tool == "walkthrough"
            _work_the_step(window, tool)
            _settle(700)
            check.longest_stall_ms = round(meter.stop(), 1)
            _check_step(window, check)
            shown: tuple[tuple[str, QWidget], ...] = (("console", window), ("projector", presenter))
            for name, widget in shown:
                shot = f"{name}-{tag}-{len(checks) + 1:02d}-{step.id}.png"
                widget.grab().save(str(out / shot))
                check.screenshots.append(shot)
            checks.append(check)
    finally:
        stop.set()
        control.toggle_action.setChecked(False)
        window.close()
        QApplication.processEvents()
        shutil.rmtree(folder, ignore_errors=True)
    return checks


def _passes(sizes: list[tuple[int, int]], phones: int) -> Iterator[tuple[tuple[int, int], int]]:
    for size in sizes:
        yield size, 0
        if phones:
            yield size, phones


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path, help="a BPMN file from any tool, an example .json or a .workshop")
    parser.add_argument("--out", type=Path, required=True, help="folder for summary.json and the screenshots")
    parser.add_argument("--phones", type=int, default=3, help="simulated phones in the second pass (0: none)")
    parser.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES), help="window sizes, e.g. 1920x1080")
    args = parser.parse_args(argv)
    if not args.model.is_file():
        print(f"{args.model}: no such file", file=sys.stderr)
        return 2
    sizes = []
    for text in args.sizes.split(","):
        width, _, height = text.partition("x")
        if not (width.isdigit() and height.isdigit()):
            print(f"--sizes: {text!r} is not WIDTHxHEIGHT", file=sys.stderr)
            return 2
        sizes.append((int(width), int(height)))
    if not os.environ.get("DISPLAY") and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        if shutil.which("xvfb-run") is None:
            print("no display: install Xvfb (xvfb-run), or set QT_QPA_PLATFORM=offscreen", file=sys.stderr)
            return 2
        wide = max(w for w, _ in sizes), max(h for _, h in sizes)
        command = [
            "xvfb-run",
            "-a",
            "-s",
            f"-screen 0 {wide[0]}x{wide[1]}x24",
            sys.executable,
            "-m",
            "workshop.ui.rehearsal",
        ]
        return subprocess.call([*command, *(argv if argv is not None else sys.argv[1:])])
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("WORKSHOP_CONFIG_DIR", tempfile.mkdtemp(prefix="rehearsal-config-"))
    from workshop.ui.app import application, load_fonts

    application()
    load_fonts()
    summary: dict[str, Any] = {"model": str(args.model), "passes": [], "problems": []}
    for size, phones in _passes(sizes, args.phones):
        checks = rehearse(args.model, args.out, size=size, phones=phones)
        name = f"{size[0]}x{size[1]}, {phones} phones"
        summary["passes"].append({"size": list(size), "phones": phones, "steps": [asdict(c) for c in checks]})
        summary["problems"].extend(f"{name}, {c.step}: {p}" for c in checks for p in c.problems())
        print(f"{name}: {len(checks)} steps, {sum(bool(c.problems()) for c in checks)} with problems", flush=True)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    for problem in summary["problems"]:
        print(problem, file=sys.stderr)
    return 1 if summary["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
