"""A BPMN file on disk becoming a session: read it, import it, and record where the model came from.

The app (opening a .bpmn) and ``workshop import`` both come through here, so
every session made from BPMN starts the same way: the imported state is the
file's starting point and the first operation of its log adds the
:class:`~workshop.domain.research.sources.ImportedSource` (file name, SHA-256, the
import report), so the record says where the model came from.
"""

from __future__ import annotations

from pathlib import Path

from workshop.domain.model.document import Document
from workshop.domain.model.operations import add
from workshop.domain.model.source_file import UnreadableFile, read_regular_file
from workshop.interchange.bpmn_import import BpmnError, BpmnImport, import_bpmn
from workshop.store.sessions import create_document
from workshop.store.workshop_file import WorkshopFile

MAX_BPMN_BYTES = 256_000_000
"""Larger than any model a workshop can show (a 20,000-task export is about 15 MB)."""

IMPORT_ACTOR = "import"
"""The actor of the operation that records an import."""


def read_bpmn_file(path: Path) -> BpmnImport:
    """Import the BPMN file at ``path``; raises :class:`BpmnError` naming the file and what is wrong."""
    try:
        data = read_regular_file(Path(path), limit=MAX_BPMN_BYTES)
    except UnreadableFile as error:
        raise BpmnError(str(error)) from None
    return import_bpmn(data, source_name=Path(path).name)


def create_imported_session(target: Path, result: BpmnImport, *, program: str) -> tuple[Document, WorkshopFile]:
    """A new .workshop file holding the imported model; its first operation records the source file."""
    document, workshop_file = create_document(target, result.session, program=program)
    document.apply(add(result.source_record()), actor=IMPORT_ACTOR)
    return document, workshop_file
