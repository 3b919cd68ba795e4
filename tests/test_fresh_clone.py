"""A fresh clone runs its own tests: the README's commands are CI's, and no test can hang or skip by accident.

These run a small inner pytest in a subprocess with this suite's own
configuration (conftest and pyproject), so they check the guards a real run
has, not a copy of them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / ".ci" / "run"


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Start")
    blocks = re.findall(r"```sh\n(.*?)```", text[start:], flags=re.DOTALL)
    return [line.strip() for block in blocks[:2] for line in block.strip().splitlines()]


def test_ci_runs_the_readme_test_command_in_a_clean_copy() -> None:
    install, tests = _readme_commands()
    assert install == "pip install . && workshop models/contact-processing.json"
    assert tests == "./scripts/install-test-deps.sh && python -m pytest"
    ci_lines = [line.strip() for line in CI.read_text(encoding="utf-8").splitlines()]
    assert tests in ci_lines, ".ci/run must run the README's test command as written"
    before_tests = "\n".join(ci_lines[: ci_lines.index(tests)])
    assert "mktemp -d" in before_tests, "CI tests a copy with nothing beside it"
    assert 'cd "$clone"' in before_tests
    for tool in ("ruff check .", "mypy", "lint-imports"):
        assert tool in ci_lines
    assert (ROOT / "models" / "contact-processing.json").is_file(), "the README's first command opens this file"
    assert 'workshop = "workshop.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_nothing_in_the_repository_reaches_outside_it() -> None:
    """A user who clones the repository has nothing beside it: no file may point at a folder beside it."""
    skip = {".git", "node_modules", "data", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build"}
    tracked = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*")
        if path.is_file() and not skip.intersection(path.relative_to(ROOT).parts[:-1])
    ]
    outside = re.compile(r"\.\./" + "shared" + r"|['\"]" + "shared" + r"['\"]\s*/")
    offenders = []
    for name in tracked:
        path = ROOT / name
        if name.startswith("tests/data/") or path.suffix not in {".py", ".md", ".toml", ".sh", ".js", ".yaml", ""}:
            continue
        if path.is_file() and outside.search(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(name)
    assert offenders == []


def test_test_data_carries_its_source_and_licence() -> None:
    data = ROOT / "tests" / "data"
    for folder in ("bpmn-miwg", "bpmn-xsd", "refi-qda"):
        readme = (data / folder / "README.md").read_text(encoding="utf-8")
        assert "licen" in readme.lower(), folder
    assert len(list((data / "bpmn-miwg").rglob("*.bpmn"))) >= 60


def _inner_pytest(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``source`` as a test module under this suite's conftest and configuration."""
    inner = tmp_path / "inner"
    (inner / "tests").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "conftest.py", inner / "tests" / "conftest.py")
    shutil.copy(ROOT / "pyproject.toml", inner / "pyproject.toml")
    (inner / "tests" / "test_inner.py").write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=inner,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


@pytest.mark.slow
def test_an_unexpected_message_box_fails_at_once_naming_its_text(tmp_path: Path) -> None:
    result = _inner_pytest(
        tmp_path,
        "from PySide6.QtWidgets import QMessageBox\n"
        "def test_warns(qtbot):\n"
        "    QMessageBox.warning(None, 'Cannot open', 'The file was not found: C.1.0.bpmn')\n",
    )
    assert result.returncode == 1, result.stdout
    assert "The file was not found: C.1.0.bpmn" in result.stdout
    assert "passed" not in result.stdout.splitlines()[-1]


@pytest.mark.slow
def test_an_unanswered_exec_dialog_is_closed_and_fails_the_test(tmp_path: Path) -> None:
    result = _inner_pytest(
        tmp_path,
        "from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QFileDialog\n"
        "def test_dialog(qtbot):\n"
        "    dialog = QDialog()\n"
        "    dialog.setWindowTitle('Set owner')\n"
        "    QVBoxLayout(dialog).addWidget(QLabel('Who owns this step?'))\n"
        "    dialog.exec()\n"
        "def test_file_dialog(qtbot):\n"
        "    QFileDialog.getOpenFileName(None, 'Open session')\n",
    )
    assert result.returncode == 1, result.stdout
    assert "Who owns this step?" in result.stdout
    assert "Open session" in result.stdout
    reported = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert any("test_dialog" in line for line in reported), result.stdout
    assert any("test_file_dialog" in line for line in reported), result.stdout


@pytest.mark.slow
def test_a_hanging_test_fails_within_the_limit_with_its_stack(tmp_path: Path) -> None:
    result = _inner_pytest(
        tmp_path,
        "import time\ndef test_hangs():\n    while True:\n        time.sleep(0.1)\n",
        "--timeout=2",
    )
    assert result.returncode != 0
    assert "Timeout" in result.stdout + result.stderr
    assert "test_hangs" in result.stdout + result.stderr, "the stack names where it hung"


@pytest.mark.slow
def test_a_missing_parameter_set_fails_instead_of_skipping(tmp_path: Path) -> None:
    result = _inner_pytest(
        tmp_path,
        "import pytest\n@pytest.mark.parametrize('path', [])\ndef test_each(path):\n    pass\n",
    )
    assert result.returncode != 0, result.stdout
    assert "empty parameter set" in result.stdout.lower() or "fail_at_collect" in result.stdout


def test_no_merge_conflict_markers_are_left_in_the_repository() -> None:
    skip = {".git", "node_modules", "data", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build"}
    marker = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)
    left = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".md", ".toml", ".yaml", ".js", ".css", ".html", ".sh", ".json"}
        and not skip.intersection(path.relative_to(ROOT).parts[:-1])
        and marker.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert left == []


def test_every_package_of_the_code_is_installed() -> None:
    """``pip install .`` installs only the packages pyproject lists: a new sub-package left out breaks the command."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "workshop").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set()
