"""The document: applies operations, records them, and tells the fronts.

``Document.apply`` is the single path of every change::

    front --op--> Document.apply --> sink.append(record)   (committed first)
                                 --> subscribers(record)    (scene, panels, server)

The sink is the store (the .workshop file); the domain only knows it as
something with an ``append`` that returns once the record is durable. If the
sink fails the change is rolled back in memory, so what is shown never runs
ahead of what is on disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from workshop.domain.model.errors import OperationError
from workshop.domain.model.lane_membership import band_follow_ups, lane_follow_ups, lane_tops
from workshop.domain.model.limits import check_limits
from workshop.domain.model.operations import BatchOp, Operation, check_storable
from workshop.domain.model.session import Session, SessionState

log = logging.getLogger(__name__)

FACILITATOR = "facilitator"
"""The actor of changes made in the app itself."""


MAX_ACTOR_NAME = 100


def person_actor(name: str) -> str:
    """A facilitator's or researcher's name as the actor of what they record (app ``--as`` and CLI ``--as``).

    Spaces are collapsed so one person is one actor however they typed it.
    A name that would pass for a participant (``participant:...``) is
    refused: the privacy rule treats those actors as people to hide, and a
    facilitator must not be mistaken for one, nor a participant be named
    through one. Raises :class:`ValueError` with a sentence for the user.
    """
    actor = " ".join(str(name).split())
    if not actor:
        raise ValueError("give the name of the person at the keyboard")
    if actor.lower().startswith("participant:") or len(actor) > MAX_ACTOR_NAME:
        raise ValueError(f"{name!r}: give a plain name of at most {MAX_ACTOR_NAME} characters")
    return actor


def participant_actor(participant_id: str) -> str:
    """The actor string of a participant's change: ``participant:<id>``."""
    return f"participant:{participant_id}"


def utc_now() -> datetime:
    return datetime.now(UTC)


class LogRecord(BaseModel):
    """One entry of the op log: who did what, when, during which step.

    This is the research record. ``intervention_id``/``step_id`` are the
    facilitation step in force when the operation was made.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    seq: int = Field(ge=1)
    time: datetime
    actor: str = Field(min_length=1)
    intervention_id: str | None = None
    step_id: str | None = None
    op: Operation


class OpSink(Protocol):
    """Where records go; ``append`` returns only once the record is durable.

    A sink may also offer ``transaction()``, a context in which appends are committed together at its end
    (see :meth:`Document.apply_all`).
    """

    def append(self, record: LogRecord) -> None: ...


Subscriber = Callable[[LogRecord], None]
"""Called with each applied record; :func:`~workshop.domain.model.operations.changes` of ``record.op`` says which
elements it added, updated and removed, so a view can touch only those."""


class Document:
    """The live session: the one object every front changes through :meth:`apply`."""

    def __init__(
        self,
        session: Session,
        *,
        sink: OpSink | None = None,
        last_seq: int = 0,
        clock: Callable[[], datetime] = utc_now,
        actor: str = FACILITATOR,
    ) -> None:
        self._state = SessionState(session)
        self.actor = actor
        """Who the changes of this front are recorded as when :meth:`apply` is not told (the named
        facilitator or researcher at the desktop; :data:`FACILITATOR` until they give their name)."""
        self._sink = sink
        self._seq = last_seq
        self._clock = clock
        self._subscribers: list[Subscriber] = []
        self._hand_offs: list[Subscriber] = []
        """Subscribers that pass records to another thread: told of a commit's records before the views."""

    @property
    def session(self) -> Session:
        return self._state.session

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def last_seq(self) -> int:
        return self._seq

    @property
    def sink(self) -> OpSink | None:
        """Where records go now (the file; Save As swaps it)."""
        return self._sink

    def rebind(self, sink: OpSink) -> None:
        """Record from now on into ``sink`` (Save As continues in the copy)."""
        self._sink = sink

    def subscribe(self, subscriber: Subscriber, *, hand_off: bool = False) -> Callable[[], None]:
        """Call ``subscriber(record)`` after each applied operation; returns an unsubscribe function.

        A ``hand_off`` subscriber only passes the record to another thread and returns at once (the
        participant server). It hears of every record of a commit before any view does, so the other thread
        can go on (acknowledge a phone) while the views here redraw.
        """
        chosen = self._hand_offs if hand_off else self._subscribers
        chosen.append(subscriber)
        return lambda: chosen.remove(subscriber) if subscriber in chosen else None

    def apply(self, op: Operation, *, actor: str | None = None) -> LogRecord:
        """Validate, apply and durably record ``op``; then notify subscribers.

        Raises :class:`OperationError` (state unchanged) for an invalid
        operation or one whose result would not read back from the file
        (:func:`~workshop.domain.model.operations.check_storable`),
            and whatever the sink raises (state rolled back) when it
        cannot record.
        """
        complete, record = self._stage(op, actor or self.actor, self._seq + 1)
        if self._sink is not None:
            try:
                self._sink.append(record)
            except Exception:
                complete.inverse().execute(self._state)
                raise
        self._seq = record.seq
        self._notify_all([record])
        return record

    def apply_all(
        self,
        jobs: Sequence[tuple[Operation, str]],
        *,
        committed: Callable[[list[LogRecord | OperationError]], None] | None = None,
    ) -> list[LogRecord | OperationError]:
        """Apply many operations, each from its own actor, and record them in one durable commit.

        A room of phones sends contributions faster than one commit each can keep up with (a commit that
        survives a power cut costs about a millisecond and a half here); committing whatever has queued up
        together keeps every contribution as durable while paying for one. Each operation is judged on its
        own, in order: an invalid one is answered with its :class:`OperationError` and the others go on.
        Nothing is shown before it is on disk: subscribers hear of the records after the commit. If the
        sink fails, every operation of the group is rolled back and the error raised.

        ``committed(results)`` is called once the group is on disk, after the hand-off subscribers and before
        the views: whoever waits for the answers (phones) need not wait for every panel to redraw.
        """
        staged: list[tuple[Operation, LogRecord]] = []
        results: list[LogRecord | OperationError] = []
        for op, actor in jobs:
            try:
                complete, record = self._stage(op, actor, self._seq + len(staged) + 1)
            except OperationError as error:
                results.append(error)
                continue
            staged.append((complete, record))
            results.append(record)
        if not staged:
            if committed is not None:
                committed(results)
            return results
        if self._sink is not None:
            try:
                with _one_commit(self._sink):
                    for _complete, record in staged:
                        self._sink.append(record)
            except Exception:
                for complete, _record in reversed(staged):
                    complete.inverse().execute(self._state)
                raise
        self._seq = staged[-1][1].seq
        answer = None if committed is None else (lambda: committed(results))
        self._notify_all([record for _complete, record in staged], answer)
        return results

    def _stage(self, op: Operation, actor: str, seq: int) -> tuple[Operation, LogRecord]:
        """Execute ``op`` in memory and check what it leaves; the record it makes, not yet durable.

        Raises :class:`OperationError` with the state unchanged.
        """
        step = self.session.current_step
        tops = lane_tops(self.session, op)
        complete = op.execute(self._state)
        # the lane a node is drawn in is the lane it is in (lane_membership): a lane that moves takes its
        # nodes along, and a node moved into another lane without saying so joins that lane
        follow_ups = [*band_follow_ups(self.session, op, tops), *lane_follow_ups(self.session, op)]
        if follow_ups:
            try:
                joined = BatchOp(ops=follow_ups).execute(self._state)
            except Exception:
                complete.inverse().execute(self._state)
                raise
            assert isinstance(joined, BatchOp)
            ops = [*complete.ops] if isinstance(complete, BatchOp) else [complete]
            complete = BatchOp(label=complete.summary(), ops=[*ops, *joined.ops])
        try:
            check_limits(self._state.session, complete)
            check_storable(self._state, complete)
        except Exception:
            complete.inverse().execute(self._state)
            raise
        record = LogRecord(
            seq=seq,
            time=self._clock(),
            actor=actor or self.actor,
            intervention_id=step.intervention_id if step else None,
            step_id=step.step_id if step else None,
            op=complete,
        )
        return complete, record

    def _notify_all(self, records: list[LogRecord], committed: Callable[[], object] | None = None) -> None:
        """Hand-off subscribers hear of every record first, then ``committed`` runs, then the views, in order."""
        for record in records:
            self._notify(record, self._hand_offs)
        if committed is not None:
            committed()
        for record in records:
            self._notify(record, self._subscribers)

    @staticmethod
    def _notify(record: LogRecord, subscribers: list[Subscriber]) -> None:
        for subscriber in list(subscribers):
            try:
                subscriber(record)
            except Exception:  # a broken view must not make a recorded change look failed
                log.exception("subscriber %r failed on record %d", subscriber, record.seq)


def _one_commit(sink: OpSink) -> AbstractContextManager[None]:
    """The sink's own transaction when it has one (the .workshop file does), so a group costs one commit."""
    transaction = getattr(sink, "transaction", None)
    return transaction() if callable(transaction) else nullcontext()


def replay(
    start: Session,
    records: Iterable[LogRecord],
    *,
    until_seq: int | None = None,
    until_time: datetime | None = None,
    in_place: bool = False,
) -> Session:
    """Rebuild the session as it was after ``until_seq`` or at ``until_time``.

    ``start`` is the state before the first record given (the genesis or a
    snapshot); it is not modified unless ``in_place`` (for a state just read
    from a file that nobody else holds: a deep copy of 30,000 nodes takes a
    second).
    """
    state = SessionState(start if in_place else start.model_copy(deep=True))
    for record in records:
        if until_seq is not None and record.seq > until_seq:
            break
        if until_time is not None and record.time > until_time:
            break
        try:
            record.op.execute(state)
        except OperationError as error:
            raise OperationError(f"replay stopped at seq {record.seq}: {error}") from None
    return state.session
