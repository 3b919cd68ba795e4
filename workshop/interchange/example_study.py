"""The bundled example as a small study: the contact-processing workshop and a follow-up carried forward from it.

Built from ``models/contact-processing.json`` by the same functions
``workshop study new/add/apply`` use, rather than shipped as binary
``.workshop`` files: the example cannot drift from the file format or
from the example model, and anyone can rebuild it (``workshop study
example DIR``) and see each step in the sittings' logs.

* Sitting 1: the process modeling workshop of intervention 1 (the example
  model's whole content, applied as one operation by the facilitator).
* Sitting 2: the follow-up interview of intervention 1, carried forward from
  sitting 1 (its models, organizations, ideas and boundaries keep their ids),
  where the agreed checklist idea is found implemented.
"""

from __future__ import annotations

from pathlib import Path

from workshop.domain.model.annotations import IdeaStatus
from workshop.domain.model.entity import KINDS, Entity
from workshop.domain.model.operations import Operation, SetSessionOp, add, batch, update
from workshop.domain.model.session import Session
from workshop.domain.research.study import SittingKind, Study
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json, open_document
from workshop.store.study_folder import add_sitting, create_study, read_sitting, save_study, sitting_file
from workshop.store.study_heads import refresh_head

EXAMPLE_TITLE = "Contact processing study (example)"
PROCESS = "Contact processing"
FOLLOW_UP_IDEA = "ann-3"
"""The example's agreed idea (a checklist of required information) that the follow-up finds implemented."""


def _content_ops(start: Session, example: Session) -> list[Operation]:
    """Adds for everything in ``example`` that ``start`` lacks, in an order where references come first.

    The session's collections are declared in that order (organizations
    before lanes, models before nodes, nodes before flows, codes before
    annotations), so following the registry of kinds is enough.
    """
    ops: list[Operation] = []
    if example.description:
        ops.append(SetSessionOp(changes={"description": example.description}))
    fields = list(Session.model_fields)
    for collection in sorted({cls.collection for cls in KINDS.values()}, key=fields.index):
        have: dict[str, Entity] = getattr(start, collection)
        for entity in getattr(example, collection).values():
            if have.get(entity.id) != entity:
                ops.append(add(entity))
    return ops


def _apply(folder: Path, study: Study, sitting_id: str, label: str, ops: list[Operation], actor: str) -> None:
    """Apply ``ops`` to a sitting as one recorded step, as ``workshop study apply`` does."""
    document, workshop_file = open_document(sitting_file(folder, study.sitting(sitting_id)), program="example study")
    try:
        with workshop_file.transaction():
            document.apply(batch(label, ops), actor=actor)
    finally:
        workshop_file.close(document.session, document.last_seq)
    refresh_head(folder, study.sitting(sitting_id))  # the study records how long the sitting's log now is
    save_study(folder, study)


def build_example_study(folder: Path, actor: str = "facilitator") -> Study:
    """Create the example study in ``folder`` (new or empty) and return it."""
    folder = Path(folder)
    example = load_session_json(example_session_path())
    study = create_study(folder, EXAMPLE_TITLE, actor)
    first = add_sitting(
        folder,
        study,
        kind=SittingKind.MODELING,
        intervention=1,
        process=PROCESS,
        actor=actor,
        date="2026-03-10",
        time="09:00",
        title=example.title,
    )
    start = read_sitting(folder, first).session
    _apply(folder, study, first.id, "The contact-processing workshop", _content_ops(start, example), actor)
    second = add_sitting(
        folder,
        study,
        kind=SittingKind.FOLLOW_UP_INTERVIEW,
        intervention=1,
        process=PROCESS,
        actor=actor,
        date="2026-04-07",
        time="13:00",
        title="Contact processing — follow-up interview",
        people=["Maria Svensson"],
        from_key=first.id,
    )
    carried = read_sitting(folder, second).session
    if FOLLOW_UP_IDEA in carried.annotations:
        follow_up = update("annotation", FOLLOW_UP_IDEA, idea_status=IdeaStatus.IMPLEMENTED.value)
        _apply(folder, study, second.id, "The checklist is in use", [follow_up], actor)
    return study


def example_study_folder(base: Path | None = None) -> Path:
    """The example study in the user's data folder, built the first time it is asked for.

    A study the user already worked in is opened again, not rebuilt: like
    any study, its sittings are the record of what was done in them. A
    folder of that name that is not a study is left alone and a new one is made beside it.
    """
    from workshop.domain.research.study import StudyError
    from workshop.store.paths import default_data_dir
    from workshop.store.study_folder import load_study

    root = base or default_data_dir()
    candidate, counter = root / "example-study", 2
    while candidate.exists():
        try:
            load_study(candidate)
            return candidate
        except StudyError:
            candidate = root / f"example-study-{counter}"
            counter += 1
    build_example_study(candidate)
    return candidate
