"""One window's file side: its File menu, title, Save as, dropped files and theme.

Opening another session goes through the window (``MainWindow.open_window``
and friends, defined with the window in :mod:`workshop.ui.window.main_window`), so
this module needs nothing of the window class but its type: the window opens
windows, and nothing here imports it back.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMenu

from workshop.store.workshop_file import StoreError, WorkshopFile
from workshop.ui.settings import recent_files, remember_file
from workshop.ui.themes import THEMES, Theme, apply_style_sheet, save_theme
from workshop.ui.widgets import no_mnemonic

if TYPE_CHECKING:
    from workshop.ui.host import FilesHost

OPEN_FILTER = "Sessions (*.workshop);;Example models (*.json);;BPMN 2.0 (*.bpmn *.xml);;All files (*)"


class WindowFiles:
    """One window's file side: File menu, title, Save as, files dropped on it, the theme.

    Exists so the window does not also carry opening and saving: everything
    about which file the window works in, and how it looks, is here.
    """

    def __init__(self, window: FilesHost) -> None:
        self.window = window

    def update_title(self) -> None:
        window = self.window
        name = window.workshop_file.path.name
        ro = " (read-only)" if window.read_only else ""
        # no "modified" star: every change is on disk the moment it is made
        window.qt_window.setWindowTitle(f"{name}{ro} — {window.document.session.title} — Process Workshop")

    def save_as(self) -> None:
        window = self.window
        name, _ = QFileDialog.getSaveFileName(
            window.qt_window, "Save session as", str(window.workshop_file.path), "Sessions (*.workshop)"
        )
        if name:
            self.save_as_path(Path(name).with_suffix(".workshop"))

    def save_as_path(self, target: Path) -> None:
        """Copy the session to ``target`` and continue working there (marks the save point)."""
        window = self.window
        try:
            window.workshop_file.save_as(target)
            new_file = WorkshopFile.open(target)
        except StoreError as error:
            window.report(str(error))
            return
        window.workshop_file.close(window.document.session, window.document.last_seq)
        window.workshop_file = new_file
        window.document.rebind(new_file)
        window.undo_stack.setClean()
        remember_file(str(target))
        self.update_title()
        window.qt_window.statusBar().showMessage(f"Saved as {target}; you are now working in it.", 10000)

    def open_urls(self, urls: list[QUrl]) -> None:
        """Files dropped on the window open in windows of their own."""
        for url in urls:
            if url.isLocalFile():
                self.window.open_window(Path(url.toLocalFile()))

    def open_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window.qt_window, "Open session", "", OPEN_FILTER)
        if name:
            self.window.open_window(Path(name))

    def open_study(self) -> None:
        from workshop.ui.study.study_window import open_study_dialog

        open_study_dialog(self.window.qt_window, open_session=self.window.open_window)

    def new_dialog(self) -> None:
        title, ok = QInputDialog.getText(self.window.qt_window, "New session", "Title of the workshop session")
        if ok and title.strip():
            from workshop.ui.files.opening import new_empty

            document, workshop_file, note = new_empty(title.strip())
            self.window.show_window(document, workshop_file, note)

    def show_start_page(self) -> None:
        """Recent sessions as cards, a new workshop, the example; the choice opens in a window of its own."""
        from workshop.ui.files.start_page import StartPage

        page = StartPage(self.window.qt_window)
        if page.exec() == QDialog.DialogCode.Accepted:
            self.window.open_choice(page.choice)

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for path in recent_files():
            menu.addAction(no_mnemonic(path), partial(self.window.open_window, Path(path)))
        if not recent_files():
            menu.addAction("(no recent sessions)").setEnabled(False)

    def set_theme(self, theme: Theme) -> None:
        """Look: the style sheet of the whole application and every canvas of this window; remembered."""
        self.window.theme = theme
        save_theme(theme)
        apply_style_sheet(theme)
        self.window.model_tabs.set_theme(theme)

    def fill_file_menu(self, file_menu: QMenu) -> None:
        action, window = self.window.action, self.window
        action(file_menu, "Start page…", self.show_start_page)
        action(file_menu, "New session…", self.new_dialog, QKeySequence.StandardKey.New)
        action(file_menu, "Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        action(file_menu, "Open study…", self.open_study)
        recent = file_menu.addMenu("Open recent")
        recent.aboutToShow.connect(lambda: self.fill_recent(recent))
        action(file_menu, "Save as…", self.save_as, QKeySequence.StandardKey.SaveAs)
        file_menu.addSeparator()
        action(file_menu, "Close window", window.qt_window.close, QKeySequence.StandardKey.Close)
        action(file_menu, "Quit", QApplication.closeAllWindows, QKeySequence.StandardKey.Quit)

    def fill_theme_menu(self, themes: QMenu) -> None:
        group = QActionGroup(self.window.qt_window)
        for theme in THEMES.values():
            choice = themes.addAction(theme.label)
            choice.setCheckable(True)
            choice.setChecked(theme.name == self.window.theme.name)
            choice.triggered.connect(lambda _c=False, t=theme: self.set_theme(t))
            group.addAction(choice)
