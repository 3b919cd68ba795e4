"""Where an export writes a sub-process's contents: inside its element, and on which diagram plane.

Split out of :mod:`bpmn_export`. A node whose ``parent_id`` names a
sub-process is written inside that sub-process's element (so sub-processes
are written before what they hold); a flow between two of its steps is
written there too. An expanded sub-process's contents are drawn in the plane
that draws it; a collapsed one's on a diagram of its own whose plane names
the sub-process, as BPMN tools expect (``isExpanded="false"`` on its shape).
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree as ET

from workshop.domain.model.process import Node, ancestors
from workshop.interchange.bpmn_read import BPMNDI


def outer_first(nodes: Iterable[Node]) -> list[Node]:
    """The nodes in an order that writes each sub-process before what it holds (stable otherwise)."""
    listed = list(nodes)
    by_id = {n.id: n for n in listed}
    return sorted(listed, key=lambda node: len(ancestors(node, by_id)))


def drawn_on(nodes: Iterable[Node]) -> dict[str, str | None]:
    """Node id -> the collapsed sub-process whose own plane draws it (None: the main plane)."""
    by_id = {n.id: n for n in nodes}
    return {
        node.id: next((holder.id for holder in ancestors(node, by_id) if not holder.expanded), None)
        for node in by_id.values()
    }


def sub_process_planes(root: ET.Element, holders: Iterable[Node]) -> dict[str | None, ET.Element]:
    """A diagram and plane for each collapsed sub-process that holds steps; sub-process id -> its plane."""
    planes: dict[str | None, ET.Element] = {}
    for holder in holders:
        diagram = ET.SubElement(root, f"{{{BPMNDI}}}BPMNDiagram", {"id": f"diagram_{holder.id}"})
        planes[holder.id] = ET.SubElement(
            diagram, f"{{{BPMNDI}}}BPMNPlane", {"id": f"plane_{holder.id}", "bpmnElement": holder.id}
        )
    return planes
