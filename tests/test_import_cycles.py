"""No two modules of the code import each other, directly or round a loop.

A cycle means neither module can be read, tested or moved without the other;
Python hides it until the import order changes and a name is half-defined.
The graph is built from the source (``ast``), not by importing: an edge is an
``import`` that runs when the module is imported. Imports under ``if
TYPE_CHECKING:`` never run and are left out.

Two tests: module-level imports must form no cycle at all; and an import
inside a function may not close a loop either (it only postpones the same
knot to the first call).

A third reads the graph as grimp (import-linter's graph) builds it, which
counts every import: at module level, inside functions and under ``if
TYPE_CHECKING:``. A type import that closes a loop does not fail at run time,
but mypy, a reader and a refactoring still have to take the whole loop at
once; so none may close one either. (The main window's helpers type against
the protocols of ``workshop.ui.host`` rather than against ``MainWindow``.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import grimp
import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "workshop"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(body: list[ast.stmt], *, in_functions: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run: at module level (in classes, ifs, trys too), and optionally in functions."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if in_functions:
                yield from _imports(node.body, in_functions=in_functions)
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _imports(node.body, in_functions=in_functions)
            yield from _imports(node.orelse, in_functions=in_functions)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _imports(block, in_functions=in_functions)
        elif isinstance(node, ast.ClassDef | ast.With | ast.For | ast.While):
            yield from _imports(node.body, in_functions=in_functions)


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import loads: ``from a import b`` loads ``a``, and ``a.b`` if that is a module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(*, in_functions: bool) -> nx.DiGraph:
    graph = nx.DiGraph()
    for module, path in MODULES.items():
        graph.add_node(module)
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")).body, in_functions=in_functions):
            for target in _targets(module, path, node):
                if target in MODULES and target != module:
                    graph.add_edge(module, target)
    return graph


def cycles(graph: nx.DiGraph) -> list[tuple[frozenset[str], list[str]]]:
    """Each group of modules that import one another round loops, with one loop through it spelled out."""
    found = []
    for group in nx.strongly_connected_components(graph):
        if len(group) > 1:
            loop = nx.find_cycle(graph.subgraph(group))
            found.append((frozenset(group), [a for a, _ in loop] + [loop[0][0]]))
    return sorted(found, key=lambda item: item[1])


def _describe(found: list[tuple[frozenset[str], list[str]]]) -> str:
    return "\n".join(f"{' -> '.join(loop)}  (the loop's group: {', '.join(sorted(group))})" for group, loop in found)


def test_module_level_imports_form_no_cycle() -> None:
    found = cycles(import_graph(in_functions=False))
    assert found == [], "import cycles:\n" + _describe(found)


def test_no_import_in_a_function_closes_a_loop() -> None:
    found = cycles(import_graph(in_functions=True))
    assert found == [], "import cycles (counting imports inside functions):\n" + _describe(found)


def test_the_graph_sees_imports() -> None:
    """A parser that saw nothing would find no cycle: the graph holds the edges we know are there."""
    graph = import_graph(in_functions=False)
    assert graph.has_edge("workshop.interchange.record_tables", "workshop.interchange.table1")
    assert graph.has_edge("workshop.cli.file", "workshop.cli")
    assert not graph.has_edge("workshop.cli.file", "workshop.cli.bpmn")  # imported inside a function
    assert import_graph(in_functions=True).has_edge("workshop.cli.file", "workshop.cli.bpmn")
    assert not graph.has_edge("workshop.cli.analysis", "workshop.domain.model.analysis")  # under TYPE_CHECKING
    assert graph.number_of_edges() > 500


def grimp_graph() -> nx.DiGraph:
    """Every import grimp records between workshop modules, type imports and imports in functions included.

    No edge is left out. grimp adds no edge of its own from a package to its submodules (or back): a
    package's ``__init__`` is an edge only where it imports a submodule, and a submodule importing its package
    (``workshop.cli.file`` imports ``workshop.cli``) is a real import, so both count like any other.
    """
    import workshop

    # grimp finds the package on sys.path: it must read this tree, not another checkout's installed one
    assert Path(workshop.__file__).parent == PACKAGE, workshop.__file__
    imports = grimp.build_graph("workshop")
    graph = nx.DiGraph()
    for module in imports.modules:
        graph.add_node(module)
        for imported in imports.find_modules_directly_imported_by(module):
            graph.add_edge(module, imported)
    return graph


def test_no_import_closes_a_loop_type_imports_included() -> None:
    graph = grimp_graph()
    found = cycles(graph)
    assert found == [], "import cycles (counting TYPE_CHECKING imports and imports in functions):\n" + _describe(found)
    assert nx.is_directed_acyclic_graph(graph)


def test_grimp_sees_type_imports() -> None:
    """The graph the cycle test reads holds the kinds of import the source-read graphs leave out."""
    graph = grimp_graph()
    assert graph.has_edge("workshop.cli.analysis", "workshop.domain.model.analysis")  # under TYPE_CHECKING
    assert graph.has_edge("workshop.cli.file", "workshop.cli.bpmn")  # inside a function
    assert graph.has_edge("workshop.ui.window.panels", "workshop.ui.host")  # under TYPE_CHECKING
    assert graph.number_of_edges() > import_graph(in_functions=True).number_of_edges()


def test_the_main_window_is_imported_only_by_what_opens_it() -> None:
    """The window's helpers see it through workshop.ui.host; only the app and the rehearsal build one."""
    graph = grimp_graph()
    assert set(graph.predecessors("workshop.ui.window.main_window")) == {"workshop.ui.app", "workshop.ui.rehearsal"}
    window_modules = {m for m in graph if m.startswith("workshop.ui.window")}
    assert window_modules & set(nx.descendants(graph, "workshop.ui.host")) == set()
