"""Test configuration shared by every test.

Qt must know its platform before any QApplication exists: offscreen by
default, so the suite runs without a display; ``setdefault`` lets a run
under Xvfb choose xcb instead.

No test may wait forever. A modal dialog that nobody answers blocks an
offscreen run for good, so every way the app can open one is guarded here:
the static convenience functions (``QMessageBox.warning``,
``QFileDialog.getOpenFileName``, ``QInputDialog.getText`` …) fail the test
at once with the dialog's text, unless the test replaced them itself; a
dialog or menu opened with ``exec()`` that is still open after a short
grace period (tests that expect one answer it from a zero-delay timer) is
closed and fails the test, naming its text. pytest-timeout (see
pyproject.toml) is the last line: a hang anywhere else fails with stacks.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = ROOT / "tests" / "data"

#: How long a dialog opened with exec() may stay open before it counts as unexpected.
DIALOG_GRACE_MS = 3000


class UnexpectedDialog(AssertionError):
    """A modal dialog opened that the test did not ask for; it would block an offscreen run."""


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real settings and recent files out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKSHOP_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(home / "data"))


def _describe(widget: Any) -> str:
    """The title and visible text of a dialog, so a failure says which dialog it was."""
    from PySide6.QtWidgets import QLabel, QMessageBox

    parts = [widget.windowTitle()]
    if isinstance(widget, QMessageBox):
        parts.append(widget.text())
    else:
        parts.extend(label.text() for label in widget.findChildren(QLabel) if label.text())
    return " | ".join(p for p in parts if p) or type(widget).__name__


@pytest.fixture(autouse=True)
def _no_unanswered_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that opens a modal dialog it did not ask for, instead of hanging the suite."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import (
        QColorDialog,
        QDialog,
        QFileDialog,
        QFontDialog,
        QInputDialog,
        QMenu,
        QMessageBox,
    )

    unexpected: list[str] = []

    def refuse(owner: str, name: str) -> Callable[..., Any]:
        def opened(*args: Any, **kwargs: Any) -> Any:
            texts = [a for a in args if isinstance(a, str)] + [v for v in kwargs.values() if isinstance(v, str)]
            message = f"unexpected modal {owner}.{name}: {' | '.join(texts)}"
            unexpected.append(message)
            raise UnexpectedDialog(message)

        return opened

    static_functions = {
        QMessageBox: ("warning", "information", "critical", "question", "about", "aboutQt"),
        QFileDialog: (
            "getOpenFileName",
            "getOpenFileNames",
            "getSaveFileName",
            "getExistingDirectory",
            "getOpenFileUrl",
            "getOpenFileUrls",
            "getSaveFileUrl",
            "getExistingDirectoryUrl",
        ),
        QInputDialog: ("getText", "getItem", "getInt", "getDouble", "getMultiLineText"),
        QColorDialog: ("getColor",),
        QFontDialog: ("getFont",),
    }
    for cls, names in static_functions.items():
        for name in names:
            monkeypatch.setattr(cls, name, refuse(cls.__name__, name))

    def watched(original: Callable[..., Any], close: str) -> Callable[..., Any]:
        def exec_(self: Any, *args: Any, **kwargs: Any) -> Any:
            timer = QTimer()
            timer.setSingleShot(True)

            def expire() -> None:
                if self.isVisible():
                    unexpected.append(f"unexpected modal {type(self).__name__} left open: {_describe(self)}")
                    getattr(self, close)()

            timer.timeout.connect(expire)
            timer.start(DIALOG_GRACE_MS)
            try:
                return original(self, *args, **kwargs)
            finally:
                timer.stop()

        return exec_

    monkeypatch.setattr(QDialog, "exec", watched(QDialog.exec, "reject"))
    monkeypatch.setattr(QMessageBox, "exec", watched(QMessageBox.exec, "reject"))
    monkeypatch.setattr(QMenu, "exec", watched(QMenu.exec, "close"))
    yield
    if unexpected:
        pytest.fail("\n".join(unexpected), pytrace=False)


class _FailedViews(logging.Handler):
    """Collects what ``Document`` logs when a subscriber (a view, a panel, the server's feed) raises."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f": {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        self.failures.append(text)


@pytest.fixture(autouse=True)
def _a_raising_view_fails_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """A view that raises while following a change fails the test that made the change.

    ``Document`` keeps going when a subscriber raises (a broken view must not make a recorded change look
    failed to the person who made it), and only logs it; without this, a crashing view passed every test.
    """
    handler = _FailedViews()
    logger = logging.getLogger("workshop.domain.model.document")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.failures and request.node.get_closest_marker("a_view_raises_on_purpose") is None:
        pytest.fail("a view raised while following a change:\n" + "\n".join(handler.failures), pytrace=False)


@pytest.fixture
def corpus() -> Path:
    """Test data written by others (BPMN MIWG models, the BPMN and REFI-QDA schemas), kept in tests/data."""
    return TEST_DATA
