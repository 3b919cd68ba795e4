"""The participant page's script parses: a syntax error would leave every phone on a blank page."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from workshop.resources import assets_dir


def test_the_participant_script_is_valid_javascript() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for this check (the test dependencies install it)")
    result = subprocess.run(
        [node, "--check", str(assets_dir() / "participant" / "participant.js")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
