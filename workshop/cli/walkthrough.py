"""``workshop walkthroughs`` and ``workshop whatif``: what the simulation workshop left behind, and what-if figures."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from workshop.cli import UserError
from workshop.cli.shared import add_file, add_json, add_report_input, read_session

if TYPE_CHECKING:  # the modules below load when a command runs, not for `workshop --help`
    from workshop.domain.model.session import Session
    from workshop.domain.walkthrough.whatif import WhatIf


def register(subparsers: Any) -> None:
    walks = subparsers.add_parser(
        "walkthroughs",
        help="each walkthrough: path, time per step, handoffs crossed, boundaries met, captures; paths compared",
    )
    add_report_input(walks)
    walks.set_defaults(func=_walkthroughs)

    whatif = subparsers.add_parser(
        "whatif",
        help="expected lead time, touch time and handoff waits from durations, waits and branch probabilities",
    )
    add_file(whatif, "a .workshop session (or .json)")
    whatif.add_argument("--model", help="model id (default: every model; future-state models first)")
    add_json(whatif, "machine-readable output")
    whatif.set_defaults(func=_whatif)


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "running"
    return f"{seconds / 60:.1f} min"


def _walkthroughs(args: argparse.Namespace) -> int:
    from workshop.domain.walkthrough.summary import compare_paths, summarize, summary_json
    from workshop.domain.walkthrough.walk import org_name

    session = read_session(args.file)
    ordered = sorted(session.walkthroughs.values(), key=lambda w: (w.started is None, w.started, w.id))
    summaries = [summarize(session, w.id) for w in ordered]
    comparison = compare_paths(session, [w.id for w in ordered])
    if args.json:
        data = {
            "walkthroughs": [summary_json(session, s) for s in summaries],
            "comparison": {
                "walkthroughs": list(comparison.walkthrough_ids),
                "elements": [
                    {"kind": kind, "id": element_id, "label": label, "visits": comparison.visits[(kind, element_id)]}
                    for kind, element_id, label in comparison.elements
                ],
            },
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not summaries:
        print("No walkthroughs in this session.")
        return 0
    for summary in summaries:
        w = summary.walkthrough
        print(
            f"{w.scenario or 'Walkthrough'} ({w.id}) on {summary.model_name}: {len(summary.moves)} steps, "
            f"{_minutes(summary.total_seconds)}, {summary.capture_count} captures"
        )
        for move in summary.moves:
            marks = "".join(f" [boundary {b}]" for b in move.boundary_ids)
            print(
                f"  {move.index:>3} {move.move:<8} {move.label} — {move.organization} ({_minutes(move.seconds)}){marks}"
            )
            for annotation in move.captures:
                print(f"        {annotation.annotation_kind}: {annotation.text}")
        for (a, b), count in sorted(summary.handoffs.items()):
            print(f"  handoffs {org_name(session, a)} → {org_name(session, b)}: {count}")
        longest = ", ".join(f"{s.index} {s.label} ({_minutes(s.seconds)})" for s in summary.longest())
        print(f"  most time: {longest or '—'}")
    if len(summaries) > 1:
        shared = len(comparison.shared())
        print(f"Paths compared: {shared} of {len(comparison.elements)} elements reached by every walkthrough")
        for summary in summaries:
            only = comparison.only_in(summary.walkthrough.id)
            names = ", ".join(label for _k, _i, label in only) or "—"
            print(f"  only {summary.walkthrough.scenario or summary.walkthrough.id}: {names}")
    return 0


def whatif_json(session: Session, result: WhatIf) -> dict[str, Any]:
    from workshop.domain.walkthrough.walk import org_name

    return {
        "model_id": result.model_id,
        "scenario": result.scenario,
        "lead_minutes": result.lead_minutes,
        "touch_minutes": result.touch_minutes,
        "wait_minutes": result.wait_minutes,
        "organizations": [
            {
                "id": o.organization_id,
                "name": o.name,
                "touch_minutes": o.touch_minutes,
                "wait_minutes": o.wait_minutes,
                "lead_minutes": o.lead_minutes,
            }
            for o in result.organizations
        ],
        "handoffs": [
            {
                "flow_id": h.flow_id,
                "from": h.from_org,
                "to": h.to_org,
                "from_name": org_name(session, h.from_org),
                "to_name": org_name(session, h.to_org),
                "crossings": h.crossings,
                "wait_minutes": h.wait_minutes,
            }
            for h in result.handoffs
        ],
        "missing_durations": list(result.missing_durations),
    }


def _whatif(args: argparse.Namespace) -> int:
    from workshop.domain.walkthrough.walk import org_name
    from workshop.domain.walkthrough.whatif import scenarios

    session = read_session(args.file)
    if args.model is not None and args.model not in session.models:
        known = ", ".join(sorted(session.models)) or "none"
        raise UserError(f"{args.file}: no model {args.model!r} (models: {known})")
    models = (
        [args.model]
        if args.model
        else [m.id for m in sorted(session.models.values(), key=lambda m: (m.state != "future", m.index, m.id))]
    )
    results: list[WhatIf] = []
    problems: list[str] = []
    for model_id in models:
        found, refused = scenarios(session, model_id)
        results += found
        name = session.models[model_id].name
        problems += [f"{args.file}: model {name!r}, scenario {p.scenario!r}: {p.message}" for p in refused]
    if args.json:
        data = {"scenarios": [whatif_json(session, r) for r in results], "problems": problems}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 1 if problems else 0
    for result in results:
        print(f"{session.models[result.model_id].name} — {result.scenario}")
        print(
            f"  lead time {result.lead_minutes:.0f} min, touch time {result.touch_minutes:.0f} min, "
            f"waiting {result.wait_minutes:.0f} min"
        )
        for org in result.organizations:
            print(
                f"  {org.name}: lead {org.lead_minutes:.0f}, touch {org.touch_minutes:.0f}, "
                f"waiting {org.wait_minutes:.0f} min"
            )
        lost = [h for h in result.handoffs if h.wait_minutes > 0]
        for handoff in lost:
            print(
                f"  handoff {org_name(session, handoff.from_org)} → {org_name(session, handoff.to_org)} "
                f"({_flow(session, handoff.flow_id)}): {handoff.wait_minutes:.0f} min waiting, "
                f"{handoff.crossings:.2f} crossings"
            )
        if result.missing_durations:
            print(f"  no duration on: {', '.join(result.missing_durations)}")
    for problem in problems:
        print(f"workshop: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _flow(session: Session, flow_id: str) -> str:
    """A flow by its name (its label, else the steps it joins), never its id."""
    from workshop.domain.model.naming import flow_name

    flow = session.flows.get(flow_id)
    return flow_name(session, flow) if flow is not None else "a removed flow"
