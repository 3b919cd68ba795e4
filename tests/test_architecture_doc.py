"""docs/architecture.md names real modules: a map that points nowhere is worse than none."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def test_every_module_the_map_names_exists() -> None:
    names = sorted(set(re.findall(r"`(workshop(?:\.[a-z_]+)+)`", DOC.read_text(encoding="utf-8"))))
    assert len(names) >= 30
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            missing.append(name)
    assert missing == []


def test_every_name_the_glossary_gives_is_defined_in_the_code() -> None:
    """The glossary names classes and functions as the code spells them; a rename must update it."""
    text = DOC.read_text(encoding="utf-8")
    glossary = text[text.index("## Glossary of the code's words") :]
    names = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)`", glossary))
    assert len(names) >= 30
    source = "\n".join(path.read_text(encoding="utf-8") for path in (DOC.parents[1] / "workshop").rglob("*.py"))
    undefined = sorted(
        name
        for name in names
        if not re.search(rf"^\s*(class|def) {name}\b|^\s*{name}(: [^=]+)? = |^\s+{name}: ", source, re.MULTILINE)
    )
    assert undefined == []
