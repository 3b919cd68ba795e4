"""``workshop --help`` (and building the parser, which every run does) loads none of the heavy libraries.

Each subcommand module imports what it needs inside its handlers, and choice
lists come through :class:`workshop.cli.LazyChoices`; a module-level import
added to a subcommand module would load reportlab, networkx, aiohttp or Qt for
every run of the command, the GUI included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("reportlab", "networkx", "aiohttp", "PySide6", "pydantic", "yaml", "sqlite3")


def test_building_the_parser_imports_no_heavy_library() -> None:
    probe = (
        "import json, sys\n"
        "from workshop.cli import build_parser\n"
        "build_parser()\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    loaded = set(json.loads(done.stdout))
    assert loaded.intersection(HEAVY) == set()


def test_lazy_choices_still_refuse_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    from workshop.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["export", "x.workshop", "--format", "nope", "-o", "y"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nope'" in err
    assert "'pdf'" in err
