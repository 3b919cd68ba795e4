"""The ``workshop`` command: the GUI, and the scripting and research interface.

``workshop [FILE]`` opens the app; ``workshop SUBCOMMAND ...`` runs a command
without a screen. Each group of subcommands lives in its own module with a
``register(subparsers)`` function, listed in :data:`COMMAND_MODULES`.

Every run builds the whole parser, so a command module imports the layers
below inside its handlers, never at module level: ``workshop --help`` and the
GUI's start then load no reportlab, networkx, pydantic or Qt
(``tests/test_cli_startup.py``). A choice list defined below comes through
:class:`LazyChoices`.

User errors (a missing file, an invalid operation) print one line on stderr
and exit 1 -- never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

from workshop import __version__


class UserError(Exception):
    """A mistake the user can fix; printed as one line, exit status 1."""


class LazyChoices:
    """An argument's choices, read from the module that defines them only when argparse checks or shows them.

    Building the parser registers every subcommand, so a choice list imported at
    registration would load its module (and pydantic, reportlab, ...) for
    ``workshop --help`` and for the GUI. Give the argument a ``metavar``:
    without one argparse lists the choices while the parser is built.
    """

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        self._values: tuple[str, ...] | None = None

    def _all(self) -> tuple[str, ...]:
        if self._values is None:
            self._values = tuple(self._load())
        return self._values

    def __contains__(self, value: object) -> bool:
        return value in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


COMMAND_MODULES: tuple[str, ...] = (
    "workshop.cli.file",
    "workshop.cli.survey",
    "workshop.cli.analysis",
    "workshop.cli.scripts",
    "workshop.cli.export",
    "workshop.cli.walkthrough",
    "workshop.cli.study",
    "workshop.cli.contract",
    "workshop.cli.bpmn",
)
"""Modules that add subcommands; each has ``register(subparsers) -> None``.

A subcommand's handler is stored as ``func`` in its parser defaults and
returns the exit status.
"""


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The argument parser and the names of its subcommands."""
    parser = argparse.ArgumentParser(
        prog="workshop",
        description="Process Workshop: facilitated cross-organization process-modeling workshops.",
        epilog="Without a subcommand, 'workshop [FILE]' opens the app (FILE: .workshop, .json or .bpmn).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser, set(subparsers.choices)


def _gui(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="workshop", description="Open the Process Workshop app.")
    parser.add_argument("file", nargs="?", help="a .workshop session, or an example model (.json, .bpmn)")
    args = parser.parse_args(argv)
    from workshop.ui.app import run_app  # Qt is imported only when the GUI is wanted

    return run_app(args.file)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``workshop`` console script and ``python -m workshop``."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser, commands = build_parser()
    try:
        if not args_list or (args_list[0] not in commands and not args_list[0].startswith("-")):
            return _gui(args_list)
        args = parser.parse_args(args_list)
        if not hasattr(args, "func"):
            parser.print_help()
            return 0
        result: int = args.func(args)
        return result
    except UserError as error:
        print(f"workshop: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (e.g. `head`) stopped early: not an error worth a traceback
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return 0
