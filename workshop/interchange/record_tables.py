"""The session record as rows: what the CSV files and the PDF report both list.

Every table is built from the de-identified record
(:func:`workshop.domain.research.privacy.public_record`), so nothing here names a
person behind an organization-anonymous contribution; survey responses
appear only as aggregated scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime

from workshop.domain.model.naming import flow_name, node_name
from workshop.domain.model.operations import UpdateOp
from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import disclose, public_record, round_scores
from workshop.domain.research.survey import rounds_in_order
from workshop.interchange.table import Table
from workshop.interchange.table1 import table1


def _t(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def boundary_history(record: SessionRecord) -> dict[str, list[tuple[str, datetime]]]:
    """boundary id -> [(status, when)] from the log: when each boundary was opened, started crossing, crossed."""
    history: defaultdict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for log in record.records:
        for op in log.op.primitives():
            if getattr(op, "kind", None) != "boundary":
                continue
            if op.op == "add":
                history[op.data["id"]].append((op.data.get("status", "open"), log.time))
            elif isinstance(op, UpdateOp) and "status" in op.changes:
                history[op.id].append((op.changes["status"], log.time))
    return dict(history)


def _org(record: SessionRecord, org_id: str | None) -> str:
    org = record.session.organizations.get(org_id or "")
    return org.name if org else ""


def _on(record: SessionRecord, kind: str, element_id: str | None) -> str:
    """What a contribution is on, as people name it: the step's or the flow's name, never its id."""
    session = record.session
    if kind == "node" and element_id in session.nodes:
        return f"step {node_name(session.nodes[element_id])}"
    if kind == "flow" and element_id in session.flows:
        return f"flow {flow_name(session, session.flows[element_id])}"
    if kind == "model" and element_id in session.models:
        return f"process {session.models[element_id].name}"
    return str(kind) if element_id is None else f"{kind} (removed)"


def annotation_table(record: SessionRecord) -> Table:
    record = public_record(record)
    s = record.session
    header = [
        "id",
        "kind",
        "text",
        "on",
        "on_id",
        "author",
        "organization",
        "created",
        "themes",
        "idea",
        "idea status",
        "intervention",
        "step",
        "walkthrough",
        "hidden",
    ]
    rows = [
        [
            a.id,
            str(a.annotation_kind),
            a.text,
            _on(record, str(a.target_kind), a.target_id),
            a.target_id or "",
            disclose(s, a.author_id, a.organization_id, anonymous=a.anonymous).label,
            _org(record, a.organization_id),
            _t(a.created),
            "; ".join(s.codes[c].name for c in a.codes if c in s.codes),
            str(a.idea_mode or ""),
            str(a.idea_status or ""),
            a.intervention_id or "",
            a.step_id or "",
            a.walkthrough_id or "",
            "yes" if a.hidden else "",
        ]
        for a in s.annotations.values()
    ]
    return header, rows


def boundaries(record: SessionRecord) -> Table:
    record = public_record(record)
    history = boundary_history(record)
    header = [
        "id",
        "organization A",
        "organization B",
        "type",
        "shows up as",
        "not shared",
        "on",
        "on_id",
        "status",
        "status history",
        "how it was crossed",
    ]
    rows = [
        [
            b.id,
            _org(record, b.org_a),
            _org(record, b.org_b),
            str(b.boundary_type),
            "; ".join(str(m) for m in b.manifestations),
            b.not_shared,
            _on(record, str(b.target_kind), b.target_id),
            b.target_id or "",
            str(b.status),
            "; ".join(f"{status} {_t(when)}" for status, when in history.get(b.id, [])),
            b.crossing_note,
        ]
        for b in record.session.boundaries.values()
    ]
    return header, rows


def agreements(record: SessionRecord) -> Table:
    record = public_record(record)
    rows = [
        [a.check_id, _org(record, a.organization_id), str(a.rating), a.comment, _t(a.created)]
        for a in record.session.agreements.values()
    ]
    return ["check", "organization", "rating (1-5)", "comment", "time"], rows


def votes(record: SessionRecord) -> Table:
    s = public_record(record).session
    totals: defaultdict[tuple[str, str], int] = defaultdict(int)
    for vote in s.votes.values():
        totals[(vote.round_id, vote.annotation_id)] += vote.dots
    rows = [
        [round_id, s.annotations[a].text if a in s.annotations else a, str(dots)]
        for (round_id, a), dots in sorted(totals.items(), key=lambda item: (item[0][0], -item[1]))
    ]
    return ["round", "idea or problem", "dots"], rows


def mechanisms(record: SessionRecord) -> Table:
    rows = [
        [
            m.name,
            str(m.mechanism_kind),
            str(m.mode),
            _org(record, m.owner_org_id),
            m.cadence,
            m.coordinates,
            str(m.status),
            str(len(m.flow_ids)),
        ]
        for m in record.session.mechanisms.values()
    ]
    return [
        "mechanism",
        "kind",
        "coordinates by",
        "owner",
        "cadence",
        "what it coordinates",
        "status",
        "handoffs covered",
    ], rows


def commitments(record: SessionRecord) -> Table:
    rows = [
        [_org(record, c.from_org_id), c.what, _org(record, c.to_org_id), c.form, c.by_when, "yes" if c.done else ""]
        for c in record.session.commitments.values()
    ]
    return ["who", "delivers what", "to whom", "in what form", "by when", "delivered"], rows


def survey_scores(record: SessionRecord, threshold: int = 3) -> Table:
    """Aggregated relational-coordination scores; cells under the threshold are blank and flagged."""
    record = public_record(record, threshold)
    rows = []
    for survey in rounds_in_order(record.session):
        for cell in round_scores(record, survey.id):
            rows.append(
                [
                    survey.label,
                    survey.phase,
                    _org(record, cell.from_org),
                    _org(record, cell.about_org),
                    cell.dimension,
                    "" if cell.mean is None else f"{cell.mean:.3f}",
                    str(cell.respondents),
                    "too few answers" if cell.suppressed else "",
                ]
            )
    return ["round", "phase", "organization", "about organization", "dimension", "mean", "respondents", "note"], rows


def op_log(record: SessionRecord) -> Table:
    rows = [
        [
            str(log.seq),
            _t(log.time),
            log.actor,
            log.intervention_id or "",
            log.step_id or "",
            log.op.summary(),
        ]
        for log in public_record(record).records
    ]
    return ["seq", "time (UTC)", "actor", "intervention", "step", "what"], rows


TABLES: dict[str, Callable[[SessionRecord], Table]] = {
    "annotations": annotation_table,
    "boundaries": boundaries,
    "agreement_checks": agreements,
    "votes": votes,
    "mechanisms": mechanisms,
    "commitments": commitments,
    "survey_scores": survey_scores,
    "op_log": op_log,
}


def all_tables(record: SessionRecord) -> Iterator[tuple[str, Table]]:
    record = public_record(record)
    for name, build in TABLES.items():
        yield name, build(record)
    yield "table1_summary", table1(record.session)
