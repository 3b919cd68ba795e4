"""Opening one file in the real main window, phase by phase, until the fitted model is painted.

``FILE`` is a BPMN file (imported into a new session, as File › Open does) or
a saved ``.workshop`` session; ``--session`` names a saved session instead.
``--generate N`` first writes the generated 8-pool collaboration of N tasks
(benchmarks/generated.py, exported with diagram interchange; the files the
issue compares with bpmn-js) and opens that.

Prints JSON: the phases in ms (parse, import, create document, main window,
scene build, panels, fit and first paint) and ``open_to_fitted_paint_ms``,
from the open call until the fitted canvas has been painted.

python -m benchmarks.open FILE.bpmn
python -m benchmarks.open --session FILE.workshop
python -m benchmarks.open --generate 9000
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from benchmarks.window import Phases, isolated_app, open_in_window, rss_mb

PHASES = {
    "parse": "workshop.interchange.bpmn_import:read_xml",
    "import": "workshop.interchange.bpmn_import:_Importer.run",
    "create_document": "workshop.interchange.bpmn_session:create_document",
    "load_session": "workshop.store.sessions:WorkshopFile.load",
    "main_window": "workshop.ui.window.main_window:MainWindow.__init__",
    "scene_build": "workshop.ui.canvas.canvas_scene:CanvasScene.build",
    "panels": "workshop.ui.window.panels:install_panels",
}
"""Phase name → the function whose calls make it (phases nest: main window holds scene build and panels)."""


def generated_bpmn(tasks: int) -> Path:
    """The generated 8-pool collaboration of ``tasks`` tasks, written to a temporary .bpmn file."""
    from benchmarks.generated import generated_session
    from workshop.interchange.bpmn_export import export_bpmn

    path = Path(tempfile.mkdtemp(prefix="bench-bpmn-")) / f"generated-{tasks}.bpmn"
    with path.open("wb") as stream:
        export_bpmn(generated_session(tasks).session, stream)
    return path


def measure(path: Path) -> dict[str, object]:
    """Open ``path`` in the real window; the phases and the total, in ms."""
    app = isolated_app()
    phases = Phases()
    window, total = open_in_window(path, phases, PHASES)
    session = window.document.session
    result: dict[str, object] = {
        "file": path.name,
        "nodes": len(session.nodes),
        "flows": len(session.flows),
        "phases_ms": phases.ms,
        "open_to_fitted_paint_ms": total,
        **rss_mb(),
    }
    window.close()
    app.processEvents()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", type=Path, help="a .bpmn file or a saved .workshop session")
    parser.add_argument("--session", type=Path, help="a saved .workshop session to open")
    parser.add_argument("--generate", type=int, metavar="TASKS", help="open the generated 8-pool BPMN of TASKS tasks")
    args = parser.parse_args()
    path = args.session or args.file or (generated_bpmn(args.generate) if args.generate else None)
    if path is None:
        parser.error("name a FILE, --session FILE or --generate TASKS")
    print(json.dumps(measure(path), indent=2))


if __name__ == "__main__":
    main()
