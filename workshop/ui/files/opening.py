"""Turning a path the user chose into a live document bound to a .workshop file.

An example model (.json) or an imported BPMN file becomes a *new* session
file in the data folder at once, so no edit ever lives only in memory.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

from workshop.domain.model.document import Document
from workshop.domain.model.session import Session
from workshop.store.file_kinds import FileKind, file_kind
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
    kind = file_kind(path)  # the one rule the command line follows too
    if kind == FileKind.EXAMPLE:
        session = load_session_json(path)
        return (*_new_file_from(session, f"Opened {path.name} as a new session"), [])
    if kind == FileKind.BPMN:
        return _import_bpmn(path)
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
    from workshop.domain.model.operations import add
    from workshop.domain.model.process import ProcessModel
    from workshop.domain.model.session import new_session

    document, workshop_file, note = _new_file_from(new_session(title), "New session")
    document.apply(add(ProcessModel(id="model-current", name="Current process", state="current")))
    return document, workshop_file, note


def _import_bpmn(path: Path, title: str = "") -> tuple[Document, WorkshopFile, str, list[str]]:
    """A new session file holding the model of a BPMN file (titled ``title``, else as the file says)."""
    if not bpmn_import_available():
        raise StoreError(f"{path}: BPMN import is not available in this version")
    from workshop.interchange.bpmn_session import create_imported_session, read_bpmn_file

    try:
        result = read_bpmn_file(path)
    except (OSError, ValueError) as error:
        raise StoreError(str(error)) from None
    if title:
        result.session = result.session.model_copy(update={"title": title})
    note = f"Imported {path.name} as a new session"
    if result.unsupported:
        note += f" ({len(result.unsupported)} element(s) not imported as they were)"
    target = new_session_path(result.session.title)
    # the file's first operation records the source file, its sha256 and this report
    document, workshop_file = create_imported_session(target, result, program=APP_NAME)
    return document, workshop_file, f"{note}, saved as {target}", result.unsupported


def _carry_forward(earlier: Path, title: str) -> tuple[Document, WorkshopFile, str]:
    """A new session starting where an earlier one ended: its models, organizations, glossary, boundaries,
    ideas, mechanisms and commitments (ids kept), without its log; the file's metadata says where from."""
    from workshop.domain.model.ids import new_id
    from workshop.domain.research.study import StudyError
    from workshop.store.sessions import read_record
    from workshop.store.study_folder import carry_forward

    try:
        start, provenance = carry_forward(
            read_record(earlier),
            from_sitting=earlier.name,
            described=str(earlier),
            session_id=new_id("session"),
            title=title,
            actor=APP_NAME,
        )
    except StudyError as error:
        raise StoreError(str(error)) from None
    target = new_session_path(title)
    document, workshop_file = create_document(target, start, meta={"provenance": provenance.model_dump_json()})
    carried = ", ".join(f"{number} {name}" for name, number in provenance.carried.items()) or "nothing"
    return document, workshop_file, f"Started from the end of {earlier.name} ({carried}), saved as {target}"


def new_workshop(
    title: str,
    organizations: list[str],
    *,
    bpmn: Path | None = None,
    earlier: Path | None = None,
    script: Path | None = None,
    organization_map: dict[str, str] | None = None,
) -> tuple[Document, WorkshopFile, str, list[str]]:
    """A new workshop as the New workshop dialog describes it, in a new file in the data folder.

    ``organization_map`` says which workshop organization each of the BPMN file's pools is (organization
    id -> name, see :func:`workshop.domain.model.organization_map.map_organizations_op`): mapped before the typed
    organizations get their lanes, so a pool that is one of them is its lane, not an empty lane beside it.

    It starts from an empty current-state model, the model of a BPMN file, or the state an earlier session
    ended with; the named organizations get a lane each in the first model (those already there are kept,
    not doubled); the script is loaded. Each of these is an operation in the new file's log.
    """
    from workshop.domain.facilitation.progress import load_script_op
    from workshop.domain.facilitation.script import load_script
    from workshop.domain.model.organization_lanes import lanes_for_organizations_op

    not_imported: list[str] = []
    if bpmn is not None:
        document, workshop_file, note, not_imported = _import_bpmn(bpmn, title)
    elif earlier is not None:
        document, workshop_file, note = _carry_forward(earlier, title)
    else:
        document, workshop_file, note = new_empty(title)
    if organization_map:
        from workshop.domain.model.organization_map import map_organizations_op

        mapped = map_organizations_op(document.session, organization_map, label="Map the file's pools")
        if mapped is not None:
            document.apply(mapped)
    session = document.session
    models = sorted(session.models.values(), key=lambda m: (m.state != "current", m.index))
    if models and organizations:
        op = lanes_for_organizations_op(session, models[0].id, organizations, label="Name the organizations")
        if op is not None:
            document.apply(op)
    if script is not None:
        document.apply(load_script_op(load_script(script)))
    return document, workshop_file, note, not_imported


def recovery_note(document: Document, workshop_file: WorkshopFile) -> str:
    """What a relaunch after a crash tells the facilitator: that nothing was lost, and where things stand.

    Empty when the last opening closed the file properly. Every change was committed before it was shown,
    so the file holds all of them; saying so (with the last change by name and time) is what lets a
    facilitator carry on in front of the room instead of wondering what is missing.
    """
    holder = workshop_file.left_open_by
    if holder is None:
        return ""
    from workshop.domain.facilitation.progress import current_script_step

    since = holder.since.astimezone()
    lines = [
        f"{holder.program} did not close this session properly last time "
        f"(it had it open on {holder.host} since {since:%H:%M, %d %b}).",
    ]
    last = next(iter(workshop_file.records(after_seq=max(0, document.last_seq - 1))), None)
    if last is None:
        lines.append("Nothing had been changed yet.")
    else:
        lines.append(
            f"Nothing was lost: all {document.last_seq:,} changes are here, the last at "
            f"{last.time.astimezone():%H:%M} ({last.op.summary()})."
        )
    found = current_script_step(document.session)
    if found is not None:
        _, intervention, step = found
        lines.append(f"The workshop stands at {intervention.title} · {step.title}.")
    return "\n".join(lines)
