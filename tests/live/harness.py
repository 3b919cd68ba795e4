"""A session file owned by one thread, as the Qt main thread owns it in the app, for Qt-free server tests.

The document is bound to a real ``.workshop`` file and contributions are applied as the app applies them:
whatever queued up while the thread was busy goes through ``Document.apply_all`` in one durable commit
(``ParticipationBridge._apply_pending``), so "acknowledged" in a test means "on disk" as it does in a room.
"""

from __future__ import annotations

import concurrent.futures
import queue
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workshop.domain.model.document import Document, LogRecord
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import Operation
from workshop.domain.model.session import Session
from workshop.live.security import Secrets, SecurityPolicy
from workshop.live.server import LiveServer
from workshop.resources import example_session_path
from workshop.store.sessions import create_document
from workshop.store.workshop_file import WorkshopFile

Job = tuple[Callable[[], Any], "concurrent.futures.Future[Any]"]
Contribution = tuple[Operation, str, "concurrent.futures.Future[LogRecord]"]


class DocumentThread:
    """Applies operations on its own thread; ``submit`` is what the server gets."""

    def __init__(self, document: Document | None = None) -> None:
        self.document = document or Document(example_session())
        """Replaced by the file's document once it is opened on this thread (SQLite keeps to its thread)."""
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._contributions: queue.SimpleQueue[Contribution] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="document", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            work, future = job
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(work())
                except Exception as error:
                    future.set_exception(error)

    def call(self, work: Callable[[], Any]) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._jobs.put((work, future))
        return future

    def submit(self, op: Operation, actor: str) -> concurrent.futures.Future[LogRecord]:
        """As the bridge does: queue the contribution and wake the thread; one commit for all queued by then."""
        future: concurrent.futures.Future[LogRecord] = concurrent.futures.Future()
        self._contributions.put((op, actor, future))
        self._jobs.put((self._apply_pending, concurrent.futures.Future()))
        return future

    def _apply_pending(self) -> None:
        jobs: list[Contribution] = []
        while not self._contributions.empty():
            job = self._contributions.get()
            if job[2].set_running_or_notify_cancel():
                jobs.append(job)
        if not jobs:
            return  # an earlier wake-up took these along

        def answer(results: list[LogRecord | OperationError]) -> None:
            for (_op, _actor, future), result in zip(jobs, results, strict=True):
                if isinstance(result, LogRecord):
                    future.set_result(result)
                else:
                    future.set_exception(result)

        try:
            self.document.apply_all([(op, actor) for op, actor, _future in jobs], committed=answer)
        except Exception as error:
            for _op, _actor, future in jobs:
                if not future.done():
                    future.set_exception(error)

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(5)


def example_session() -> Session:
    return Session.model_validate_json(example_session_path().read_text(encoding="utf-8"))


class LiveFixture:
    """A server on loopback for a session file (the example session's), with its document thread."""

    def __init__(
        self, session: Session | None = None, policy: SecurityPolicy | None = None, secrets: Secrets | None = None
    ) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="live-")
        self.path = Path(self._folder.name) / "live.workshop"
        self.owner = DocumentThread()
        opened = self.owner.call(lambda: create_document(self.path, session or example_session())).result(30)
        self.document, self.file = opened
        self.owner.document = self.document
        self.server = LiveServer(self.document.session, self.owner.submit, policy=policy, secrets=secrets)
        self.document.subscribe(self.server.broadcast, hand_off=True)
        self.server.start()

    def apply(self, op: Operation) -> LogRecord:
        """A facilitator edit, made on the document's thread.

        It waits its turn behind the crowd's queued contributions (the owner thread takes jobs in order), so
        under a load test on a busy machine it may wait seconds: the limit only stops a hung run.
        """
        record: LogRecord = self.owner.call(lambda: self.document.apply(op)).result(60)
        return record

    def records_on_disk(self) -> list[LogRecord]:
        """The log as the file holds it (read on the document's thread, which owns the connection)."""
        file: WorkshopFile = self.file
        records: list[LogRecord] = self.owner.call(lambda: list(file.records())).result(30)
        return records

    def close(self) -> None:
        self.server.stop()
        self.owner.call(lambda: self.file.close(self.document.session, self.document.last_seq)).result(10)
        self.owner.stop()
        self._folder.cleanup()
