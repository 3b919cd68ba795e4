"""The method's summary table ("table 1"): per intervention, what data the research rests on.

Filled from what the session recorded — data-collection events and archival
documents — so nothing is typed twice.
"""

from __future__ import annotations

from collections import Counter

from workshop.domain.facilitation.progress import script_of
from workshop.domain.model.session import Session
from workshop.interchange.table import Table, weeks

HEADER = [
    "intervention",
    "business process developed",
    "process modeling workshops",
    "workshop weeks",
    "workshop participants per organization",
    "interviews",
    "interview dates",
    "interviewees",
    "simulation workshops",
    "simulation attendance per organization",
    "archival documents",
]


def _per_org(session: Session, counts: Counter[str]) -> str:
    return ", ".join(
        f"{session.organizations[o].name if o in session.organizations else o} {n}" for o, n in sorted(counts.items())
    )


def table1(session: Session) -> Table:
    """One row per intervention, in the script's order (then any others the record mentions)."""
    script = script_of(session)
    titles = {i.id: i.title for i in script.interventions} if script else {}
    seen = [
        *titles,
        *sorted(
            {e.intervention_id for e in session.data_events.values()}
            | {a.intervention_id for a in session.archival.values()}
        ),
    ]
    rows = []
    for intervention in dict.fromkeys(seen):
        events = sorted(
            (e for e in session.data_events.values() if e.intervention_id == intervention), key=lambda e: e.date
        )
        archival = [a for a in session.archival.values() if a.intervention_id == intervention]
        if not events and not archival:
            continue
        workshops = [e for e in events if e.event_kind == "process_modeling_workshop"]
        interviews = [e for e in events if e.event_kind in ("interview", "follow_up_interview")]
        simulations = [e for e in events if e.event_kind == "simulation_workshop"]
        attendance: Counter[str] = Counter()
        for event in workshops:
            attendance.update(event.attendance)
        rows.append(
            [
                titles.get(intervention, intervention),
                "; ".join(dict.fromkeys(e.business_process for e in events if e.business_process)),
                str(len(workshops)),
                weeks([e.date for e in workshops if e.date]) if any(e.date for e in workshops) else "",
                _per_org(session, attendance),
                str(len(interviews)),
                ", ".join(e.date for e in interviews if e.date),
                "; ".join(name for e in interviews for name in e.names) or str(sum(len(e.names) for e in interviews)),
                ", ".join(e.date for e in simulations if e.date) or str(len(simulations)),
                "; ".join(f"{e.date}: {_per_org(session, Counter(e.attendance))}" for e in simulations),
                "; ".join(a.title for a in archival),
            ]
        )
    return HEADER, rows
