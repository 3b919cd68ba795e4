"""Secrets of a session's participation: the secret, the join code, participant tokens, rate limits.

The app keeps a session's :class:`Secrets` between openings (outside the
record, see :meth:`Secrets.to_json`), so a reopened session keeps its join
code and every phone keeps its token: the room need not rejoin. Tokens are
``<participant id>.<HMAC of the id>``: the server can check them without a
table, and a participant cannot turn their token into someone else's.
Removals stick by participant, by device and by name until the facilitator
lifts them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: easy to read off a projector and type on a phone."""

JOIN_CODE_LENGTH = 6


@dataclass(frozen=True)
class SecurityPolicy:
    """Limits of the participant server; tests and benchmarks may loosen or tighten them."""

    max_message_bytes: int = 16 * 1024
    """Largest WebSocket message or HTTP body accepted."""
    failed_joins_per_window: int = 10
    """Wrong join codes one address may try per window before it is refused for the rest of it."""
    join_window_seconds: float = 60.0
    new_participants_per_window: int = 20
    """New participants one address may add per window: a script cannot fill the session with names."""
    max_participants: int = 500
    contribution_burst: int = 60
    """Contributions one participant may send at once before being told to slow down."""
    contributions_per_second: float = 10.0
    max_idempotency_keys: int = 5000
    """Keys remembered per participant to recognise resent contributions."""
    failed_joins_overall: int = 100
    """Wrong join codes from all addresses together answered at once; after that they are slowed (never refused)."""
    wrong_codes_per_second: float = 1.0
    """The overall pace of answers to wrong codes once the burst is used up: how fast a room can guess."""
    rejoin_questions_per_window: int = 5
    """Rejoin questions one address may ask the facilitator per window (asked or refused, each counts)."""
    max_connections_per_participant: int = 3
    """Pages one participant may have open at once (a phone and a laptop, and a spare)."""
    max_connections: int = 300
    """Pages open at once, for the whole session."""
    control_messages_per_second: float = 5.0
    """Hello and ping messages one connection may send per second (a burst of 20) before they count as abuse."""


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a participant typed, as the code is compared: upper case, no spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch not in " -")


@dataclass
class Secrets:
    """The secret, join code and revoked participants of one opening."""

    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    join_code: str = field(default_factory=new_join_code)
    revoked: set[str] = field(default_factory=set)
    """Removed participants: their tokens are refused."""
    removed_devices: set[str] = field(default_factory=set)
    removed_names: set[str] = field(default_factory=set)
    """Comparable names (see :func:`workshop.domain.model.person_names.comparable_name`) that may not join again."""
    port: int = 0
    """The port of the last opening, tried first on the next one so the address stays the same."""

    def to_json(self) -> str:
        """Everything needed to reopen with the same code, tokens and removals."""
        return json.dumps(
            {
                "secret": self.secret.hex(),
                "join_code": self.join_code,
                "revoked": sorted(self.revoked),
                "removed_devices": sorted(self.removed_devices),
                "removed_names": sorted(self.removed_names),
                "port": self.port,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Secrets:
        """Read :meth:`to_json`'s output; anything unreadable gives fresh secrets (everyone joins anew)."""
        try:
            data = json.loads(text)
            return cls(
                secret=bytes.fromhex(data["secret"]),
                join_code=str(data["join_code"]),
                revoked={str(v) for v in data.get("revoked", [])},
                removed_devices={str(v) for v in data.get("removed_devices", [])},
                removed_names={str(v) for v in data.get("removed_names", [])},
                port=int(data.get("port", 0)),
            )
        except (ValueError, KeyError, TypeError):
            return cls()

    def code_matches(self, typed: str) -> bool:
        return hmac.compare_digest(normalize_code(typed).encode(), self.join_code.encode())

    def token_for(self, participant_id: str) -> str:
        mac = hmac.new(self.secret, participant_id.encode(), hashlib.sha256).hexdigest()
        return f"{participant_id}.{mac}"

    def participant_for(self, token: str) -> str | None:
        """The participant a token belongs to, or None for a forged, foreign or revoked token."""
        participant_id = self.holder(token)
        if participant_id is None or participant_id in self.revoked:
            return None
        return participant_id

    def holder(self, token: str) -> str | None:
        """Whom a genuine token was given to, removed or not (a removed person's page is told so)."""
        participant_id, dot, _mac = token.rpartition(".")
        if not dot or not participant_id:
            return None
        if not hmac.compare_digest(self.token_for(participant_id).encode(), token.encode()):
            return None
        return participant_id


class FailureLimiter:
    """Counts failures per address in a sliding window; refuses an address once it has too many."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float]:
        times = self._failures.setdefault(address, deque())
        horizon = self._clock() - self._window
        while times and times[0] < horizon:
            times.popleft()
        return times

    def blocked(self, address: str) -> bool:
        return len(self._recent(address)) >= self._limit

    def fail(self, address: str) -> None:
        self._recent(address).append(self._clock())

    def sources(self) -> int:
        """How many addresses failed within the window."""
        return sum(1 for address in list(self._failures) if self._recent(address))


class TokenBucket:
    """Allows bursts up to ``capacity`` and ``rate`` actions per second after that."""

    def __init__(self, capacity: int, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity = float(capacity)
        self._rate = rate
        self._clock = clock
        self._tokens = float(capacity)
        self._last = clock()

    def take(self) -> bool:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._last) * self._rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False
