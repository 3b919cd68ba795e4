"""Turning a path the user chose into a live document bound to a .workshop file.

An example model (.json) or an imported BPMN file becomes a *new* session
file in the data folder at once, so no edit ever lives only in memory.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

from workshop.domain.document import Document
from workshop.domain.session import Session
from workshop.store.paths import new_session_path
from workshop.store.sessions import StoreError, create_document, load_session_json, open_document
from workshop.store.workshop_file import APP_NAME, WorkshopFile


@contextlib.contextmanager
def bulk_objects() -> Iterator[None]:
    """Build a session and its window without the cyclic garbage collector, then set what was built aside.

    Opening makes hundreds of thousands of objects that hold no reference
    cycles (elements, graphics items); the collector would scan the growing
    heap again and again meanwhile (0.35 s of opening a 9,000-task BPMN
    file). What is alive afterwards lives as long as the window, so it is
    frozen out of later collections too, which would otherwise scan it in
    the middle of an edit; :func:`release_bulk_objects` (a window closing)
    makes it collectable again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release_bulk_objects() -> None:
    """A window closed: what :func:`bulk_objects` set aside can be collected again."""
    gc.unfreeze()


def bpmn_import_available() -> bool:
    try:
        import workshop.interchange.bpmn_import  # noqa: F401
    except ImportError:
        return False
    return True


def open_path(path: Path) -> tuple[Document, WorkshopFile, str, list[str]]:
    """Open ``path``; returns the document, its file, a note for the status bar and what was not imported."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        session = load_session_json(path)
        return (*_new_file_from(session, f"Opened {path.name} as a new session"), [])
    if suffix == ".bpmn":
        if not bpmn_import_available():
            raise StoreError(f"{path}: BPMN import is not available in this version")
        from workshop.interchange.bpmn_session import create_imported_session, read_bpmn_file

        try:
            result = read_bpmn_file(path)
        except (OSError, ValueError) as error:
            raise StoreError(str(error)) from None
        note = f"Imported {path.name} as a new session"
        if result.unsupported:
            note += f" ({len(result.unsupported)} element(s) not imported as they were)"
        target = new_session_path(result.session.title)
        # the file's first operation records the source file, its sha256 and this report
        document, workshop_file = create_imported_session(target, result, program=APP_NAME)
        return document, workshop_file, f"{note}, saved as {target}", result.unsupported
    document, workshop_file = open_document(path)
    note = f"Opened {path}"
    if workshop_file.note:
        note += f" — {workshop_file.note}"
    if workshop_file.read_only:
        note += f" — read-only: {workshop_file.read_only_reason}; changes cannot be made"
    return document, workshop_file, note, []


def _new_file_from(session: Session, note: str) -> tuple[Document, WorkshopFile, str]:
    target = new_session_path(session.title)
    document, workshop_file = create_document(target, session)
    return document, workshop_file, f"{note}, saved as {target}"


def new_empty(title: str) -> tuple[Document, WorkshopFile, str]:
    """A new session with one empty current-state model, in a new file in the data folder."""
    from workshop.domain.operations import add
    from workshop.domain.process import ProcessModel
    from workshop.domain.session import new_session

    document, workshop_file, note = _new_file_from(new_session(title), "New session")
    document.apply(add(ProcessModel(id="model-current", name="Current process", state="current")))
    return document, workshop_file, note
