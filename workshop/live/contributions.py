"""Turn a participant's message into the domain operation it stands for.

The participant is who the token says, never what the message says; the
step in force decides what is allowed. Everything is checked against the
server's copy of the session so obvious mistakes are answered at once; the
document checks again when it applies the operation on the main thread.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from workshop.domain.facilitation.coordination import AgreementRating, Vote
from workshop.domain.facilitation.step_in_force import (
    agreement_check_id,
    allowed_actions,
    current_step,
    open_survey,
    running_walk,
    shown_model_id,
    vote_round,
)
from workshop.domain.facilitation.voting import dots_left, voter
from workshop.domain.model.annotations import Annotation, KnowledgeBoundary, TargetKind
from workshop.domain.model.entity import KINDS
from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import Operation, add, update
from workshop.domain.model.person_names import comparable_name, shown_name
from workshop.domain.model.process import Participant
from workshop.domain.model.session import Session
from workshop.domain.research.anonymity import attribution
from workshop.domain.research.sources import SurveyResponse
from workshop.live.protocol import (
    AgreementAnswer,
    Annotate,
    Capture,
    Contribution,
    DotVote,
    MarkBoundary,
    SurveyAnswer,
)


def contribution_id(kind: str, participant_id: str, key: str) -> str:
    """The id of the element a contribution adds, derived from who sent it and its idempotency key.

    A resent contribution therefore adds an element whose id is already in
    the session, which the server recognises as "done already", also after
    the facilitator closed and reopened the session or restarted the app.
    """
    digest = hashlib.sha256(f"{participant_id}\x00{key}".encode()).hexdigest()[:12]
    return f"{kind}-{digest}"


class ContributionRefused(ValueError):
    """A contribution the step or the model does not allow; the text is shown to the participant."""


def join_operation(session: Session, name: str, organization_id: str) -> tuple[str, Operation | None]:
    """The participant a join names: an existing one with that name in that organization, or a new one.

    Names are compared as :func:`~workshop.domain.model.person_names.comparable_name` says; whether the person
    joining *is* the existing one is not decided here (the server asks the facilitator).
    """
    if organization_id not in session.organizations:
        raise ContributionRefused("choose your organization from the list")
    if not shown_name(name):
        raise ContributionRefused("type your name")
    wanted = comparable_name(name)
    for person in session.participants.values():
        if person.organization_id == organization_id and comparable_name(person.name) == wanted:
            return person.id, None
    person = Participant(id=new_id("participant"), name=shown_name(name), organization_id=organization_id)
    return person.id, add(person)


def _step_fields(session: Session) -> dict[str, str | None]:
    step = session.current_step
    return {
        "intervention_id": step.intervention_id if step else None,
        "step_id": step.step_id if step else None,
    }


def _require(session: Session, action: str) -> None:
    if action not in allowed_actions(session):
        raise ContributionRefused(f"the current step does not ask for {action}s")


def _annotation(session: Session, participant_id: str, key: str, **fields: object) -> Operation:
    annotation = Annotation.model_validate(
        {
            "id": contribution_id("annotation", participant_id, key),
            "created": datetime.now(UTC),
            **attribution(session, participant_id),
            **_step_fields(session),
            **fields,
        }
    )
    return add(annotation)


def _annotate(session: Session, participant_id: str, message: Annotate) -> Operation:
    _require(session, message.annotation_kind)
    shown = shown_model_id(session, current_step(session))
    if message.target_kind == "model":
        if message.target_id not in session.models:
            raise ContributionRefused("that model is not in this session")
    else:
        target = (session.nodes if message.target_kind == "node" else session.flows).get(message.target_id)
        if target is None or target.model_id != shown:
            raise ContributionRefused(f"that {message.target_kind} is not in the model shown")
    return _annotation(
        session,
        participant_id,
        message.key,
        annotation_kind=message.annotation_kind,
        text=message.text,
        target_kind=message.target_kind,
        target_id=message.target_id,
    )


def _boundary(session: Session, participant_id: str, message: MarkBoundary) -> Operation:
    _require(session, "boundary")
    flow = session.flows.get(message.flow_id)
    if flow is None:
        raise ContributionRefused("that flow is not in this session")
    orgs = handoff_orgs(session, flow)
    if orgs is None:
        raise ContributionRefused("a knowledge boundary is marked on a handoff between two organizations")
    anonymous = session.anonymous_step
    boundary = KnowledgeBoundary(
        id=contribution_id("boundary", participant_id, message.key),
        target_kind=TargetKind.FLOW,
        target_id=flow.id,
        org_a=orgs[0],
        org_b=orgs[1],
        boundary_type=message.boundary_type,
        not_shared=message.not_shared,
        raised_by=None if anonymous else participant_id,
    )
    return add(boundary)


def _vote(session: Session, participant_id: str, message: DotVote) -> Operation:
    _require(session, "vote")
    target = session.annotations.get(message.annotation_id)
    if target is None or target.hidden or target.annotation_kind not in ("idea", "problem"):
        raise ContributionRefused("dots go on ideas and problems")
    round_id, budget = vote_round(session)
    if dots_left(session, round_id, voter(participant_id)) < message.dots:
        raise ContributionRefused(f"you have placed all {budget} of your dots in this round")
    vote = Vote(
        id=contribution_id("vote", participant_id, message.key),
        round_id=round_id,
        participant_id=participant_id,
        annotation_id=target.id,
        dots=message.dots,
    )
    return add(vote)


def _agreement(session: Session, participant_id: str, message: AgreementAnswer) -> Operation:
    _require(session, "agreement")
    person = session.participants[participant_id]
    step = current_step(session)
    if message.predictability is not None and not session.ask_predictability:
        raise ContributionRefused("this agreement check does not ask about predictability")
    check_id = agreement_check_id(session)
    for rating in session.agreements.values():
        if rating.check_id == check_id and rating.participant_id == participant_id:
            changes: dict[str, object] = {"rating": message.rating, "comment": message.comment}
            if message.predictability is not None:  # left out: the earlier answer to it stands
                changes["predictability"] = message.predictability
            return update("agreement", rating.id, **changes)
    answer = AgreementRating(
        id=contribution_id("agreement", participant_id, message.key),
        check_id=check_id,
        organization_id=person.organization_id,
        participant_id=participant_id,
        model_id=shown_model_id(session, step),
        rating=message.rating,
        predictability=message.predictability,
        comment=message.comment,
        created=datetime.now(UTC),
    )
    return add(answer)


def _capture(session: Session, participant_id: str, message: Capture) -> Operation:
    walk = running_walk(session)
    if walk is None:
        raise ContributionRefused("no walkthrough is running")
    walkthrough, position = walk
    return _annotation(
        session,
        participant_id,
        message.key,
        annotation_kind=message.annotation_kind,
        text=message.text,
        target_kind=position.element_kind,
        target_id=position.element_id,
        walkthrough_id=walkthrough.id,
        walkthrough_step=position.index,
    )


def _survey(session: Session, participant_id: str, message: SurveyAnswer) -> Operation:
    survey = open_survey(session)
    if survey is None or survey.id != message.round_id:
        raise ContributionRefused("this survey round is not open")
    person = session.participants[participant_id]
    if message.about_org_id == person.organization_id or message.about_org_id not in session.organizations:
        raise ContributionRefused("rate your organization's tie with another organization of this session")
    answers = {item: value for item, value in message.answers.items() if value > 0}  # 0: left unanswered
    for response in session.survey_responses.values():
        if (response.round_id, response.participant_id, response.about_org_id) == (
            survey.id,
            participant_id,
            message.about_org_id,
        ):
            return update("survey_response", response.id, answers=answers)  # a changed answer, not a second one
    return add(
        SurveyResponse(
            id=contribution_id("survey_response", participant_id, message.key),
            round_id=survey.id,
            participant_id=participant_id,
            organization_id=person.organization_id,
            about_org_id=message.about_org_id,
            answers=answers,
        )
    )


_ADDS = {
    Annotate: "annotation",
    Capture: "annotation",
    MarkBoundary: "boundary",
    DotVote: "vote",
    AgreementAnswer: "agreement",
    SurveyAnswer: "survey_response",
}


def existing_contribution(session: Session, participant_id: str, message: Contribution) -> str | None:
    """The id of the element this contribution added already (it is a resend), else None."""
    kind = _ADDS[type(message)]
    element_id = contribution_id(kind, participant_id, message.key)
    return element_id if getattr(session, KINDS[kind].collection).get(element_id) is not None else None


def contribution_operation(session: Session, participant_id: str, message: Contribution) -> Operation:
    """The operation for ``message`` made by ``participant_id``, or :class:`ContributionRefused`."""
    if participant_id not in session.participants:
        raise ContributionRefused("you are no longer a participant of this session")
    if isinstance(message, Annotate):
        return _annotate(session, participant_id, message)
    if isinstance(message, MarkBoundary):
        return _boundary(session, participant_id, message)
    if isinstance(message, DotVote):
        return _vote(session, participant_id, message)
    if isinstance(message, AgreementAnswer):
        return _agreement(session, participant_id, message)
    if isinstance(message, SurveyAnswer):
        return _survey(session, participant_id, message)
    return _capture(session, participant_id, message)
