"""What a sub-process held in sessions imported before its contents became steps of the model.

An import now makes a sub-process's contents nodes and flows of their own
(``Node.parent_id``; see :mod:`bpmn_import_nodes` and
:mod:`bpmn_export_nesting`). Sessions imported earlier keep them as XML in
:attr:`Node.bpmn_inside`; the export still writes that back inside the
sub-process, the diagram moved by as much as the sub-process moved, so
those sessions lose nothing. :func:`diagram_elements` serves the import.
"""

from __future__ import annotations

import math
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import Element

from workshop.domain.model.process import Node
from workshop.interchange.bpmn_read import BPMNDI, DC, DI, XmlSource

INSIDE = "inside"
"""The root element of :attr:`Node.bpmn_inside`:
``<inside x= y=><contents>…</contents><diagram>…</diagram></inside>`` (x, y: the sub-process's place in the file)."""


def diagram_elements(xml: XmlSource) -> dict[str, Element]:
    """BPMN id -> the shape or edge that draws it in the file's first diagram that does."""
    found: dict[str, Element] = {}
    for tag in ("BPMNShape", "BPMNEdge"):
        for drawn in xml.root.iter(f"{{{BPMNDI}}}{tag}"):
            found.setdefault(xml.ref(drawn, drawn.get("bpmnElement")), drawn)
    return found


def write_contents(element: Element, node: Node) -> None:
    """Put the kept elements back inside the exported sub-process, after what the export wrote itself."""
    if not node.bpmn_inside:
        return
    contents = ET.fromstring(node.bpmn_inside).find("contents")
    if contents is not None:
        element.extend(list(contents))


def write_diagram(plane: Element, node: Node) -> None:
    """Put the kept shapes and edges into the exported plane, moved by as much as the sub-process moved."""
    if not node.bpmn_inside:
        return
    inside = ET.fromstring(node.bpmn_inside)
    diagram = inside.find("diagram")
    if diagram is None:
        return
    origin = _number(inside.get("x")), _number(inside.get("y"))
    if origin[0] is None or origin[1] is None:
        return
    dx, dy = node.x - origin[0], node.y - origin[1]
    for drawn in diagram:
        points = [*drawn.iter(f"{{{DC}}}Bounds"), *drawn.iter(f"{{{DI}}}waypoint")]
        moved = [(point, _number(point.get("x")), _number(point.get("y"))) for point in points]
        if any(x is None or y is None for _, x, y in moved):
            continue  # a shape the file gave no usable place: not drawn (the element itself is kept)
        for point, x, y in moved:
            point.set("x", _num((x or 0.0) + dx))
            point.set("y", _num((y or 0.0) + dy))
        plane.append(drawn)


def _number(text: str | None) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _num(value: float) -> str:
    return f"{round(value, 2):.12g}"
