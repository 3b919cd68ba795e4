"""Phones draw the process's level: a collapsed sub-process's steps say they are not on it."""

from __future__ import annotations

from tests.interchange.bpmn_samples import COLLAPSED
from workshop.interchange.bpmn_import import import_bpmn
from workshop.live.public_view import public_entity


def test_a_collapsed_sub_process_s_steps_are_marked_off_the_main_view() -> None:
    session = import_bpmn(COLLAPSED).session

    def on_main(node_id: str) -> object:
        data = public_entity(session, session.nodes[node_id])
        assert data is not None
        return data.get("on_main", True)

    assert on_main("sub") is True
    assert on_main("inT") is False
    assert on_main("deepT") is False, "inside an expanded one, itself inside a collapsed one"
