"""What a person reads for a node: its label, or else what it is — never an internal id.

The projector, the walkthrough summary, the report and the panels all name
nodes through :func:`node_name`, so an unnamed end event reads "End", not
"end node-14fe831c".
"""

from __future__ import annotations

import re

from workshop.domain.model.process import Flow, Node
from workshop.domain.model.session import Session

UNNAMED = {
    "start": "Start",
    "end": "End",
    "activity": "Unnamed step",
    "decision": "Decision",
    "document": "Document",
    "it_system": "IT system",
    "wait": "Wait",
}


def kind_name(kind: str) -> str:
    """A node kind as people say it ("IT system", "Start")."""
    return UNNAMED.get(str(kind), str(kind).replace("_", " ").capitalize())


def node_name(node: Node) -> str:
    """The node's label on one line (for lists, undo texts, banners), or its kind when it has none.

    Labels keep the line breaks people or their modeling tool put in (the canvas shows them); a line of
    a list or a menu shows them as spaces.
    """
    return one_line(node.label) or kind_name(node.node_kind)


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


def line_breaks(text: str) -> str:
    """A name as another modeling tool wrote it, with its line breaks as line breaks.

    CRLF and CR become LF, and so do the escaped ``\\r\\n`` and ``\\n`` some tools write into a name
    (the room saw a literal "\\r\\n"); spaces at the end of each line go.
    """
    text = text.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def flow_name(session: Session, flow: Flow) -> str:
    """A flow as people name it: its label on one line, else the steps it joins ("Register → Approve")."""
    label = one_line(flow.label)
    if label:
        return label
    ends = [session.nodes.get(end) for end in (flow.source_id, flow.target_id)]
    return " → ".join(node_name(n) if n is not None else "?" for n in ends)


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``number`` with its noun in the right form: "1 problem", "3 problems", "1 knowledge boundary"."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


MIN_ID_LENGTH = 4
"""Shorter ids ("a", "p1") are ordinary words too: they are not looked for in text."""


def ids_in(text: str, session: Session) -> list[str]:
    """The element ids of ``session`` that ``text`` shows as whole words: what no text for people may contain.

    The one rule every output meant for reading is held to (the report, the pictures, Table 1, the command
    line's printed text; tests run it over each of them): people read labels and names, never the ids
    that join the record's tables.
    """
    from workshop.domain.model.entity import KINDS

    ids = {
        entity_id
        for cls in KINDS.values()
        for entity_id in getattr(session, cls.collection)
        if len(entity_id) >= MIN_ID_LENGTH
    }
    if not ids:
        return []
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(i)}(?![\w-])" for i in sorted(ids, key=len, reverse=True)))
    return sorted(set(pattern.findall(text)))
