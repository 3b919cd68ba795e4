"""Relational coordination scoring, checked against values computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.domain.builders import two_org_document
from workshop.domain.model.document import Document
from workshop.domain.model.errors import OperationError
from workshop.domain.model.operations import add
from workshop.domain.model.process import Organization
from workshop.domain.model.yaml_source import SourceError
from workshop.domain.research.sources import SurveyResponse, SurveyRound
from workshop.domain.research.survey import OVERALL, compare_rounds, load_instrument, score_round, tie_strength
from workshop.resources import scripts_dir

INSTRUMENT = {
    "id": "mini",
    "title": "Two items",
    "scale_min": 1,
    "scale_max": 5,
    "items": [
        {"id": "often", "dimension": "frequent_communication", "text": "We talk with {other}."},
        {"id": "blame", "dimension": "problem_solving_communication", "text": "{other} blames.", "reverse": True},
    ],
}


def _doc_with_round(*rounds: str) -> Document:
    doc = two_org_document()
    doc.apply(add(Organization(id="org-b", name="Customer group B")))
    for round_id in rounds:
        doc.apply(add(SurveyRound(id=round_id, label=round_id, instrument=INSTRUMENT)))
    return doc


def _answer(doc: Document, rid: str, n: int, frm: str, about: str, **answers: int) -> None:
    response = SurveyResponse(id=f"{rid}-{n}", round_id=rid, organization_id=frm, about_org_id=about, answers=answers)
    doc.apply(add(response))


def test_reverse_items_missing_answers_and_threshold() -> None:
    doc = _doc_with_round("r1")
    # A about IT: three respondents.  often: 4, 2, 3 -> mean 3.0
    # blame (reverse on 1..5: 6 - x): 1->5, 5->1, missing -> mean of [5, 1] = 3.0 (two respondents)
    # overall per respondent: (4+5)/2=4.5, (2+1)/2=1.5, 3 -> mean 3.0
    _answer(doc, "r1", 1, "org-a", "org-it", often=4, blame=1)
    _answer(doc, "r1", 2, "org-a", "org-it", often=2, blame=5)
    _answer(doc, "r1", 3, "org-a", "org-it", often=3)
    # IT about A: only two respondents -> suppressed everywhere
    _answer(doc, "r1", 4, "org-it", "org-a", often=5, blame=1)
    _answer(doc, "r1", 5, "org-it", "org-a", often=5, blame=2)

    cells = {(c.from_org, c.about_org, c.dimension): c for c in score_round(doc.session, "r1")}

    assert cells[("org-a", "org-it", "frequent_communication")].mean == 3.0
    problem = cells[("org-a", "org-it", "problem_solving_communication")]
    assert (problem.respondents, problem.mean, problem.suppressed) == (2, None, True)
    assert cells[("org-a", "org-it", OVERALL)].mean == 3.0
    assert cells[("org-it", "org-a", OVERALL)].suppressed
    assert cells[("org-it", "org-a", OVERALL)].respondents == 2
    # with a threshold of 2 the same data shows: blame reversed (5, 4) -> 4.5; often 5 -> overall (5+4.5)/2
    loose = {(c.from_org, c.about_org, c.dimension): c for c in score_round(doc.session, "r1", threshold=2)}
    assert loose[("org-it", "org-a", "problem_solving_communication")].mean == 4.5
    assert loose[("org-it", "org-a", OVERALL)].mean == 4.75
    assert tie_strength(loose.values(), "org-it", "org-a") == pytest.approx((3.0 + 4.75) / 2)
    assert tie_strength(cells.values(), "org-b", "org-a") is None


def test_before_after_difference_only_where_both_are_shown() -> None:
    doc = _doc_with_round("before", "after")
    for n, value in enumerate((2, 2, 3)):
        _answer(doc, "before", n, "org-a", "org-it", often=value)
    for n, value in enumerate((4, 5, 4, 3)):
        _answer(doc, "after", n, "org-a", "org-it", often=value)
    _answer(doc, "after", 9, "org-a", "org-b", often=5)

    changes = {(c.from_org, c.about_org, c.dimension): c for c in compare_rounds(doc.session, "before", "after")}

    # before: 7/3 = 2.333; after: 16/4 = 4.0 -> +1.667
    often = changes[("org-a", "org-it", "frequent_communication")]
    assert often.before is not None
    assert often.before.mean == 2.333
    assert often.difference == pytest.approx(1.667)
    assert changes[("org-a", "org-b", OVERALL)].difference is None


@pytest.mark.parametrize(
    ("answers", "message"),
    [({"often": 9}, "outside 1..5"), ({"nope": 3}, "unknown item 'nope'")],
)
def test_answers_must_fit_the_instrument(answers: dict[str, int], message: str) -> None:
    doc = _doc_with_round("r1")
    with pytest.raises(OperationError, match=message):
        _answer(doc, "r1", 1, "org-a", "org-it", **answers)


def test_an_organization_does_not_rate_itself() -> None:
    doc = _doc_with_round("r1")
    with pytest.raises(OperationError, match="other\\* organizations only"):
        _answer(doc, "r1", 1, "org-a", "org-a", often=3)


def test_the_shipped_instrument_covers_all_seven_dimensions() -> None:
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml")
    assert {item.dimension for item in instrument.items} == {
        "frequent_communication",
        "timely_communication",
        "accurate_communication",
        "problem_solving_communication",
        "shared_goals",
        "shared_knowledge",
        "mutual_respect",
    }
    assert [item.id for item in instrument.items if item.reverse] == ["blame"]


def test_a_broken_instrument_names_the_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: x\ntitle: T\nitems:\n  - id: a\n    dimension: frequent_communication\n    text: ok\n"
        "  - id: b\n    dimension: frequent_communication\n    text: ''\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match=r"bad\.yaml:9: items\[1\]\.text: String should have at least 1 character"):
        load_instrument(path)
    path.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad\.yaml:3: YAML syntax"):
        load_instrument(path)
