"""Decisions show BPMN's gateway marker; the workshop's ordinary (exclusive) decision stays plain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from workshop.domain.drawing.shapes import gateway_marker
from workshop.domain.model.geometry import Box
from workshop.domain.model.process import GatewayKind
from workshop.ui.canvas.shapes import node_path, qt_path

BOX = Box(0, 0, 110, 90)
RECT = QRectF(0, 0, 110, 90)


def test_an_exclusive_decision_has_no_marker() -> None:
    assert gateway_marker(GatewayKind.EXCLUSIVE, BOX).empty


@pytest.mark.parametrize("kind", [k for k in GatewayKind if k != GatewayKind.EXCLUSIVE])
def test_other_gateways_have_a_marker_inside_the_diamond(kind: GatewayKind) -> None:
    marker = qt_path(gateway_marker(kind, BOX))
    assert not marker.isEmpty()
    assert node_path("decision", RECT).contains(marker.boundingRect()), "the marker sits inside the diamond"


def test_each_gateway_type_looks_different() -> None:
    outlines = {kind: gateway_marker(kind, BOX).commands for kind in GatewayKind}
    assert len(set(outlines.values())) == len(GatewayKind), outlines
