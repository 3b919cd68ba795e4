"""The research record beyond the workshop: data collection, archival documents, surveys."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from workshop.domain.model.entity import Entity, register


class DataCollectionKind(StrEnum):
    MODELING_WORKSHOP = "process_modeling_workshop"
    SIMULATION_WORKSHOP = "simulation_workshop"
    INTERVIEW = "interview"
    FOLLOW_UP_INTERVIEW = "follow_up_interview"
    OBSERVATION = "observation"


@register
class DataCollectionEvent(Entity):
    """A workshop, interview or observation of an intervention, for the method's summary table."""

    kind: ClassVar[str] = "data_event"
    collection: ClassVar[str] = "data_events"

    intervention_id: str
    event_kind: DataCollectionKind = DataCollectionKind.MODELING_WORKSHOP
    date: str = ""
    """ISO date (YYYY-MM-DD)."""
    business_process: str = ""
    attendance: dict[str, int] = Field(default_factory=dict)
    """organization id -> number of people who took part."""
    names: list[str] = Field(default_factory=list)


@register
class ArchivalDocument(Entity):
    """A document collected for the record (minutes, plans, reports)."""

    kind: ClassVar[str] = "archival"
    collection: ClassVar[str] = "archival"
    refs: ClassVar[dict[str, str]] = {"owner_org_id": "organization"}

    intervention_id: str
    title: str = Field(min_length=1)
    owner_org_id: str | None = None
    document_kind: str = ""
    file_name: str = ""


@register
class ObservationNote(Entity):
    """What a researcher observed during a sitting, written down as it happened.

    The method's data include the action researchers' observation notes
    alongside transcripts. A note is the researcher's own, never a
    participant's contribution: it names no participant, is not shown on
    phones or the projector (``observation`` is not a public kind), and
    belongs to its sitting (it is not carried forward). ``observer`` is the
    researcher's name as they gave it at the keyboard.
    """

    kind: ClassVar[str] = "observation"
    collection: ClassVar[str] = "observations"

    text: str = Field(min_length=1)
    observer: str = ""
    created: datetime | None = None
    intervention_id: str | None = None
    step_id: str | None = None
    """The facilitation step in force when the note was written."""


@register
class SurveyRound(Entity):
    """One administration of a relational-coordination survey (e.g. before intervention 1)."""

    kind: ClassVar[str] = "survey_round"
    collection: ClassVar[str] = "survey_rounds"

    label: str = Field(min_length=1)
    instrument: dict[str, object] = Field(default_factory=dict)
    """The instrument as loaded, kept so results stay readable if the file changes."""
    phase: str = "before"
    opened: datetime | None = None
    closed: datetime | None = None


@register
class SurveyResponse(Entity):
    """One respondent's ratings of their organization's tie with one other organization."""

    kind: ClassVar[str] = "survey_response"
    collection: ClassVar[str] = "survey_responses"
    refs: ClassVar[dict[str, str]] = {
        "round_id": "survey_round",
        "participant_id": "participant",
        "organization_id": "organization",
        "about_org_id": "organization",
    }

    round_id: str
    participant_id: str | None = None
    organization_id: str
    about_org_id: str
    answers: dict[str, int] = Field(default_factory=dict)
    """item id -> rating on the instrument's scale."""
    role: str = ""
    """The respondent's role, as a lane of their organization names it (empty: not asked)."""
    about_role: str = ""
    """The role the answers are about, as a lane of ``about_org_id`` names it: relational coordination
    is measured between roles as well as between organizations."""


@register
class ImportedSource(Entity):
    """A file a process model was imported from, so the record says where the model came from.

    Added as the first operation of a session made from the file: its name,
    its SHA-256 (the exact bytes read) and the import report (what was not
    taken over as it was, and why), with the counts of source elements.
    """

    kind: ClassVar[str] = "import_source"
    collection: ClassVar[str] = "sources"
    refs: ClassVar[dict[str, str]] = {"model_id": "model"}

    model_id: str
    file_name: str = Field(min_length=1)
    file_format: str = "bpmn"
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    report: list[str] = Field(default_factory=list)
    """One line per element not imported as it was (or a note on how the file was read)."""
    counts: dict[str, int] = Field(default_factory=dict)
    """Source elements, imported, reported (and more) as the import counted them."""
