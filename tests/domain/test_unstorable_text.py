"""A value the file cannot store is an OperationError naming the field, from every front (issue 30).

Every front (the app, phones, ``workshop apply``, imports) goes through ``Document.apply``; a lone surrogate
(``"\\ud800"``, legal in JSON text and in a Python string, not in UTF-8) used to escape it as pydantic's
serialization error.
"""

from __future__ import annotations

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import parse_operation


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (r'{"op":"update","kind":"node","id":"a","changes":{"label":"\ud800"}}', "changes.label"),
        (r'{"op":"update","kind":"node","id":"a","changes":{"label":"ok \udfff then"}}', "changes.label"),
        (
            r'{"op":"add","kind":"term","data":{"id":"t-1","term":"case","meanings":{"org-a":"x\ud83d"}}}',
            "data.meanings.org-a",
        ),
        (
            r'{"op":"batch","label":"two","ops":[{"op":"update","kind":"node","id":"a","changes":{"x":5}},'
            r'{"op":"update","kind":"node","id":"a","changes":{"label":"\ud800"}}]}',
            "ops[1].changes.label",
        ),
    ],
)
def test_a_lone_surrogate_is_refused_naming_the_field_and_nothing_changes(line: str, field: str) -> None:
    document = two_org_document()
    before, seq = document.session, document.last_seq
    with pytest.raises(OperationError) as refused:
        document.apply(parse_operation(line))
    message = str(refused.value)
    assert field in message
    assert "cannot be stored" in message
    message.encode("utf-8")  # the message itself can be printed
    assert document.session == before
    assert document.last_seq == seq
