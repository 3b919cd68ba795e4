"""Files, opening and the theme: which session a window shows, and opening more windows.

The functions open a session (a file, the start page's choice, a new
workshop) in a window of its own and keep the open windows alive;
:class:`WindowFiles` is one window's File menu, title, Save as, dropped files
and theme.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMainWindow, QMenu, QMessageBox, QWidget

from workshop.domain.document import Document
from workshop.store.workshop_file import StoreError, WorkshopFile
from workshop.ui.settings import recent_files, remember_file
from workshop.ui.themes import THEMES, Theme, apply_style_sheet, save_theme
from workshop.ui.widgets import literal, no_mnemonic

if TYPE_CHECKING:
    from workshop.ui.main_window import MainWindow

OPEN_FILTER = "Sessions (*.workshop);;Example models (*.json);;BPMN 2.0 (*.bpmn *.xml);;All files (*)"

open_windows: list[MainWindow] = []
"""Open windows (one per session); kept here so Qt does not collect them."""


class WindowFiles:
    """One window's file side: File menu, title, Save as, files dropped on it, the theme.

    Exists so the window does not also carry opening and saving: everything
    about which file the window works in, and how it looks, is here.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def update_title(self) -> None:
        window = self.window
        name = window.workshop_file.path.name
        ro = " (read-only)" if window.read_only else ""
        # no "modified" star: every change is on disk the moment it is made
        window.setWindowTitle(f"{name}{ro} — {window.document.session.title} — Process Workshop")

    def save_as(self) -> None:
        window = self.window
        name, _ = QFileDialog.getSaveFileName(
            window, "Save session as", str(window.workshop_file.path), "Sessions (*.workshop)"
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
        window.statusBar().showMessage(f"Saved as {target}; you are now working in it.", 10000)

    def open_urls(self, urls: list[QUrl]) -> None:
        """Files dropped on the window open in windows of their own."""
        for url in urls:
            if url.isLocalFile():
                open_window(Path(url.toLocalFile()), parent=self.window)

    def open_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Open session", "", OPEN_FILTER)
        if name:
            open_window(Path(name), parent=self.window)

    def open_study(self) -> None:
        from workshop.ui.study_window import open_study_dialog

        open_study_dialog(self.window)

    def new_dialog(self) -> None:
        title, ok = QInputDialog.getText(self.window, "New session", "Title of the workshop session")
        if ok and title.strip():
            from workshop.ui.opening import new_empty

            document, workshop_file, note = new_empty(title.strip())
            show_window(document, workshop_file, note)

    def show_start_page(self) -> None:
        """Recent sessions as cards, a new workshop, the example; the choice opens in a window of its own."""
        from workshop.ui.start_page import StartPage

        page = StartPage(self.window)
        if page.exec() == QDialog.DialogCode.Accepted:
            open_choice(page.choice, self.window)

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for path in recent_files():
            menu.addAction(no_mnemonic(path), partial(open_window, Path(path), self.window))
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
        action(file_menu, "Close window", window.close, QKeySequence.StandardKey.Close)
        action(file_menu, "Quit", QApplication.closeAllWindows, QKeySequence.StandardKey.Quit)

    def fill_theme_menu(self, themes: QMenu) -> None:
        group = QActionGroup(self.window)
        for theme in THEMES.values():
            choice = themes.addAction(theme.label)
            choice.setCheckable(True)
            choice.setChecked(theme.name == self.window.theme.name)
            choice.triggered.connect(lambda _c=False, t=theme: self.set_theme(t))
            group.addAction(choice)


def show_window(document: Document, workshop_file: WorkshopFile, note: str = "") -> MainWindow:
    from workshop.ui.main_window import MainWindow

    window = MainWindow(document, workshop_file, note=note)
    open_windows.append(window)
    remember_file(str(workshop_file.path))
    window.showMaximized()  # a facilitator's console: the model as large as the screen allows
    return window


def open_choice(choice: Path | str | None, parent: QWidget | None = None) -> QMainWindow | None:
    """Open what the start page chose: a session, a new workshop, the example, a study or a file the user picks."""
    from workshop.resources import example_session_path
    from workshop.ui.start_page import EXAMPLE, NEW, OPEN_FILE, STUDY_CHOICES

    if choice in STUDY_CHOICES or (isinstance(choice, Path) and choice.is_dir()):
        from workshop.ui.study_window import open_study_choice

        return open_study_choice(choice, parent)
    if isinstance(choice, Path):
        return open_window(choice, parent)
    if choice == EXAMPLE:
        return open_window(example_session_path(), parent)
    if choice == OPEN_FILE:
        name, _ = QFileDialog.getOpenFileName(parent, "Open session", "", OPEN_FILTER)
        return open_window(Path(name), parent) if name else None
    if choice == NEW:
        return new_workshop_window(parent)
    return None


def new_workshop_window(parent: QWidget | None = None) -> MainWindow | None:
    """Ask what the new workshop needs and open it; a file it cannot start from is explained, not raised."""
    from workshop.ui.new_workshop import NewWorkshopDialog
    from workshop.ui.opening import new_workshop

    dialog = NewWorkshopDialog(parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    choice = dialog.choice()
    dialog.deleteLater()  # Qt deletes it, not Python's collector at exit after the application is gone
    if not accepted:
        return None
    try:
        document, workshop_file, note, not_imported = new_workshop(
            choice.title, choice.organizations, bpmn=choice.bpmn, earlier=choice.earlier, script=choice.script
        )
    except StoreError as error:
        QMessageBox.warning(parent, "Cannot start the workshop", literal(str(error)))
        return None
    window = show_window(document, workshop_file, note)
    if not_imported and choice.bpmn is not None:
        show_import_report(window, choice.bpmn.name, not_imported)
    return window


def open_window(path: Path, parent: QWidget | None = None) -> MainWindow | None:
    """Open ``path`` in a new window; a file that cannot be opened is explained, not raised."""
    from workshop.ui.opening import bulk_objects, open_path, recovery_note

    with bulk_objects():
        try:
            document, workshop_file, note, not_imported = open_path(path)
        except StoreError as error:
            QMessageBox.warning(parent, "Cannot open", literal(str(error)))
            return None
        window = show_window(document, workshop_file, note)
    if not_imported:
        show_import_report(window, path.name, not_imported)
    recovered = recovery_note(document, workshop_file)
    if recovered:
        box = QMessageBox(QMessageBox.Icon.Information, "Session recovered", recovered, parent=window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("recoveryNote")
        box.setWindowModality(Qt.WindowModality.NonModal)  # the facilitator reads it and carries on
        box.show()
        window.recovery_box = box
        window.statusBar().showMessage(recovered.splitlines()[1] if "\n" in recovered else recovered, 30000)
    return window


def show_import_report(window: MainWindow, file_name: str, not_imported: list[str]) -> None:
    """What a BPMN import could not bring in as it was, beside the model (not modal: it is there to look at)."""
    report = QMessageBox(
        QMessageBox.Icon.Information,
        "Import report",
        f"{len(not_imported)} element(s) of {file_name} were not imported as they were.",
        parent=window,
    )
    report.setTextFormat(Qt.TextFormat.PlainText)
    report.setDetailedText("\n".join(not_imported))
    report.setObjectName("importReport")
    report.setWindowModality(Qt.WindowModality.NonModal)
    report.show()
    window.import_report = report
