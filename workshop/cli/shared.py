"""What several ``workshop`` subcommands share: their common arguments, and opening a session or failing clearly.

Like the command modules, this imports the layers below only inside its
functions, so building the parser loads no pydantic, reportlab or Qt
(``tests/test_cli_startup.py``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workshop.cli import UserError

if TYPE_CHECKING:  # the modules below load when a command runs, not for `workshop --help`
    from workshop.domain.model.document import Document
    from workshop.domain.model.record import SessionRecord
    from workshop.domain.model.session import Session
    from workshop.store.workshop_file import WorkshopFile

DEFAULT_ACTOR = "cli"
"""The actor of a command run without ``--as`` (as for ``workshop apply``)."""


def add_command_group(subparsers: Any, name: str, *, help: str, description: str) -> Any:
    """A command with commands of its own (``study``, ``contract``), which alone prints its own help; returns them."""
    group: argparse.ArgumentParser = subparsers.add_parser(name, help=help, description=description)
    commands = group.add_subparsers(title=f"{name} commands", metavar=f"{name.upper()}_COMMAND")

    def own_help(_args: argparse.Namespace) -> int:
        group.print_help()
        return 0

    group.set_defaults(func=own_help)
    return commands


def add_file(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """The positional session ``file`` almost every command reads, declared one way."""
    parser.add_argument("file", type=Path, help=help)


def add_json(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """The ``--json`` switch of every command that can print machine-readable output."""
    parser.add_argument("--json", action="store_true", help=help)


def add_report_input(parser: argparse.ArgumentParser) -> None:
    """The session ``file`` and ``--json`` of the commands that report on a session, with the same help."""
    add_file(parser, "a .workshop session (or .json)")
    add_json(parser, "machine-readable output")


def add_output(parser: argparse.ArgumentParser, *, required: bool = True, help: str | None = None) -> None:
    """The ``-o/--output`` path of every command that writes a file."""
    parser.add_argument("-o", "--output", type=Path, required=required, help=help)


def add_format(parser: argparse.ArgumentParser, choices: Collection[str]) -> None:
    """The required ``--format`` of the export commands (``choices`` lazily, so ``--help`` loads no exporter)."""
    parser.add_argument("--format", choices=choices, metavar="FORMAT", required=True, help="%(choices)s")


def add_actor(parser: argparse.ArgumentParser, help: str) -> None:
    """The ``--as NAME`` of every command that records who is at the keyboard."""
    parser.add_argument("--as", dest="actor", default=DEFAULT_ACTOR, metavar="NAME", help=help)


def actor_of(args: argparse.Namespace) -> str:
    """The ``--as`` name; refuses what would pass for a participant or be unreadable in the log."""
    from workshop.domain.model.document import person_actor

    try:
        return person_actor(str(args.actor))
    except ValueError as error:
        raise UserError(f"--as: {error}") from None


@contextmanager
def user_errors() -> Iterator[None]:
    """A file or study that cannot be read or written becomes one line on stderr, never a traceback."""
    from workshop.domain.research.study import StudyError
    from workshop.store.sessions import StoreError

    try:
        yield
    except (StudyError, StoreError) as error:
        raise UserError(str(error)) from None


def read_session_record(path: Path, notes: list[str] | None = None) -> SessionRecord:
    """A session file's whole record (state and log), or a :class:`UserError` saying why it cannot be read."""
    from workshop.store.sessions import read_record

    with user_errors():
        return read_record(path, notes)


def read_session(path: Path) -> Session:
    """A session file's current state, or a :class:`UserError` saying why it cannot be read."""
    return read_session_record(path).session


@contextmanager
def session_for_writing(
    path: Path,
    program: str,
    *,
    keep_partial: bool = False,
    on_open: Callable[[WorkshopFile], None] | None = None,
) -> Iterator[tuple[Document, WorkshopFile]]:
    """Open a session to change it, refusing a read-only file, and close it however the change ends.

    On success (or with ``keep_partial``, where each change was committed
    alone) the state is snapshotted on close; after a refused all-or-nothing
    change the document in memory runs ahead of the file, so it is not.
    ``on_open`` runs once the file is open, before the read-only check.
    """
    from workshop.store.sessions import open_document

    with user_errors():
        document, workshop_file = open_document(path, program=program)
    done = False
    try:
        if on_open is not None:
            on_open(workshop_file)
        if workshop_file.read_only:
            raise UserError(f"{workshop_file.path} is read-only ({workshop_file.read_only_reason})")
        yield document, workshop_file
        done = True
    finally:
        keep = done or keep_partial
        notes = [workshop_file.close(document.session, document.last_seq) if keep else workshop_file.close()]
        if keep and not workshop_file.read_only:
            from workshop.store.study_heads import record_head_of

            notes.append(record_head_of(workshop_file.path, program))  # a study's sitting: its new length
        for note in filter(None, notes):
            print(f"workshop: note: {note}", file=sys.stderr)
