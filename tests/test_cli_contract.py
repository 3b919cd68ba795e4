"""``workshop contract``: a line negotiated from the command line, each move under the name at the keyboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.domain.builders import two_org_ops
from workshop.cli import main
from workshop.domain.model.session import new_session
from workshop.store.sessions import create_document, read_record


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    path = tmp_path / "s04-modeling.workshop"
    document, workshop_file = create_document(path, new_session("Order handling"))
    for op in two_org_ops():
        document.apply(op)
    workshop_file.close(document.session, document.last_seq)
    return path


def test_request_counter_revise_agree_and_show(session_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "contract", "request", session_file, "--requester", "customer group a",
                           "--asked", "IT provider", "--what", "Case status every hour", "--handoff", "f2",
                           "--as", "Anna Virtanen")  # fmt: skip
    assert status == 0, err
    line = out.split(":")[0]
    assert out.strip().endswith("requested: Case status every hour")
    for args in (
        ("answer", session_file, line, "counter", "--offer", "Case status each morning", "--note", "no night shift"),
        ("revise", session_file, line, "--what", "Case status at 9 and 13"),
        ("answer", session_file, line, "can-do"),
        ("agree", session_file, line, "--by-when", "2026-07-01"),
    ):
        status, out, err = run(capsys, "contract", *args, "--as", "Ben Ortiz")
        assert status == 0, err
    assert out.strip() == f"{line}: agreed: Case status at 9 and 13"

    status, out, _ = run(capsys, "contract", "show", session_file, "--json")
    (shown,) = json.loads(out)
    assert (shown["requester"], shown["asked"], shown["handoff"], shown["state"]) == (
        "Customer group A",
        "IT provider",
        "Register → Process",  # the handoff by the steps it joins, never its id
        "agreed",
    )
    assert [step["state"] for step in shown["history"]] == [
        "requested", "counter-proposal", "requested", "can do", "agreed",
    ]  # fmt: skip
    assert [step["by"] for step in shown["history"]][:2] == ["Anna Virtanen", "Ben Ortiz"]
    assert read_record(session_file).records[-1].actor == "Ben Ortiz"
    status, out, _ = run(capsys, "contract", "show", session_file)
    assert "Customer group A asks IT provider (handoff: Register → Process) — agreed: Case status at 9 and 13" in out


def test_a_move_that_does_not_fit_is_one_line_and_changes_nothing(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(read_record(session_file).records)
    status, _, err = run(capsys, "contract", "request", session_file, "--requester", "org-a", "--asked", "org-it",
                         "--what", "x", "--handoff", "f1")  # fmt: skip
    assert status == 1
    assert err.strip() == "workshop: flow f1 is not a handoff between the two organizations"
    status, _, err = run(capsys, "contract", "agree", session_file, "nope")
    assert status == 1
    assert "no contract line 'nope'" in err
    status, _, err = run(capsys, "contract", "request", session_file, "--requester", "Partner", "--asked", "org-it",
                         "--what", "x")  # fmt: skip
    assert "'Partner' is not an organization" in err
    assert len(read_record(session_file).records) == before


def test_each_side_agrees_and_the_organizations_commit_together(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "contract", "request", session_file, "--requester", "Customer group A",
                           "--asked", "IT provider", "--what", "Case status each morning",
                           "--as", "Anna Virtanen")  # fmt: skip
    assert status == 0, err
    line = out.split(":")[0]
    assert run(capsys, "contract", "answer", session_file, line, "can-do", "--as", "Ben Ortiz")[0] == 0
    status, out, _ = run(capsys, "contract", "agree", session_file, line, "--org", "IT provider", "--as", "Ben Ortiz")
    assert out.strip() == f"{line}: can do: Case status each morning", "one side alone has not agreed"
    status, out, err = run(capsys, "contract", "commit", session_file, "--as", "Anna Virtanen")
    assert status == 1
    assert "no contract line is agreed yet" in err
    status, out, _ = run(capsys, "contract", "agree", session_file, line, "--org", "customer group a")
    assert out.strip() == f"{line}: agreed: Case status each morning"
    status, out, err = run(capsys, "contract", "commit", session_file, "--note", "Reviewed <together>",
                           "--as", "Anna Virtanen")  # fmt: skip
    assert status == 0, err
    assert out.strip() == "Customer group A, IT provider commit together to 1 agreed line(s)"
    status, out, _ = run(capsys, "contract", "show", session_file, "--json")
    (shown,) = json.loads(out)
    assert shown["agreed_by"] == ["Customer group A", "IT provider"]
    assert shown["committed_jointly_by"] == [["Customer group A", "IT provider"]]
    assert [step["agreed_by"] for step in shown["history"]][-2:] == [
        ["IT provider"],
        ["Customer group A", "IT provider"],
    ]
    status, out, _ = run(capsys, "contract", "show", session_file)
    assert "agreed by Customer group A and IT provider" in out
    assert "committed to jointly by Customer group A, IT provider" in out
    status, _, err = run(capsys, "contract", "agree", session_file, line, "--org", "Nobody Inc")
    assert status == 1
    assert "Traceback" not in err
