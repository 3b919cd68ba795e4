"""Where new session files go when the user has not chosen a place yet.

Opening an example model or importing BPMN starts a new session; it is
written to a real file at once (in the user's data folder) so that no edit
is ever only in memory.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from platformdirs import user_data_dir


def default_data_dir() -> Path:
    """``$WORKSHOP_DATA_DIR`` if set (tests, portable installs), else the platform's user data folder."""
    configured = os.environ.get("WORKSHOP_DATA_DIR")
    folder = Path(configured) if configured else Path(user_data_dir("process-workshop", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_session_path(title: str, folder: Path | None = None) -> Path:
    """A fresh, non-existing file name such as ``contact-processing-2026-11-22.workshop``."""
    base = folder or default_data_dir()
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48] or "session"
    stem = f"{slug}-{datetime.now().strftime('%Y-%m-%d')}"
    candidate = base / f"{stem}.workshop"
    counter = 2
    while candidate.exists():
        candidate = base / f"{stem}-{counter}.workshop"
        counter += 1
    return candidate
