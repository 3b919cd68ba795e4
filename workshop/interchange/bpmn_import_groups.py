"""Groups of a BPMN import: each a frame around part of the model, named by its category value.

Split out of :mod:`bpmn_import`. A group sits in a process or a
collaboration; its name is the value of the category value it refers to
(``categoryValueRef``), its frame its diagram bounds, moved with the lane its
top falls in as the import moved that lane's contents.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from workshop.domain.model.errors import OperationError
from workshop.domain.model.naming import line_breaks
from workshop.domain.model.process import Group
from workshop.interchange.bpmn_import_ledger import ImportLedger
from workshop.interchange.bpmn_read import BPMN, local_name


def import_groups(
    ledger: ImportLedger, lanes_made: list[tuple[float, str]], offsets: dict[str, float], shift_x: float
) -> None:
    """Make a :class:`Group` of every counted group; ``lanes_made``: (diagram top, lane id) of the lanes."""
    values = {v.get("id", ""): v for v in ledger.root.iter(f"{{{BPMN}}}categoryValue")}
    ordered = sorted(lanes_made)
    for element in ledger.counted:
        if local_name(element.tag) != (BPMN, "group") or element in ledger.status:
            continue
        box = ledger.bounds.get(element.get("id", ""))
        if box is None:
            ledger.report(element, "not imported: a group the diagram does not draw has nothing to frame")
            continue
        value = values.get(ledger.xml.ref(element, element.get("categoryValueRef")))
        label = line_breaks((value.get("value") or "") if value is not None else (element.get("name") or ""))
        above = [lane_id for top, lane_id in ordered if top <= box[1]]
        lane_id = above[-1] if above else (ordered[0][1] if ordered else "")
        _add(ledger, element, label, box[0] + shift_x, box[1] + offsets.get(lane_id, 0.0), box[2], box[3])


def _add(ledger: ImportLedger, element: Element, label: str, x: float, y: float, w: float, h: float) -> None:
    try:
        ledger.doc.add(
            Group(
                id=ledger.new_id(element.get("id", "") or "group"),
                model_id=ledger.model_id,
                label=label,
                x=x,
                y=y,
                w=max(w, 1.0),
                h=max(h, 1.0),
            )
        )
    except (OperationError, ValueError) as error:  # a ValidationError is a ValueError too
        ledger.refused(element, error)
        return
    ledger.took(element)
