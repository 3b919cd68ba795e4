"""A study: the action-research project that spans many sittings.

The method runs as three consecutive interventions over more than a year;
each has modeling and simulation workshops, interviews before and after,
observation and feedback meetings. Each of those is a *sitting* with its own
``.workshop`` file (its own op log, its own record). The study only says
which sittings there are, what kind, when, in which intervention, about
which business process and who attended, plus the texts (transcripts,
observation notes) attached to sittings and the codings researchers made on
them. Everything else is computed from the sittings' own records, so nothing
is typed twice and nothing can drift apart.

This module is plain data and pure functions: reading and writing the study
folder is :mod:`workshop.store.study_folder`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from workshop.domain.model.annotations import AnnotationKind
from workshop.domain.model.entity import Entity
from workshop.domain.model.session import Session
from workshop.domain.research.people import Person, StudyOrganization

STUDY_FORMAT = "process-workshop-study"
"""The ``format`` field of ``study.json``, so a stray JSON file is not taken for a study."""

STUDY_VERSION = 4
"""1: sittings, texts, codings. 2: each sitting may carry its log's head (:class:`SittingHead`); a version 1
file reads as one without heads, and an older program refuses version 2 as newer instead of misreading it.
3: the roster (:mod:`workshop.domain.research.roster`): organizations with their type, people, and who
attended each sitting; an older file reads as one with an empty roster. 4: archival documents, texts of the study
(or of an intervention) rather than of a sitting, with a date and a kind (:class:`TextSource`); an older file reads as
one without them."""


class SittingKind(StrEnum):
    """What happened in a sitting; the method's data-collection kinds plus feedback meetings."""

    MODELING = "modeling"
    SIMULATION = "simulation"
    INTERVIEW = "interview"
    FOLLOW_UP_INTERVIEW = "follow_up_interview"
    OBSERVATION = "observation"
    FEEDBACK = "feedback"


KIND_ALIASES: dict[str, SittingKind] = {
    "modeling": SittingKind.MODELING,
    "modelling": SittingKind.MODELING,
    "modeling-workshop": SittingKind.MODELING,
    "simulation": SittingKind.SIMULATION,
    "simulation-workshop": SittingKind.SIMULATION,
    "interview": SittingKind.INTERVIEW,
    "follow-up-interview": SittingKind.FOLLOW_UP_INTERVIEW,
    "follow_up_interview": SittingKind.FOLLOW_UP_INTERVIEW,
    "follow-up": SittingKind.FOLLOW_UP_INTERVIEW,
    "observation": SittingKind.OBSERVATION,
    "feedback": SittingKind.FEEDBACK,
    "feedback-meeting": SittingKind.FEEDBACK,
}
"""What the command line accepts for ``--kind`` (hyphens or underscores, as people type them)."""

INTERVIEW_KINDS = frozenset({SittingKind.INTERVIEW, SittingKind.FOLLOW_UP_INTERVIEW})


class SourceKind(StrEnum):
    """What an attached text is."""

    TRANSCRIPT = "transcript"
    OBSERVATION_NOTE = "observation_note"
    DOCUMENT = "document"
    """An archival document kept as text (minutes, plans)."""


class StudyError(Exception):
    """A study folder or a request about one that cannot be served; the message names what and where."""


def parse_kind(text: str) -> SittingKind:
    """The sitting kind for what a user typed; the error lists what is accepted."""
    kind = KIND_ALIASES.get(text.strip().lower().replace(" ", "-"))
    if kind is None:
        accepted = ", ".join(k.value.replace("_", "-") for k in SittingKind)
        raise StudyError(f"--kind {text!r}: not a sitting kind (one of {accepted})")
    return kind


class Provenance(BaseModel):
    """Where a sitting's starting state came from: the end of an earlier sitting.

    The new sitting's file starts from that state but not from its log, so
    the log of each sitting holds only what happened in it; this record says
    which sitting and which operation the starting state is the result of.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    from_sitting: str
    from_session_id: str
    from_seq: int = Field(ge=0)
    """The last operation of the earlier sitting when it was carried forward."""
    carried_at: datetime
    carried_by: str
    carried: dict[str, int] = Field(default_factory=dict)
    """collection name -> number of elements carried (what the researcher sees in ``study info``)."""
    carried_participants: list[str] = Field(default_factory=list)
    """Participants carried only because a carried element names them; not counted as attending."""


class SittingHead(BaseModel):
    """How long a sitting's log was, and its last checksum, when the study last saw it.

    Kept outside the sitting's file so that what a file alone cannot show is
    found by comparing: a log cut at its end together with its snapshots is
    still a whole chain, but shorter than the study recorded, or no longer
    passing through the recorded checksum (``workshop study verify``).
    """

    model_config = ConfigDict(extra="forbid")

    operations: int = Field(ge=0)
    last_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    recorded: datetime


class Sitting(BaseModel):
    """One workshop, interview, observation or feedback meeting of the study."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
    kind: SittingKind
    intervention: int = Field(ge=1, le=99)
    process: str = ""
    """The business process the sitting concerns (e.g. "Contact processing")."""
    date: str = ""
    """ISO date (YYYY-MM-DD), or empty if not yet known."""
    time: str = ""
    """Local start time (HH:MM), or empty."""
    file: str
    """The sitting's .workshop file, relative to the study folder."""
    title: str = ""
    attendance: dict[str, int] = Field(default_factory=dict)
    """organization name -> people who took part, as declared; empty: counted from the sitting's participants."""
    people: list[str] = Field(default_factory=list)
    attended: list[str] = Field(default_factory=list)
    """The roster's people (ids) who attended (:mod:`workshop.domain.research.roster`)."""
    """Names of interviewees or attendees as the researchers record them."""
    provenance: Provenance | None = None
    created: datetime
    created_by: str
    head: SittingHead | None = None
    """The log's length and last checksum as last recorded (format 2); None before that."""

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        if value:
            date.fromisoformat(value)
        return value

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if value and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("give the time as HH:MM")
        return value

    def label(self) -> str:
        """How outputs name the sitting: ``s03 interview 2026-04-02 (intervention 1)``."""
        when = f" {self.date}" if self.date else ""
        return f"{self.id} {self.kind.value.replace('_', ' ')}{when} (intervention {self.intervention})"


class TextSource(BaseModel):
    """A transcript or observation note attached to a sitting, kept as UTF-8 text in the study folder.

    An *archival document* (a contract, minutes, e-mails, a process
    description) belongs to the study, or to one of its interventions,
    rather than to a sitting: ``sitting_id`` is empty and it has a ``date``
    and a ``document_kind`` (format 4).
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    sitting_id: str = ""
    """The sitting the text is attached to; empty for an archival document."""
    name: str
    source_kind: SourceKind = SourceKind.TRANSCRIPT
    file: str
    """The text, relative to the study folder (``sources/<id>.txt``)."""
    original_name: str
    length: int = Field(ge=0)
    """Characters in the text: codings are checked against it without reading it."""
    added: datetime
    added_by: str
    intervention: int | None = Field(default=None, ge=1, le=99)
    """An archival document's intervention; None: it belongs to the study as a whole."""
    date: str = ""
    """An archival document's date (YYYY-MM-DD)."""
    document_kind: str = ""
    """What an archival document is, in the researchers' words: contract, minutes, e-mail, ..."""

    @field_validator("date")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        if value:
            date.fromisoformat(value)
        return value

    @property
    def archival(self) -> bool:
        """An archival document of the study or an intervention, not a text of a sitting."""
        return not self.sitting_id

    def where(self) -> str:
        """Where the text belongs, as ``study info`` says it: 'sitting s01', 'intervention 2', 'the study'."""
        if self.sitting_id:
            return f"sitting {self.sitting_id}"
        return f"intervention {self.intervention}" if self.intervention else "the study"


class TextCoding(BaseModel):
    """A selection of an attached text coded with a code of the sitting's codebook."""

    model_config = ConfigDict(extra="forbid")

    id: str
    source_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    """Character positions, end exclusive (as REFI-QDA's ``PlainTextSelection``)."""
    code_id: str
    code_name: str
    added: datetime
    added_by: str


class Study(BaseModel):
    """The study file: the sittings in the order they were added, attached texts and their codings."""

    model_config = ConfigDict(extra="forbid")

    format: str = STUDY_FORMAT
    version: int = STUDY_VERSION
    id: str
    title: str = Field(min_length=1)
    created: datetime
    created_by: str
    sittings: list[Sitting] = Field(default_factory=list)
    sources: list[TextSource] = Field(default_factory=list)
    codings: list[TextCoding] = Field(default_factory=list)
    organizations: list[StudyOrganization] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)

    def sitting(self, key: str) -> Sitting:
        """The sitting named by id or by its file name; the error lists the sittings there are."""
        for sitting in self.sittings:
            if key in (sitting.id, sitting.file, sitting.file.removesuffix(".workshop")):
                return sitting
        known = ", ".join(s.id for s in self.sittings) or "none yet"
        raise StudyError(f"no sitting {key!r} in study {self.title!r} (sittings: {known})")

    def source(self, key: str) -> TextSource:
        """An attached text by id or original file name."""
        for source in self.sources:
            if key in (source.id, source.original_name, source.name):
                return source
        known = ", ".join(s.id for s in self.sources) or "none yet"
        raise StudyError(f"no attached text {key!r} (texts: {known})")

    def in_order(self) -> list[Sitting]:
        """Sittings in the order they happened: intervention, then date and time, then as added."""
        position = {s.id: n for n, s in enumerate(self.sittings)}
        return sorted(self.sittings, key=lambda s: (s.intervention, s.date or "9999", s.time, position[s.id]))


CARRIED_COLLECTIONS = (
    "organizations",
    "models",
    "lanes",
    "nodes",
    "flows",
    "codes",
    "glossary",
    "boundaries",
    "mechanisms",
    "commitments",
    "joint_commitments",
)
"""What a sitting carries forward as it is, ids kept. Ideas (annotations of kind idea) are carried too."""


def carried_state(public: Session, *, session_id: str, title: str) -> tuple[Session, dict[str, int], list[str]]:
    """The starting state of a new sitting: what an earlier one ended with that the study builds on.

    ``public`` must be the earlier sitting's *de-identified* state
    (:func:`workshop.domain.research.privacy.public_record`): the new file has no log
    to show a contribution was made anonymously, so the person behind it
    must already be gone. Models, organizations, the codebook, the
    glossary, boundaries, ideas, mechanisms and commitments keep their ids,
    so their history can be followed from sitting to sitting; what was said
    in passing (comments, questions), votes, agreement checks, walkthroughs
    and survey answers belong to the earlier sitting and stay there.

    Returns the state, the number carried per collection, and the
    participants carried only because a carried element names them.
    """
    data: dict[str, dict[str, Entity]] = {name: dict(getattr(public, name)) for name in CARRIED_COLLECTIONS}
    ideas = {
        a.id: a.model_copy(update={"walkthrough_id": None, "walkthrough_step": None})
        for a in public.annotations.values()
        if a.annotation_kind == AnnotationKind.IDEA
    }
    people: set[str] = set()
    for element in [*ideas.values(), *(e for name in CARRIED_COLLECTIONS for e in data[name].values())]:
        people.update(ref_id for kind, ref_id in element.references() if kind == "participant")
    participants = {pid: public.participants[pid] for pid in sorted(people) if pid in public.participants}
    session = Session(
        id=session_id,
        title=title,
        created=datetime.now().astimezone(),
        description=public.description,
        script=public.script,
        participants=participants,
        annotations=ideas,
        **data,
    )
    counts = {name: len(data[name]) for name in CARRIED_COLLECTIONS if data[name]}
    if ideas:
        counts["ideas"] = len(ideas)
    return session, counts, list(participants)
