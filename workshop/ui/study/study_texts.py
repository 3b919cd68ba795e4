"""Transcripts and notes of a study's sittings: attach them, read them, code a selection with the codebook.

Interviews and observation notes are half of an action-research record. The researcher attaches each
to its sitting, selects a passage and gives it a code of that sitting's codebook, the same codes the
workshop's contributions carry, so the study QDPX cuts both by theme and by time. Attaching and coding
go through the functions ``workshop study attach`` and ``workshop study code`` use, under the study's
write lock, recorded as the person at the keyboard. The archival documents of the sitting's intervention
(and of the whole study) are listed with each of its sittings, coded with that sitting's codebook.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.research.study import SourceKind, Study, StudyError, TextSource
from workshop.interchange.study_timeline import short_name
from workshop.store.study_folder import (
    attach_text,
    code_text,
    load_study,
    read_sitting,
    source_text,
    study_for_writing,
)
from workshop.store.workshop_file import APP_NAME
from workshop.ui.widgets import literal, plain_label
from workshop.ui.window.people import desktop_actor

KIND_NAMES = {
    SourceKind.TRANSCRIPT: "Interview transcript",
    SourceKind.OBSERVATION_NOTE: "Observation notes",
    SourceKind.DOCUMENT: "Archival document",
}
CODED = QColor("#fff2a8")


def _list_name(source: TextSource) -> str:
    """A text as the list names it; an archival document (``workshop study archive``) with its kind and date."""
    if source.archival:
        return f"{source.name} — archival {source.document_kind}, {source.date}"
    return f"{source.name} — {KIND_NAMES[source.source_kind].lower()}"


def utf16_offset(text: str, index: int) -> int:
    """Where character ``index`` of ``text`` is in Qt's text (counted in UTF-16 units, as Qt counts)."""
    return len(text[:index].encode("utf-16-le")) // 2


def char_index(text: str, offset: int) -> int:
    """The character of ``text`` at Qt position ``offset`` (UTF-16 units); an emoji is one character here."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class StudyTexts(QWidget):
    """The texts of one sitting at a time, with the coding of a selection."""

    changed = Signal()
    """The study file was changed here (the window reloads its timeline)."""

    def __init__(self, folder: Path, study: Study, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.study = study
        self.sitting = QComboBox()
        self.kind = QComboBox()
        for kind, name in KIND_NAMES.items():
            self.kind.addItem(name, kind.value)
        self.attach_button = QPushButton("Attach a text…")
        self.texts = QListWidget()
        self.viewer = QPlainTextEdit()
        self.viewer.setReadOnly(True)
        self.viewer.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.codes = QComboBox()
        self.code_button = QPushButton("Code the selection")
        self.codings = QListWidget()
        self.message = plain_label("")
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(plain_label("Sitting"))
        top.addWidget(self.sitting, 1)
        attach = QHBoxLayout()
        attach.addWidget(self.kind, 1)
        attach.addWidget(self.attach_button)
        coding = QHBoxLayout()
        coding.addWidget(self.codes, 1)
        coding.addWidget(self.code_button)
        reading = QSplitter(Qt.Orientation.Vertical)
        reading.addWidget(self.viewer)
        reading.addWidget(self.codings)
        reading.setSizes([500, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(attach)
        layout.addWidget(self.texts)
        layout.addWidget(reading, 1)
        layout.addLayout(coding)
        layout.addWidget(self.message)

        self.sitting.currentIndexChanged.connect(lambda _i: self._show_sitting())
        self.texts.currentItemChanged.connect(lambda _new, _old: self._show_text())
        self.codings.itemClicked.connect(self._select_coding)
        self.attach_button.clicked.connect(self.attach_interactively)
        self.code_button.clicked.connect(self.code_selection)
        self.viewer.selectionChanged.connect(self._enable)
        self.set_study(study)

    # -- showing -----------------------------------------------------------------------------------
    def set_study(self, study: Study) -> None:
        """Show ``study`` (read again), keeping the sitting and text in view."""
        self.study = study
        keep = self.sitting.currentData()
        self.sitting.blockSignals(True)
        self.sitting.clear()
        for sitting in study.in_order():
            self.sitting.addItem(short_name(sitting), sitting.id)
        self.sitting.setCurrentIndex(max(0, self.sitting.findData(keep)) if keep else 0)
        self.sitting.blockSignals(False)
        self._show_sitting()

    def current_source(self) -> TextSource | None:
        item = self.texts.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((s for s in self.study.sources if s.id == key), None)

    def _show_sitting(self) -> None:
        sitting_id = self.sitting.currentData()
        keep = self.current_source()
        self.texts.clear()
        self.codes.clear()
        if sitting_id is None:
            self._show_text()
            return
        intervention = self.study.sitting(sitting_id).intervention
        for source in self.study.sources:
            if source.sitting_id == sitting_id or (source.archival and source.intervention in (None, intervention)):
                item = QListWidgetItem(_list_name(source))
                item.setData(Qt.ItemDataRole.UserRole, source.id)
                item.setToolTip(literal(source.original_name))
                self.texts.addItem(item)
                if keep is not None and keep.id == source.id:
                    self.texts.setCurrentItem(item)
        try:
            codes = read_sitting(self.folder, self.study.sitting(sitting_id)).session.codes
        except (StudyError, OSError, ValueError) as error:
            self.message.setText(str(error))
            codes = {}
        for code in codes.values():
            self.codes.addItem(code.name, code.name)
        if self.texts.currentItem() is None and self.texts.count():
            self.texts.setCurrentRow(0)
        self._show_text()

    def _show_text(self) -> None:
        source = self.current_source()
        self.codings.clear()
        if source is None:
            self.viewer.setPlainText("")
            self._text = ""
            self._enable()
            return
        try:
            self._text = source_text(self.folder, source)
        except StudyError as error:
            self._text = ""
            self.message.setText(str(error))
        self.viewer.setPlainText(self._text)
        marks: list[QTextEdit.ExtraSelection] = []
        for coding in self.study.codings:
            if coding.source_id != source.id:
                continue
            excerpt = " ".join(self._text[coding.start : coding.end].split())
            excerpt = excerpt if len(excerpt) <= 80 else excerpt[:79] + "…"
            item = QListWidgetItem(f"{coding.code_name}: “{excerpt}”")
            item.setData(Qt.ItemDataRole.UserRole, (coding.start, coding.end))
            self.codings.addItem(item)
            mark = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(CODED)
            mark.format = fmt
            cursor = QTextCursor(self.viewer.document())
            cursor.setPosition(utf16_offset(self._text, coding.start))
            cursor.setPosition(utf16_offset(self._text, coding.end), QTextCursor.MoveMode.KeepAnchor)
            mark.cursor = cursor
            marks.append(mark)
        self.viewer.setExtraSelections(marks)
        self._enable()

    def _select_coding(self, item: QListWidgetItem) -> None:
        start, end = item.data(Qt.ItemDataRole.UserRole)
        cursor = self.viewer.textCursor()
        cursor.setPosition(utf16_offset(self._text, start))
        cursor.setPosition(utf16_offset(self._text, end), QTextCursor.MoveMode.KeepAnchor)
        self.viewer.setTextCursor(cursor)
        self.viewer.centerCursor()

    def _enable(self) -> None:
        has_selection = self.viewer.textCursor().hasSelection()
        self.code_button.setEnabled(has_selection and self.codes.count() > 0)
        self.attach_button.setEnabled(self.sitting.currentData() is not None)

    def selection(self) -> tuple[int, int] | None:
        """The selected passage as character positions of the stored text."""
        cursor = self.viewer.textCursor()
        if not cursor.hasSelection():
            return None
        return char_index(self._text, cursor.selectionStart()), char_index(self._text, cursor.selectionEnd())

    # -- acting ------------------------------------------------------------------------------------
    def attach_interactively(self) -> TextSource | None:
        name, _ = QFileDialog.getOpenFileName(self, "Attach a transcript or notes", "", "Texts (*.txt *.md *.docx)")
        return self.attach(Path(name)) if name else None

    def attach(self, path: Path) -> TextSource | None:
        sitting_id = self.sitting.currentData()
        if sitting_id is None:
            return None
        kind = SourceKind(self.kind.currentData())
        try:
            with study_for_writing(self.folder, APP_NAME) as study:
                source = attach_text(self.folder, study, sitting_id, path, source_kind=kind, actor=desktop_actor())
        except StudyError as error:
            self.message.setText(str(error))
            return None
        self.message.setText(f"Attached {path.name} ({source.length:,} characters).")
        self._reload(select=source.id)
        return source

    def code_selection(self) -> None:
        source, chosen, code = self.current_source(), self.selection(), self.codes.currentData()
        if source is None or chosen is None or code is None:
            return
        try:
            with study_for_writing(self.folder, APP_NAME) as study:
                code_text(
                    self.folder,
                    study,
                    source.sitting_id or str(self.sitting.currentData()),  # an archival one: this sitting's codes
                    source.id,
                    start=chosen[0],
                    end=chosen[1],
                    code=str(code),
                    actor=desktop_actor(),
                )
        except StudyError as error:
            self.message.setText(str(error))
            return
        self.message.setText(f"Coded {chosen[1] - chosen[0]} characters as {code}.")
        self._reload(select=source.id)

    def _reload(self, select: str) -> None:
        try:
            study = load_study(self.folder)
        except StudyError as error:
            self.message.setText(str(error))
            return
        self.study = study
        self._show_sitting()
        for row in range(self.texts.count()):
            if self.texts.item(row).data(Qt.ItemDataRole.UserRole) == select:
                self.texts.setCurrentRow(row)
        self.changed.emit()
