"""Relational coordination surveys: instruments as data, scores per pair of organizations.

Relational coordination is measured between groups, not individuals: each
respondent rates their organization's tie with every other organization on
seven dimensions. Scores are means on the instrument's scale after reverse
scoring. A cell (how organization A sees its tie with B, on one dimension)
answered by fewer respondents than a threshold is suppressed, so no score
can be traced back to a person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from statistics import fmean

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workshop.domain.model.session import Session
from workshop.domain.model.yaml_source import load_yaml_model
from workshop.domain.research.sources import SurveyResponse, SurveyRound

DIMENSIONS: tuple[str, ...] = (
    "frequent_communication",
    "timely_communication",
    "accurate_communication",
    "problem_solving_communication",
    "shared_goals",
    "shared_knowledge",
    "mutual_respect",
)
"""The seven dimensions of relational coordination."""

OVERALL = "overall"
DEFAULT_THRESHOLD = 3


class InstrumentItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1)
    dimension: str
    text: str = Field(min_length=1)
    """May contain ``{other}`` (the organization rated) and ``{process}``."""
    reverse: bool = False
    """Reverse-scored: a high answer means a weak tie (e.g. blaming instead of solving)."""


class Instrument(BaseModel):
    """A survey instrument: items, the dimension each measures, the scale.

    Licensed instruments (the validated wording) load the same way as the
    default plain-wording one: they are data, not code.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    scale_min: int = 1
    scale_max: int = 5
    scale_labels: dict[int, str] = Field(default_factory=dict)
    items: list[InstrumentItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        if self.scale_max <= self.scale_min:
            raise ValueError("scale_max must be greater than scale_min")
        ids = [item.id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError(f"item ids must be unique; repeated: {sorted({i for i in ids if ids.count(i) > 1})}")
        unknown = sorted({item.dimension for item in self.items} - set(DIMENSIONS))
        if unknown:
            raise ValueError(f"unknown dimension(s) {unknown}; use: {', '.join(DIMENSIONS)}")
        outside = [k for k in self.scale_labels if not self.scale_min <= k <= self.scale_max]
        if outside:
            raise ValueError(f"scale_labels {outside} lie outside the scale {self.scale_min}..{self.scale_max}")
        return self

    def item(self, item_id: str) -> InstrumentItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def score(self, item: InstrumentItem, answer: int) -> float:
        """The answer on the scale, turned around for reverse-scored items."""
        return float(self.scale_min + self.scale_max - answer if item.reverse else answer)


def load_instrument(path: Path) -> Instrument:
    """Read an instrument file; errors name the file, line and field."""
    return load_yaml_model(path, Instrument)


def check_answers(instrument: Instrument, answers: dict[str, int]) -> None:
    """Refuse answers to unknown items or outside the scale (raises ValueError naming them)."""
    for item_id, answer in answers.items():
        if instrument.item(item_id) is None:
            raise ValueError(f"answer to unknown item {item_id!r}")
        if not instrument.scale_min <= answer <= instrument.scale_max:
            raise ValueError(
                f"answer {answer} to item {item_id!r} lies outside {instrument.scale_min}..{instrument.scale_max}"
            )


@dataclass(frozen=True)
class Cell:
    """How ``from_org`` sees its tie with ``about_org`` on one dimension (or overall)."""

    from_org: str
    about_org: str
    dimension: str
    respondents: int
    mean: float | None
    """None when suppressed (fewer respondents than the threshold) or unanswered."""
    from_role: str = ""
    about_role: str = ""
    """Set on a cell of a role pair (:func:`score_round` with ``by_role``): the tie between two roles."""

    @property
    def suppressed(self) -> bool:
        return self.mean is None and self.respondents > 0


def describe_cell(cell: Cell | None) -> str:
    """How a score reads everywhere: '3.50 (n=4)', 'too few answers (n=2)', or '' when nobody answered."""
    if cell is None or cell.respondents == 0:
        return ""
    if cell.mean is None:
        return f"too few answers (n={cell.respondents})"
    return f"{cell.mean:.2f} (n={cell.respondents})"


def _respondent_scores(instrument: Instrument, response: SurveyResponse) -> dict[str, float]:
    """One respondent's mean per dimension over the items they answered, plus overall."""
    per_dimension: dict[str, list[float]] = defaultdict(list)
    for item_id, answer in response.answers.items():
        item = instrument.item(item_id)
        if item is not None:
            per_dimension[item.dimension].append(instrument.score(item, answer))
    scores = {dim: fmean(values) for dim, values in per_dimension.items()}
    if scores:
        scores[OVERALL] = fmean(scores.values())
    return scores


def score_round(
    session: Session, round_id: str, *, threshold: int = DEFAULT_THRESHOLD, by_role: bool = False
) -> list[Cell]:
    """Scores of one survey round for every ordered pair of organizations answered, per dimension and overall.

    With ``by_role``, for every ordered pair of roles instead (organization
    and role on each side), from the answers that name both roles; the same
    threshold withholds small cells, which role pairs often are.
    """
    survey = session.survey_rounds[round_id]
    instrument = Instrument.model_validate(survey.instrument)
    collected: dict[tuple[str, str, str, str, str], list[float]] = defaultdict(list)
    for response in session.survey_responses.values():
        if response.round_id != round_id:
            continue
        if by_role and not (response.role and response.about_role):
            continue
        roles = (response.role, response.about_role) if by_role else ("", "")
        for dimension, value in _respondent_scores(instrument, response).items():
            collected[(response.organization_id, response.about_org_id, *roles, dimension)].append(value)
    cells = []
    for (from_org, about_org, from_role, about_role, dimension), values in sorted(collected.items()):
        shown = round(fmean(values), 3) if len(values) >= threshold else None
        cells.append(Cell(from_org, about_org, dimension, len(values), shown, from_role, about_role))
    return cells


@dataclass(frozen=True)
class Change:
    """Before/after for one ordered pair and dimension; ``difference`` only when both sides are shown."""

    from_org: str
    about_org: str
    dimension: str
    before: Cell | None
    after: Cell | None

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None or self.before.mean is None or self.after.mean is None:
            return None
        return round(self.after.mean - self.before.mean, 3)


def compare_rounds(
    session: Session, before_id: str, after_id: str, *, threshold: int = DEFAULT_THRESHOLD
) -> list[Change]:
    """Before and after side by side, per ordered pair of organizations and dimension."""
    before = {(c.from_org, c.about_org, c.dimension): c for c in score_round(session, before_id, threshold=threshold)}
    after = {(c.from_org, c.about_org, c.dimension): c for c in score_round(session, after_id, threshold=threshold)}
    return [Change(*key, before.get(key), after.get(key)) for key in sorted(before.keys() | after.keys())]


def tie_strength(cells: Iterable[Cell], org_a: str, org_b: str) -> float | None:
    """Overall tie between two organizations: the mean of both directions that are shown."""
    values = [
        c.mean
        for c in cells
        if c.dimension == OVERALL and c.mean is not None and {c.from_org, c.about_org} == {org_a, org_b}
    ]
    return round(fmean(values), 3) if values else None


def rounds_in_order(session: Session) -> list[SurveyRound]:
    """Survey rounds by when they were opened; rounds never opened keep the order they were created in."""
    opened = sorted((r for r in session.survey_rounds.values() if r.opened), key=lambda r: r.opened or 0)
    return opened + [r for r in session.survey_rounds.values() if not r.opened]


def handoff_ties(session: Session, model_id: str, cells: Iterable[Cell]) -> dict[str, float | None]:
    """Flow id -> tie strength between the two organizations of each handoff in a model (None: no shown score)."""
    from workshop.domain.model.handoffs import handoff_orgs

    shown = list(cells)
    ties: dict[str, float | None] = {}
    for flow in session.flows.values():
        if flow.model_id != model_id:
            continue
        pair = handoff_orgs(session, flow)
        if pair is not None:
            ties[flow.id] = tie_strength(shown, *pair)
    return ties


def tie_colour(strength: float | None, *, scale_min: int = 1, scale_max: int = 5) -> str:
    """Red for weak, amber for middling, green for strong ties; grey where there is no score to show."""
    if strength is None:
        return "#9e9e9e"
    t = min(1.0, max(0.0, (strength - scale_min) / (scale_max - scale_min)))
    stops = ((0.0, (0xC6, 0x28, 0x28)), (0.5, (0xF9, 0xA8, 0x25)), (1.0, (0x2E, 0x7D, 0x32)))
    for (t0, c0), (t1, c1) in pairwise(stops):
        if t <= t1:
            f = (t - t0) / (t1 - t0)
            return "#" + "".join(f"{round(a + (b - a) * f):02x}" for a, b in zip(c0, c1, strict=True))
    return "#2e7d32"
