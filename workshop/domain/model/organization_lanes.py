"""An organization takes part in a model through a lane: adding one by name adds both, as one step.

The same rule serves the lane menu (one organization) and a new workshop (the organizations the
facilitator names). A name that matches an existing organization, ignoring case and spacing, reuses it,
so "IT provider" typed twice is one organization with one colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from workshop.domain.drawing.colours import unused_colour
from workshop.domain.model.geometry import model_lanes
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import Operation, add, batch, update
from workshop.domain.model.process import Lane, Organization
from workshop.domain.model.session import Session


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def lanes_for_organizations_op(
    session: Session, model_id: str, names: Sequence[str], *, role: str = "", label: str = ""
) -> Operation | None:
    """Add a lane in ``model_id`` for each named organization, adding the organizations that are new.

    Names already having a lane in the model (with the same role) are skipped; blank names and repeats are
    ignored. Returns None when nothing is left to add.
    """
    by_name = {_key(org.name): org for org in session.organizations.values()}
    lanes = model_lanes(session, model_id)
    has_lane = {(lane.organization_id, lane.role) for lane in lanes}
    index = max((lane.index for lane in lanes), default=-1) + 1
    ops: list[Operation] = []
    colours: list[str] = []
    added: list[str] = []
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        org = by_name.get(_key(name))
        if org is None:
            org = Organization(id=new_id("org"), name=name, colour=unused_colour(session, tuple(colours)))
            by_name[_key(name)] = org
            colours.append(org.colour)
            ops.append(add(org))
        if (org.id, role) in has_lane:
            continue
        has_lane.add((org.id, role))
        ops.append(add(Lane(id=new_id("lane"), model_id=model_id, organization_id=org.id, role=role, index=index)))
        index += 1
        added.append(org.name)
    if not ops:
        return None
    return batch(label or f"Add lane{'s' if len(added) > 1 else ''} {', '.join(added)}", ops)


def move_lane_op(session: Session, lane_id: str, step: int) -> Operation | None:
    """Swap a lane with the one ``step`` places above (-1) or below (+1) it; None at either end."""
    lane = session.lanes[lane_id]
    lanes = model_lanes(session, lane.model_id)
    position = lanes.index(lane)
    other = position + step
    if not 0 <= other < len(lanes):
        return None
    order = lanes[:]
    order[position], order[other] = order[other], order[position]
    ops: list[Operation] = [update("lane", ln.id, index=i) for i, ln in enumerate(order) if ln.index != i]
    return batch("Reorder lanes", ops)
