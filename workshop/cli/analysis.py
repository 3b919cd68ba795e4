"""``workshop analyse``: model health from the command line (the same findings as the Health panel)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from workshop.cli import UserError
from workshop.cli.shared import add_file, add_json, read_session

if TYPE_CHECKING:
    from workshop.domain.model.analysis import Health
    from workshop.domain.model.session import Session


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("analyse", aliases=["analyze"], help="model health: handoffs, gaps, loops, owners")
    add_file(parser, "a .workshop session or a .json example")
    parser.add_argument("--model", help="model id (default: every model)")
    add_json(parser)
    parser.set_defaults(func=_analyse)


def health_json(session: Session, health: Health) -> dict[str, Any]:
    from workshop.domain.model.analysis import HEALTH_CHECKS

    name = {o.id: o.name for o in session.organizations.values()}
    return {
        "model": health.model_id,
        "model_name": session.models[health.model_id].name,
        "handoffs": [
            {"from": name.get(a, a), "to": name.get(b, b), "count": n} for (a, b), n in sorted(health.handoffs.items())
        ],
        "longest_handoff_chain": {"flows": health.longest_handoff_chain, "handoffs": health.longest_handoff_count},
        "findings": [
            {
                "rule": f.rule,
                "heading": HEALTH_CHECKS[f.rule],
                "message": f.message,
                "kind": f.kind,
                "ids": list(f.element_ids),
            }
            for f in health.findings
        ],
    }


def _analyse(args: argparse.Namespace) -> int:
    from workshop.domain.model.analysis import analyse  # networkx: loaded only when the command runs

    session = read_session(args.file)
    if args.model and args.model not in session.models:
        raise UserError(f"no model {args.model!r}; models: {', '.join(session.models)}")
    models = [args.model] if args.model else sorted(session.models, key=lambda m: session.models[m].index)
    results = [health_json(session, analyse(session, m)) for m in models]
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    for result in results:
        print(f"{result['model_name']}")
        print("  handoffs:")
        for row in result["handoffs"]:
            print(f"    {row['from']} → {row['to']}: {row['count']}")
        chain = result["longest_handoff_chain"]
        print(f"  longest chain from start to end crosses organizations {chain['handoffs']} time(s)")
        heading = None
        for finding in result["findings"]:
            if finding["heading"] != heading:
                heading = finding["heading"]
                print(f"  {heading}:")
            print(f"    - {finding['message']}")
    return 0
