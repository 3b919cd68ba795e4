"""Take the README's projector screenshot: presenter mode with the session open to participants (run under Xvfb).

xvfb-run -a -s "-screen 0 1920x1080x24" python tools/screenshot_presenter.py docs/screenshots/presenter-join.png
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer

from workshop.resources import example_session_path
from workshop.store.sessions import create_document, load_session_json
from workshop.ui.app import application, load_fonts
from workshop.ui.participation.panel import ParticipantsPanel
from workshop.ui.window.main_window import MainWindow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ["WORKSHOP_CONFIG_DIR"] = folder
    app = application()
    load_fonts()
    session = load_session_json(example_session_path())
    document, workshop_file = create_document(Path(folder) / "example.workshop", session)
    window = MainWindow(document, workshop_file)
    window.resize(1920, 1080)
    window.show()
    panel = window.findChild(ParticipantsPanel)
    assert panel is not None
    assert window.presenter_control is not None
    from workshop.domain.facilitation.progress import goto_op, load_script_op
    from workshop.domain.facilitation.script import load_script
    from workshop.resources import scripts_dir

    window.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    window.apply(goto_op(window.document.session, "i1", "i1-boundaries"))
    panel.open_on("127.0.0.1")  # a real participant server on loopback: the code and QR are the real ones
    window.presenter_control.toggle_action.setChecked(True)

    def snap() -> None:
        presenter = window.presenter_control.presenter if window.presenter_control else None
        assert presenter is not None
        view = window.canvas_view
        assert view is not None
        view.follows_fit = False  # the facilitator has zoomed in by hand
        view.resetTransform()
        view.scale(1.6, 1.6)
        view.centerOn(1500, 420)  # the facilitator looks at the handoffs into the IT provider; the room sees them
        app.processEvents()
        presenter.grab().save(str(args.output))
        window.close()
        app.quit()

    QTimer.singleShot(900, snap)
    app.exec()


if __name__ == "__main__":
    main()
