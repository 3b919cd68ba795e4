"""Only the ui imports Qt widgets (import-linter cannot forbid a submodule of an external package)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "workshop"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_ui_imports_qt_widgets() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts[:1]
        and any(name.startswith("PySide6.QtWidgets") for name in _imports(path))
    ]
    assert offenders == []


def test_the_domain_imports_neither_qt_nor_sqlite_nor_the_network() -> None:
    forbidden = ("PySide6", "shiboken6", "sqlite3", "aiohttp", "socket")
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imports(path) if n.split(".")[0] in forbidden)
        for path in (PACKAGE / "domain").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_layer_below_the_ui_imports_qt() -> None:
    """Domain, store, interchange and the participant server run without Qt (the CLI, the server, exports)."""
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in _imports(path) if n.split(".")[0] in ("PySide6", "shiboken6"))
        for layer in ("domain", "store", "interchange", "live")
        for path in (PACKAGE / layer).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_handoff_rule_is_written_once() -> None:
    """Only domain/handoffs.py compares the organizations of a flow's two ends."""
    import re

    pattern = re.compile(r"\ba and b and a != b\b|orgA !== orgB")
    writers = [
        str(path.relative_to(PACKAGE.parent))
        for path in [*PACKAGE.rglob("*.py"), *(PACKAGE.parent / "assets").rglob("*.js")]
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert writers == ["workshop/domain/handoffs.py"]


def test_the_panels_share_one_apply_and_one_host_window() -> None:
    """``Apply``, ``Focus``, ``Selection`` and ``HostWindow`` are declared once, in workshop/ui/host.py."""
    import re

    declaration = re.compile(r"^(Apply|Focus|Selection) = |^class HostWindow\b", re.MULTILINE)
    declared = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if declaration.search(path.read_text(encoding="utf-8"))
    )
    assert declared == ["ui/host.py"]
