"""A document owned by one thread, as the Qt main thread owns it in the app, for Qt-free server tests."""

from __future__ import annotations

import concurrent.futures
import queue
import threading
from collections.abc import Callable
from typing import Any

from workshop.domain.document import Document, LogRecord
from workshop.domain.operations import Operation
from workshop.domain.session import Session
from workshop.live.security import Secrets, SecurityPolicy
from workshop.live.server import LiveServer
from workshop.resources import example_session_path

Job = tuple[Callable[[], Any], "concurrent.futures.Future[Any]"]


class DocumentThread:
    """Applies operations on its own thread; ``submit`` is what the server gets."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._jobs: queue.Queue[Job | None] = queue.Queue()
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
        return self.call(lambda: self.document.apply(op, actor=actor))

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(5)


def example_session() -> Session:
    return Session.model_validate_json(example_session_path().read_text(encoding="utf-8"))


class LiveFixture:
    """A server on loopback for the example session, with its document thread."""

    def __init__(
        self, session: Session | None = None, policy: SecurityPolicy | None = None, secrets: Secrets | None = None
    ) -> None:
        self.document = Document(session or example_session())
        self.owner = DocumentThread(self.document)
        self.server = LiveServer(self.document.session, self.owner.submit, policy=policy, secrets=secrets)
        self.document.subscribe(self.server.broadcast)
        self.server.start()

    def apply(self, op: Operation) -> LogRecord:
        """A facilitator edit, made on the document's thread."""
        record: LogRecord = self.owner.call(lambda: self.document.apply(op)).result(5)
        return record

    def close(self) -> None:
        self.server.stop()
        self.owner.stop()
