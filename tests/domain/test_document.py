"""The document records every change before it tells anyone, and rolls back when it cannot record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.document import LogRecord, participant_actor, replay
from workshop.domain.operations import update
from workshop.domain.session import new_session


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
