"""What any output may show about a person: the one privacy rule of every export, log and broadcast.

The .workshop file keeps the full truth (who did what, when). Everything
that leaves it — the PDF report, JSON, CSV, REFI-QDA, pictures, the bundle,
``workshop log`` and ``workshop replay`` — shows people only as
:func:`disclose` allows, through :func:`public_record`:

* A contribution made in an organization-anonymous step — an annotation, a
  knowledge boundary, a dot vote, an agreement answer, a walkthrough
  capture, an ownership claim — is shown as its organization's, never the
  person's: no name, no participant id.
* An organization with fewer participants than the anonymity threshold
  (:data:`THRESHOLD`, the same number below which survey cells are
  withheld) is not shown on its own behind an anonymous contribution: with
  two people in it, "organization B" would all but name the person.
* Survey answers are never shown per person, anonymous step or not: they
  leave the file only as aggregated scores, with cells of fewer than
  :data:`THRESHOLD` respondents withheld.

Whether a record was made in an anonymous step is read from the log itself
(the ``anonymous_step`` flag as the facilitator moved through the script,
and the script's step settings), so a contribution stays anonymous in every
later export even after the step ended.

For live views (the participant server's broadcasts, the projector) call
:func:`disclose` for each contribution with ``anonymous=True`` when it was
made in an anonymous step; it is pure and cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from workshop.domain.model.document import FACILITATOR, LogRecord
from workshop.domain.model.entity import KINDS
from workshop.domain.model.operations import AddOp, BatchOp, Operation, RemoveOp, SetSessionOp, UpdateOp
from workshop.domain.model.record import SessionRecord
from workshop.domain.model.session import Session
from workshop.domain.research.survey import DEFAULT_THRESHOLD, Cell, score_round

THRESHOLD = DEFAULT_THRESHOLD
"""Smallest group an output may show on its own: survey cells and organizations behind anonymous contributions."""

CONTRIBUTIONS = {
    "annotation": "author_id",
    "boundary": "raised_by",
    "vote": "participant_id",
    "agreement": "participant_id",
    "claim": "participant_id",
    "survey_response": "participant_id",
}
"""Kinds of contribution and the field naming the person who made it."""

PERSON_FIELDS = frozenset({"author_id", "raised_by", "participant_id"})
"""Fields of a contribution (in the state and in logged operations) that name a person."""

WITHHELD_KINDS = frozenset({"survey_response"})
"""Kinds never shown per element: only aggregated (see :func:`survey_cells`)."""

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Disclosure:
    """What an output may show about who made a contribution.

    ``label`` is the text to print; ``participant_id`` and
    ``organization_id`` are what may be written as data (None: withheld).
    """

    label: str
    participant_id: str | None
    organization_id: str | None


def disclose(
    session: Session,
    participant_id: str | None,
    organization_id: str | None = None,
    *,
    anonymous: bool,
    kind: str = "annotation",
    threshold: int = THRESHOLD,
) -> Disclosure:
    """Decide what an output may show about the person behind one contribution.

    ``participant_id`` is who made it (None: the facilitator, or unknown);
    ``organization_id`` the organization it is attributed to (defaults to the
    participant's); ``anonymous`` whether it was made in an
    organization-anonymous step; ``kind`` the contribution kind (a survey
    answer is never shown per person). Used by every export and the CLI, and
    meant for the participant server's broadcasts too.
    """
    person = session.participants.get(participant_id or "")
    org_id = organization_id or (person.organization_id if person else None)
    org = session.organizations.get(org_id or "")
    if kind in WITHHELD_KINDS:
        return Disclosure("survey answers are shown in aggregate only", None, None)
    if anonymous:
        members = sum(1 for p in session.participants.values() if p.organization_id == org_id)
        if org is None or members < threshold:
            return Disclosure(ANONYMOUS, None, None)
        return Disclosure(f"{org.name} ({ANONYMOUS})", None, org.id)
    if participant_id is None:
        return Disclosure(org.name if org else "facilitator", None, org.id if org else None)
    if person is None:
        return Disclosure("participant (left the session)", None, org.id if org else None)
    return Disclosure(f"{person.name} ({org.name})" if org else person.name, person.id, org.id if org else None)


def _anonymous_steps(session: Session) -> set[tuple[str, str]]:
    """(intervention id, step id) of the script's organization-anonymous steps (the script is kept as data)."""
    found: set[tuple[str, str]] = set()
    for intervention in (session.script or {}).get("interventions", []):
        for step in intervention.get("steps", []):
            if step.get("anonymous"):
                found.add((str(intervention.get("id")), str(step.get("id"))))
    return found


def _element(op: Operation) -> tuple[str, str] | None:
    if isinstance(op, AddOp):
        return op.kind, str(op.data.get("id", ""))
    if isinstance(op, UpdateOp | RemoveOp):
        return op.kind, op.id
    return None


class Privacy:
    """The privacy rule applied to one session record: which records and elements are anonymous.

    Built once per output (one pass over the log); :meth:`record` then gives
    the de-identified record every exporter writes from.
    """

    def __init__(self, record: SessionRecord, threshold: int = THRESHOLD) -> None:
        self.full = record
        self.threshold = threshold
        session = record.session
        steps = _anonymous_steps(session)
        flag = self._initial_flag(record)
        self.anonymous_seqs: set[int] = set()
        self.anonymous_elements: set[tuple[str, str]] = {
            ("annotation", a.id) for a in session.annotations.values() if a.anonymous
        }
        for log in record.records:
            for op in log.op.primitives():
                if isinstance(op, SetSessionOp) and "anonymous_step" in op.changes:
                    flag = bool(op.changes["anonymous_step"])
            made_anonymously = flag or (log.intervention_id or "", log.step_id or "") in steps
            for op in log.op.primitives():
                if isinstance(op, AddOp) and op.kind == "annotation" and op.data.get("anonymous"):
                    made_anonymously = True
            if not made_anonymously:
                continue
            if log.actor.startswith("participant:"):
                self.anonymous_seqs.add(log.seq)
            for op in log.op.primitives():  # also what the facilitator typed in for someone in such a step
                element = _element(op)
                if isinstance(op, AddOp) and element and element[0] in CONTRIBUTIONS:
                    self.anonymous_elements.add(element)
        for log in record.records:
            # A participant who later changes an anonymous contribution (a new rating, a withdrawn vote)
            # must not be named on that change either: the element's id would tie it to them.
            if log.seq not in self.anonymous_seqs and log.actor.startswith("participant:"):
                touched = (_element(op) for op in log.op.primitives())
                if any(element in self.anonymous_elements for element in touched if element):
                    self.anonymous_seqs.add(log.seq)

    @staticmethod
    def _initial_flag(record: SessionRecord) -> bool:
        for log in record.records:
            for op in log.op.primitives():
                if isinstance(op, SetSessionOp) and "anonymous_step" in op.changes:
                    return bool((op.old or {}).get("anonymous_step", False))
        return record.session.anonymous_step  # never changed in the log: as it is now

    # -- people -----------------------------------------------------------------
    def is_anonymous(self, kind: str, element_id: str) -> bool:
        return (kind, element_id) in self.anonymous_elements

    def contributor(self, kind: str, element_id: str, participant_id: str | None, org_id: str | None) -> Disclosure:
        """Who an output may say made element ``element_id`` of ``kind``."""
        return disclose(
            self.full.session,
            participant_id,
            org_id,
            anonymous=self.is_anonymous(kind, element_id),
            kind=kind,
            threshold=self.threshold,
        )

    def actor(self, log: LogRecord) -> str:
        """The actor of a log record as outputs may show it."""
        if log.actor == FACILITATOR or not log.actor.startswith("participant:"):
            return log.actor
        participant_id = log.actor.removeprefix("participant:")
        anonymous = log.seq in self.anonymous_seqs
        return disclose(self.full.session, participant_id, anonymous=anonymous, threshold=self.threshold).label

    # -- the de-identified record -------------------------------------------------
    def session(self) -> Session:
        """The state as outputs may show it (a shallow copy: untouched collections are shared)."""
        s = self.full.session
        update: dict[str, Any] = {"survey_responses": {}}
        for kind, field in CONTRIBUTIONS.items():
            if kind in WITHHELD_KINDS:
                continue
            collection = KINDS[kind].collection
            elements = getattr(s, collection)
            changed = {}
            for element_id, element in elements.items():
                if not self.is_anonymous(kind, element_id):
                    continue
                org_field = "organization_id" if kind in ("annotation", "agreement") else None
                shown = self.contributor(
                    kind, element_id, getattr(element, field), getattr(element, org_field) if org_field else None
                )
                changes: dict[str, Any] = {field: None}
                if org_field:
                    changes[org_field] = shown.organization_id or ("" if kind == "agreement" else None)
                if kind == "annotation":
                    changes["anonymous"] = True
                changed[element_id] = element.model_copy(update=changes)
            if changed:
                update[collection] = {**elements, **changed}
        return s.model_copy(update=update)

    def _scrub(self, op: Operation) -> Operation | None:
        """``op`` as outputs may show it; None for what is never shown per person (survey answers)."""
        if isinstance(op, BatchOp):
            if not op.ops:  # an empty gesture hides nobody: its record stays, so the log shows every record
                return op
            kept = [o for o in (self._scrub(inner) for inner in op.ops) if o is not None]
            return op.model_copy(update={"ops": kept}) if kept else None
        element = _element(op)
        if element is None:
            return op
        if element[0] in WITHHELD_KINDS:
            return None
        if element not in self.anonymous_elements:
            return op

        def clean(data: dict[str, Any] | None) -> dict[str, Any] | None:
            if data is None:
                return None
            cleaned = {k: (None if k in PERSON_FIELDS else v) for k, v in data.items()}
            if "organization_id" in cleaned and element[0] in ("annotation", "agreement"):
                original = cleaned["organization_id"]
                shown = disclose(self.full.session, None, original, anonymous=True, threshold=self.threshold)
                cleaned["organization_id"] = shown.organization_id or ("" if element[0] == "agreement" else None)
            return cleaned

        if isinstance(op, AddOp):
            return op.model_copy(update={"data": clean(op.data)})
        if isinstance(op, UpdateOp):
            return op.model_copy(update={"changes": clean(op.changes), "old": clean(op.old)})
        if isinstance(op, RemoveOp):
            return op.model_copy(update={"data": clean(op.data)})
        return op

    def records(self) -> Iterator[LogRecord]:
        """The log as outputs may show it: actors disclosed, people scrubbed, survey answers left out."""
        for log in self.full.records:
            op = self._scrub(log.op)
            if op is None:
                continue
            yield log.model_copy(update={"actor": self.actor(log), "op": op})

    def survey_cells(self) -> dict[str, list[Cell]]:
        """Every survey round's aggregated scores, computed from the full record, cells under the threshold withheld."""
        s = self.full.session
        return {round_id: score_round(s, round_id, threshold=self.threshold) for round_id in s.survey_rounds}

    def record(self) -> SessionRecord:
        """The whole record as every output may show it."""
        s = self.full.session
        roles = {rid: score_round(s, rid, threshold=self.threshold, by_role=True) for rid in s.survey_rounds}
        return SessionRecord(
            self.session(),
            list(self.records()),
            survey_cells=self.survey_cells(),
            role_cells=roles,
            threshold=self.threshold,
        )


def public_record(record: SessionRecord, threshold: int = THRESHOLD) -> SessionRecord:
    """``record`` de-identified for any output (idempotent: a public record stays as it is)."""
    if record.survey_cells is not None:
        return record
    return Privacy(record, threshold).record()


def round_scores(record: SessionRecord, round_id: str) -> list[Cell]:
    """A survey round's aggregated scores: from a public record's precomputed cells, else from the responses."""
    if record.survey_cells is not None:
        return record.survey_cells.get(round_id, [])
    return score_round(record.session, round_id, threshold=record.threshold)


def round_role_scores(record: SessionRecord, round_id: str) -> list[Cell]:
    """A survey round's aggregated scores by role pair (answers that name both roles), small cells withheld."""
    if record.role_cells is not None:
        return record.role_cells.get(round_id, [])
    return score_round(record.session, round_id, threshold=record.threshold, by_role=True)
