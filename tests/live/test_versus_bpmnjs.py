"""benchmarks.versus_bpmnjs drives bpmn-js's Modeler in real headless Chromium and reports in its JSON shape.

Chromium and the npm packages are test dependencies (scripts/install-test-deps.sh):
when they are missing the benchmark fails, and so does this test — it does not skip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


def run_benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "benchmarks.versus_bpmnjs", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_bpmnjs_side_opens_the_generated_file_and_reports_times() -> None:
    done = run_benchmark("--sizes", "100", "--runs", "1", "--side", "bpmn-js")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (
        report["bpmn_js_version"] == json.loads((ROOT / "tests/js/package.json").read_text())["dependencies"]["bpmn-js"]
    )
    assert report["window"] == [1920, 1080]
    assert len(report["load_average"]) == 3
    (size,) = report["sizes"]
    assert size["tasks"] == 100
    times = size["bpmn_js_ms"]
    assert 0 < times["min"] <= times["median"] <= times["max"]
    assert len(times["runs"]) == 1
    # 101 shapes, 114 flows, 8 pools, the collaboration and its message flows: all drawn
    assert size["bpmn_js_elements"] > 215
    assert "ours_ms" not in size
    assert "ratio" not in size


def test_a_missing_chromium_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    done = run_benchmark("--sizes", "100", "--runs", "1", "--chromium", str(tmp_path / "no-chromium"))
    assert done.returncode == 2
    assert "Chromium not found" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
