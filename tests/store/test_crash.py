"""Kill a writer with SIGKILL at random moments: every operation it acknowledged is in the file."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.store.test_workshop_file import _filled
from workshop.store.sessions import open_document

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize("run", range(4))
def test_sigkill_loses_no_acknowledged_operation(tmp_path: Path, run: int) -> None:
    path = tmp_path / "s.workshop"
    _filled(path)
    child = subprocess.Popen(
        # -m from the checkout's root: the child runs this checkout's code, not whatever is installed
        [sys.executable, "-m", "tests.store.crash_writer", str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first.startswith("acked"), first
    time.sleep(random.Random(run).uniform(0.05, 0.4))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    acked = [int(line.split()[1]) for line in [first, *child.stdout.read().splitlines()] if line.startswith("acked")]
    assert len(acked) > 1

    document, file = open_document(path)
    stored = {record.seq for record in file.records()}
    assert set(acked) <= stored
    last = max(acked)
    assert document.session.nodes["a"].label in {f"move {last - 12}", f"move {last - 11}"}
    file.close()
