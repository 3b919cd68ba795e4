"""Operations: the only way a session changes.

Every front (canvas, panels, a participant's phone, an import, the command
line) builds operations; :class:`~workshop.domain.model.document.Document` applies
them. An operation is plain, serializable data. ``execute`` validates it
against the state, applies it and returns the *complete* operation, with the
old values filled in, which is what the log stores and what ``inverse``
turns around. Invalid operations raise :class:`OperationError` and leave the
state unchanged.

Five operations cover everything:

* ``add`` / ``update`` / ``remove`` an element of any kind (node, flow,
  annotation, boundary, ...), checked by the element's own pydantic model,
  its references and :mod:`workshop.domain.model.rules`;
* ``set_session`` for session-level fields (title, script, current step);
* ``batch`` for one user gesture made of several changes (one undo step).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from pydantic_core import PydanticSerializationError

from workshop.domain.model.entity import KINDS, Entity
from workshop.domain.model.errors import OperationError
from workshop.domain.model.json_text import JsonTextError, loads_strict
from workshop.domain.model.rules import IMMUTABLE_FIELDS, check_entity
from workshop.domain.model.session import SESSION_SETTABLE, Session, SessionState


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem: ``field 'w': Input should be greater than 0``."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem["loc"]) or "(value)"
        parts.append(f"field {where!r}: {problem['msg']}")
    return "; ".join(parts)


def _known_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; known kinds: {', '.join(sorted(KINDS))}")
    return kind


class BaseOperation(BaseModel):
    """Common behaviour of operations; see the module docstring."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    def execute(self, state: SessionState) -> Operation:
        """Validate, apply and return the complete operation."""
        raise NotImplementedError

    def inverse(self) -> Operation:
        """The operation that undoes this one (only for complete operations)."""
        raise NotImplementedError

    def primitives(self) -> Iterator[Operation]:
        """The non-batch operations this one consists of, in order."""
        yield self  # type: ignore[misc]

    def summary(self) -> str:
        """A short phrase for logs and undo menus."""
        raise NotImplementedError


class EntityOperation(BaseOperation):
    kind: str

    @field_validator("kind")
    @classmethod
    def _check_kind(cls, kind: str) -> str:
        return _known_kind(kind)


class AddOp(EntityOperation):
    """Add one element. ``data`` is the element as JSON, including its ``id``."""

    op: Literal["add"] = "add"
    data: dict[str, Any]

    def execute(self, state: SessionState) -> Operation:
        cls = KINDS[self.kind]
        try:
            entity = cls.model_validate(self.data)
        except ValidationError as error:
            raise OperationError(f"add {self.kind}: {describe_validation_error(error)}") from None
        if state.get(self.kind, entity.id) is not None:
            raise OperationError(f"add {self.kind}: id {entity.id!r} is already taken")
        check_entity(state, entity)
        state.insert(entity)
        return AddOp(kind=self.kind, data=entity.model_dump(mode="json"))

    def inverse(self) -> Operation:
        return RemoveOp(kind=self.kind, id=str(self.data["id"]), data=self.data)

    def summary(self) -> str:
        return f"Add {self.kind.replace('_', ' ')}"


class UpdateOp(EntityOperation):
    """Change some fields of one element. ``old`` is filled in on execution."""

    op: Literal["update"] = "update"
    id: str
    changes: dict[str, Any]
    old: dict[str, Any] | None = None

    def execute(self, state: SessionState) -> Operation:
        current = state.get(self.kind, self.id)
        if current is None:
            raise OperationError(f"update {self.kind}: no {self.kind} with id {self.id!r}")
        cls = KINDS[self.kind]
        unknown = set(self.changes) - set(cls.model_fields)
        if unknown:
            raise OperationError(f"update {current.describe()}: unknown field(s) {', '.join(sorted(unknown))}")
        frozen = set(self.changes) & IMMUTABLE_FIELDS
        if frozen:
            raise OperationError(f"update {current.describe()}: field(s) {', '.join(sorted(frozen))} cannot change")
        try:
            updated = cls.model_validate({**current.model_dump(), **self.changes})
        except ValidationError as error:
            raise OperationError(f"update {current.describe()}: {describe_validation_error(error)}") from None
        check_entity(state, updated)
        keys = set(self.changes)
        old = current.model_dump(mode="json", include=keys)
        new = updated.model_dump(mode="json", include=keys)
        state.replace(updated)
        return UpdateOp(kind=self.kind, id=self.id, changes=new, old=old)

    def inverse(self) -> Operation:
        if self.old is None:
            raise OperationError("only an executed update can be inverted")
        return UpdateOp(kind=self.kind, id=self.id, changes=self.old, old=self.changes)

    def summary(self) -> str:
        fields = ", ".join(sorted(name.replace("_id", "").replace("_", " ") for name in self.changes))
        return f"Change {self.kind.replace('_', ' ')} {fields}"


class RemoveOp(EntityOperation):
    """Remove one element nothing refers to; ``data`` (the removed element) is filled in."""

    op: Literal["remove"] = "remove"
    id: str
    data: dict[str, Any] | None = None

    def execute(self, state: SessionState) -> Operation:
        current = state.get(self.kind, self.id)
        if current is None:
            raise OperationError(f"remove {self.kind}: no {self.kind} with id {self.id!r}")
        holders = sorted(state.referrers(self.kind, self.id))
        if holders:
            named = ", ".join(f"{k} {i}" for k, i in holders[:5])
            more = f" and {len(holders) - 5} more" if len(holders) > 5 else ""
            verb = "refers" if len(holders) == 1 else "refer"
            raise OperationError(f"cannot remove {current.describe()}: {named}{more} still {verb} to it")
        state.delete(self.kind, self.id)
        return RemoveOp(kind=self.kind, id=self.id, data=current.model_dump(mode="json"))

    def inverse(self) -> Operation:
        if self.data is None:
            raise OperationError("only an executed remove can be inverted")
        return AddOp(kind=self.kind, data=self.data)

    def summary(self) -> str:
        return f"Remove {self.kind.replace('_', ' ')}"


@cache
def _session_field_adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(Session.model_fields[name].annotation)


class SetSessionOp(BaseOperation):
    """Change session-level fields: title, description, script, current step, anonymity."""

    op: Literal["set_session"] = "set_session"
    changes: dict[str, Any]
    old: dict[str, Any] | None = None
    label: str = ""
    """What a person reads for this change in undo and the log ("Go to Intervention 2 · Agreement check")."""

    def execute(self, state: SessionState) -> Operation:
        unknown = set(self.changes) - SESSION_SETTABLE
        if unknown:
            raise OperationError(
                f"set_session: cannot set {', '.join(sorted(unknown))}; settable: {', '.join(sorted(SESSION_SETTABLE))}"
            )
        values: dict[str, Any] = {}
        for name, raw in self.changes.items():
            try:
                values[name] = _session_field_adapter(name).validate_python(raw)
            except ValidationError as error:
                raise OperationError(f"set_session: {name}: {describe_validation_error(error)}") from None
        session = state.session
        old = session.model_dump(mode="json", include=set(values))
        for name, value in values.items():
            setattr(session, name, value)
        new = session.model_dump(mode="json", include=set(values))
        return SetSessionOp(changes=new, old=old, label=self.label)

    def inverse(self) -> Operation:
        if self.old is None:
            raise OperationError("only an executed set_session can be inverted")
        return SetSessionOp(changes=self.old, old=self.changes, label=self.label)

    def summary(self) -> str:
        if self.label:
            return self.label
        step = self.changes.get("current_step")
        if "current_step" in self.changes:
            return f"Go to step {step['step_id']}" if isinstance(step, dict) else "Leave the script's steps"
        if "script" in self.changes:
            return "Load facilitation script"
        return f"Set {', '.join(sorted(self.changes))}"


class BatchOp(BaseOperation):
    """Several operations applied as one: all of them, or none."""

    op: Literal["batch"] = "batch"
    label: str = ""
    ops: list[Operation] = Field(default_factory=list)

    def execute(self, state: SessionState) -> Operation:
        done: list[Operation] = []
        for number, child in enumerate(self.ops, start=1):
            try:
                done.append(child.execute(state))
            except OperationError as error:
                for applied in reversed(done):
                    applied.inverse().execute(state)
                where = f"{self.label or 'batch'}, operation {number} of {len(self.ops)}"
                raise OperationError(f"{where}: {error}") from None
        return BatchOp(label=self.label, ops=done)

    def inverse(self) -> Operation:
        return BatchOp(label=self.label, ops=[op.inverse() for op in reversed(self.ops)])

    def primitives(self) -> Iterator[Operation]:
        for child in self.ops:
            yield from child.primitives()

    def summary(self) -> str:
        return self.label or f"{len(self.ops)} changes"


Operation = Annotated[AddOp | UpdateOp | RemoveOp | SetSessionOp | BatchOp, Field(discriminator="op")]
"""Any operation; parse JSON with :data:`OPERATION_ADAPTER`."""

BatchOp.model_rebuild()

OPERATION_ADAPTER: TypeAdapter[Operation] = TypeAdapter(Operation)


def element_id(op: Operation) -> str | None:
    """The id of the element an add, update or remove touches (None for session and batch operations)."""
    if isinstance(op, AddOp):
        value = op.data.get("id")
        return value if isinstance(value, str) else None
    if isinstance(op, UpdateOp | RemoveOp):
        return op.id
    return None


@dataclass(frozen=True)
class Changes:
    """Which elements one recorded operation added, updated and removed, as ``(kind, id)`` pairs.

    What a view needs to touch only what changed: the canvas syncs the items
    of these elements and nothing else. An element added and then removed in
    one batch is in neither; one added and then updated is only added.
    """

    added: frozenset[tuple[str, str]] = frozenset()
    updated: frozenset[tuple[str, str]] = frozenset()
    removed: frozenset[tuple[str, str]] = frozenset()
    session: bool = False
    """Session-level fields (title, script, step) changed."""

    def of_kind(self, kind: str) -> set[str]:
        """The ids of ``kind`` that changed in any way."""
        return {i for k, i in self.added | self.updated | self.removed if k == kind}

    def kinds(self) -> set[str]:
        return {k for k, _ in self.added | self.updated | self.removed}


def changes(op: Operation) -> Changes:
    """What ``op`` (a complete, recorded operation) changed, element by element."""
    added: set[tuple[str, str]] = set()
    updated: set[tuple[str, str]] = set()
    removed: set[tuple[str, str]] = set()
    session = False
    for child in op.primitives():
        if isinstance(child, SetSessionOp):
            session = True
            continue
        changed = element_id(child)
        if changed is None or not isinstance(child, EntityOperation):
            continue
        ref = (child.kind, changed)
        if isinstance(child, AddOp):
            if ref in removed:  # removed and added again: the element is replaced
                removed.discard(ref)
                updated.add(ref)
            else:
                added.add(ref)
        elif isinstance(child, UpdateOp):
            if ref not in added:
                updated.add(ref)
        elif ref in added:
            added.discard(ref)
        else:
            updated.discard(ref)
            removed.add(ref)
    return Changes(frozenset(added), frozenset(updated), frozenset(removed), session)


def parse_operation(data: str | bytes | dict[str, Any]) -> Operation:
    """Parse an operation from JSON text or a dict, with a readable error.

    JSON text goes through :func:`~workshop.domain.model.json_text.loads_strict`, so
    NaN, Infinity and overflowing numbers are refused naming the field.
    """
    try:
        if not isinstance(data, dict):
            data = loads_strict(data)
            if not isinstance(data, dict):
                raise OperationError("not a valid operation: expected a JSON object {...}")
        return OPERATION_ADAPTER.validate_python(data)
    except JsonTextError as error:
        raise OperationError(str(error)) from None
    except ValidationError as error:
        raise OperationError(f"not a valid operation: {describe_validation_error(error)}") from None


def unencodable_text(value: Any, where: str = "") -> str:
    """The path of the first string in ``value`` that UTF-8 cannot encode (a lone surrogate such as "\\ud800").

    JSON text may spell one (``"\\ud800"``) and Python strings may hold one, but the file stores UTF-8: the
    record could not be written, so the operation is refused naming the field instead.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where or "a value"
        return ""
    if isinstance(value, dict):
        for key, item in value.items():
            found = unencodable_text(key, f"{where}.{key!s}".lstrip(".")) or unencodable_text(
                item, f"{where}.{key!s}".lstrip(".")
            )
            if found:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = unencodable_text(item, f"{where}[{index}]")
            if found:
                return found
    return ""


def _printable(message: str) -> str:
    """A message any terminal can print: characters UTF-8 cannot encode are shown as escapes."""
    return message.encode("utf-8", "backslashreplace").decode("utf-8")


def check_storable(state: SessionState, op: Operation) -> None:
    """Refuse a completed operation whose record or resulting elements would not read back identically.

    The last defence behind the strict JSON reader and the finite-number
    models: the log and snapshots are JSON, so anything that does not
    survive a dump and a re-read (a NaN in a free-form dict, say) would be
    stored as something else and could make the file unreadable.
    """
    try:
        dumped = OPERATION_ADAPTER.dump_json(op)
    except PydanticSerializationError:  # only then is it worth walking the values to name the field
        where = unencodable_text(op.model_dump()) or "a value"
        what = f"{op.op} {getattr(op, 'kind', '')} {getattr(op, 'id', '')}".split()
        raise OperationError(
            _printable(f"{' '.join(what)}: {where} cannot be stored: it holds a lone surrogate, which is not text")
        ) from None
    if OPERATION_ADAPTER.validate_json(dumped) != op:
        raise OperationError(_printable(f"{op.summary()}: a value cannot be stored faithfully (a non-finite number?)"))
    for child in op.primitives():
        if isinstance(child, AddOp | UpdateOp):
            entity_id = child.data["id"] if isinstance(child, AddOp) else child.id
            entity = state.get(child.kind, str(entity_id))
            if entity is not None and type(entity).model_validate_json(entity.model_dump_json()) != entity:
                raise OperationError(f"{entity.describe()}: a value cannot be stored faithfully (a non-finite number?)")
        elif isinstance(child, SetSessionOp):
            for name in child.changes:
                value = getattr(state.session, name)
                adapter = _session_field_adapter(name)
                if adapter.validate_json(adapter.dump_json(value)) != value:
                    raise OperationError(f"set_session {name}: the value cannot be stored faithfully")


def add(entity: Entity) -> AddOp:
    """An ``add`` operation for an element built in Python."""
    return AddOp(kind=entity.kind, data=entity.model_dump(mode="json"))


def update(kind: str, entity_id: str, **changes: Any) -> UpdateOp:
    """An ``update`` operation: ``update("node", "node-1", x=40.0, y=80.0)``."""
    return UpdateOp(kind=kind, id=entity_id, changes=changes)


def remove(kind: str, entity_id: str) -> RemoveOp:
    return RemoveOp(kind=kind, id=entity_id)


def batch(label: str, ops: list[Operation]) -> BatchOp:
    return BatchOp(label=label, ops=ops)
