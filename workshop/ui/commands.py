"""The undo stack's command: a thin wrapper around one applied operation, with no logic of its own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workshop.domain.document import Document
from workshop.domain.operations import Operation


class OperationCommand(QUndoCommand):
    """Undo applies the inverse of the recorded operation; redo applies the recorded operation again.

    The window applies the operation *before* pushing (so a refused one never
    reaches the stack); the first ``redo`` that ``QUndoStack.push`` calls is
    therefore skipped. Undo and redo go through ``Document.apply`` and are in
    the log like any change. If a participant's change made an undo
    impossible (they annotated the node being un-added), ``on_error`` says so
    and the command becomes obsolete instead of failing silently.
    """

    def __init__(self, document: Document, applied: Operation, text: str, on_error: Callable[[str], None]) -> None:
        super().__init__(text)
        self._document = document
        self._applied = applied
        self._on_error = on_error
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self._applied)

    def undo(self) -> None:
        self._run(self._applied.inverse())

    def _run(self, op: Operation) -> None:
        try:
            self._document.apply(op)
        except Exception as error:
            self.setObsolete(True)
            self._on_error(f"Could not {self.text().lower()}: {error}")
