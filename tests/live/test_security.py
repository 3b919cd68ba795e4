"""Secrets of one opening, join codes and the rate limiters, without a network."""

from __future__ import annotations

from workshop.live.security import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    FailureLimiter,
    Secrets,
    TokenBucket,
    normalize_code,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_each_opening_has_its_own_secret_and_code() -> None:
    first, second = Secrets(), Secrets()
    assert first.secret != second.secret
    assert len(first.join_code) == JOIN_CODE_LENGTH
    assert set(first.join_code) <= set(JOIN_CODE_ALPHABET)
    assert second.participant_for(first.token_for("p-nowak")) is None  # a token of an earlier opening


def test_a_token_names_its_participant_and_cannot_be_bent() -> None:
    secrets = Secrets()
    token = secrets.token_for("p-nowak")
    assert secrets.participant_for(token) == "p-nowak"
    _, mac = token.rsplit(".", 1)
    assert secrets.participant_for(f"p-berg.{mac}") is None
    assert secrets.participant_for(token[:-1] + ("0" if token[-1] != "0" else "1")) is None
    assert secrets.participant_for("no-dot-at-all") is None
    assert secrets.participant_for(".abc") is None
    secrets.revoked.add("p-nowak")
    assert secrets.participant_for(token) is None


def test_codes_are_compared_as_read_off_the_projector() -> None:
    secrets = Secrets(join_code="K7RM2Q")
    assert normalize_code(" k7r-m2q ") == "K7RM2Q"
    assert secrets.code_matches("k7r m2q")
    assert not secrets.code_matches("K7RM2")


def test_failures_block_an_address_for_the_window_only() -> None:
    clock = Clock()
    limiter = FailureLimiter(limit=3, window=60.0, clock=clock)
    for _ in range(3):
        assert not limiter.blocked("10.0.0.5")
        limiter.fail("10.0.0.5")
    assert limiter.blocked("10.0.0.5")
    assert not limiter.blocked("10.0.0.6")  # another phone in the room is not punished
    clock.now = 61.0
    assert not limiter.blocked("10.0.0.5")


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(capacity=3, rate=2.0, clock=clock)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    clock.now = 0.5
    assert bucket.take()
    assert not bucket.take()
