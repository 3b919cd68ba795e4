"""Take the README's canvas screenshots: the example session in a real window (run under Xvfb).

    xvfb-run -a -s "-screen 0 1920x1080x24" \
        python tools/screenshot_canvas.py projector docs/screenshots/canvas-projector.png --zoom 1
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDockWidget, QTabWidget

from workshop.resources import example_session_path
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.app import application, load_fonts
from workshop.ui.themes import THEMES, apply_style_sheet
from workshop.ui.window.main_window import MainWindow


def _run_method_to(window: MainWindow, intervention_id: str, step_id: str) -> None:
    from workshop.domain.facilitation.progress import goto_op, load_script_op
    from workshop.domain.facilitation.script import load_script
    from workshop.resources import scripts_dir

    window.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    window.apply(goto_op(window.document.session, intervention_id, step_id))


def _answer_a_survey(window: MainWindow, *, network: bool) -> None:
    """Three respondents per organization rate every other organization (weak ties around the IT provider)."""
    from workshop.domain.model.operations import add
    from workshop.domain.research.sources import SurveyResponse
    from workshop.domain.research.survey import load_instrument
    from workshop.resources import scripts_dir
    from workshop.ui.panels.survey_panel import SurveyPanel

    panel = window.findChild(SurveyPanel)
    assert panel is not None
    round_id = panel.open_round(
        load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml"),
        "Before intervention 1",
        "before",
    )
    orgs = list(window.document.session.organizations)
    for frm in orgs:
        for about in orgs:
            if frm == about:
                continue
            base = 2 if "org-it" in (frm, about) else 4
            for n in range(3):
                value = max(1, min(5, base + (n % 2)))
                answers = {"frequent": value, "timely": value, "accurate": value, "blame": 6 - value, "goals": value}
                response = SurveyResponse(
                    id=f"r-{frm}-{about}-{n}",
                    round_id=round_id,
                    organization_id=frm,
                    about_org_id=about,
                    answers=answers,
                )
                window.document.apply(add(response))
    panel.show_ties.setChecked(True)
    if network:
        tabs = panel.findChild(QTabWidget)
        assert tabs is not None
        tabs.setCurrentWidget(panel.network)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("theme", choices=sorted(THEMES))
    parser.add_argument("output", type=Path)
    parser.add_argument("--zoom", type=float, default=0.0, help="0 = fit the whole model")
    parser.add_argument("--centre", type=float, nargs=2, default=(1650.0, 430.0))
    parser.add_argument("--dock", help="raise this dock (e.g. Boundaries) before the picture is taken")
    parser.add_argument(
        "--step", nargs=2, metavar=("INTERVENTION", "STEP"), help="run the built-in method to this step"
    )
    parser.add_argument("--network", action="store_true", help="with --survey: show the organizations' tie network")
    parser.add_argument(
        "--survey", action="store_true", help="record a round of survey answers and colour handoffs by tie strength"
    )
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ["WORKSHOP_CONFIG_DIR"] = folder
    app = application()
    load_fonts()
    apply_style_sheet(THEMES[args.theme])
    document, workshop_file = create_document(
        Path(folder) / "example.workshop", load_session_json(example_session_path())
    )
    window = MainWindow(document, workshop_file)
    window.files.set_theme(THEMES[args.theme])
    window.resize(1920, 1080)
    window.show()

    if args.step:
        _run_method_to(window, *args.step)
    if args.survey:
        _answer_a_survey(window, network=args.network)
    if args.dock:
        for dock in window.findChildren(QDockWidget):
            if dock.windowTitle() == args.dock:
                dock.show()
                dock.raise_()

    def snap() -> None:
        view = window.canvas_view
        assert view is not None
        if args.zoom:
            view.resetTransform()
            view.scale(args.zoom, args.zoom)
            view.centerOn(*args.centre)
        else:
            view.zoom_to_fit()
        app.processEvents()
        window.grab().save(str(args.output))
        window.close()
        app.quit()

    QTimer.singleShot(800, snap)
    app.exec()


if __name__ == "__main__":
    main()
