"""Where the files shipped with the app live: assets, example models, facilitation scripts.

They sit at the repository root (so they diff and read well) and are
installed as the packages ``workshop.assets``, ``workshop.models`` and
``workshop.facilitation_scripts`` (see pyproject.toml), so the same lookup
works from a checkout, an editable install and a wheel.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def _folder(name: str) -> Path:
    """The folder at the checkout's root, else the installed package ``workshop.<name>``.

    The installed folders are namespace packages (data only, no __init__.py),
    so their location comes from the import spec, not from a resource reader.
    """
    checkout = _CHECKOUT_ROOT / name
    if checkout.is_dir() and (_CHECKOUT_ROOT / "pyproject.toml").is_file():
        return checkout
    spec = find_spec(f"workshop.{name}")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the installation lacks workshop/{name}; reinstall Process Workshop")
    return Path(next(iter(spec.submodule_search_locations)))


def assets_dir() -> Path:
    return _folder("assets")


def models_dir() -> Path:
    return _folder("models")


def scripts_dir() -> Path:
    return _folder("facilitation_scripts")


def example_session_path() -> Path:
    """The bundled example: the contact-processing case, current state."""
    return models_dir() / "contact-processing.json"
