"""The overlay on the scene: the current node and its organization's lanes lit, the rest dimmed, a handoff banner."""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene
from pytestqt.qtbot import QtBot

from tests.domain.test_walkthrough import start
from workshop.domain.model.document import Document
from workshop.domain.model.session import Session
from workshop.domain.walkthrough.walk import Walk
from workshop.resources import example_session_path
from workshop.ui.walkthrough.walkthrough_overlay import WalkthroughOverlay, lane_rects, node_rect


def test_overlay_lights_the_owner_lane_and_shows_the_handoff(qtbot: QtBot) -> None:
    doc = Document(Session.model_validate_json(example_session_path().read_text(encoding="utf-8")))
    scene = QGraphicsScene()
    overlay = WalkthroughOverlay(scene)
    wid = start(doc, "model-current")
    for flow_id in (None, None, "flow-04", None, None, None):
        doc.apply(Walk(doc.session, wid).forward(flow_id))
    walk = Walk(doc.session, wid)
    assert walk.position == ("node", "n-b-fax")
    overlay.show(walk)
    dim = next(item for item in overlay.items if isinstance(item, QGraphicsPathItem))
    lanes = lane_rects(doc.session, "model-current")
    assert not dim.shape().contains(lanes["lane-b"].center())  # group B's lane is lit
    assert dim.shape().contains(lanes["lane-it-cs"].center())  # the IT provider's lanes are dimmed
    assert overlay.banner is None
    assert all(item.zValue() >= 10_000 for item in overlay.items)

    doc.apply(Walk(doc.session, wid).forward())  # the fax: a handoff to the IT provider
    overlay.show(Walk(doc.session, wid))
    assert overlay.banner is not None
    text = overlay.banner.text()
    assert text.startswith("Handoff: from Customer group B to IT provider")
    assert "paper form codes are" in text
    dim = next(item for item in overlay.items if isinstance(item, QGraphicsPathItem))
    assert not dim.shape().contains(lanes["lane-it-cs"].center())
    assert not dim.shape().contains(node_rect(doc.session.nodes["n-b-fax"]).center())
    assert dim.shape().contains(lanes["lane-eu"].center())

    overlay.show(None)
    assert overlay.items == []
    assert [i for i in scene.items() if i.zValue() >= 10_000] == []


def test_overlay_tells_the_room_about_decisions_and_parallel_paths(qtbot: QtBot) -> None:
    doc = Document(Session.model_validate_json(example_session_path().read_text(encoding="utf-8")))
    overlay = WalkthroughOverlay(QGraphicsScene())
    wid = start(doc, "model-current")
    for _ in range(2):
        doc.apply(Walk(doc.session, wid).forward())
    overlay.show(Walk(doc.session, wid))
    assert overlay.banner is not None
    assert overlay.banner.text().startswith("Decision\nWhich customer group?: group A")
    doc.apply(Walk(doc.session, wid).jump("n-it-ask"))
    overlay.show(Walk(doc.session, wid))
    assert overlay.banner is not None
    assert overlay.banner.text().startswith("Parallel paths\nparallel paths from 'Ask sales unit")
