"""Small hand-built sessions for domain tests."""

from __future__ import annotations

from typing import Any

from workshop.domain.model.document import Document
from workshop.domain.model.operations import Operation, add
from workshop.domain.model.process import Flow, Lane, Node, NodeKind, Organization, ProcessModel
from workshop.domain.model.session import new_session


def two_org_ops() -> list[Operation]:
    """IT provider and customer group A, one model, one lane each, start -> a -> b -> end with one handoff."""
    return [
        add(Organization(id="org-it", name="IT provider", org_kind="it_provider")),
        add(Organization(id="org-a", name="Customer group A", org_kind="customer_network")),
        add(ProcessModel(id="m1", name="Current")),
        add(Lane(id="lane-it", model_id="m1", organization_id="org-it", index=0)),
        add(Lane(id="lane-a", model_id="m1", organization_id="org-a", index=1)),
        add(Node(id="start", model_id="m1", node_kind=NodeKind.START, lane_id="lane-a")),
        add(Node(id="a", model_id="m1", label="Register", lane_id="lane-a", owner_org_id="org-a")),
        add(Node(id="b", model_id="m1", label="Process", lane_id="lane-it", owner_org_id="org-it")),
        add(Node(id="end", model_id="m1", node_kind=NodeKind.END, lane_id="lane-it")),
        add(Flow(id="f1", model_id="m1", source_id="start", target_id="a")),
        add(Flow(id="f2", model_id="m1", source_id="a", target_id="b")),
        add(Flow(id="f3", model_id="m1", source_id="b", target_id="end")),
    ]


def two_org_document(**document_args: Any) -> Document:
    """A document holding :func:`two_org_ops` (12 operations applied)."""
    doc = Document(new_session("test", session_id="session-test"), **document_args)
    for op in two_org_ops():
        doc.apply(op)
    return doc
