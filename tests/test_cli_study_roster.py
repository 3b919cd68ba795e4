"""The study roster: a person is one person across the study, followed through interviews and workshops.

Built on the study of :mod:`tests.test_cli_study` with ``workshop study person|organization|attend|roster``:
organizations get their type, people their organization and role; attendance marked on the roster, the
interviewees named with ``--person`` and a sitting's own participants all count for the same person.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli_study import ok, read_csv, refused, study  # noqa: F401 - study is the fixture


def test_a_person_is_followed_through_interviews_and_workshops(
    study: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert ok(capsys, "study", "organization", study, "Customer group A", "--type", "customer").strip() == (
        "Customer group A: customer"
    )
    ok(capsys, "study", "organization", study, "IT provider", "--type", "it_provider")
    ok(capsys, "study", "person", study, "Mia  Koski", "--organization", "IT provider", "--role", "service desk")
    ok(capsys, "study", "person", study, "Customer group A 0", "--role", "clerk")
    out = ok(capsys, "study", "attend", study, "s03", "Mia Koski", "Päivi Mäkinen", "--organization",
             "Customer group A")  # fmt: skip
    assert out.strip().splitlines() == [
        "s03: 2 attended (Mia Koski, Päivi Mäkinen marked)",
        "s03: Mia Koski, Päivi Mäkinen added to the sitting's participants",
    ]
    roster = json.loads(ok(capsys, "study", "roster", study, "--json"))
    people = {p["name"]: p for p in roster["people"]}
    mia = people["Mia Koski"]
    assert (mia["organization"], mia["organization_type"]) == ("IT provider", "IT provider")
    assert mia["role"] == "service desk"
    assert mia["sittings"] == ["s01", "s03", "s05"], "interviewed twice and at the simulation: one person"
    assert people["Päivi Mäkinen"]["organization_type"] == "customer"
    participant = people["Customer group A 0"]  # a participant of s02's own, named on the roster
    assert (participant["sittings"], participant["role"], participant["organization_type"]) == (
        ["s02"],
        "clerk",
        "customer",
    )
    assert people["Eva Lind"]["sittings"] == ["s10", "s09"], "in the order the sittings happened"
    assert {"name": "Customer group A", "type": "customer"} in roster["organizations"]
    printed = ok(capsys, "study", "roster", study)
    assert "Mia Koski: IT provider (IT provider), service desk; attended s01, s03, s05" in printed
    assert ok(capsys, "study", "attend", study, "s08", "--same-as", "s03").strip().splitlines()[0] == (
        "s08: 2 attended (Mia Koski, Päivi Mäkinen marked)"
    ), "the attendance carried into a later sitting"
    ok(capsys, "study", "export", study, "--format", "roster", "-o", tmp_path / "roster.csv")
    rows = {row["person"]: row for row in read_csv(tmp_path / "roster.csv")}
    assert rows["Mia Koski"]["sittings attended"] == "s01, s03, s05, s08"
    assert rows["Mia Koski"]["organization type"] == "IT provider"


def test_bad_roster_input_is_one_clear_line(study: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert "unknown organization type 'bank'" in refused(
        capsys, "study", "organization", study, "IT provider", "--type", "bank"
    )
    assert "no sitting 's99'" in refused(capsys, "study", "attend", study, "s99", "Mia Koski")
    assert "name the person" in refused(capsys, "study", "person", study, "   ")
    assert "name the people who attended" in refused(capsys, "study", "attend", study, "s03")


def test_people_who_attend_become_participants_of_the_sittings_own_record(
    study: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    from workshop.store.sessions import read_record
    from workshop.store.study_folder import load_study

    ok(capsys, "study", "organization", study, "Audit office", "--type", "partner")
    ok(capsys, "study", "person", study, "Mia Koski", "--organization", "IT provider", "--role", "service desk")
    ok(capsys, "study", "person", study, "Olli Aho", "--organization", "Audit office")
    ok(capsys, "study", "person", study, "Nobody Known")
    out = ok(capsys, "study", "attend", study, "s03", "Mia Koski", "Olli Aho", "Nobody Known",
             "Customer group A 0", "--as", "Ben Ortiz")  # fmt: skip
    assert "s03: Mia Koski, Olli Aho added to the sitting's participants" in out
    assert "Nobody Known not added to the sitting's participants: no organization on the roster" in out
    record = read_record(study / load_study(study).sitting("s03").file)
    session = record.session
    by_name = {p.name: p for p in session.participants.values()}
    mia, olli = by_name["Mia Koski"], by_name["Olli Aho"]
    assert (session.organizations[mia.organization_id].name, mia.role) == ("IT provider", "service desk")
    audit = session.organizations[olli.organization_id]
    assert (audit.name, audit.org_kind) == ("Audit office", "partner_organization"), "new, with the study's type"
    assert "Nobody Known" not in by_name
    assert [p.name for p in session.participants.values()].count("Customer group A 0") == 1, "carried: not added again"
    added = [r for r in record.records if getattr(r.op, "kind", "") in ("participant", "organization")]
    assert {r.actor for r in added} == {"Ben Ortiz"}, "through operations in the sitting's log, by --as"
    assert len(added) == 3
    again = ok(capsys, "study", "attend", study, "s03", "Mia Koski")
    assert "added to the sitting's participants" not in again
    assert len(read_record(study / load_study(study).sitting("s03").file).session.participants) == len(by_name)
