"""A dress rehearsal of a workshop day: the built-in three-intervention script through the real window.

Runs under Xvfb at projector size, presenter mode on, optionally with
simulated phones that join and contribute in every step. At a step of each
intervention it saves the console and the projector as PNG, for a person to
look at as the back row would.

xvfb-run -a -s "-screen 0 1920x1080x24" python tools/rehearse_workshop.py OUT_DIR [--phones 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import threading
from pathlib import Path

import aiohttp
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workshop.domain.facilitation import load_script_op, step_op
from workshop.domain.facilitation_script import load_script
from workshop.resources import example_session_path, scripts_dir
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.app import application, load_fonts
from workshop.ui.themes import THEMES, apply_style_sheet
from workshop.ui.window.main_window import MainWindow
from workshop.ui.window.modes import Mode

SHOTS = {"i1-boundaries", "i2-agreement", "i3-new"}
"""A step of each intervention is photographed."""


def phones(url: str, code: str, count: int, stop: threading.Event) -> threading.Thread:
    """``count`` phones that join and add a comment now and then, until ``stop``."""

    async def one(number: int) -> None:
        org = ("org-a", "org-b", "org-it")[number % 3]
        async with aiohttp.ClientSession() as http:
            joined = await http.post(
                url + "api/join",
                json={"code": code, "name": f"Phone {number}", "organization_id": org, "device": f"d{number}"},
            )
            token = (await joined.json())["token"]
            socket = await http.ws_connect(url + "ws")
            await socket.send_str(json.dumps({"type": "hello", "token": token}))
            sent = 0
            while not stop.is_set():
                message = {
                    "type": "annotate",
                    "key": f"{number}-{sent}",
                    "target_kind": "node",
                    "target_id": "n-contact",
                    "annotation_kind": "comment",
                    "text": f"Said on phone {number}, remark {sent}",
                }
                await socket.send_str(json.dumps(message))
                sent += 1
                await asyncio.sleep(1.5)
            await socket.close()

    async def all_phones() -> None:
        await asyncio.gather(*(one(n) for n in range(count)))

    thread = threading.Thread(target=lambda: asyncio.run(all_phones()), daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--phones", type=int, default=0)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    os.environ["WORKSHOP_CONFIG_DIR"] = tempfile.mkdtemp()
    app = application()
    load_fonts()
    apply_style_sheet(THEMES["light"])
    folder = Path(tempfile.mkdtemp())
    document, workshop_file = create_document(folder / "rehearsal.workshop", load_session_json(example_session_path()))
    window = MainWindow(document, workshop_file)
    window.showMaximized()
    window.resize(1920, 1080)  # bare Xvfb has no window manager to maximize it
    window.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    stop = threading.Event()
    if args.phones and window.participants_panel is not None:
        window.participants_panel.open_on("127.0.0.1")
        server = window.participants_panel.bridge.server
        assert server is not None
        phones(server.url, server.join_code, args.phones, stop)
    assert window.presenter_control is not None
    window.presenter_control.toggle_action.setChecked(True)
    suffix = f"-{args.phones}-phones" if args.phones else ""

    def advance() -> None:
        op = step_op(window.document.session, +1)
        if op is None:
            stop.set()
            print(f"rehearsal done: {window.document.last_seq} operations, {len(document.session.annotations)} notes")
            window.presenter_control.toggle_action.setChecked(False)  # type: ignore[union-attr]
            window.close()
            app.quit()
            return
        window.apply(op)
        step = window.document.session.current_step
        if step is not None and step.step_id in SHOTS:
            QApplication.processEvents()
            presenter = window.presenter_control.presenter  # type: ignore[union-attr]
            window.grab().save(str(args.output / f"console-{step.step_id}{suffix}.png"))
            if presenter is not None:
                presenter.grab().save(str(args.output / f"projector-{step.step_id}{suffix}.png"))
        QTimer.singleShot(700, advance)

    def shoot_modes() -> None:
        """Each mode of the console before the day starts, Prepare last (the day starts from there)."""
        for mode in (Mode.RUN, Mode.REVIEW, Mode.PREPARE):
            window.modes.set_mode(mode)
            for _ in range(5):
                QApplication.processEvents()
            window.grab().save(str(args.output / f"mode-{mode.value}{suffix}.png"))
        window.modes.set_mode(Mode.RUN)

    QTimer.singleShot(1200, shoot_modes)
    QTimer.singleShot(2500, advance)
    app.exec()


if __name__ == "__main__":
    main()
