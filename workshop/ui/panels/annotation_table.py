"""The annotation list as a Qt table model that changes row by row.

A room sends hundreds of contributions. Rebuilding a table widget of a thousand rows for each one took
about 100 ms of the main thread, which every phone felt as lag; this model inserts, changes or removes
the one row an operation touched, and rebuilds only when what every row shows changes (a code renamed,
a participant's name, the filter).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workshop.domain.facilitation.progress import step_titles
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.operations import Operation, element_id
from workshop.domain.research.anonymity import author_label
from workshop.ui.throttle import Throttle
from workshop.ui.widgets import literal

Filter = Callable[[Annotation], bool]
Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Kind", "Text", "By", "Themes", "Step")
# What every row shows depends on these kinds too (code names, author names, organizations).
_SHARED_KINDS = frozenset({"code", "participant", "organization"})


def _changes_every_row(op: Operation) -> bool:
    """Whether an operation can change what rows already shown say (a new participant or code cannot)."""
    return op.op == "set_session" or (op.op != "add" and getattr(op, "kind", None) in _SHARED_KINDS)


class AnnotationTableModel(QAbstractTableModel):
    """The annotations that pass a filter, in the session's order, one row each."""

    def __init__(self, document: Document, accepts: Filter) -> None:
        super().__init__()
        self._document = document
        self._accepts = accepts
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._step_titles: dict[str, str] = {}
        self._pending: dict[str, None] = {}  # ids touched since the last flush, in order
        self._throttle = Throttle(self.flush, self)
        self.reset()

    # -- what the view asks ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        annotation = self._document.session.annotations.get(self._ids[index.row()])
        if annotation is None:
            return None
        text = self._cell(annotation, index.column())
        return text if role == Qt.ItemDataRole.DisplayRole else literal(text)

    def annotation_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def ids(self) -> list[str]:
        """The annotations shown, in row order (changes not yet shown are shown first)."""
        self.flush()
        return list(self._ids)

    # -- keeping up with the document --------------------------------------------------------------
    def reset(self) -> None:
        """Rebuild every row: the filter or what all rows show has changed."""
        self._pending.clear()
        self.beginResetModel()
        self._step_titles = step_titles(self._document.session)
        self._ids = [a.id for a in self._document.session.annotations.values() if self._accepts(a)]
        self._row = {annotation_id: row for row, annotation_id in enumerate(self._ids)}
        self.endResetModel()

    def on_record(self, record: LogRecord) -> None:
        """Note the rows one committed operation touches; they change at the next flush.

        Every change of rows makes the view lay out and repaint (about 8 ms for a few thousand rows), so a
        burst of contributions is shown in one change: at once when the table has been quiet, otherwise at
        most a few times a second (:class:`~workshop.ui.throttle.Throttle`).
        """
        primitives = list(record.op.primitives())
        if any(_changes_every_row(op) for op in primitives):
            self.reset()
            return
        ours = [op for op in primitives if getattr(op, "kind", None) == "annotation"]
        self._pending.update(dict.fromkeys(key for op in ours if (key := element_id(op)) is not None))
        if len(self._pending) > max(200, len(self._ids)):
            # a batch as big as the table (an import, an undo of many): one rebuild beats many row signals. Not
            # a crowd's ideas queued behind a busy moment: those are new rows shown as one appended block, and
            # rebuilding thousands of rows for them (0.2 s) made the main thread fall further behind
            self.reset()
        elif self._pending:
            self._throttle.request()

    def flush(self) -> None:
        """Show the noted changes: new rows at the end arrive as one block, others row by row."""
        pending, self._pending = list(self._pending), {}
        block: list[str] = []
        for annotation_id in pending:
            if self._appends(annotation_id, block):
                block.append(annotation_id)
                continue
            self._append(block)
            block = []
            self._follow(annotation_id)
        self._append(block)

    def _appends(self, annotation_id: str, block: list[str]) -> bool:
        """Whether a change shows a new row after every row shown (and after those in ``block``)."""
        if annotation_id in self._row:
            return False
        annotation = self._document.session.annotations.get(annotation_id)
        if annotation is None or not self._accepts(annotation):
            return False
        return self._position(annotation_id, block[-1] if block else None) == len(self._ids)

    def _append(self, block: list[str]) -> None:
        if not block:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(block) - 1)
        self._ids.extend(block)
        self._row.update((key, row) for row, key in enumerate(block, first))
        self.endInsertRows()

    def _follow(self, annotation_id: str) -> None:
        annotation = self._document.session.annotations.get(annotation_id)
        shown = annotation is not None and self._accepts(annotation)
        row = self._row.get(annotation_id)
        if row is not None and shown:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        elif row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._ids[row]
            self._renumber(row)
            self.endRemoveRows()
        elif shown:
            row = self._position(annotation_id)
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, annotation_id)
            self._renumber(row)
            self.endInsertRows()

    def _position(self, annotation_id: str, last_shown: str | None = None) -> int:
        """Where a newly shown annotation goes: after every shown one that comes before it in the session.

        New contributions come last in the session, so walking back from its end meets the new one before
        the last row shown (``last_shown``, else the last row): that is the common case, and it costs a step
        or two, not a pass over all.
        """
        if not self._ids:
            return 0
        last_shown = last_shown or self._ids[-1]
        for key in reversed(self._document.session.annotations):
            if key == annotation_id:
                return len(self._ids)
            if key == last_shown:
                break
        order = {key: number for number, key in enumerate(self._document.session.annotations)}
        mine = order[annotation_id]
        return sum(1 for shown in self._ids if order.get(shown, -1) < mine)

    def _renumber(self, start: int) -> None:
        self._row = {key: row for key, row in self._row.items() if row < start}
        self._row.update((key, row) for row, key in enumerate(self._ids[start:], start))

    def _cell(self, annotation: Annotation, column: int) -> str:
        session = self._document.session
        if column == 0:
            return str(annotation.annotation_kind) + (" (hidden)" if annotation.hidden else "")
        if column == 1:
            return annotation.text
        if column == 2:
            return author_label(session, annotation)
        if column == 3:
            return ", ".join(session.codes[c].name for c in annotation.codes if c in session.codes)
        step = annotation.step_id or ""
        return self._step_titles.get(step, step)
