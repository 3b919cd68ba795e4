"""Limits on joining: nobody can guess the code, fill the session, or pause joining for everyone.

Each limit counts where a request comes from — its source address and the
device id its page keeps — never the room as a whole, because a limit shared
by everyone is one anyone can use up: 100 wrong codes from 49 addresses used
to refuse the right code from everybody else for a minute.

Wrong codes overall are *slowed*, not refused: the answer to a wrong code
waits its turn at :attr:`SecurityPolicy.wrong_codes_per_second` once a burst
is used up (:class:`GuessPacer`), and an address waits for one answer before
it may try again, so the whole room together guesses at that rate however
many addresses it has. The right code is checked first and answered at once.
The facilitator is told once per flood.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from workshop.live.security import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, FailureLimiter, SecurityPolicy

AlertListener = Callable[[str], None]
"""Told (on the server's thread) what the facilitator should know, such as a flood of wrong codes."""


class JoinLimited(Exception):
    """A join refused for now by a limit; the text is for the person on the phone."""


class GuessPacer:
    """When the answer to a wrong code may go out: a burst at once, then one per ``1 / rate`` seconds.

    The generic cell rate algorithm: a virtual time that each wrong code pushes on by one interval; an answer
    is held while that time runs ahead of the clock by more than the burst.
    """

    def __init__(self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1) * self._interval
        self._clock = clock
        self._virtual = clock()

    def delay(self) -> float:
        """Seconds the answer to one more wrong code waits (0 within the burst)."""
        now = self._clock()
        self._virtual = max(self._virtual, now)
        wait = max(0.0, self._virtual - self._tolerance - now)
        self._virtual += self._interval
        return wait

    def quiet(self) -> bool:
        """True once the burst is whole again (no wrong codes for a while)."""
        return self._virtual <= self._clock()


def days_to_guess(policy: SecurityPolicy) -> float:
    """Days a room of any size needs to find the code with even odds, guessing at the allowed overall rate."""
    codes = len(JOIN_CODE_ALPHABET) ** JOIN_CODE_LENGTH
    return codes / 2 / policy.wrong_codes_per_second / 86_400


class JoinLimits:
    """The per-address and per-device limits of joining, and the overall pace of wrong codes."""

    def __init__(
        self,
        policy: SecurityPolicy,
        on_alert: AlertListener | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        window = policy.join_window_seconds
        self.on_alert = on_alert
        self._wrong_by_address = FailureLimiter(policy.failed_joins_per_window, window, clock)
        self._wrong_by_device = FailureLimiter(policy.failed_joins_per_window, window, clock)
        self._wrong_overall = FailureLimiter(policy.failed_joins_overall, window, clock)
        self._pacer = GuessPacer(policy.failed_joins_overall, policy.wrong_codes_per_second, clock)
        self._new_by_address = FailureLimiter(policy.new_participants_per_window, window, clock)
        self._new_by_device = FailureLimiter(policy.new_participants_per_window, window, clock)
        self._questions_by_address = FailureLimiter(policy.rejoin_questions_per_window, window, clock)
        self._answering: set[str] = set()
        """Addresses waiting for the answer to a wrong code: one guess at a time each."""
        self._told = False

    async def check_code(self, address: str, device: str, matches: Callable[[], bool]) -> bool:
        """Whether the code is right; a wrong one is answered at the overall pace.

        Raises :class:`JoinLimited` for an address or device over its own limit, or one still waiting for the
        answer to its last guess (before the code is looked at: those are guessing).
        """
        if self._wrong_by_address.blocked(address) or (device and self._wrong_by_device.blocked(device)):
            raise JoinLimited("Too many wrong codes; wait a minute and try again.")
        if address in self._answering:
            raise JoinLimited("One try at a time, please.")
        if matches():
            return True
        self._wrong_by_address.fail(address)
        if device:
            self._wrong_by_device.fail(device)
        self._wrong_overall.fail(address)
        if self._pacer.quiet():
            self._told = False  # a new flood is news again
        wait = self._pacer.delay()
        if wait > 0:
            self._tell_once()
            self._answering.add(address)
            try:
                await asyncio.sleep(wait)  # the server holds the answer; the phone just sees a slow one
            finally:
                self._answering.discard(address)
        return False

    def _tell_once(self) -> None:
        if self._told or self.on_alert is None:
            return
        self._told = True
        sources = self._wrong_overall.sources()
        self.on_alert(
            f"Many wrong join codes from {sources} address{'es' if sources != 1 else ''}: "
            "their answers are slowed down; people with the right code still join at once."
        )

    def allow_new_participant(self, address: str, device: str) -> bool:
        """Whether this address and device may add one more person (a script cannot fill the session)."""
        if self._new_by_address.blocked(address) or (device and self._new_by_device.blocked(device)):
            return False
        self._new_by_address.fail(address)
        if device:
            self._new_by_device.fail(device)
        return True

    def allow_question(self, address: str) -> bool:
        """Whether this address may ask the facilitator one more rejoin question (counted even when refused)."""
        blocked = self._questions_by_address.blocked(address)
        self._questions_by_address.fail(address)
        return not blocked
