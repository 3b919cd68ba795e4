"""The base of every element a session holds, and the registry of kinds.

Every element is a frozen pydantic model with a stable ``id``. Elements are
replaced, never mutated, so an operation can keep the old value as its
inverse without defensive copies. Each class names its *kind* (the word used
in operations and the log) and the fields that refer to other elements, so
one generic mechanism checks references for every kind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

Ref = tuple[str, str]
"""A reference to an element: ``(kind, id)``."""


class Entity(BaseModel):
    """An element of a session, addressed by ``(kind, id)``."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=True, allow_inf_nan=False)

    kind: ClassVar[str]
    collection: ClassVar[str]
    refs: ClassVar[dict[str, str]] = {}
    """Field name -> kind it refers to. A field may hold one id, None or a list of ids."""

    id: str

    def references(self) -> Iterator[Ref]:
        """Every element this one refers to; subclasses add polymorphic targets."""
        for field, kind in self.refs.items():
            value = getattr(self, field)
            if value is None:
                continue
            if isinstance(value, str):
                yield kind, value
            else:
                for item in value:
                    yield kind, item

    def describe(self) -> str:
        """A short human name for messages: ``node 'Register call' (node-1a2b)``."""
        name = getattr(self, "label", None) or getattr(self, "name", None) or getattr(self, "text", None)
        if isinstance(name, str) and name:
            short = name if len(name) <= 40 else name[:37] + "..."
            return f"{self.kind} {short!r} ({self.id})"
        return f"{self.kind} {self.id}"


KINDS: dict[str, type[Entity]] = {}
"""kind -> element class; filled by :func:`register`."""


E = TypeVar("E", bound=type[Entity])


def register(cls: E) -> E:
    """Class decorator that makes a kind known to operations and the session."""
    KINDS[cls.kind] = cls
    return cls
