"""Where the app remembers the user's choices (theme, recent files).

``$WORKSHOP_CONFIG_DIR`` redirects settings to a folder of its own: tests
set it so they never read or change a user's real settings.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

RECENT_LIMIT = 8


def app_settings() -> QSettings:
    folder = os.environ.get("WORKSHOP_CONFIG_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        return QSettings(os.path.join(folder, "settings.ini"), QSettings.Format.IniFormat)
    return QSettings("ProcessWorkshop", "Process Workshop")


def recent_files() -> list[str]:
    value = app_settings().value("recent_files", [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def remember_file(path: str) -> None:
    files = [path, *(f for f in recent_files() if f != path)][:RECENT_LIMIT]
    app_settings().setValue("recent_files", files)


def participation_host() -> str | None:
    """The network address last chosen for participants (so the room's address stays the same)."""
    value = app_settings().value("participation/host")
    return str(value) if value else None


def remember_participation_host(host: str) -> None:
    app_settings().setValue("participation/host", host)


def participation_secrets(session_id: str) -> str | None:
    """A session's join code, token key, port and removals, kept between openings (not in the record)."""
    value = app_settings().value(f"participation-secrets/{session_id}")
    return str(value) if value else None


def remember_participation_secrets(session_id: str, text: str) -> None:
    app_settings().setValue(f"participation-secrets/{session_id}", text)


def desktop_person() -> tuple[str, str] | None:
    """The name and role (facilitator or researcher) of the person working this app, if they gave one."""
    settings = app_settings()
    name = settings.value("people/name")
    if not name:
        return None
    return str(name), str(settings.value("people/role") or "facilitator")


def remember_desktop_person(name: str, role: str) -> None:
    settings = app_settings()
    settings.setValue("people/name", name)
    settings.setValue("people/role", role)


def recent_studies() -> list[str]:
    """Study folders opened lately, the latest first (kept apart from session files: they open differently)."""
    value = app_settings().value("recent_studies", [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def remember_study(folder: str) -> None:
    folders = [folder, *(f for f in recent_studies() if f != folder)][:RECENT_LIMIT]
    app_settings().setValue("recent_studies", folders)
