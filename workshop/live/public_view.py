"""What participant pages may see of the session, as JSON-ready dicts.

Pages get the elements they draw (organizations, lanes, nodes, flows,
boundaries), the contributions they can react to (annotations, votes,
agreement answers) and the step in force. Hidden (moderated) annotations are
withheld, and authors are shown as :func:`~workshop.domain.research.anonymity.author_label`
says, so an anonymous step stays anonymous on every phone.

Phones never learn who else is in the room: no participant list (only a
count per organization), and no participant id on votes, agreement answers
or boundaries. What a page needs about its own person (their name, their dots
and answers) goes to that page alone, through :func:`own_view`.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from workshop.domain.drawing.notation import Notation, notation_of
from workshop.domain.drawing.shapes import (
    Shape,
    flow_drawing,
    flow_label,
    flow_mark,
    group_drawing,
    lane_drawing,
    longest_word,
    node_drawing,
    organization_colour,
)
from workshop.domain.drawing.style import PRINTED
from workshop.domain.facilitation.coordination import AgreementRating, Vote
from workshop.domain.facilitation.step_clock import StepClock, step_deadline, step_time, step_warning_at
from workshop.domain.facilitation.step_in_force import (
    agreement_check_id,
    allowed_actions,
    current_step,
    open_survey,
    running_walk,
    shown_model_id,
    vote_round,
)
from workshop.domain.model.annotations import Annotation, KnowledgeBoundary
from workshop.domain.model.document import LogRecord
from workshop.domain.model.entity import KINDS, Entity
from workshop.domain.model.geometry import Box, Point, band_right, flow_route, lane_boxes
from workshop.domain.model.handoffs import is_handoff
from workshop.domain.model.operations import RemoveOp, UpdateOp, element_id
from workshop.domain.model.process import Flow, Group, Lane, Node, node_organization
from workshop.domain.model.session import Session, SessionState
from workshop.domain.model.sub_processes import shown_at
from workshop.domain.research.anonymity import author_label
from workshop.domain.research.survey import Instrument

PUBLIC_KINDS = (
    "organization",
    "model",
    "lane",
    "group",
    "node",
    "flow",
    "boundary",
    "annotation",
    "vote",
    "agreement",
    "walkthrough",
    "walk_step",
)

JsonDict = dict[str, Any]

Bands = dict[str, dict[str, Box]]
"""Each model's lane bands, worked out once per message (a band's width depends on every node of its model)."""


def _box(box: Box) -> list[float]:
    return [box.x, box.y, box.w, box.h]


def _shapes(shapes: tuple[Shape, ...]) -> list[JsonDict]:
    """The one drawing's shapes (:mod:`workshop.domain.drawing.shapes`) as the page draws them: SVG path data and
    paint."""
    out = []
    for shape in shapes:
        drawn: JsonDict = {"d": shape.path.svg(), "fill": shape.fill or "none"}
        if shape.fill_alpha < 1:
            drawn["alpha"] = shape.fill_alpha
        if shape.stroke is not None:
            drawn["stroke"], drawn["width"] = shape.stroke.colour, shape.stroke.width
            if shape.stroke.dash is not None:
                drawn["dash"] = "{:g} {:g}".format(*shape.stroke.dash)
        out.append(drawn)
    return out


@functools.lru_cache(maxsize=1 << 12)
def _node_drawing(
    kind: str, w: float, h: float, colour: str, gateway: str, notation: Notation, word: int
) -> tuple[list[JsonDict], list[float], bool]:
    """A node's shapes for the pages, relative to its top left corner (the page places them at the node).

    Most nodes of a model share their kind, size and colour, so they share one drawing: worked out once,
    kept for every phone that joins, and the same text over and over in a compressed message.
    """
    node = node_drawing(kind, Box(0.0, 0.0, w, h), colour, PRINTED, gateway, notation, word)
    return _shapes(node.shapes), _box(node.label_box), node.label_below


@functools.lru_cache(maxsize=1 << 15)
def _flow_drawing(route: tuple[Point, ...], handoff: bool, mark: str, text: str) -> tuple[list[JsonDict], list[float]]:
    """A flow's shapes for the pages; kept, as :func:`_node_drawing`."""
    flow = flow_drawing(route, PRINTED, handoff=handoff, mark=mark, label=text)
    return _shapes(flow.shapes), list(flow.label_at)


def _drawing(session: Session, entity: Lane | Group | Node | Flow, bands: Bands) -> JsonDict:
    """Where and how the page draws ``entity``: shapes, bands, routes and label boxes all come from the domain,
    so a phone shows the model as the canvas and the report do; the page decides nothing about the picture."""
    if isinstance(entity, Lane):
        if entity.model_id not in bands:
            bands[entity.model_id] = lane_boxes(session, entity.model_id)
        band = bands[entity.model_id][entity.id]
        lane = lane_drawing(band, organization_colour(session, entity.organization_id, PRINTED), PRINTED)
        return {"band": _box(band), "drawing": _shapes(lane.shapes), "title_box": _box(lane.title_box)}
    if isinstance(entity, Group):
        group = group_drawing(Box(entity.x, entity.y, entity.w, entity.h), PRINTED)
        return {"drawing": _shapes(group.shapes), "label_box": _box(group.label_box)}
    if isinstance(entity, Node):
        colour = organization_colour(session, node_organization(entity, session.lanes), PRINTED)
        kind, gateway = str(entity.node_kind), str(entity.gateway_kind)
        shapes, label, below = _node_drawing(
            kind, entity.w, entity.h, colour, gateway, notation_of(entity), longest_word(entity.label)
        )
        drawn = {"drawing": shapes, "label_box": label, "label_below": below}
        if entity.parent_id is not None:  # a step of a sub-process: drawn where the process's view draws it, if
            drawn["on_main"] = shown_at(entity, session.nodes, None)  # it does (an expanded one's, in place)
        return drawn
    route = tuple(flow_route(session, entity.id))
    handoff = is_handoff(session, entity)  # the page asks the domain, it does not decide
    text = flow_label(entity)
    flow_shapes, label_at = _flow_drawing(route, handoff, flow_mark(session, entity), text)
    return {
        "route": [list(p) for p in route],
        "handoff": handoff,
        "drawing": flow_shapes,
        "label_at": label_at,
        "label_text": text,
    }


def public_entity(session: Session, entity: Entity, bands: Bands | None = None) -> JsonDict | None:
    """The element as pages see it; None when pages must not see it (a hidden annotation).

    ``bands``: lane bands already worked out for this message (filled in as lanes need them).
    """
    if isinstance(entity, Annotation):
        if entity.hidden:
            return None
        data = entity.model_dump(mode="json", exclude={"author_id", "codes", "hidden"})
        data["author"] = author_label(session, entity)
        return data
    if isinstance(entity, Vote | AgreementRating):
        return entity.model_dump(mode="json", exclude={"participant_id"})
    if isinstance(entity, KnowledgeBoundary):
        return entity.model_dump(mode="json", exclude={"raised_by"})
    data = entity.model_dump(mode="json", exclude={"bpmn_inside"} if isinstance(entity, Node) else None)
    if isinstance(entity, Lane | Group | Node | Flow):
        data.update(_drawing(session, entity, {} if bands is None else bands))
    return data


def _survey_meta(session: Session) -> JsonDict | None:
    """The open survey round's questions (its answers are never public: only aggregated scores are shown)."""
    survey = open_survey(session)
    if survey is None:
        return None
    instrument = Instrument.model_validate(survey.instrument)
    return {
        "round_id": survey.id,
        "label": survey.label,
        "scale_min": instrument.scale_min,
        "scale_max": instrument.scale_max,
        "scale_labels": {str(k): v for k, v in instrument.scale_labels.items()},
        "items": [{"id": item.id, "text": item.text} for item in instrument.items],
    }


def _clock(session: Session, step_started: str | None, timebox_minutes: float | None) -> JsonDict:
    """The step clock as the page shows it, worked out by :mod:`workshop.domain.facilitation.step_clock`: the page
    counts
    down to ``ends_at`` (or shows ``remaining`` while the clock is paused) and turns amber at ``warns_at``,
    red past ``ends_at``, as the console and the projector do."""
    clock = session.step_clock
    if clock is None and step_started is not None:
        clock = StepClock(started=datetime.fromisoformat(step_started))
    time = step_time(clock, timebox_minutes)
    deadline = step_deadline(clock, timebox_minutes)
    warns = step_warning_at(clock, timebox_minutes)
    return {
        "started": clock.started.isoformat() if clock is not None else None,
        "ends_at": deadline.isoformat() if deadline is not None else None,
        "warns_at": warns.isoformat() if warns is not None else None,
        "paused": bool(time and time.paused),
        "remaining": time.remaining if time is not None else None,
    }


def _counts_per_organization(session: Session) -> dict[str, int]:
    counts: dict[str, int] = {}
    for person in session.participants.values():
        counts[person.organization_id] = counts.get(person.organization_id, 0) + 1
    return counts


def own_view(session: Session, participant_id: str) -> JsonDict:
    """What one participant's own page may know about them: name, organization, dots and answers."""
    person = session.participants.get(participant_id)
    votes: dict[str, int] = {}
    for vote in session.votes.values():
        if vote.participant_id == participant_id:
            votes[vote.round_id] = votes.get(vote.round_id, 0) + vote.dots
    agreements = {
        a.check_id: {"rating": a.rating, "comment": a.comment, "predictability": a.predictability}
        for a in session.agreements.values()
        if a.participant_id == participant_id
    }
    return {
        "me": None if person is None else {"name": person.name, "organization_id": person.organization_id},
        "votes": votes,
        "agreements": agreements,
    }


def participants_touched(state: SessionState, record: LogRecord) -> set[str]:
    """The participants whose own view (:func:`own_view`) a record may have changed."""
    touched: set[str] = set()
    for op in record.op.primitives():
        kind = getattr(op, "kind", None)
        if kind == "participant":
            touched.add(str(element_id(op)))
        elif kind in ("vote", "agreement"):
            entity_id = element_id(op)
            entity = state.get(kind, str(entity_id))
            who = getattr(entity, "participant_id", None) or (getattr(op, "data", None) or {}).get("participant_id")
            if who:
                touched.add(str(who))
    return touched


def meta(session: Session, step_started: str | None) -> JsonDict:
    """The step, the shown model, what may be done and where a walkthrough stands."""
    step = current_step(session)
    walk = running_walk(session)
    return {
        "title": session.title,
        "step": None
        if step is None
        else {
            "title": step.title,
            "prompt": step.prompt,
            "timebox_minutes": step.timebox_minutes,
            **_clock(session, step_started, step.timebox_minutes),
        },
        "anonymous": session.anonymous_step,
        "participants": _counts_per_organization(session),
        "vote_round": vote_round(session)[0],
        "dots": vote_round(session)[1],
        "agreement_check": agreement_check_id(session),
        "ask_predictability": session.ask_predictability,
        "model_id": shown_model_id(session, step),
        "allowed": sorted(allowed_actions(session)),
        "survey": _survey_meta(session),
        "walk": None
        if walk is None
        else {"walkthrough_id": walk[0].id, "element_kind": walk[1].element_kind, "element_id": walk[1].element_id},
    }


def snapshot(session: Session, seq: int, step_started: str | None) -> JsonDict:
    """Everything a page needs when it (re)connects."""
    elements: dict[str, JsonDict] = {}
    bands: Bands = {}
    for kind in PUBLIC_KINDS:
        shown = {}
        for entity in getattr(session, KINDS[kind].collection).values():
            data = public_entity(session, entity, bands)
            if data is not None:
                shown[entity.id] = data
        elements[kind] = shown
    return {"seq": seq, "meta": meta(session, step_started), "elements": elements}


def _widened_models(state: SessionState, record: LogRecord) -> set[str]:
    """The models whose bands' right end a record moved (a node added, removed, moved or resized past the others).

    Worked out from the nodes' values before the record (the operations carry them), so the phones are sent
    the lanes again only when their width really changed, not on every nudge of a node in a busy room.
    """
    before: dict[str, tuple[str, float | None]] = {}  # node id -> (its model, its right end before; None: new)
    unsure: set[str] = set()  # models whose earlier extent the record does not tell: send their lanes
    for op in record.op.primitives():
        if getattr(op, "kind", None) != "node":
            continue
        node_id = str(element_id(op))
        node = state.session.nodes.get(node_id)
        if isinstance(op, UpdateOp):
            if node is None or not {"x", "w", "model_id"} & set(op.changes):
                continue
            old = op.old or {}
            if op.old is None or "model_id" in op.changes:
                unsure |= {node.model_id, str(old.get("model_id", node.model_id))}
                continue
            before.setdefault(node_id, (node.model_id, float(old.get("x", node.x)) + float(old.get("w", node.w))))
        elif isinstance(op, RemoveOp):
            data = op.data or {}
            if {"model_id", "x", "w"} <= set(data):
                before.setdefault(node_id, (str(data["model_id"]), float(data["x"]) + float(data["w"])))
            else:  # the record does not say where the node was: its model's lanes (or all) are sent again
                unsure |= {str(data["model_id"])} if "model_id" in data else set(state.session.models)
        elif node is not None:
            before.setdefault(node_id, (node.model_id, None))
    widened = set(unsure)
    for model_id in {model for model, _right in before.values()} - unsure:
        now, untouched = 0.0, 0.0
        for node in state.session.nodes.values():
            if node.model_id == model_id:
                now = max(now, node.x + node.w)
                if node.id not in before:
                    untouched = max(untouched, node.x + node.w)
        old_rights = [right for model, right in before.values() if model == model_id and right is not None]
        if band_right(max([untouched, *old_rights])) != band_right(now):
            widened.add(model_id)
    return widened


def changes(state: SessionState, record: LogRecord) -> list[JsonDict]:
    """The public elements a record touched, as they are now: ``{kind, id, data}`` (data None = gone)."""
    touched: dict[tuple[str, str], None] = {}
    for op in record.op.primitives():
        kind = getattr(op, "kind", None)
        entity_id = element_id(op)
        if kind == "participant":  # a renamed participant changes author labels
            for annotation in state.session.annotations.values():
                if annotation.author_id == entity_id:
                    touched[("annotation", annotation.id)] = None
        if kind not in PUBLIC_KINDS:
            continue
        if isinstance(entity_id, str):
            touched[(kind, entity_id)] = None
        if kind in ("lane", "organization"):
            # a lane's band moves the bands below it; its organization colours its nodes and decides which
            # flows are handoffs; an organization's colour is its lanes' and nodes' (rare edits: send them all)
            for holder_kind in ("lane", "node", "flow"):
                for holder in getattr(state.session, KINDS[holder_kind].collection).values():
                    touched[(holder_kind, holder.id)] = None
        if kind == "node" and isinstance(entity_id, str):  # a moved node moves its flows' routes
            for holder_kind, holder_id in state.referrers("node", entity_id):
                if holder_kind == "flow":
                    touched[("flow", holder_id)] = None
    for model_id in _widened_models(state, record):  # the bands reach past the rightmost node
        for lane in state.session.lanes.values():
            if lane.model_id == model_id:
                touched[("lane", lane.id)] = None
    result = []
    bands: Bands = {}
    for kind, entity_id in touched:
        entity = state.get(kind, entity_id)
        data = public_entity(state.session, entity, bands) if entity is not None else None
        result.append({"kind": kind, "id": entity_id, "data": data})
    return result
