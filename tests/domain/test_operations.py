"""Operations validate, apply, invert, and leave the session unchanged when refused."""

from __future__ import annotations

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.annotations import Annotation, KnowledgeBoundary
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import (
    AddOp,
    BatchOp,
    SetSessionOp,
    add,
    batch,
    changes,
    parse_operation,
    remove,
    update,
)
from workshop.domain.model.process import Flow, Node


def test_update_fills_in_old_values_and_inverse_restores() -> None:
    doc = two_org_document()
    record = doc.apply(update("node", "a", x=40, label="Register call"))
    assert record.op.changes == {"x": 40.0, "label": "Register call"}  # type: ignore[union-attr]
    assert record.op.old == {"x": 0.0, "label": "Register"}  # type: ignore[union-attr]
    doc.apply(record.op.inverse())
    assert doc.session.nodes["a"].label == "Register"
    assert doc.session.nodes["a"].x == 0.0


@pytest.mark.parametrize(
    ("op", "message"),
    [
        (add(Flow(id="fx", model_id="m1", source_id="a", target_id="ghost")), "node 'ghost', which does not exist"),
        (add(Node(id="a", model_id="m1")), "id 'a' is already taken"),
        (update("node", "a", owner_org_id="org-nowhere"), "organization 'org-nowhere'"),
        (update("node", "a", w=-1), "field 'w'"),
        (update("node", "a", colour="#fff"), "unknown field(s) colour"),
        (update("node", "a", model_id="m2"), "model_id cannot change"),
        (update("node", "nope", x=1), "no node with id 'nope'"),
        (remove("node", "a"), "flow f1, flow f2 still refer to it"),
        (remove("flow", "nope"), "no flow with id 'nope'"),
        (SetSessionOp(changes={"id": "x"}), "cannot set id"),
        (
            add(KnowledgeBoundary(id="kb", org_a="org-a", org_b="org-a")),
            "two different organizations",
        ),
    ],
)
def test_invalid_operations_are_refused_and_change_nothing(op: object, message: str) -> None:
    doc = two_org_document()
    before = doc.session.model_copy(deep=True)
    with pytest.raises(OperationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        doc.apply(op)  # type: ignore[arg-type]
    assert doc.session == before
    assert doc.last_seq == 12


def test_unknown_kind_is_refused_when_parsing() -> None:
    with pytest.raises(OperationError, match="unknown kind 'gizmo'"):
        parse_operation({"op": "add", "kind": "gizmo", "data": {"id": "g"}})


def test_flow_between_models_is_refused() -> None:
    doc = two_org_document()
    doc.apply(AddOp(kind="model", data={"id": "m2", "name": "Future", "state": "future"}))
    doc.apply(add(Node(id="z", model_id="m2")))
    with pytest.raises(OperationError, match="belongs to another model"):
        doc.apply(add(Flow(id="fz", model_id="m1", source_id="a", target_id="z")))


def test_a_failing_batch_is_rolled_back_entirely() -> None:
    doc = two_org_document()
    before = doc.session.model_copy(deep=True)
    bad = batch("Move two", [update("node", "a", x=10), update("node", "ghost", x=10)])
    with pytest.raises(OperationError, match="Move two, operation 2 of 2: update node: no node with id 'ghost'"):
        doc.apply(bad)
    assert doc.session == before


def test_batch_inverse_undoes_in_reverse_order() -> None:
    doc = two_org_document()
    before = doc.session.model_copy(deep=True)
    record = doc.apply(
        batch(
            "Add and annotate",
            [
                add(Node(id="c", model_id="m1", label="Check")),
                add(Flow(id="f4", model_id="m1", source_id="b", target_id="c")),
                add(Annotation(id="n1", text="slow", target_kind="node", target_id="c")),
            ],
        )
    )
    assert isinstance(record.op, BatchOp)
    assert [p.op for p in record.op.primitives()] == ["add", "add", "add"]
    doc.apply(record.op.inverse())
    assert doc.session == before


def test_operations_round_trip_through_json() -> None:
    doc = two_org_document()
    record = doc.apply(batch("b", [update("node", "a", y=5), SetSessionOp(changes={"title": "Renamed"})]))
    again = parse_operation(record.op.model_dump_json())
    assert again == record.op


def test_set_session_validates_the_step() -> None:
    doc = two_org_document()
    rec = doc.apply(SetSessionOp(changes={"current_step": {"intervention_id": "i1", "step_id": "s1"}}))
    assert doc.session.current_step is not None
    assert doc.session.current_step.step_id == "s1"
    nxt = doc.apply(update("node", "a", x=3))
    assert (nxt.intervention_id, nxt.step_id) == ("i1", "s1")
    doc.apply(rec.op.inverse())
    assert doc.session.current_step is None
    with pytest.raises(OperationError, match="current_step"):
        doc.apply(SetSessionOp(changes={"current_step": {"intervention_id": "i1"}}))


def test_changes_name_the_elements_a_record_added_updated_and_removed() -> None:
    document = two_org_document()
    node = next(iter(document.session.nodes.values()))
    extra = node.model_copy(update={"id": "n-extra", "label": "Extra"})
    record = document.apply(
        batch(
            "several",
            [
                add(extra),
                update("node", "n-extra", label="Extra, renamed"),
                update("node", node.id, label="Renamed"),
            ],
        )
    )
    found = changes(record.op)
    assert found.added == {("node", "n-extra")}, "added then updated in one batch: added"
    assert found.updated == {("node", node.id)}
    assert found.removed == frozenset()
    assert found.of_kind("node") == {"n-extra", node.id}
    record = document.apply(batch("gone", [remove("node", "n-extra")]))
    assert changes(record.op).removed == {("node", "n-extra")}
    assert not changes(record.op).session
