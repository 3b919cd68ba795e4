"""Intervention 3's outcome in the study record: mechanisms, the collaboration contract, the joint commitment.

Three tables, computed from the de-identified sittings like every study
table: each coordination mechanism followed from sitting to sitting; each
line of the contract with the organizations that agreed to it, whether it
was committed to jointly, and its negotiation's history read from each
sitting's log (a line carried into a sitting starts there as it was carried,
so the moves made there are never lost); and each joint commitment — the
organizations committing together to the agreed lines.
"""

from __future__ import annotations

from collections.abc import Iterator

from workshop.domain.facilitation.contract import STATE_WORDS, contract_history
from workshop.domain.model.naming import flow_name
from workshop.domain.model.session import Session
from workshop.domain.research.study import Sitting
from workshop.interchange.study_tables import StudyRecord
from workshop.interchange.table import Table


def _org(session: Session, org_id: str | None) -> str:
    org = session.organizations.get(org_id or "")
    return org.name if org else (org_id or "")


def _orgs(session: Session, org_ids: list[str]) -> str:
    return " and ".join(_org(session, o) for o in org_ids)


def _handoffs(session: Session, flow_ids: list[str]) -> str:
    return "; ".join(flow_name(session, session.flows[f]) for f in flow_ids if f in session.flows)


def _words(value: str) -> str:
    return str(value).replace("existing_", "existing: ").replace("_", " ")


def _each(record: StudyRecord) -> Iterator[tuple[Sitting, Session]]:
    for sitting, session_record in record.sittings:
        yield sitting, session_record.session


MECHANISMS_HEADER = [
    "mechanism",
    "name",
    "kind",
    "mode",
    "owner",
    "cadence",
    "what it coordinates",
    "handoffs",
    "status",
    "made in",
    "last seen in",
    "history",
]


def mechanisms_table(record: StudyRecord) -> Table:
    """Every coordination mechanism by its id, as it was last seen, with its status per sitting."""
    latest: dict[str, list[str]] = {}
    made: dict[str, str] = {}
    seen: dict[str, str] = {}
    history: dict[str, list[str]] = {}
    for sitting, s in _each(record):
        for item in s.mechanisms.values():
            made.setdefault(item.id, sitting.id)
            status = _words(item.status)
            latest[item.id] = [
                item.name,
                _words(item.mechanism_kind),
                _words(item.mode),
                _org(s, item.owner_org_id),
                item.cadence,
                item.coordinates,
                _handoffs(s, item.flow_ids),
                status,
            ]
            seen[item.id] = sitting.id
            said = history.setdefault(item.id, [])
            if not said or not said[-1].endswith(f": {status}"):
                said.append(f"{sitting.id}: {status}")
    rows = [[mid, *latest[mid], made[mid], seen[mid], "; ".join(history[mid])] for mid in made]
    return MECHANISMS_HEADER, rows


COMMITMENTS_HEADER = [
    "commitment",
    "from",
    "to",
    "what",
    "form",
    "by when",
    "negotiation",
    "handoff",
    "agreed by",
    "committed jointly by",
    "made in",
    "done in",
    "last seen in",
    "history",
]


def commitments_table(record: StudyRecord) -> Table:
    """Every line of the collaboration contract across the study by its id: when it was made and kept.

    ``negotiation`` is where the line stands (requested, can do, cannot,
    counter-proposal, agreed; :mod:`workshop.domain.facilitation.contract`), and the
    history per sitting says the moves made in that sitting, read from its
    log ("s07: requested, can do; s10: agreed; s12: done"), and the state of a
    line carried into a sitting that changed it without a move in its log.
    """
    latest: dict[str, list[str]] = {}
    made: dict[str, str] = {}
    done: dict[str, str] = {}
    seen: dict[str, str] = {}
    history: dict[str, list[str]] = {}
    for sitting, session_record in record.sittings:
        s = session_record.session
        for item in s.commitments.values():
            made.setdefault(item.id, sitting.id)
            jointly = [_orgs(s, j.organization_ids) for j in s.joint_commitments.values() if item.id in j.line_ids]
            latest[item.id] = [
                _org(s, item.from_org_id),
                _org(s, item.to_org_id),
                item.what,
                item.form,
                item.by_when,
                STATE_WORDS[item.state],
                flow_name(s, s.flows[item.flow_id]) if item.flow_id in s.flows else "",
                _orgs(s, item.agreed_by),
                "; ".join(jointly),
            ]
            seen[item.id] = sitting.id
            if item.done:
                done.setdefault(item.id, sitting.id)
            said = history.setdefault(item.id, [])
            moves = [move.state for move in contract_history(session_record.records, item.id, item)]
            states = [m for n, m in enumerate(moves) if not n or moves[n - 1] != m]
            last = said[-1].rsplit(", ", 1)[-1].split(": ")[-1] if said else ""
            if states:  # the moves made in this sitting, from its log
                said.append(f"{sitting.id}: {', '.join(states)}")
            else:  # carried here unchanged: said again only when a record made elsewhere changed it
                state = "done" if item.done else STATE_WORDS[item.state]
                if state != last:
                    said.append(f"{sitting.id}: {state}")
    rows = [[cid, *latest[cid], made[cid], done.get(cid, ""), seen[cid], "; ".join(history[cid])] for cid in made]
    return COMMITMENTS_HEADER, rows


JOINT_HEADER = ["joint commitment", "organizations", "lines committed to", "note", "made in", "date"]


def joint_commitments_table(record: StudyRecord) -> Table:
    """Each joint commitment, in the sitting it was made: who committed together, to which agreed lines."""
    rows: list[list[str]] = []
    listed: set[str] = set()
    for sitting, s in _each(record):
        for joint in s.joint_commitments.values():
            if joint.id in listed:
                continue
            listed.add(joint.id)
            lines = [
                f"{_org(s, line.from_org_id)} to {_org(s, line.to_org_id)}: {line.what}"
                for line in (s.commitments.get(line_id) for line_id in joint.line_ids)
                if line is not None
            ]
            when = sitting.date or (joint.created.date().isoformat() if joint.created else "")
            rows.append(
                [joint.id, ", ".join(_org(s, o) for o in joint.organization_ids), "; ".join(lines), joint.note,
                 sitting.id, when]
            )  # fmt: skip
    return JOINT_HEADER, rows


def coordination_text(record: StudyRecord) -> tuple[str, set[str]]:
    """The mechanisms, the contract and the joint commitments of ``record`` as plain text, and the organizations
    (ids) they involve: what the study's QDPX carries as one source per intervention ('' when there is none)."""
    _, mechanisms = mechanisms_table(record)
    _, lines = commitments_table(record)
    _, joints = joint_commitments_table(record)
    involved: set[str] = set()
    for _, s in _each(record):
        involved |= {m.owner_org_id for m in s.mechanisms.values() if m.owner_org_id}
        involved |= {o for c in s.commitments.values() for o in (c.from_org_id, c.to_org_id)}
    parts: list[str] = []
    if mechanisms:
        parts.append("Coordination mechanisms")
        for _, name, kind, mode, owner, cadence, coordinates, handoffs, status, *_ in mechanisms:
            said = [kind, f"mode: {mode}", f"owner: {owner}" if owner else "", cadence, f"status: {status}"]
            parts.append(f"- {name} ({', '.join(p for p in said if p)})")
            parts += [f"  coordinates: {coordinates}"] if coordinates else []
            parts += [f"  handoffs: {handoffs}"] if handoffs else []
    if lines:
        parts.append("The collaboration contract")
        for _, giver, taker, what, form, by_when, state, handoff, agreed, jointly, _, _, _, history in lines:
            terms = ", ".join(p for p in (form, f"by {by_when}" if by_when else "", handoff and f"at {handoff}") if p)
            parts.append(f"- {giver} to {taker}: {what}{f' ({terms})' if terms else ''}: {state}")
            parts += [f"  agreed by {agreed}"] if agreed else []
            parts += [f"  committed to jointly by {jointly}"] if jointly else []
            parts.append(f"  history: {history}")
    if joints:
        parts.append("Joint commitments")
        for _, organizations, committed, note, sitting, when in joints:
            parts.append(f"- {organizations} commit together ({sitting}, {when}) to: {committed}")
            parts += [f"  in their words: {note}"] if note else []
    return ("\n".join(parts) + "\n" if parts else ""), involved
