"""Which glossary terms a label uses: whole words, case-insensitive, multi-word terms too."""

from __future__ import annotations

import re

from workshop.domain.model.annotations import GlossaryTerm


def terms_in(label: str, glossary: dict[str, GlossaryTerm]) -> list[GlossaryTerm]:
    """Terms of the glossary that occur in ``label``, longest first (so 'case number' wins over 'case')."""
    found = []
    for term in sorted(glossary.values(), key=lambda t: -len(t.term)):
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, term.term.split())) + r"s?(?!\w)"
        if re.search(pattern, label, flags=re.IGNORECASE):
            found.append(term)
    return found


def meanings_conflict(term: GlossaryTerm) -> bool:
    """Organizations give different meanings and have not agreed they are the same: a likely semantic boundary."""
    return not term.agreed and len(set(term.meanings.values())) > 1
