"""The document records every change before it tells anyone, and rolls back when it cannot record."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.document import LogRecord, participant_actor, replay
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import update
from workshop.domain.model.session import new_session


class FailingSink:
    def append(self, record: LogRecord) -> None:
        raise OSError("disk full")


class ListSink:
    def __init__(self) -> None:
        self.records: list[LogRecord] = []

    def append(self, record: LogRecord) -> None:
        self.records.append(record)


def test_sink_failure_rolls_back_and_nobody_is_told() -> None:
    doc = two_org_document()
    told: list[LogRecord] = []
    doc.subscribe(told.append)
    doc._sink = FailingSink()
    before = doc.session.model_copy(deep=True)
    with pytest.raises(OSError, match="disk full"):
        doc.apply(update("node", "a", x=99))
    assert doc.session == before
    assert told == []
    assert doc.last_seq == 12


@pytest.mark.a_view_raises_on_purpose
def test_subscribers_hear_each_record_and_a_broken_one_does_not_stop_the_rest() -> None:
    doc = two_org_document()
    heard: list[int] = []

    def broken(record: LogRecord) -> None:
        raise RuntimeError("view bug")

    doc.subscribe(broken)
    unsubscribe = doc.subscribe(lambda r: heard.append(r.seq))
    doc.apply(update("node", "a", x=1), actor=participant_actor("p-1"))
    unsubscribe()
    doc.apply(update("node", "a", x=2))
    assert heard == [13]


def test_replay_rebuilds_any_moment() -> None:
    times = iter(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i) for i in range(100))
    sink = ListSink()
    doc = two_org_document(sink=sink, clock=lambda: next(times))
    doc.apply(update("node", "a", x=50))
    start = new_session("test", session_id="session-test", created=doc.session.created)

    assert replay(start, sink.records) == doc.session
    assert replay(start, sink.records, until_seq=12).nodes["a"].x == 0.0
    at_time = replay(start, sink.records, until_time=sink.records[2].time)
    assert (len(at_time.organizations), len(at_time.models), len(at_time.lanes)) == (2, 1, 0)
    assert start.organizations == {}, "replay must not modify its starting state"


class GroupSink(ListSink):
    """Counts commits: appends inside ``transaction()`` are committed once, at its end."""

    def __init__(self, fail_at: int | None = None) -> None:
        super().__init__()
        self.commits = 0
        self.committed: list[LogRecord] = []
        self._open: list[LogRecord] | None = None
        self._fail_at = fail_at

    def append(self, record: LogRecord) -> None:
        if self._fail_at is not None and len(self.records) == self._fail_at:
            raise OSError("disk full")
        super().append(record)
        if self._open is None:
            self.commits += 1
            self.committed.append(record)
        else:
            self._open.append(record)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._open = []
        try:
            yield
            self.commits += 1
            self.committed.extend(self._open)
        finally:
            self._open = None


def test_a_group_is_one_commit_and_judges_each_operation_on_its_own() -> None:
    doc = two_org_document()
    sink = GroupSink()
    doc._sink = sink
    told: list[tuple[int, int]] = []
    doc.subscribe(lambda record: told.append((record.seq, len(sink.committed))))
    results = doc.apply_all(
        [
            (update("node", "a", x=10), participant_actor("p1")),
            (update("node", "missing", x=1), participant_actor("p2")),
            (update("node", "a", x=20), participant_actor("p3")),
        ]
    )
    assert isinstance(results[1], OperationError), "the bad one is answered with its error"
    assert [r.seq for r in results if isinstance(r, LogRecord)] == [13, 14]
    assert [r.actor for r in sink.records] == [participant_actor("p1"), participant_actor("p3")]
    assert sink.commits == 1
    assert told == [(13, 2), (14, 2)], "subscribers hear of each record only after the group is on disk"
    assert doc.session.nodes["a"].x == 20
    assert doc.last_seq == 14


def test_the_answers_of_a_group_go_out_after_the_hand_offs_and_before_the_views() -> None:
    """Phones wait for the commit and the server's copy, not for every panel of the window to redraw."""
    doc = two_org_document()
    sink = GroupSink()
    doc._sink = sink
    heard: list[str] = []
    doc.subscribe(lambda record: heard.append(f"view {record.seq}"))
    doc.subscribe(lambda record: heard.append(f"server {record.seq}"), hand_off=True)

    def answered(results: list[LogRecord | OperationError]) -> None:
        assert len(sink.committed) == 2, "on disk first"
        heard.append(f"answers {len(results)}")

    doc.apply_all(
        [(update("node", "a", x=10), participant_actor("p1")), (update("node", "a", x=20), participant_actor("p2"))],
        committed=answered,
    )
    assert heard == ["server 13", "server 14", "answers 2", "view 13", "view 14"]


def test_a_group_the_sink_cannot_record_is_rolled_back_whole() -> None:
    doc = two_org_document()
    doc._sink = GroupSink(fail_at=1)
    told: list[LogRecord] = []
    doc.subscribe(told.append)
    before = doc.session.model_copy(deep=True)
    with pytest.raises(OSError, match="disk full"):
        doc.apply_all([(update("node", "a", x=10), "facilitator"), (update("node", "a", x=20), "facilitator")])
    assert doc.session == before
    assert told == []
    assert doc.last_seq == 12
