"""Test configuration shared by every test.

Qt must know its platform before any QApplication exists: offscreen by
default, so the suite runs without a display; ``setdefault`` lets a run
under Xvfb choose xcb instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real settings and recent files out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKSHOP_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(home / "data"))


@pytest.fixture
def corpus() -> Path:
    """The shared test data written by others (BPMN MIWG models, XSDs)."""
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}")
    return CORPUS
