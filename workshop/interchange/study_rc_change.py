"""Relational-coordination change across the study: per dimension, and per handoff of the models.

Relational coordination is measured before and after the interventions
(:mod:`workshop.domain.research.survey`: seven dimensions, the blame item
reverse-scored, cells answered by fewer respondents than the threshold
withheld). Two tables follow it through the study:

* **per dimension**: for each ordered pair of organizations (how one sees its
  tie with the other) and for the study as a whole, each dimension's first
  and last *shown* score and the change. The study as a whole pools the
  shown cells of a round, weighted by their respondents; withheld cells stay
  out of it too, so nothing withheld can be worked back from it. A pair and
  dimension that was only ever withheld says so, with no score.
* **per handoff**: each handoff of the models (a flow between two
  organizations' lanes, :mod:`workshop.domain.model.handoffs`), named by its
  label or the steps it joins, with the tie between its two organizations
  (both directions' shown overall scores, averaged) the first and the last
  time it was shown, and the change.

Measurements are named by sitting and round label ("s02 Before"), in the
order the sittings happened and, within a sitting, the rounds were opened.
Organizations are matched by name across sittings. Every record is already
de-identified (:class:`~workshop.interchange.study_tables.StudyRecord`):
only aggregated cells are read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from workshop.domain.model.handoffs import handoff_orgs
from workshop.domain.model.naming import flow_name
from workshop.domain.research.privacy import round_scores
from workshop.domain.research.survey import DIMENSIONS, OVERALL, rounds_in_order
from workshop.interchange.study_tables import StudyRecord
from workshop.interchange.table import Table

WHOLE_STUDY = "the study as a whole"
WITHHELD = "too few answers"
_DIMENSION_ORDER = {name: n for n, name in enumerate((*DIMENSIONS, OVERALL))}


@dataclass(frozen=True)
class _Score:
    measured: str
    mean: float | None
    respondents: int


def _measurements(record: StudyRecord) -> list[tuple[str, dict[tuple[str, str, str], _Score]]]:
    """Every round of every sitting in order: its name and its cells by (organization, about, dimension) name."""
    measured = []
    for sitting, session_record in record.sittings:
        session = session_record.session
        for survey in rounds_in_order(session):
            label = f"{sitting.id} {survey.label}"
            cells: dict[tuple[str, str, str], _Score] = {}
            for cell in round_scores(session_record, survey.id):
                names = [o.name if (o := session.organizations.get(x)) else x for x in (cell.from_org, cell.about_org)]
                cells[(names[0], names[1], cell.dimension)] = _Score(label, cell.mean, cell.respondents)
            if cells:
                measured.append((label, cells))
    return measured


def _pooled(label: str, cells: dict[tuple[str, str, str], _Score]) -> dict[str, _Score]:
    """A round's shown cells per dimension pooled over every pair, weighted by respondents."""
    by_dimension: dict[str, list[_Score]] = defaultdict(list)
    for (_, _, dimension), score in cells.items():
        if score.mean is not None:
            by_dimension[dimension].append(score)
    pooled = {}
    for dimension, scores in by_dimension.items():
        respondents = sum(s.respondents for s in scores)
        mean = sum((s.mean or 0.0) * s.respondents for s in scores) / respondents
        pooled[dimension] = _Score(label, round(mean, 3), respondents)
    return pooled


def _measured(score: _Score) -> str:
    return f"{score.measured} (n={score.respondents})"


def _change_row(series: list[_Score]) -> list[str]:
    """before, measured, after, measured, change: from the first and last shown score of ``series``."""
    shown = [s for s in series if s.mean is not None]
    if not shown:
        return [WITHHELD, _measured(series[0]), "", "", ""]
    first, last = shown[0], shown[-1]
    if len(shown) == 1:
        return [f"{first.mean:.2f}", _measured(first), "", "", ""]
    change = f"{(last.mean or 0.0) - (first.mean or 0.0):+.2f}"
    return [f"{first.mean:.2f}", _measured(first), f"{last.mean:.2f}", _measured(last), change]


CHANGE_COLUMNS = ["before", "before measured", "after", "after measured", "change"]

DIMENSIONS_HEADER = ["organization", "about", "dimension", *CHANGE_COLUMNS]


def survey_change_dimensions(record: StudyRecord) -> Table:
    """Each dimension's first and last shown score, for the study as a whole and for each ordered pair."""
    series: dict[tuple[str, str, str], list[_Score]] = defaultdict(list)
    whole: dict[str, list[_Score]] = defaultdict(list)
    for label, cells in _measurements(record):
        for key, score in cells.items():
            series[key].append(score)
        for dimension, score in _pooled(label, cells).items():
            whole[dimension].append(score)
    rows = [
        [WHOLE_STUDY, "", dimension.replace("_", " "), *_change_row(whole[dimension])]
        for dimension in sorted(whole, key=lambda d: _DIMENSION_ORDER.get(d, len(_DIMENSION_ORDER)))
    ]
    for org, about, dimension in sorted(
        series, key=lambda k: (k[0], k[1], _DIMENSION_ORDER.get(k[2], len(_DIMENSION_ORDER)))
    ):
        rows.append([org, about, dimension.replace("_", " "), *_change_row(series[(org, about, dimension)])])
    return DIMENSIONS_HEADER, rows


HANDOFFS_HEADER = ["model", "handoff", "from organization", "to organization", *CHANGE_COLUMNS]


def _tie(cells: dict[tuple[str, str, str], _Score], a: str, b: str, label: str) -> _Score | None:
    """The tie between two organizations in one round: both directions' shown overall scores, averaged."""
    shown = [s for (x, y, d), s in cells.items() if d == OVERALL and {x, y} == {a, b} and x != y]
    if not shown:
        return None
    values = [s for s in shown if s.mean is not None]
    if not values:
        return _Score(label, None, sum(s.respondents for s in shown))
    return _Score(label, round(fmean(s.mean or 0.0 for s in values), 3), sum(s.respondents for s in values))


def survey_change_handoffs(record: StudyRecord) -> Table:
    """Each handoff of the models with the relational-coordination change between its two organizations."""
    handoffs: dict[str, list[str]] = {}  # flow id -> model, handoff, from, to: as the latest sitting has it
    for _, session_record in record.sittings:
        session = session_record.session
        for flow in session.flows.values():
            pair = handoff_orgs(session, flow)
            if pair is None:
                continue
            names = [o.name if (o := session.organizations.get(x)) else x for x in pair]
            model = session.models.get(flow.model_id)
            handoffs[flow.id] = [model.name if model else "", flow_name(session, flow), *names]
    measured = _measurements(record)
    rows = []
    for model_name, name, source, target in sorted(handoffs.values()):
        ties = [tie for label, cells in measured if (tie := _tie(cells, source, target, label)) is not None]
        rows.append([model_name, name, source, target, *(_change_row(ties) if ties else ["", "", "", "", ""])])
    return HANDOFFS_HEADER, rows
