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


def _calls_node_organization(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == "node_organization"
        for n in ast.walk(node)
    )


def _compares_two_organizations(function: ast.AST) -> bool:
    """Whether ``function`` looks up organizations of nodes and compares two of them (the handoff rule)."""
    looked_up: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _calls_node_organization(node.value):
            looked_up |= {n.id for target in node.targets for n in ast.walk(target) if isinstance(n, ast.Name)}

    def organization(operand: ast.expr) -> bool:
        if isinstance(operand, ast.Name):
            return operand.id in looked_up
        if isinstance(operand, ast.Subscript) and isinstance(operand.value, ast.Name):
            return operand.value.id in looked_up
        return isinstance(operand, ast.Call) and _calls_node_organization(operand)

    return any(
        isinstance(node, ast.Compare)
        and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)
        and sum(organization(o) for o in [node.left, *node.comparators]) >= 2
        for node in ast.walk(function)
    )


POOL_OF_A_FLOW = {"interchange/bpmn_export.py:export_bpmn"}
"""BPMN's own rule, not the handoff's: a flow whose ends lie in two pools is a message flow, and a node no
organization owns is a pool of its own."""


def test_the_handoff_rule_is_written_once() -> None:
    """No function but the handoff rule's compares the organizations of two nodes (by what the code does,
    whatever its spelling: ``a != b``, ``orgs[0] == orgs[1]``, a comparison of two look-ups)."""
    writers = {
        f"{path.relative_to(PACKAGE)}:{function.name}"
        for path in PACKAGE.rglob("*.py")
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and _compares_two_organizations(function)
    }
    assert writers - POOL_OF_A_FLOW == set()
    participant_page = (PACKAGE.parent / "assets").rglob("*.js")
    assert not [p.name for p in participant_page if "orgA !== orgB" in p.read_text(encoding="utf-8")]


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


def test_the_domain_is_in_rooms_by_job_without_near_homonyms() -> None:
    """Every domain module lives in a package by job, and no module name is another's with a suffix or plural
    (``walkthrough``, ``walkthroughs``, ``walkthrough_summary`` side by side read as one)."""
    domain = PACKAGE / "domain"
    flat = sorted(p.name for p in domain.glob("*.py") if p.name != "__init__.py")
    assert flat == []
    rooms = sorted(p.name for p in domain.iterdir() if (p / "__init__.py").is_file())
    assert rooms == ["drawing", "facilitation", "model", "research", "walkthrough"]
    names = sorted({p.stem for p in domain.rglob("*.py") if p.stem != "__init__"})
    near = [
        (a, b)
        for a in names
        for b in names
        if a != b and (b.startswith(a + "_") or b == a + "s" or b.startswith(a.rstrip("s") + "s_"))
    ]
    assert near == []
