"""A participant's message cannot carry NaN or Infinity into the session: refused at parse time, naming the field."""

from __future__ import annotations

import pytest

from workshop.live.protocol import ProtocolError, parse_client_message


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_a_protocol_error_naming_the_field(number: str) -> None:
    with pytest.raises(ProtocolError, match=rf"field 'extra': {number} is not a finite number"):
        parse_client_message('{"type": "ping", "extra": ' + number + "}")


def test_a_plain_ping_still_parses() -> None:
    assert type(parse_client_message('{"type": "ping"}')).__name__ == "Ping"
