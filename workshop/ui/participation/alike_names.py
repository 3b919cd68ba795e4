"""What the Participants dock says about people's names: who looks like whom, and the rejoin question.

The rule itself (when two names are similar, how a name is shown) is the domain's
(:mod:`workshop.domain.model.person_names`); this module keeps the dock from paying for it all at once: 300 phones
joining together make 45,000 pairs of names, seconds of the main thread while their joins waited behind it.
"""

from __future__ import annotations

from workshop.domain.model.person_names import shown_name, similar_names
from workshop.domain.model.process import Participant
from workshop.domain.model.session import Session
from workshop.live.identity import RejoinRequest

SIMILAR_PAIRS_PER_REFRESH = 2000
"""New pairs of names one refresh of the Participants list compares (about 30 ms); the rest come next time."""


class AlikeNames:
    """Names that look like another participant's, each pair compared once, a share of new pairs per refresh."""

    def __init__(self) -> None:
        self._cache: tuple[tuple[tuple[str, str], ...], dict[str, list[str]]] | None = None
        self._pairs: dict[tuple[str, str], bool] = {}

    def among(self, people: list[Participant]) -> tuple[dict[str, list[str]], bool]:
        """Participant id -> the names theirs looks like, and whether every pair has been compared yet.

        Worked out again only when the names change, and at most :data:`SIMILAR_PAIRS_PER_REFRESH` new
        pairs each time: the list asks again at its next refresh until every pair is known.
        """
        key = tuple((p.id, p.name) for p in people)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1], True
        budget = [SIMILAR_PAIRS_PER_REFRESH]
        complete = True
        alike: dict[str, list[str]] = {person.id: [] for person in people}
        for index, person in enumerate(people):
            for other in people[index + 1 :]:
                similar = self._similar(person.name, other.name, budget)
                if similar is None:
                    complete = False
                elif similar:
                    alike[person.id].append(other.name)
                    alike[other.id].append(person.name)
        if complete:
            self._cache = (key, alike)
        return alike, complete

    def _similar(self, one: str, other: str, budget: list[int]) -> bool | None:
        """``similar_names``, remembered per pair; None when this refresh has compared enough new pairs."""
        pair = (one, other) if one <= other else (other, one)
        known = self._pairs.get(pair)
        if known is None:
            if budget[0] <= 0:
                return None
            budget[0] -= 1
            known = self._pairs[pair] = similar_names(*pair)
        return known


def rejoin_question(session: Session, request: RejoinRequest) -> str:
    """The question a rejoin request puts to the facilitator, naming who and what the waiting phone shows."""
    person = session.participants.get(request.participant_id)
    org = session.organizations.get(person.organization_id) if person else None
    name = shown_name(person.name) if person else "A participant"  # bidi controls never reorder the question
    who = f"{name} ({org.name})" if org else name
    if request.typed:
        asking = f"Someone typed “{request.typed}”, which looks like {who}"
    else:
        asking = f"{who} wants to rejoin from another device"
    tries = f" ({request.attempts} attempts from other devices while waiting)" if request.attempts > 1 else ""
    return f"{asking} — is it the same person? Their phone shows {request.check}.{tries}"
