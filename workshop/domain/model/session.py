"""The whole workshop session, and the state wrapper operations act on.

``Session`` is plain data (pydantic): it is what a snapshot stores, what a
replay rebuilds and what exports read. ``SessionState`` adds what is derived
from it and kept up to date as operations apply: a reverse index of
references, so refusing to remove a referenced element costs a lookup, not a
scan of a 10,000-node model.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from workshop.domain.facilitation.coordination import (
    AgreementRating,
    Commitment,
    CoordinationMechanism,
    JointCommitment,
    Vote,
)
from workshop.domain.facilitation.step_clock import StepClock
from workshop.domain.model.annotations import (
    DEFAULT_THEME_CODES,
    Annotation,
    GlossaryTerm,
    KnowledgeBoundary,
    ThemeCode,
)
from workshop.domain.model.claims import OwnershipClaim
from workshop.domain.model.entity import KINDS, Entity, Ref
from workshop.domain.model.ids import new_id
from workshop.domain.model.process import Flow, Group, Lane, Node, Organization, Participant, ProcessModel
from workshop.domain.research.sources import (
    ArchivalDocument,
    DataCollectionEvent,
    ImportedSource,
    ObservationNote,
    SurveyResponse,
    SurveyRound,
)
from workshop.domain.walkthrough.moves import WalkMove, Walkthrough


class StepRef(BaseModel):
    """Where the facilitation script stands: an intervention and a step in it."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    intervention_id: str
    step_id: str


class Session(BaseModel):
    """Everything a workshop session holds, keyed by stable ids."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str
    title: str
    created: datetime
    description: str = ""
    script: dict[str, Any] | None = None
    """The facilitation script in use, embedded so the record does not depend on a file."""
    current_step: StepRef | None = None
    anonymous_step: bool = False
    """Contributions in the current step are attributed to organizations, not people."""
    ask_predictability: bool = False
    """The agreement check in force asks predictability too (how well each organization can foresee what the
    others will do, and when, at the handoffs), so phones show that question beside the understanding rating.
    Set by the facilitator or by a script step (``predictability: true``)."""
    step_clock: StepClock | None = None
    """When the current step started, its pauses and added minutes (see
    :mod:`workshop.domain.facilitation.step_clock`)."""

    organizations: dict[str, Organization] = Field(default_factory=dict)
    participants: dict[str, Participant] = Field(default_factory=dict)
    models: dict[str, ProcessModel] = Field(default_factory=dict)
    lanes: dict[str, Lane] = Field(default_factory=dict)
    nodes: dict[str, Node] = Field(default_factory=dict)
    flows: dict[str, Flow] = Field(default_factory=dict)
    groups: dict[str, Group] = Field(default_factory=dict)
    codes: dict[str, ThemeCode] = Field(default_factory=dict)
    annotations: dict[str, Annotation] = Field(default_factory=dict)
    boundaries: dict[str, KnowledgeBoundary] = Field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = Field(default_factory=dict)
    mechanisms: dict[str, CoordinationMechanism] = Field(default_factory=dict)
    commitments: dict[str, Commitment] = Field(default_factory=dict)
    joint_commitments: dict[str, JointCommitment] = Field(default_factory=dict)
    agreements: dict[str, AgreementRating] = Field(default_factory=dict)
    votes: dict[str, Vote] = Field(default_factory=dict)
    walkthroughs: dict[str, Walkthrough] = Field(default_factory=dict)
    walk_steps: dict[str, WalkMove] = Field(default_factory=dict)
    data_events: dict[str, DataCollectionEvent] = Field(default_factory=dict)
    archival: dict[str, ArchivalDocument] = Field(default_factory=dict)
    survey_rounds: dict[str, SurveyRound] = Field(default_factory=dict)
    survey_responses: dict[str, SurveyResponse] = Field(default_factory=dict)
    claims: dict[str, OwnershipClaim] = Field(default_factory=dict)
    sources: dict[str, ImportedSource] = Field(default_factory=dict)
    observations: dict[str, ObservationNote] = Field(default_factory=dict)

    def snapshot(self) -> Session:
        """A copy with collections of its own that shares the elements in them.

        Elements are frozen and operations replace them, never change one in
        place, so sharing them is safe; copying them was most of the cost of a
        deep copy (0.7 s for a 20,000-task model). Readers on another thread
        (the health analysis) take one, so the document can go on changing.
        """
        update: dict[str, Any] = {name: dict(getattr(self, name)) for name in COLLECTIONS}
        update["script"] = copy.deepcopy(self.script)  # free-form data: the one part that is not frozen
        return self.model_copy(update=update)

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Session:
        """``model_copy(deep=True)`` (a new file's document, a replay): a :meth:`snapshot`, for the same reason."""
        return self.snapshot()


COLLECTIONS = tuple(sorted({cls.collection for cls in KINDS.values()}))
"""The fields of :class:`Session` that hold elements by id."""

SESSION_SETTABLE = frozenset(
    {"title", "description", "script", "current_step", "anonymous_step", "ask_predictability", "step_clock"}
)
"""Session-level fields the ``set_session`` operation may change."""


def new_session(title: str, *, session_id: str | None = None, created: datetime | None = None) -> Session:
    """A fresh session with the default code set, ready for its first operation."""
    codes = {cid: ThemeCode(id=cid, name=name) for cid, name in DEFAULT_THEME_CODES}
    return Session(
        id=session_id or new_id("session"),
        title=title,
        created=created or datetime.now(UTC),
        codes=codes,
    )


def _check_registry() -> None:
    fields = Session.model_fields
    for kind, cls in KINDS.items():
        if cls.collection not in fields:
            raise RuntimeError(f"kind {kind!r} has no collection {cls.collection!r} on Session")


_check_registry()


_COLLECTION_OF = {kind: cls.collection for kind, cls in KINDS.items()}
"""kind -> the Session field holding it (looked up for every reference an import checks: 60,000 at 9,000 tasks)."""


class SessionState:
    """A session plus its reverse-reference index; the thing operations act on."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._referrers: defaultdict[Ref, set[Ref]] | None = None
        """Built on the first :meth:`referrers` call: opening a 30,000-node session to apply
        one update (or to print its summary) should not pay for an index only removals use."""

    def _built_index(self) -> defaultdict[Ref, set[Ref]]:
        if self._referrers is None:
            self._referrers = defaultdict(set)
            for kind, cls in KINDS.items():
                for entity in getattr(self.session, cls.collection).values():
                    self._index(entity, kind)
        return self._referrers

    def collection(self, kind: str) -> dict[str, Entity]:
        """The id -> element mapping for a kind (raises KeyError for an unknown kind)."""
        name = _COLLECTION_OF.get(kind) or KINDS[kind].collection
        result: dict[str, Entity] = getattr(self.session, name)
        return result

    def get(self, kind: str, entity_id: str) -> Entity | None:
        return self.collection(kind).get(entity_id)

    def exists(self, ref: Ref) -> bool:
        kind, entity_id = ref
        name = _COLLECTION_OF.get(kind) or (KINDS[kind].collection if kind in KINDS else None)
        return name is not None and entity_id in getattr(self.session, name)

    def referrers(self, kind: str, entity_id: str) -> set[Ref]:
        """Elements that refer to ``(kind, id)``; a removal is refused while any remain."""
        return set(self._built_index().get((kind, entity_id), ()))

    def insert(self, entity: Entity) -> None:
        self.collection(entity.kind)[entity.id] = entity
        self._index(entity, entity.kind)

    def replace(self, entity: Entity) -> None:
        old = self.collection(entity.kind)[entity.id]
        self._unindex(old, entity.kind)
        self.collection(entity.kind)[entity.id] = entity
        self._index(entity, entity.kind)

    def delete(self, kind: str, entity_id: str) -> Entity:
        entity = self.collection(kind).pop(entity_id)
        self._unindex(entity, kind)
        return entity

    def _index(self, entity: Entity, kind: str) -> None:
        if self._referrers is None:
            return  # not built yet; building it later reads the session as it then is
        me = (kind, entity.id)
        for ref in entity.references():
            self._referrers[ref].add(me)

    def _unindex(self, entity: Entity, kind: str) -> None:
        if self._referrers is None:
            return
        me = (kind, entity.id)
        for ref in entity.references():
            holders = self._referrers.get(ref)
            if holders is not None:
                holders.discard(me)
                if not holders:
                    del self._referrers[ref]
