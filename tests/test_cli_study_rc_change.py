"""Relational-coordination change per dimension and per handoff, from a survey before and after.

A modeling workshop in intervention 1 measures relational coordination
before (Customer group A about the IT provider, the IT provider about
Customer group A, and two partners whose answers are too few to show); the
follow-up in intervention 3, carried forward from it, measures after. The
customer's lane hands a request to the IT provider's lane.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli_study import add, ok, ops_file
from tests.test_cli_study import read_csv as read_guarded
from workshop.domain.research.survey import load_instrument
from workshop.resources import scripts_dir


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows with a change read as written: the CSV guards a leading + against spreadsheet formulas with '."""
    return [{k: v.removeprefix("'") for k, v in row.items()} for row in read_guarded(path)]
ITEMS = ("frequent", "timely", "accurate", "blame", "goals", "knowledge", "respect")


def answers(frequent: int, blame: int, goals: int, rest: int) -> dict[str, int]:
    given = dict.fromkeys(ITEMS, rest)
    return given | {"frequent": frequent, "blame": blame, "goals": goals}


@pytest.fixture
def measured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "rc-study"
    ok(capsys, "study", "new", folder, "--title", "RC study", "--as", "Anna Virtanen")
    ok(capsys, "study", "add", folder, "--kind", "modeling", "--intervention", "1", "--date", "2026-03-10")
    instrument = load_instrument(scripts_dir() / "instruments" / "relational-coordination.yaml").model_dump(mode="json")
    orgs = {"org-a": "Customer group A", "org-it": "IT provider", "org-p": "Partner"}
    ops = [add("organization", id=oid, name=name) for oid, name in orgs.items()]
    ops += [
        add("model", id="m-1", name="Contact processing", state="current"),
        add("lane", id="lane-a", model_id="m-1", organization_id="org-a"),
        add("lane", id="lane-it", model_id="m-1", organization_id="org-it", index=1),
        add("node", id="n-1", model_id="m-1", label="Send <request>", lane_id="lane-a"),
        add("node", id="n-2", model_id="m-1", label="Register case", lane_id="lane-it"),
        add("node", id="n-3", model_id="m-1", label="Solve case", lane_id="lane-it"),
        add("flow", id="f-handoff", model_id="m-1", source_id="n-1", target_id="n-2"),
        add("flow", id="f-inside", model_id="m-1", source_id="n-2", target_id="n-3"),
        add("survey_round", id="rc-before", label="Before", phase="before", instrument=instrument),
    ]
    ops += [add("survey_response", id=f"b-a{n}", round_id="rc-before", organization_id="org-a", about_org_id="org-it",
                answers=answers(2, 4, 2, 2)) for n in range(3)]  # fmt: skip
    ops += [add("survey_response", id=f"b-it{n}", round_id="rc-before", organization_id="org-it",
                about_org_id="org-a", answers=answers(3, 3, 3, 3)) for n in range(3)]  # fmt: skip
    ops += [add("survey_response", id=f"b-p{n}", round_id="rc-before", organization_id="org-p", about_org_id="org-it",
                answers=answers(1, 5, 1, 1)) for n in range(2)]  # fmt: skip
    ok(capsys, "study", "apply", folder, "s01", ops_file(tmp_path, "before", ops))
    ok(capsys, "study", "add", folder, "--kind", "follow-up-interview", "--intervention", "3", "--from", "s01",
       "--date", "2027-02-01")  # fmt: skip
    after = [add("survey_round", id="rc-after", label="After", phase="after", instrument=instrument)]
    after += [add("survey_response", id=f"a-a{n}", round_id="rc-after", organization_id="org-a",
                  about_org_id="org-it", answers=answers(4, 2, 3, 4)) for n in range(4)]  # fmt: skip
    after += [add("survey_response", id=f"a-it{n}", round_id="rc-after", organization_id="org-it",
                  about_org_id="org-a", answers=answers(4, 2, 4, 4)) for n in range(3)]  # fmt: skip
    ok(capsys, "study", "apply", folder, "s02", ops_file(tmp_path, "after", after))
    return folder


def test_change_per_dimension_for_each_pair_and_the_whole_study(
    measured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "study", "export", measured, "--format", "survey_change_dimensions", "-o", tmp_path / "d.csv")
    rows = {(r["organization"], r["about"], r["dimension"]): r for r in read_csv(tmp_path / "d.csv")}
    a_it = rows[("Customer group A", "IT provider", "frequent communication")]
    assert (a_it["before"], a_it["after"], a_it["change"]) == ("2.00", "4.00", "+2.00")
    assert (a_it["before measured"], a_it["after measured"]) == ("s01 Before (n=3)", "s02 After (n=4)")
    blame = rows[("Customer group A", "IT provider", "problem solving communication")]
    assert blame["change"] == "+2.00", "the blame item is reverse-scored: less blame is a stronger tie"
    assert rows[("Customer group A", "IT provider", "shared goals")]["change"] == "+1.00"
    assert rows[("Customer group A", "IT provider", "overall")]["after"] == "3.86"
    partner = rows[("Partner", "IT provider", "frequent communication")]
    assert (partner["before"], partner["after"], partner["change"]) == ("too few answers", "", "")
    whole = rows[("the study as a whole", "", "frequent communication")]
    # the shown cells pooled (2.0 n=3 and 3.0 n=3; after 4.0 n=4 and 4.0 n=3): the partners' withheld 1s stay out
    assert (whole["before"], whole["before measured"], whole["after"], whole["change"]) == (
        "2.50",
        "s01 Before (n=6)",
        "4.00",
        "+1.50",
    )
    dimensions = [r["dimension"] for r in read_csv(tmp_path / "d.csv") if r["organization"] == "the study as a whole"]
    assert dimensions == [
        "frequent communication",
        "timely communication",
        "accurate communication",
        "problem solving communication",
        "shared goals",
        "shared knowledge",
        "mutual respect",
        "overall",
    ]


def test_change_per_handoff_named_by_its_steps(
    measured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "study", "export", measured, "--format", "survey_change_handoffs", "-o", tmp_path / "h.csv")
    (row,) = read_csv(tmp_path / "h.csv")  # the flow inside the IT provider's lane hands nothing over
    assert row == {
        "model": "Contact processing",
        "handoff": "Send <request> → Register case",
        "from organization": "Customer group A",
        "to organization": "IT provider",
        "before": "2.50",
        "before measured": "s01 Before (n=6)",
        "after": "3.93",
        "after measured": "s02 After (n=7)",
        "change": "+1.43",
    }


def test_the_change_tables_are_in_csv_json_and_the_pdf(
    measured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "study", "export", measured, "--format", "csv", "-o", tmp_path / "tables")
    assert {"survey_change_dimensions.csv", "survey_change_handoffs.csv"} <= {
        p.name for p in (tmp_path / "tables").iterdir()
    }
    ok(capsys, "study", "export", measured, "--format", "json", "-o", tmp_path / "study.json")
    tables = json.loads((tmp_path / "study.json").read_text(encoding="utf-8"))["tables"]
    assert tables["survey_change_handoffs"][0]["change"] == "+1.43"
    assert any(r["dimension"] == "shared goals" for r in tables["survey_change_dimensions"])
    ok(capsys, "study", "export", measured, "--format", "pdf", "-o", tmp_path / "study.pdf")
    assert (tmp_path / "study.pdf").read_bytes().startswith(b"%PDF")
    from workshop.interchange.study_report import SECTIONS

    headings = [heading for heading, _, _ in SECTIONS]
    assert "Relational coordination: change per dimension" in headings
    assert "Relational coordination: change per handoff" in headings
