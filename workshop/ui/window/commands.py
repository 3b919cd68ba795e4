"""The undo stack's command: a thin wrapper around one applied operation, with no logic of its own."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workshop.domain.model.document import Document
from workshop.domain.model.operations import BatchOp, Operation

MERGE_ID = 1
"""The undo-command id of mergeable steps (QUndoCommand merges only commands with equal ids)."""

MERGE_WITHIN_SECONDS = 1.5


class OperationCommand(QUndoCommand):
    """Undo applies the inverse of the recorded operation; redo applies the recorded operation again.

    The window applies the operation *before* pushing (so a refused one never
    reaches the stack); the first ``redo`` that ``QUndoStack.push`` calls is
    therefore skipped. Undo and redo go through ``Document.apply`` and are in
    the log like any change. If a participant's change made an undo
    impossible (they annotated the node being un-added), ``on_error`` says so
    and the command becomes obsolete instead of failing silently.
    """

    def __init__(
        self,
        document: Document,
        applied: Operation,
        text: str,
        on_error: Callable[[str], None],
        *,
        merge_key: str | None = None,
    ) -> None:
        super().__init__(text)
        self._document = document
        self._applied = applied
        self._on_error = on_error
        self._first = True
        self._merge_key = merge_key
        self._last = time.monotonic()

    def id(self) -> int:
        return MERGE_ID if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Join a quick repeat of the same gesture (a run of nudges) into this one undo step."""
        if not isinstance(other, OperationCommand) or other._merge_key != self._merge_key or not self._merge_key:
            return False
        if other._last - self._last > MERGE_WITHIN_SECONDS:
            return False
        self._applied = BatchOp(label=self.text(), ops=[self._applied, other._applied])
        self._last = other._last
        return True

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
