"""What participant pages may see of the session, as JSON-ready dicts.

Pages get the elements they draw (organizations, lanes, nodes, flows,
boundaries), the contributions they can react to (annotations, votes,
agreement answers) and the step in force. Hidden (moderated) annotations are
withheld, and authors are shown as :func:`~workshop.domain.anonymity.author_label`
says, so an anonymous step stays anonymous on every phone.
"""

from __future__ import annotations

from typing import Any

from workshop.domain.annotations import Annotation
from workshop.domain.anonymity import author_label
from workshop.domain.document import LogRecord
from workshop.domain.entity import KINDS, Entity
from workshop.domain.geometry import flow_route
from workshop.domain.process import Flow, Participant
from workshop.domain.session import Session, SessionState
from workshop.domain.survey import Instrument
from workshop.live.step_rules import (
    agreement_check_id,
    allowed_actions,
    current_step,
    open_survey,
    running_walk,
    shown_model_id,
    vote_round,
)

PUBLIC_KINDS = (
    "organization",
    "participant",
    "model",
    "lane",
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


def public_entity(session: Session, entity: Entity) -> JsonDict | None:
    """The element as pages see it; None when pages must not see it (a hidden annotation)."""
    if isinstance(entity, Annotation):
        if entity.hidden:
            return None
        data = entity.model_dump(mode="json", exclude={"author_id", "codes", "hidden"})
        data["author"] = author_label(session, entity)
        return data
    if isinstance(entity, Participant):
        return {"id": entity.id, "name": entity.name, "organization_id": entity.organization_id}
    data = entity.model_dump(mode="json")
    if isinstance(entity, Flow):
        data["route"] = [list(point) for point in flow_route(session, entity.id)]  # as the canvas routes it
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
            "started": step_started,
        },
        "anonymous": session.anonymous_step,
        "vote_round": vote_round(session)[0],
        "dots": vote_round(session)[1],
        "agreement_check": agreement_check_id(session),
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
    for kind in PUBLIC_KINDS:
        shown = {}
        for entity in getattr(session, KINDS[kind].collection).values():
            data = public_entity(session, entity)
            if data is not None:
                shown[entity.id] = data
        elements[kind] = shown
    return {"seq": seq, "meta": meta(session, step_started), "elements": elements}


def changes(state: SessionState, record: LogRecord) -> list[JsonDict]:
    """The public elements a record touched, as they are now: ``{kind, id, data}`` (data None = gone)."""
    touched: dict[tuple[str, str], None] = {}
    for op in record.op.primitives():
        kind = getattr(op, "kind", None)
        if kind not in PUBLIC_KINDS:
            continue
        entity_id = getattr(op, "id", None) or (getattr(op, "data", None) or {}).get("id")
        if isinstance(entity_id, str):
            touched[(kind, entity_id)] = None
        if kind == "node" and isinstance(entity_id, str):  # a moved node moves its flows' routes
            for holder_kind, holder_id in state.referrers("node", entity_id):
                if holder_kind == "flow":
                    touched[("flow", holder_id)] = None
        if kind == "participant":  # a renamed participant changes author labels
            for annotation in state.session.annotations.values():
                if annotation.author_id == entity_id:
                    touched[("annotation", annotation.id)] = None
    result = []
    for kind, entity_id in touched:
        entity = state.get(kind, entity_id)
        data = public_entity(state.session, entity) if entity is not None else None
        result.append({"kind": kind, "id": entity_id, "data": data})
    return result
