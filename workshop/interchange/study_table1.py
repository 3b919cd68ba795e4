"""The method's Table 1 for a study, cell for cell as the paper prints it.

One row per intervention ("Intervention 1 (fall 2006)"), and per row:

* the business process;
* the process modeling workshops: "weeks 35–37; 18 customer and 2 IT
  provider representatives; 5 workshops";
* the interviews: their dates when they fell on one or two days ("21.8.2006
  and 20.9.2006"), else their weeks; the interviewees by organization type,
  never by name ("2 customer, 1 IT provider and 1 partner representative");
  the number of interviews;
* the simulation workshops: the date and the people by organization type;
* the archival data: the documents the sittings' records list, the documents
  attached to its sittings and the archival documents kept for the
  intervention (``workshop study archive``), by title, in date order.

People are counted as people, not seats: a person who came to three
workshops is one representative (the roster follows them through the study,
:mod:`workshop.domain.research.roster`). A sitting that only declared how
many each organization sent (``--attendance``) counts, per organization, the
most it sent to any one such sitting. Dates are ISO (2006-08-21) or, with
``paper``, as the paper writes them (21.8.2006); weeks are ISO week numbers.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from workshop.domain.model.process import OrganizationKind
from workshop.domain.research.people import TABLE_WORDS, find_organization_kind
from workshop.domain.research.roster import RosterEntry
from workshop.domain.research.study import INTERVIEW_KINDS, Sitting, SittingKind, SourceKind
from workshop.interchange.study_people import study_roster
from workshop.interchange.study_tables import StudyRecord
from workshop.interchange.table import Table, weeks

DATE_STYLES = ("iso", "paper")

TABLE1_HEADER = [
    "intervention",
    "business process",
    "process modeling workshops",
    "interviews",
    "simulation workshops",
    "archival data",
]

_TYPE_ORDER = list(TABLE_WORDS)


def _date(text: str, style: str) -> str:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day}.{day.month}.{day.year}" if style == "paper" else day.isoformat()


def _and(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c": as the paper lists."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _when(sittings: list[Sitting], style: str) -> str:
    """One or two days by their dates, more by their weeks."""
    dates = sorted({s.date for s in sittings if s.date})
    if not dates:
        return ""
    if len(dates) <= 2:
        return _and([_date(d, style) for d in dates])
    return weeks(dates)


def representatives(counts: Counter[OrganizationKind]) -> str:
    """ "18 customer and 2 IT provider representatives"; "1 partner representative" when the last is one."""
    shown = [(kind, counts[kind]) for kind in _TYPE_ORDER if counts[kind]]
    if not shown:
        return ""
    noun = "representative" if shown[-1][1] == 1 else "representatives"
    return f"{_and([f'{n} {TABLE_WORDS[kind]}' for kind, n in shown])} {noun}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _People:
    """Who attended which sitting, by organization type, from the roster and the declared attendance."""

    def __init__(self, record: StudyRecord) -> None:
        self.record = record
        self.entries: list[RosterEntry] = study_roster(record)
        self.kinds: dict[str, OrganizationKind] = {}
        for _, session_record in record.sittings:
            for org in session_record.session.organizations.values():
                self.kinds.setdefault(" ".join(org.name.casefold().split()), OrganizationKind(org.org_kind))

    def org_kind(self, name: str) -> OrganizationKind:
        known = find_organization_kind(self.record.study.organizations, name)
        return known or self.kinds.get(" ".join(name.casefold().split()), OrganizationKind.OTHER)

    def kind_of(self, entry: RosterEntry) -> OrganizationKind:
        if entry.org_type is not None:
            return entry.org_type
        return self.org_kind(entry.organization) if entry.organization else OrganizationKind.OTHER

    def counted(self, sittings: list[Sitting], *, named_only: bool = False) -> Counter[OrganizationKind]:
        """Distinct people of ``sittings`` by type, plus what sittings without named people declared."""
        ids = {s.id for s in sittings}
        counts: Counter[OrganizationKind] = Counter()
        named: set[str] = set()
        for entry in self.entries:
            here = ids.intersection(entry.sittings)
            if here:
                counts[self.kind_of(entry)] += 1
                named |= here
        if named_only:
            return counts
        most: Counter[str] = Counter()
        for sitting in sittings:
            if sitting.id not in named:
                for org, n in sitting.attendance.items():
                    most[org] = max(most[org], n)
        for org, n in most.items():
            counts[self.org_kind(org)] += n
        return counts


def _season(sittings: list[Sitting]) -> str:
    dates = sorted(s.date for s in sittings if s.date)
    if not dates:
        return ""
    first = date.fromisoformat(dates[0])
    return f" ({'spring' if first.month <= 6 else 'fall'} {first.year})"


def study_table1(record: StudyRecord, date_style: str = "iso") -> Table:
    """The method's Table 1, a row per intervention, each cell as the paper writes it."""
    people = _People(record)
    rows = []
    for intervention in sorted({s.intervention for s, _ in record.sittings}):
        here = [(s, r) for s, r in record.sittings if s.intervention == intervention]
        sittings = [s for s, _ in here]
        workshops = [s for s in sittings if s.kind == SittingKind.MODELING]
        interviews = [s for s in sittings if s.kind in INTERVIEW_KINDS]
        simulations = [s for s in sittings if s.kind == SittingKind.SIMULATION]
        modeling = [
            weeks([s.date for s in workshops if s.date]) if any(s.date for s in workshops) else "",
            representatives(people.counted(workshops)),
            _count(len(workshops), "workshop") if workshops else "",
        ]
        asked = [
            _when(interviews, date_style),
            representatives(people.counted(interviews)),
            _count(len(interviews), "interview") if interviews else "",
        ]
        simulated = [
            _and([_date(s.date, date_style) for s in simulations if s.date])
            if any(s.date for s in simulations)
            else "",
            representatives(people.counted(simulations)),
        ]
        archival = [a.title for _, r in here for a in r.session.archival.values()]
        ids = {s.id for s in sittings}
        archival += [
            src.name
            for src in sorted(record.study.sources, key=lambda src: src.date or "9999")
            if (src.sitting_id in ids and src.source_kind == SourceKind.DOCUMENT)
            or (src.archival and src.intervention == intervention)
        ]
        rows.append(
            [
                f"Intervention {intervention}{_season(sittings)}",
                "; ".join(dict.fromkeys(s.process for s in sittings if s.process)),
                "; ".join(c for c in modeling if c),
                "; ".join(c for c in asked if c),
                "; ".join(c for c in simulated if c),
                "; ".join(dict.fromkeys(archival)),
            ]
        )
    return TABLE1_HEADER, rows
