"""Fitting the model to the window settles: one fit per resize, then a paint, never a loop.

A fit inside ``resizeEvent`` used to change whether the scroll bars were
needed, which resized the viewport, which fitted again: the room's freeze
with imported models that have pools. The real window is resized through
many sizes, with the example and with MIWG reference models made by other
tools, and each resize must fit at most once and be painted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import TEST_DATA
from workshop.resources import example_session_path
from workshop.ui.files.opening import open_path
from workshop.ui.window.main_window import MainWindow

SIZES = [
    (1920, 1080), (1366, 768), (1280, 720), (1024, 700), (1600, 900), (1900, 1000), (800, 600), (1440, 900),
    (1920, 1040), (1366, 740), (1500, 1000), (1000, 1000), (1910, 1075), (1280, 1024), (1680, 1050),
    (900, 700), (1920, 1080), (1365, 767), (1700, 800), (1200, 900), (1920, 1079), (1024, 768),
]  # fmt: skip
POOLS = ["A.4.0", "B.2.0", "C.1.0", "C.4.0", "C.9.2"]


class _Counter(QObject):
    """Counts the paint events of the canvas's viewport."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


@pytest.mark.slow
@pytest.mark.parametrize("model", ["example", *POOLS])
def test_each_resize_fits_once_and_is_painted(qtbot: QtBot, tmp_path: Path, model: str) -> None:
    source = example_session_path() if model == "example" else TEST_DATA / "bpmn-miwg" / "reference" / f"{model}.bpmn"
    path = tmp_path / source.name
    shutil.copy(source, path)
    document, workshop_file, _note, _missing = open_path(path)
    window = MainWindow(document, workshop_file)
    qtbot.addWidget(window)
    window.resize(*SIZES[-1])
    window.show()
    qtbot.waitExposed(window)
    view = window.canvas_view
    assert view is not None
    assert view.follows_fit
    counter = _Counter()
    view.viewport().installEventFilter(counter)
    qtbot.waitUntil(lambda: counter.paints > 0, timeout=5000)
    for _ in range(5):  # the fit queued on opening
        QApplication.processEvents()
    fits: list[object] = []
    view.fitted.connect(lambda: fits.append(view.viewport().size()))
    for size in SIZES:
        fits.clear()
        painted_before = counter.paints
        window.resize(*size)
        qtbot.waitUntil(lambda painted_before=painted_before: counter.paints > painted_before, timeout=5000)
        for _ in range(5):  # let anything the resize queued run: a loop would go on fitting here
            QApplication.processEvents()
        assert len(fits) <= 1, f"{model} at {size}: fitted {len(fits)} times for one resize: {fits}"
        assert view.follows_fit, f"{model} at {size}: the view stopped following the fit"
        assert not view.horizontalScrollBar().isVisible()
        assert not view.verticalScrollBar().isVisible()
    view.viewport().removeEventFilter(counter)
