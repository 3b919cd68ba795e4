"""Shipped files are found from an installed wheel, not only from a checkout.

A wheel is built and unpacked, then a Python outside the checkout looks the
folders up: the README's first command installs exactly this layout.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECK = """
from workshop.resources import assets_dir, example_session_path, scripts_dir
assert (assets_dir() / "fonts" / "DejaVuSans.ttf").is_file(), assets_dir()
assert (assets_dir() / "participant" / "index.html").is_file()
assert (scripts_dir() / "three-interventions.yaml").is_file()
assert (scripts_dir() / "instruments" / "relational-coordination.yaml").is_file()
assert example_session_path().is_file()
print(assets_dir())
"""


@pytest.mark.slow
def test_an_installed_wheel_finds_its_shipped_folders(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r})\n{CHECK}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(str(site))
