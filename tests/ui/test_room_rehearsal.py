"""The whole built-in script on another tool's model with pools, as the room sees it at a laptop's size.

The rehearsal (``workshop.ui.rehearsal``, also ``tools/rehearse_workshop.py``) enters every step with
*Next step* in Run mode with the projector on and does each step's work at the console. In every step:
the projector shows the countdown, the step's results when it has them (dots, agreement per
organization: counts only), the walkthrough overlay only in a walkthrough step, and the model filling
the free area; every control of the console and of the step's tool is fully visible at 1366 × 768.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import TEST_DATA
from workshop.ui.rehearsal import MIN_CLOCK_PX, MIN_MODEL_FILL, rehearse


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_step_of_the_script_on_a_pooled_model(qtbot: QtBot, tmp_path: Path, size: tuple[int, int]) -> None:
    checks = rehearse(TEST_DATA / "bpmn-miwg" / "reference" / "C.1.0.bpmn", tmp_path, size=size, phones=0)
    assert len(checks) == 15, "every step of the method's script"
    for check in checks:
        where = f"{check.step} at {size}"
        assert check.countdown_shown, f"{where}: countdown on the projector ({check.countdown_text!r})"
        assert check.countdown_px >= MIN_CLOCK_PX, where
        assert check.results_shown == check.results_expected, f"{where}: results {check.results_text!r}"
        assert check.overlay_shown == check.walkthrough_step, f"{where}: walkthrough overlay"
        assert check.controls_not_visible == [], where
        assert check.model_fill >= MIN_MODEL_FILL, where
        assert (tmp_path / check.screenshots[0]).exists()
    vote = next(c for c in checks if c.tool == "vote")
    assert "Say it once" in vote.results_text or "Nobody knows" in vote.results_text
    for line in vote.results_text.splitlines()[1:]:
        if line.startswith("●"):
            assert int(line.split()[1]) <= 3 * 2, "each organization voting together has the step's 3 dots"
