"""What participants say about the model: annotations, knowledge boundaries, shared language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from workshop.domain.model.entity import Entity, Ref, register


class TargetKind(StrEnum):
    """What an annotation or boundary is attached to."""

    SESSION = "session"
    MODEL = "model"
    NODE = "node"
    FLOW = "flow"
    ORGANIZATIONS = "organizations"
    """Only for boundaries: between two organizations, not on one element."""


class AnnotationKind(StrEnum):
    COMMENT = "comment"
    PROBLEM = "problem"
    NEED = "need"
    IDEA = "idea"
    QUESTION = "question"
    QUOTE = "quote"
    REQUIREMENT = "requirement"


class IdeaMode(StrEnum):
    """Whether an idea explores new ways of working or exploits (refines) today's."""

    EXPLORE = "explore"
    EXPLOIT = "exploit"


class IdeaStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    IMPLEMENTED = "implemented"
    CHECKED = "checked"
    """Checked at follow-up."""


class BoundaryType(StrEnum):
    SYNTACTIC = "syntactic"
    """No shared terms."""
    SEMANTIC = "semantic"
    """Same words, different meanings."""
    PRAGMATIC = "pragmatic"
    """Different interests or stakes."""


class BoundaryManifestation(StrEnum):
    LANGUAGE = "language_and_terms"
    WORKING_METHODS = "working_methods"
    BACKGROUND = "background_and_expertise"
    CONCERNS = "concerns_and_interests"
    CULTURE = "working_culture"


class BoundaryStatus(StrEnum):
    OPEN = "open"
    BEING_CROSSED = "being_crossed"
    CROSSED = "crossed"


def _target_ref(target_kind: str, target_id: str | None) -> Iterator[Ref]:
    if target_kind in (TargetKind.MODEL, TargetKind.NODE, TargetKind.FLOW) and target_id:
        yield str(target_kind), target_id


@register
class ThemeCode(Entity):
    """A code of the researchers' code set, applied to annotations."""

    kind: ClassVar[str] = "code"
    collection: ClassVar[str] = "codes"

    name: str = Field(min_length=1)
    description: str = ""


DEFAULT_THEME_CODES: tuple[tuple[str, str], ...] = (
    ("code-explorative", "explorative activities"),
    ("code-exploitative", "exploitative activities"),
    ("code-coordination", "coordination"),
    ("code-knowledge-boundaries", "knowledge boundaries"),
    ("code-intervention", "intervention"),
    ("code-facilitation", "facilitation"),
    ("code-boundary-object", "boundary object"),
    ("code-common-understanding", "common understanding"),
)
"""The eight themes used to analyse such workshops: (id, name)."""


@register
class Annotation(Entity):
    """A comment, problem, need, idea, question, quote or requirement.

    ``author_id`` is a participant; None means the facilitator. The step
    (``intervention_id``/``step_id``) and walkthrough fields say when it was
    captured, so the record can be read in the order the workshop ran.
    """

    kind: ClassVar[str] = "annotation"
    collection: ClassVar[str] = "annotations"
    refs: ClassVar[dict[str, str]] = {
        "author_id": "participant",
        "organization_id": "organization",
        "codes": "code",
        "walkthrough_id": "walkthrough",
    }

    annotation_kind: AnnotationKind = AnnotationKind.COMMENT
    text: str = Field(min_length=1)
    target_kind: TargetKind = TargetKind.SESSION
    target_id: str | None = None
    author_id: str | None = None
    organization_id: str | None = None
    created: datetime | None = None
    codes: list[str] = Field(default_factory=list)
    idea_mode: IdeaMode | None = None
    idea_status: IdeaStatus | None = None
    intervention_id: str | None = None
    step_id: str | None = None
    walkthrough_id: str | None = None
    walkthrough_step: int | None = None
    hidden: bool = False
    """Moderated by the facilitator: kept in the record, not shown."""
    anonymous: bool = False
    """Made in an organization-anonymous step: attributed to ``organization_id`` only, ``author_id`` stays empty."""

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        yield from _target_ref(self.target_kind, self.target_id)


@register
class KnowledgeBoundary(Entity):
    """Where two organizations do not understand each other.

    Status changes are ordinary updates, so the op log keeps when each
    boundary started being crossed and when it was crossed.
    """

    kind: ClassVar[str] = "boundary"
    collection: ClassVar[str] = "boundaries"
    refs: ClassVar[dict[str, str]] = {
        "org_a": "organization",
        "org_b": "organization",
        "raised_by": "participant",
    }

    target_kind: TargetKind = TargetKind.ORGANIZATIONS
    target_id: str | None = None
    org_a: str
    org_b: str
    boundary_type: BoundaryType = BoundaryType.SEMANTIC
    manifestations: list[BoundaryManifestation] = Field(default_factory=list)
    not_shared: str = ""
    raised_by: str | None = None
    status: BoundaryStatus = BoundaryStatus.OPEN
    crossing_note: str = ""

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        yield from _target_ref(self.target_kind, self.target_id)


@register
class GlossaryTerm(Entity):
    """A term with each organization's meaning: the shared language being built."""

    kind: ClassVar[str] = "term"
    collection: ClassVar[str] = "glossary"
    refs: ClassVar[dict[str, str]] = {"proposed_by": "participant"}

    term: str = Field(min_length=1)
    meanings: dict[str, str] = Field(default_factory=dict)
    """organization id -> that organization's meaning."""
    proposed_by: str | None = None
    agreed: bool = False
    """The organizations agree the meanings are the same."""

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        for org_id in self.meanings:
            yield "organization", org_id
