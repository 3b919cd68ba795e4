"""``workshop check-script``: validate a facilitation script before the workshop day."""

from __future__ import annotations

import argparse
from typing import Any

from workshop.cli import UserError
from workshop.cli.shared import add_file


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("check-script", help="validate a facilitation script (YAML)")
    add_file(parser)
    parser.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    from workshop.domain.facilitation.script import load_script
    from workshop.domain.model.yaml_source import SourceError

    try:
        script = load_script(args.file)
    except SourceError as error:
        raise UserError(str(error)) from None
    minutes = sum(step.timebox_minutes or 0 for _, step in script.steps())
    print(
        f"OK: {script.title} — {len(script.interventions)} intervention(s), {len(script.steps())} steps, "
        f"{minutes:.0f} minutes of timeboxes"
    )
    for intervention in script.interventions:
        print(f"  {intervention.title}: {', '.join(step.title for step in intervention.steps)}")
    return 0
