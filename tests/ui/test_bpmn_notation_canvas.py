"""The canvas draws BPMN's notation and groups from the one drawing: what the domain draws, nothing of its own."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.interchange.bpmn_samples import MEANING
from workshop.domain.drawing.notation import notation_of
from workshop.domain.drawing.shapes import group_drawing, longest_word, node_drawing
from workshop.domain.model.document import Document
from workshop.domain.model.geometry import Box
from workshop.domain.model.operations import update
from workshop.interchange.bpmn_import import import_bpmn
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.canvas.shapes import box_of
from workshop.ui.themes import THEMES


def test_nodes_carry_their_notation_and_groups_their_frames(qapp: QApplication) -> None:
    result = import_bpmn(MEANING)
    document = Document(result.session)
    theme = THEMES["light"]
    scene = CanvasScene(document, result.model_id, theme)
    for node_id in ("B", "T", "C", "U", "send", "undo", "E"):
        node = document.session.nodes[node_id]
        item = scene.node_items[node_id]
        drawn = node_drawing(
            str(node.node_kind),
            box_of(item.rect),
            item.colour,
            theme.style,
            str(node.gateway_kind),
            notation_of(node),
            longest_word(node.label),
        )
        assert len(item._drawing) == len(drawn.shapes), node_id  # glyphs and markers, as the domain has them
        plain = node_drawing(str(node.node_kind), box_of(item.rect), item.colour, theme.style)
        assert len(drawn.shapes) > len(plain.shapes), node_id
    frame = scene.groups.items["grp"]
    group = document.session.groups["grp"]
    expected = group_drawing(Box(group.x, group.y, group.w, group.h), theme.style)
    assert len(frame._drawing()[0]) == len(expected.shapes)
    assert frame.label == "Checks"
    document.apply(update("group", "grp", label="Reviews", x=group.x + 50))
    assert frame.label == "Reviews"
    assert frame.boundingRect().x() == group.x + 50 - 2, "the frame follows the document"
    scene.detach()
