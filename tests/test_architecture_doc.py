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
