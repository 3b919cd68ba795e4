"""The Annotations panel: what was said, filtered; ideas by implementation status; the researchers' code set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workshop.domain.facilitation.progress import step_titles
from workshop.domain.model.annotations import Annotation, AnnotationKind, IdeaMode, IdeaStatus, ThemeCode
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import Operation, add, update
from workshop.ui.host import Apply, Focus, Selection
from workshop.ui.panels.annotation_table import AnnotationTableModel
from workshop.ui.throttle import Throttle
from workshop.ui.widgets import add_ok_cancel, list_with_controls, plain_label

ANY = "(any)"


class AnnotationDialog(QDialog):
    def __init__(self, document: Document, target: tuple[str, str] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        session = document.session
        self.target = target
        self.setWindowTitle("Add annotation")
        form = QFormLayout(self)
        self.kind = QComboBox()
        for kind in AnnotationKind:
            self.kind.addItem(kind.value, kind.value)
        self.text = QPlainTextEdit()
        self.author = QComboBox()
        self.author.addItem("(facilitator)", None)
        for person in session.participants.values():
            self.author.addItem(f"{person.name} ({session.organizations[person.organization_id].name})", person.id)
        self.mode = QComboBox()
        self.mode.addItem("explores new ways of working", IdeaMode.EXPLORE.value)
        self.mode.addItem("exploits (refines) today's way", IdeaMode.EXPLOIT.value)
        self.codes = QListWidget()
        for code in session.codes.values():
            item = QListWidgetItem(code.name)
            item.setData(Qt.ItemDataRole.UserRole, code.id)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.codes.addItem(item)
        on = "the whole model" if target is None else f"the selected {target[0]}"
        form.addRow("On", plain_label(on))
        form.addRow("Kind", self.kind)
        form.addRow("Text", self.text)
        form.addRow("Said by", self.author)
        form.addRow("Idea", self.mode)
        form.addRow("Themes", self.codes)
        self.kind.currentIndexChanged.connect(lambda _i: self.mode.setEnabled(self.kind.currentData() == "idea"))
        self.mode.setEnabled(False)
        add_ok_cancel(self, form)
        self._document = document

    def annotation(self, model_id: str | None) -> Annotation:
        session = self._document.session
        author = self.author.currentData()
        kind, target_id = self.target if self.target else ("model", model_id)
        idea = self.kind.currentData() == "idea"
        step = session.current_step
        return Annotation(
            id=new_id("annotation"),
            annotation_kind=self.kind.currentData(),
            text=self.text.toPlainText().strip(),
            target_kind=kind if target_id else "session",
            target_id=target_id,
            author_id=author,
            organization_id=session.participants[author].organization_id if author else None,
            created=datetime.now(UTC),
            codes=[
                self.codes.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.codes.count())
                if self.codes.item(i).checkState() == Qt.CheckState.Checked
            ],
            idea_mode=self.mode.currentData() if idea else None,
            idea_status=IdeaStatus.PROPOSED if idea else None,
            intervention_id=step.intervention_id if step else None,
            step_id=step.step_id if step else None,
        )


class AnnotationsPanel(QWidget):
    """What was said, filtered; ideas by status; the code set.

    Each part follows only the changes that concern it: the list changes row by row, the filters when
    organizations, people or steps change, the idea tree when an idea changes (and only while its tab is
    in front), the code list when a code changes. A burst of phone contributions costs a row each.
    """

    def __init__(
        self,
        document: Document,
        apply: Apply,
        selection: Selection,
        focus: Focus,
        current_model: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self._apply, self._selection, self._focus, self._current_model = apply, selection, focus, current_model
        self.kind_filter, self.org_filter, self.author_filter, self.step_filter = (QComboBox() for _ in range(4))
        filters = QHBoxLayout()
        for box in (self.kind_filter, self.org_filter, self.author_filter, self.step_filter):
            box.currentIndexChanged.connect(lambda _i: self.refresh_list())
            filters.addWidget(box)
        self.model = AnnotationTableModel(document, self._passes_filters)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)  # column widths from a sample, not from every row
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._focus_row(index.row()))
        self.model.modelReset.connect(self.table.resizeColumnsToContents)
        self.add_button = QPushButton("Add annotation…")
        self.add_button.clicked.connect(self.add_interactively)
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.addLayout(filters)
        listing_layout.addWidget(self.table, 1)
        listing_layout.addWidget(self.add_button)

        self.ideas = QTreeWidget()
        self.ideas.setHeaderLabels(["Idea", "Explore / exploit"])
        self.status_box = QComboBox()
        self.status_box.addItems([s.value for s in IdeaStatus])
        self.status_button = QPushButton("Set status of the selected idea")
        self.status_button.clicked.connect(self._set_selected_status)
        ideas = list_with_controls(self.ideas, self.status_box, self.status_button)

        self.codes = QListWidget()
        self.add_code_button, self.rename_code_button = QPushButton("Add code…"), QPushButton("Rename…")
        self.add_code_button.clicked.connect(self._add_code)
        self.rename_code_button.clicked.connect(self._rename_code)
        codes = list_with_controls(self.codes, self.add_code_button, self.rename_code_button)

        self.tabs = QTabWidget()
        self.tabs.addTab(listing, "Annotations")
        self.tabs.addTab(ideas, "Ideas by status")
        self.tabs.addTab(codes, "Code set")
        self._ideas_page = ideas
        self.tabs.currentChanged.connect(lambda _i: self._refresh_ideas_if_stale())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self._ideas_stale = True
        self._shown_steps: set[str] = set()
        self._filters_throttle = Throttle(self.refresh_filters, self)
        self._ideas_throttle = Throttle(self._refresh_ideas_if_stale, self)
        self._unsubscribe = document.subscribe(self._on_record)
        self.refresh()

    def detach(self) -> None:
        self._unsubscribe()

    def _on_record(self, record: LogRecord) -> None:
        primitives = list(record.op.primitives())
        kinds = {getattr(op, "kind", None) for op in primitives}
        if "set_session" in {op.op for op in primitives}:
            kinds.add("session")
        if not kinds & {"annotation", "code", "participant", "organization", "session"}:
            return
        self.model.on_record(record)
        if kinds & {"participant", "organization", "session"} or self._new_step(primitives):
            self._filters_throttle.request()
        if "code" in kinds:
            self.refresh_codes()
        if kinds & {"annotation", "session"}:
            self._ideas_stale = True
            self._ideas_throttle.request()

    def _new_step(self, primitives: list[Operation]) -> bool:
        """Whether an operation brought an annotation from a step the step filter does not offer yet."""
        for op in primitives:
            if getattr(op, "kind", None) == "annotation" and op.op == "add":
                step = op.data.get("step_id")
                if step and step not in self._shown_steps:
                    return True
        return False

    # -- views -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Rebuild every part (on opening; afterwards each part follows its own changes)."""
        self.refresh_filters()
        self.refresh_list()
        self._ideas_stale = True
        self._refresh_ideas_if_stale(force=True)
        self.refresh_codes()

    def refresh_filters(self) -> None:
        session = self.document.session
        titles = step_titles(session)
        self._shown_steps = {a.step_id for a in session.annotations.values() if a.step_id}
        options = (
            (self.kind_filter, "kind", [(k.value, k.value) for k in AnnotationKind]),
            (self.org_filter, "organization", [(o.name, o.id) for o in session.organizations.values()]),
            (self.author_filter, "author", [(p.name, p.id) for p in session.participants.values()]),
            (self.step_filter, "step", sorted((titles.get(step, step), step) for step in self._shown_steps)),
        )
        for box, label, values in options:
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(f"{ANY} {label}", None)
            for text, data in values:
                box.addItem(text, data)
            box.setCurrentIndex(max(0, box.findData(keep)) if keep else 0)
            box.blockSignals(False)

    def _refresh_ideas_if_stale(self, force: bool = False) -> None:
        if not self._ideas_stale or not (force or self.tabs.currentWidget() is self._ideas_page):
            return
        self._ideas_stale = False
        annotations = self.document.session.annotations.values()
        self.ideas.clear()
        for status in IdeaStatus:
            group = QTreeWidgetItem([status.value.replace("_", " ")])
            for a in annotations:
                if a.annotation_kind == "idea" and (a.idea_status or "proposed") == status:
                    child = QTreeWidgetItem([a.text, str(a.idea_mode or "")])
                    child.setData(0, Qt.ItemDataRole.UserRole, a.id)
                    group.addChild(child)
            group.setText(0, f"{group.text(0)} ({group.childCount()})")
            self.ideas.addTopLevelItem(group)
        self.ideas.expandAll()

    def refresh_codes(self) -> None:
        self.codes.clear()
        for code in self.document.session.codes.values():
            item = QListWidgetItem(code.name)
            item.setData(Qt.ItemDataRole.UserRole, code.id)
            self.codes.addItem(item)

    def _passes_filters(self, a: Annotation) -> bool:
        kind, org, author, step = (
            b.currentData() for b in (self.kind_filter, self.org_filter, self.author_filter, self.step_filter)
        )
        return (
            kind in (None, a.annotation_kind)
            and org in (None, a.organization_id)
            and author in (None, a.author_id)
            and step in (None, a.step_id)
        )

    def visible(self) -> list[Annotation]:
        """The annotations the list shows, in its order."""
        annotations = self.document.session.annotations
        return [annotations[key] for key in self.model.ids() if key in annotations]

    def refresh_list(self) -> None:
        self.model.reset()

    # -- actions ---------------------------------------------------------------------
    def _focus_row(self, row: int) -> None:
        key = self.model.annotation_id(row)
        annotation = self.document.session.annotations.get(key) if key else None
        if annotation and annotation.target_kind in ("node", "flow") and annotation.target_id:
            self._focus(str(annotation.target_kind), annotation.target_id)

    def add_interactively(self) -> None:
        dialog = AnnotationDialog(self.document, self._selection(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text.toPlainText().strip():
            self._apply(add(dialog.annotation(self._current_model())))

    def set_idea_status(self, annotation_id: str, status: str) -> None:
        self._apply(update("annotation", annotation_id, idea_status=status))

    def _set_selected_status(self) -> None:
        item = self.ideas.currentItem()
        annotation_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if annotation_id:
            self.set_idea_status(str(annotation_id), self.status_box.currentText())

    def _add_code(self) -> None:
        name, ok = QInputDialog.getText(self, "Add code", "Name of the theme code")
        if ok and name.strip():
            self._apply(add(ThemeCode(id=new_id("code"), name=name.strip())))

    def _rename_code(self) -> None:
        item = self.codes.currentItem()
        if item is None:
            return
        name, ok = QInputDialog.getText(self, "Rename code", "Name", text=item.text())
        if ok and name.strip():
            self._apply(update("code", str(item.data(Qt.ItemDataRole.UserRole)), name=name.strip()))
