"""A workshop as it ran: the example session taken through the three interventions, with a log.

Used by the report tests and by ``tools/screenshot_report.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from workshop.domain.facilitation.coordination import AgreementRating, Commitment, CoordinationMechanism
from workshop.domain.facilitation.progress import goto_op, load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.domain.model.annotations import Annotation, KnowledgeBoundary
from workshop.domain.model.document import Document, LogRecord, participant_actor
from workshop.domain.model.operations import add, update
from workshop.domain.model.record import SessionRecord
from workshop.resources import example_session_path, scripts_dir
from workshop.store.sessions import create_document, load_session_json


class _Sink:
    def __init__(self) -> None:
        self.records: list[LogRecord] = []

    def append(self, record: LogRecord) -> None:
        self.records.append(record)


def _run(doc: Document) -> None:
    doc.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    go = lambda i, s: doc.apply(goto_op(doc.session, i, s))  # noqa: E731 - reads like the agenda
    go("i1", "i1-welcome")
    go("i1", "i1-walk-current")
    go("i1", "i1-boundaries")
    doc.apply(
        add(
            KnowledgeBoundary(
                id="b-run-1",
                org_a="org-b",
                org_b="org-it",
                boundary_type="pragmatic",
                not_shared="Which paper forms the IT provider can still read, and who pays for scanning them",
                raised_by="p-berg",
            )
        ),
        actor=participant_actor("p-berg"),
    )
    doc.apply(
        add(
            Annotation(
                id="a-run-1",
                annotation_kind="problem",
                text="Status questions from end-users arrive at three places and nobody knows who answers them.",
                author_id="p-lindqvist",
                organization_id="org-eu",
                target_kind="session",
            )
        ),
        actor=participant_actor("p-lindqvist"),
    )
    go("i1", "i1-ideal")
    doc.apply(
        add(
            Annotation(
                id="a-run-2",
                annotation_kind="idea",
                text="One shared case number from the first contact on, printed on every letter.",
                author_id="p-nowak",
                organization_id="org-a",
                idea_mode="explore",
                idea_status="proposed",
                target_kind="session",
            )
        ),
        actor=participant_actor("p-nowak"),
    )
    go("i2", "i2-future")
    go("i2", "i2-requirements")
    doc.apply(
        add(
            Annotation(
                id="a-run-3",
                annotation_kind="requirement",
                text="Every forwarded case carries the end-user's customer number and the contract type.",
                author_id="p-mueller",
                organization_id="org-it",
                target_kind="session",
            )
        ),
        actor=participant_actor("p-mueller"),
    )
    go("i2", "i2-agreement")
    for n, (person, org, rating) in enumerate(
        [("p-nowak", "org-a", 4), ("p-svensson", "org-a", 3), ("p-berg", "org-b", 2), ("p-mueller", "org-it", 4)]
    ):
        doc.apply(
            add(
                AgreementRating(
                    id=f"ag-run-{n}", check_id="i2-agreement", organization_id=org, participant_id=person, rating=rating
                )
            ),
            actor=participant_actor(person),
        )
    doc.apply(update("boundary", "boundary-classify", status="crossed", crossing_note="Agreed on five categories."))
    go("i3", "i3-existing")
    doc.apply(
        add(
            CoordinationMechanism(
                id="m-run-1",
                name="Weekly case review",
                mechanism_kind="meetings_and_groups",
                mode="mutual_adjustment",
                owner_org_id="org-it",
                cadence="every Monday, 30 minutes",
                coordinates="Open cases older than a week, across both customer groups",
                status="existing_change",
            )
        )
    )
    go("i3", "i3-new")
    doc.apply(
        add(
            CoordinationMechanism(
                id="m-run-2",
                name="Shared contact form",
                mechanism_kind="plans_and_rules",
                mode="standardization",
                owner_org_id="org-b",
                coordinates="What a forwarded case must contain",
                status="new",
            )
        )
    )
    go("i3", "i3-contract")
    doc.apply(
        add(
            Commitment(
                id="c-run-1",
                from_org_id="org-b",
                to_org_id="org-it",
                what="Forward cases with the shared contact form only",
                form="web form",
                by_when="1 June",
            )
        )
    )
    doc.apply(
        add(
            Commitment(
                id="c-run-2",
                from_org_id="org-it",
                to_org_id="org-eu",
                what="A confirmation letter within two working days",
                form="letter",
                by_when="from July",
                done=True,
            )
        )
    )
    doc.apply(update("annotation", "a-run-2", idea_status="agreed", idea_mode="explore"))
    go("i3", "i3-ideas-followup")
    go("i3", "i3-reflection")
    anonymous = {"author_id": None, "organization_id": "org-a", "anonymous": True}
    doc.apply(
        add(
            Annotation(
                id="a-run-4",
                annotation_kind="comment",
                text="We were heard for the first time; the weekly review must not become a blame session.",
                target_kind="session",
                **anonymous,
            )
        ),
        actor=participant_actor("p-svensson"),
    )


def workshop_record(*, morning: bool = False) -> SessionRecord:
    """The run in memory (state and log).

    ``morning``: the log's times spread over a morning from 09:00 UTC (three
    minutes per operation) instead of the few milliseconds the run takes, for
    screenshots that look like a real workshop.
    """
    sink = _Sink()
    doc = Document(load_session_json(example_session_path()), sink=sink)
    _run(doc)
    records = sink.records
    if morning:
        start = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
        records = [r.model_copy(update={"time": start + timedelta(minutes=3 * n)}) for n, r in enumerate(records)]
    return SessionRecord(doc.session, records)


def workshop_file(path: Path) -> Path:
    """The run as a .workshop file at ``path``."""
    doc, store = create_document(path, load_session_json(example_session_path()))
    try:
        _run(doc)
    finally:
        store.close()
    return path
