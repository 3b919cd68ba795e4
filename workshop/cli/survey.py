"""``workshop survey-results`` and ``workshop check-instrument``: relational coordination from the command line."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from workshop.cli import UserError
from workshop.cli.shared import add_file, add_report_input, read_session

if TYPE_CHECKING:  # the modules below load when a command runs, not for `workshop --help`
    from workshop.domain.model.session import Session
    from workshop.domain.research.survey import Cell


def register(subparsers: Any) -> None:
    results = subparsers.add_parser(
        "survey-results",
        help="relational coordination scores per pair of organizations, and the change between rounds",
    )
    add_report_input(results)
    results.add_argument(
        "--threshold",
        type=int,
        default=None,
        help="fewest respondents a cell needs to be shown (default: the threshold every output uses)",
    )
    results.set_defaults(func=_survey_results)

    check = subparsers.add_parser("check-instrument", help="validate a survey instrument file")
    add_file(check)
    check.set_defaults(func=_check_instrument)


def _cell_json(cell: Cell | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    return {"respondents": cell.respondents, "mean": cell.mean, "suppressed": cell.suppressed}


def _name(session: Session, org_id: str) -> str:
    org = session.organizations.get(org_id)
    return org.name if org else org_id


def results_json(session: Session, threshold: int) -> dict[str, Any]:
    """The survey results of a session as plain data (also used by exports)."""
    from workshop.domain.research.survey import compare_rounds, rounds_in_order, score_round

    rounds = rounds_in_order(session)
    out: dict[str, Any] = {"threshold": threshold, "rounds": [], "changes": []}
    for survey in rounds:
        out["rounds"].append(
            {
                "id": survey.id,
                "label": survey.label,
                "phase": survey.phase,
                "cells": [
                    {"from": c.from_org, "about": c.about_org, "dimension": c.dimension, **(_cell_json(c) or {})}
                    for c in score_round(session, survey.id, threshold=threshold)
                ],
            }
        )
    if len(rounds) >= 2:
        first, last = rounds[0], rounds[-1]
        out["changes"] = [
            {
                "before_round": first.id,
                "after_round": last.id,
                "from": ch.from_org,
                "about": ch.about_org,
                "dimension": ch.dimension,
                "before": _cell_json(ch.before),
                "after": _cell_json(ch.after),
                "difference": ch.difference,
            }
            for ch in compare_rounds(session, first.id, last.id, threshold=threshold)
        ]
    return out


def _survey_results(args: argparse.Namespace) -> int:
    from workshop.domain.research.survey import DEFAULT_THRESHOLD, OVERALL, Cell, describe_cell

    threshold: int = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if threshold < 1:
        raise UserError("--threshold must be at least 1")
    session = read_session(args.file)
    data = results_json(session, threshold)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not data["rounds"]:
        print("No survey rounds in this session.")
        return 0
    for survey in data["rounds"]:
        print(f"{survey['label']} ({survey['phase']}), overall tie as each organization sees it:")
        for cell in survey["cells"]:
            if cell["dimension"] != OVERALL:
                continue
            shown = Cell(cell["from"], cell["about"], OVERALL, cell["respondents"], cell["mean"])
            print(f"  {_name(session, cell['from'])} -> {_name(session, cell['about'])}: {describe_cell(shown)}")
    if data["changes"]:
        print("Change, first to last round (overall):")
        for change in data["changes"]:
            if change["dimension"] != OVERALL:
                continue
            diff = change["difference"]
            text = "not comparable (too few answers)" if diff is None else f"{diff:+.2f}"
            print(f"  {_name(session, change['from'])} -> {_name(session, change['about'])}: {text}")
    return 0


def _check_instrument(args: argparse.Namespace) -> int:
    from workshop.domain.model.yaml_source import SourceError
    from workshop.domain.research.survey import load_instrument

    try:
        instrument = load_instrument(args.file)
    except SourceError as error:
        raise UserError(str(error)) from None
    dims = sorted({item.dimension for item in instrument.items})
    print(f"OK: {instrument.title} — {len(instrument.items)} items on {len(dims)} dimensions")
    return 0
