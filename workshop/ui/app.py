"""Starting the app: fonts, theme, the first window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from workshop.resources import assets_dir
from workshop.ui.files.start_page import EXAMPLE
from workshop.ui.settings import recent_files
from workshop.ui.themes import apply_style_sheet, saved_theme
from workshop.ui.window.main_window import open_choice, open_window
from workshop.ui.window.people import ensure_person


def load_fonts() -> list[str]:
    """Register the fonts shipped in assets/fonts, so text looks the same on every machine."""
    families: list[str] = []
    for path in sorted((assets_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Process Workshop")
    app.setOrganizationName("ProcessWorkshop")
    return app


def last_session() -> Path | None:
    """The session worked on last, if it is still there: a relaunch (after a crash too) continues it."""
    for name in recent_files():
        candidate = Path(name)
        if candidate.suffix == ".workshop" and candidate.is_file():
            return candidate
    return None


def run_app(path: str | None) -> int:
    """Open ``path``, else the last session, else what the start page chooses; run until the last window closes."""
    app = application()
    load_fonts()
    apply_style_sheet(saved_theme())
    ensure_person()  # asked once, at the first start: records name who made them
    target = Path(path) if path else last_session()
    window: QMainWindow | None
    if target is not None:
        window = open_window(target)
    else:  # the first start: a page to choose from, not a silent copy of the example
        from workshop.ui.files.start_page import StartPage

        page = StartPage()
        page.exec()
        window = open_choice(page.choice if page.choice is not None else EXAMPLE)
    if window is None:
        QMessageBox.information(None, "Process Workshop", "Nothing was opened.")
        return 1
    return app.exec()
