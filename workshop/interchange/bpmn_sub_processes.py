"""What a sub-process holds, kept through import → export: its elements and their diagram, as the file had them.

The workshop shows a sub-process as one activity (its contents are named in
the import report). So that a round trip through the workshop does not empty
it, the import keeps the sub-process's own elements — its steps, flows,
events, nested sub-processes, artifacts — and the diagram shapes and edges
that draw them in the same plane, as XML in :attr:`Node.bpmn_inside`; the
export writes them back inside the sub-process, the diagram moved by as much
as the sub-process moved. Parts the export writes itself (incoming and
outgoing, data associations, loop characteristics, extensions) are not kept.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import Element

from workshop.domain.model.process import Node
from workshop.interchange.bpmn_read import BPMN, BPMNDI, DC, DI, XmlSource, local_name

WRITTEN_BY_EXPORT = frozenset(
    {
        "incoming",
        "outgoing",
        "extensionElements",
        "ioSpecification",
        "property",
        "dataInputAssociation",
        "dataOutputAssociation",
        "standardLoopCharacteristics",
        "multiInstanceLoopCharacteristics",
    }
)
NOT_CONTENTS = frozenset(
    {
        "documentation",
        "auditing",
        "monitoring",
        "categoryValueRef",
        "performer",
        "humanPerformer",
        "potentialOwner",
        "resourceRole",
        "dataInput",
        "dataOutput",
        "inputSet",
        "outputSet",
    }
)
"""Parts of the sub-process itself (which the schema wants before its contents), not what it holds."""
REF_ATTRIBUTES = frozenset(
    {
        "sourceRef",
        "targetRef",
        "attachedToRef",
        "default",
        "calledElement",
        "messageRef",
        "signalRef",
        "errorRef",
        "escalationRef",
        "dataObjectRef",
        "dataStoreRef",
        "categoryValueRef",
        "itemSubjectRef",
        "operationRef",
        "activityRef",
    }
)
REF_TEXTS = frozenset({"sourceRef", "targetRef", "incoming", "outgoing", "eventDefinitionRef", "flowNodeRef"})
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
INSIDE = "inside"
"""The root element of :attr:`Node.bpmn_inside`:
``<inside x= y=><contents>…</contents><diagram>…</diagram></inside>`` (x, y: the sub-process's place in the file)."""


def inside_of(
    sub_process: Element, xml: XmlSource, planes: dict[str, Element], taken: Callable[[Element], bool]
) -> str:
    """The sub-process's own elements and their diagram, as the text :attr:`Node.bpmn_inside` keeps ("" if none).

    ``planes``: BPMN id -> the diagram element drawing it (a BPMNShape or BPMNEdge), from :func:`diagram_elements`;
    ``taken``: whether the import made an element part of the model elsewhere (a damaged file's lane inside a
    sub-process): such elements are not kept twice.
    """
    kept = [_copy(child, taken) for child in sub_process if _kept(child) and not taken(child)]
    if not kept:
        return ""
    inside = ET.Element(INSIDE)
    own_shape = planes.get(sub_process.get("id", ""))
    bounds = own_shape.find(f"{{{DC}}}Bounds") if own_shape is not None else None
    if bounds is not None:
        inside.set("x", bounds.get("x", "0"))
        inside.set("y", bounds.get("y", "0"))
    contents = ET.SubElement(inside, "contents")
    contents.extend(_plain(child) for child in kept)
    expanded = own_shape is not None and own_shape.get("isExpanded", "true").strip().lower() != "false"
    if expanded and bounds is not None:
        diagram = ET.SubElement(inside, "diagram")
        for element in (e for child in kept for e in child.iter()):
            drawn = planes.get(element.get("id", ""))
            if drawn is not None:
                diagram.append(_drawing_only(drawn))
    return ET.tostring(inside, encoding="unicode")


def _drawing_only(drawn: Element) -> Element:
    """A copy of a shape or edge without anything but diagram interchange in it (a damaged file nests model
    elements there, which would come back out as second elements of the same id)."""
    copy = ET.fromstring(ET.tostring(drawn))
    for parent in list(copy.iter()):
        for child in list(parent):
            if local_name(child.tag)[0] not in (BPMNDI, DC, DI):
                parent.remove(child)
    return copy


def _kept(child: Element) -> bool:
    ns, tag = local_name(child.tag)
    return ns == BPMN and tag not in WRITTEN_BY_EXPORT and tag not in NOT_CONTENTS


def _copy(element: Element, taken: Callable[[Element], bool]) -> Element:
    copy = Element(element.tag, dict(element.attrib))
    copy.text, copy.tail = element.text, element.tail
    copy.extend(_copy(child, taken) for child in element if not taken(child))
    return copy


def _plain(element: Element) -> Element:
    """``element`` (a copy), its references naming ids without the file's namespace prefixes (``bpmn2:Task_1`` as
    ``Task_1``, as the import reads them) and its ``xsi:type`` naming BPMN's type with the export's prefix: the
    file's prefixes are not declared where the export writes the elements."""
    for inner in element.iter():
        for name in REF_ATTRIBUTES & set(inner.keys()):
            inner.set(name, " ".join(part.rpartition(":")[2] for part in inner.get(name, "").split()))
        if local_name(inner.tag)[1] in REF_TEXTS and inner.text:
            inner.text = inner.text.strip().rpartition(":")[2]
        if inner.get(XSI_TYPE):
            inner.set(XSI_TYPE, "bpmn:" + inner.get(XSI_TYPE, "").rpartition(":")[2])
    return element


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
