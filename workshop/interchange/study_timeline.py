"""What the study timeline shows: interventions as columns, sittings as cards a researcher recognises.

A card says what people remember a sitting by — its kind, when it was, the
business process and how many took part — never a sitting id or a file path
(those stay in the study file). It is computed from the study file and each
sitting's current state only (not its whole log), so the timeline opens
quickly even for a study of many long workshops, and a sitting whose file
cannot be read says so on its card instead of hiding the others.

No Qt here: the app (:mod:`workshop.ui.study.study_window`) lays these out, tests
read them directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workshop.domain.model.record import SessionRecord
from workshop.domain.research.study import INTERVIEW_KINDS, Sitting, SittingKind, Study
from workshop.interchange.study_tables import attendance
from workshop.store.sessions import StoreError, read_state_and_span
from workshop.store.study_folder import sitting_file

KIND_TITLES: dict[SittingKind, str] = {
    SittingKind.MODELING: "Process modeling workshop",
    SittingKind.SIMULATION: "Simulation workshop",
    SittingKind.INTERVIEW: "Interview",
    SittingKind.FOLLOW_UP_INTERVIEW: "Follow-up interview",
    SittingKind.OBSERVATION: "Observation",
    SittingKind.FEEDBACK: "Feedback meeting",
}
"""How people name each kind of sitting (the study file keeps the short values)."""


@dataclass(frozen=True)
class SittingCard:
    """One sitting as the timeline shows it; ``sitting_id`` and ``path`` are for opening it, not for display."""

    sitting_id: str
    path: Path
    kind: str
    when: str
    process: str
    attendance: str
    title: str
    carried_from: str
    """'carried forward from <kind> <date>' when it started from an earlier sitting, else empty."""
    problem: str = ""
    """Why the sitting's file cannot be read, if it cannot."""

    def lines(self) -> list[str]:
        """The card's text, one fact per line, in the order it is read."""
        lines = [self.kind, self.when, self.process, self.attendance]
        if self.carried_from:
            lines.append(self.carried_from)
        if self.problem:
            lines.append(self.problem)
        return lines


@dataclass(frozen=True)
class InterventionColumn:
    number: int
    heading: str
    """'Intervention 2' and the processes it developed."""
    cards: list[SittingCard]


def when_text(sitting: Sitting) -> str:
    """'Tue 10 Mar 2026, 09:00', or 'no date yet'."""
    if not sitting.date:
        return "no date yet"
    day = date.fromisoformat(sitting.date)
    text = f"{day:%a} {day.day} {day:%b %Y}"
    return f"{text}, {sitting.time}" if sitting.time else text


def short_name(sitting: Sitting) -> str:
    """A sitting as people name it in a sentence or a list: 'Process modeling workshop, 10 Mar 2026'."""
    if not sitting.date:
        return f"{KIND_TITLES[sitting.kind]} (intervention {sitting.intervention}, no date)"
    day = date.fromisoformat(sitting.date)
    return f"{KIND_TITLES[sitting.kind]}, {day.day} {day:%b %Y}"


def _attendance_text(sitting: Sitting, counts: dict[str, int]) -> str:
    people = sum(counts.values())
    if people:
        organizations = len([n for n in counts.values() if n])
        return f"{people} {'person' if people == 1 else 'people'} from {organizations} organization" + (
            "s" if organizations != 1 else ""
        )
    if sitting.people:
        noun = "interviewee" if sitting.kind in INTERVIEW_KINDS else "person"
        return f"{len(sitting.people)} {noun}{'s' if len(sitting.people) != 1 else ''}"
    return "attendance not recorded yet"


def sitting_card(folder: Path, study: Study, sitting: Sitting) -> SittingCard:
    """The card of one sitting; a file that cannot be read gives a card that says so."""
    path = sitting_file(folder, sitting)
    problem = ""
    try:
        session, _ = read_state_and_span(path)
        counts = dict(attendance(sitting, SessionRecord(session)))
    except (StoreError, OSError, ValueError) as error:
        problem = f"cannot be opened: {error}"
        counts = dict(sitting.attendance)
    carried = ""
    if sitting.provenance is not None:
        earlier = next((s for s in study.sittings if s.id == sitting.provenance.from_sitting), None)
        carried = f"carried forward from the {short_name(earlier)}" if earlier else "carried forward"
    return SittingCard(
        sitting_id=sitting.id,
        path=path,
        kind=KIND_TITLES[sitting.kind],
        when=when_text(sitting),
        process=sitting.process or "business process not named",
        attendance=_attendance_text(sitting, counts),
        title=sitting.title,
        carried_from=carried,
        problem=problem,
    )


def timeline(folder: Path, study: Study) -> list[InterventionColumn]:
    """One column per intervention, in order; its sittings in the order they happened."""
    columns = []
    for number in sorted({s.intervention for s in study.sittings}):
        here = [s for s in study.in_order() if s.intervention == number]
        processes = list(dict.fromkeys(s.process for s in here if s.process))
        heading = f"Intervention {number}" + (f"\n{'; '.join(processes)}" if processes else "")
        columns.append(InterventionColumn(number, heading, [sitting_card(folder, study, s) for s in here]))
    return columns
