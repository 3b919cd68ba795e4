"""Every JSON example in docs/operations.md applies, in order, to a new session."""

from __future__ import annotations

import json
import re
from pathlib import Path

from workshop.domain.model.document import Document
from workshop.domain.model.operations import parse_operation
from workshop.domain.model.session import new_session

DOC = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def test_the_documented_operations_apply_in_order() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    lines = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert len(lines) >= 15
    doc = Document(new_session("doc examples"))
    for line in lines:
        json.loads(line)
        doc.apply(parse_operation(line))
    s = doc.session
    assert s.nodes["n-receive"].owner_org_id == "org-it"
    assert s.boundaries["kb-1"].status == "being_crossed"
    assert "ann-1" not in s.annotations
    assert s.current_step is not None
    assert doc.last_seq == len(lines)
