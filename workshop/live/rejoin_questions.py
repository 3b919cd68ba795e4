"""The facilitator's questions "is it the same person?": at most one waiting per person.

A join that names an existing participant from an unknown device waits for
the facilitator. Hundreds of such joins (a script, 300 device ids) must not
bury the genuine one: each person has at most one question waiting; later
attempts from other devices add to its count and are told to ask the
facilitator, and each address may ask only a few times a minute
(:class:`~workshop.live.join_limits.JoinLimits`). The phone of the waiting
request shows a number the question names, so the facilitator can tell which
phone the answer is about.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable

from workshop.live.identity import Decision, RejoinRequest

RejoinListener = Callable[[RejoinRequest], None]
"""Told (on the server's thread) a copy of a question whenever it is new or has a new attempt."""

MAX_ANSWERED = 1000
"""Answered questions kept for their phones to collect the answer; older ones expire."""


class AlreadyAsked(Exception):
    """Another device's question for this person is waiting; the text is for the person on the phone."""


class RejoinQuestions:
    """The questions waiting for the facilitator and the answers not yet collected by their phones."""

    def __init__(self, on_rejoin: RejoinListener | None = None) -> None:
        self.on_rejoin = on_rejoin
        self._by_id: dict[str, RejoinRequest] = {}
        self._waiting: dict[str, RejoinRequest] = {}
        """The pending question of each participant."""

    def ask(self, participant_id: str, device: str, typed: str = "") -> RejoinRequest:
        """The question for this join: the device's own waiting one, a new one, or :class:`AlreadyAsked`."""
        waiting = self._waiting.get(participant_id)
        if waiting is not None:
            if device and waiting.device == device:
                return waiting  # the same phone asking again waits for the same answer
            waiting.attempts += 1
            self._tell(waiting)
            raise AlreadyAsked(
                "Someone is already waiting to be confirmed under this name. Please ask the facilitator."
            )
        request = RejoinRequest(
            id=secrets.token_urlsafe(12),
            participant_id=participant_id,
            device=device,
            check=f"{secrets.randbelow(10_000):04d}",
            typed=typed,
        )
        self._by_id[request.id] = request
        self._waiting[participant_id] = request
        while len(self._by_id) > MAX_ANSWERED + len(self._waiting):
            oldest = next(iter(self._by_id))
            self._forget(self._by_id[oldest])
        self._tell(request)
        return request

    def decide(self, request_id: str, decision: Decision) -> None:
        """The facilitator's answer; the person's next question may be asked from then on."""
        request = self._by_id.get(request_id)
        if request is None or request.decision != Decision.PENDING:
            return
        request.decision = decision
        if self._waiting.get(request.participant_id) is request:
            del self._waiting[request.participant_id]

    def get(self, request_id: str) -> RejoinRequest | None:
        return self._by_id.get(request_id)

    def collected(self, request: RejoinRequest) -> None:
        """The phone has its answer: the question is done."""
        self._forget(request)

    def _forget(self, request: RejoinRequest) -> None:
        self._by_id.pop(request.id, None)
        if self._waiting.get(request.participant_id) is request:
            del self._waiting[request.participant_id]

    def _tell(self, request: RejoinRequest) -> None:
        if self.on_rejoin is not None:
            self.on_rejoin(dataclasses.replace(request))
