"""What a walkthrough records: the walk itself, and each position its token took.

The walk's logic (where the token may go next) is in
:mod:`workshop.domain.walkthrough.walk`; these are the elements a session stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from pydantic import Field

from workshop.domain.model.entity import Entity, Ref, register


@register
class Walkthrough(Entity):
    """One walk through a model in a simulation workshop, optionally as a named scenario."""

    kind: ClassVar[str] = "walkthrough"
    collection: ClassVar[str] = "walkthroughs"
    refs: ClassVar[dict[str, str]] = {"model_id": "model"}

    model_id: str
    scenario: str = ""
    started: datetime | None = None
    finished: datetime | None = None
    choices: dict[str, str] = Field(default_factory=dict)
    """The scenario's preset branches: decision node id -> flow id taken."""
    visit_limit: int = Field(default=3, ge=1)
    """How often the walk may enter one node before a loop is reported."""


@register
class WalkMove(Entity):
    """One position of the walkthrough token: a node, or a handoff flow where the walk pauses.

    Its kind and collection keep the older word (``walk_step``, ``walk_steps``):
    saved files and operation logs spell them so.
    """

    kind: ClassVar[str] = "walk_step"
    collection: ClassVar[str] = "walk_steps"
    refs: ClassVar[dict[str, str]] = {"walkthrough_id": "walkthrough"}

    walkthrough_id: str
    index: int = Field(ge=0)
    element_kind: str = "node"
    element_id: str
    entered: datetime | None = None
    note: str = ""
    """E.g. which branch was taken, or that a parallel path follows."""
    move: str = "forward"
    """How the token got here: start, forward, branch, parallel, back or jump."""
    pending: list[str] = Field(default_factory=list)
    """Flow ids of parallel paths still to be followed after this move."""

    def references(self) -> Iterator[Ref]:
        yield from super().references()
        yield self.element_kind, self.element_id
