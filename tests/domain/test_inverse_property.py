"""Property: any sequence of operations followed by their inverses restores the original session.

Operations are drawn against the current state, so they are a mix of valid
ones and ones the document refuses (which must change nothing).
"""

from __future__ import annotations

import itertools
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.builders import two_org_document
from workshop.domain.model import edits
from workshop.domain.model.annotations import Annotation, KnowledgeBoundary
from workshop.domain.model.document import Document
from workshop.domain.model.edits import cascade_remove, copy_model
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import Operation, SetSessionOp, add, batch, remove, update
from workshop.domain.model.process import Flow, Node, NodeKind, ProcessState
from workshop.domain.model.session import SessionState

texts = st.text(min_size=0, max_size=12)
coords = st.floats(min_value=-500, max_value=5000, allow_nan=False, allow_infinity=False)


def _ids(doc: Document, kind: str) -> list[str]:
    return sorted(doc.state.collection(kind)) or ["missing"]


@st.composite
def an_operation(draw: st.DrawFn, doc: Document) -> Operation:
    nodes = _ids(doc, "node")
    choice = draw(st.integers(0, 10))
    if choice == 0:
        return add(
            Node(
                id=draw(st.sampled_from(["n1", "n2", "n3", "a"])),
                model_id="m1",
                node_kind=draw(st.sampled_from(list(NodeKind))),
                label=draw(texts),
                lane_id=draw(st.sampled_from(["lane-it", "lane-a", None])),
                x=draw(coords),
                y=draw(coords),
            )
        )
    if choice == 1:
        return add(
            Flow(
                id=draw(st.sampled_from(["g1", "g2", "f1"])),
                model_id="m1",
                source_id=draw(st.sampled_from(nodes)),
                target_id=draw(st.sampled_from(nodes)),
                label=draw(texts),
            )
        )
    if choice == 2:
        return update("node", draw(st.sampled_from(nodes)), x=draw(coords), y=draw(coords))
    if choice == 3:
        return update(
            "node",
            draw(st.sampled_from(nodes)),
            owner_org_id=draw(st.sampled_from(["org-it", "org-a", None, "org-ghost"])),
            label=draw(texts),
        )
    if choice == 4:
        return remove(draw(st.sampled_from(["node", "flow", "lane"])), draw(st.sampled_from([*nodes, "f1", "lane-a"])))
    if choice == 5:
        kind, target = draw(st.sampled_from([("node", nodes[0]), ("flow", "f2"), ("organization", "org-a")]))
        return cascade_remove(doc.state, [(kind, target)]) if doc.state.exists((kind, target)) else remove(kind, target)
    if choice == 6:
        return add(
            Annotation(
                id=draw(st.sampled_from(["an1", "an2"])),
                text=draw(st.text(min_size=1, max_size=20)),
                target_kind="node",
                target_id=draw(st.sampled_from(nodes)),
                codes=draw(st.lists(st.sampled_from(["code-coordination", "code-facilitation"]), max_size=2)),
            )
        )
    if choice == 7:
        return add(
            KnowledgeBoundary(
                id=draw(st.sampled_from(["kb1", "kb2"])),
                target_kind="flow",
                target_id=draw(st.sampled_from(["f1", "f2", "f3"])),
                org_a="org-a",
                org_b=draw(st.sampled_from(["org-it", "org-a"])),
                status=draw(st.sampled_from(["open", "crossed"])),
            )
        )
    if choice == 8:
        return SetSessionOp(changes={"title": draw(texts), "anonymous_step": draw(st.booleans())})
    if choice == 9:
        _, op = copy_model(doc.state, "m1", name="Future", process_state=ProcessState.FUTURE)
        return op
    moved = draw(st.lists(st.sampled_from(nodes), max_size=3))
    return batch("moves", [update("node", n, x=draw(coords)) for n in moved])


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_operations_then_inverses_restore_the_original(data: st.DataObject) -> None:
    counter = itertools.count()
    # copy_model mints ids; they must be the same each time hypothesis replays an example
    with mock.patch.object(edits, "new_id", lambda prefix: f"{prefix}-{next(counter)}"):
        _check_inverse_property(data)


def _check_inverse_property(data: st.DataObject) -> None:
    doc = two_org_document()
    original = doc.session.model_copy(deep=True)
    applied: list[Operation] = []
    for _ in range(data.draw(st.integers(1, 12))):
        op = data.draw(an_operation(doc))
        before = doc.session.model_copy(deep=True)
        try:
            applied.append(doc.apply(op).op)
        except OperationError:
            assert doc.session == before, "a refused operation changed the session"
        fresh = SessionState(doc.session)._built_index()
        assert doc.state._built_index() == fresh, "reference index drifted"
    for op in reversed(applied):
        doc.apply(op.inverse())
    assert doc.session == original
