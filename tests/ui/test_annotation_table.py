"""The annotation list follows the document row by row: a contribution inserts one row, it never rebuilds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window, show_dock
from tests.ui.views import settled
from workshop.domain.facilitation.progress import load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import add, batch, remove, update
from workshop.resources import scripts_dir
from workshop.ui.panels.annotation_table import AnnotationTableModel
from workshop.ui.panels.annotations_panel import AnnotationsPanel


def _signals(model: AnnotationTableModel) -> Counter[str]:
    seen: Counter[str] = Counter()
    model.rowsInserted.connect(lambda *_a: seen.update(["inserted"]))
    model.rowsRemoved.connect(lambda *_a: seen.update(["removed"]))
    model.dataChanged.connect(lambda *_a: seen.update(["changed"]))
    model.modelReset.connect(lambda: seen.update(["reset"]))
    return seen


def _idea(key: str, text: str, step: str | None = None) -> Annotation:
    return Annotation(
        id=key, annotation_kind="idea", text=text, target_kind="node", target_id="n-ops-batch", step_id=step
    )


def test_each_change_touches_its_own_row_only(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    panel = window.findChild(AnnotationsPanel)
    assert panel is not None
    model = panel.model
    before = model.rowCount()
    seen = _signals(model)

    window.document.apply(add(_idea("a-new", "Call back within a day")))
    settled(qtbot)  # the table follows as the app's throttle lets it
    assert seen == Counter(inserted=1)
    assert model.rowCount() == before + 1
    assert model.data(model.index(before, 1)) == "Call back within a day"

    window.document.apply(update("annotation", "a-new", text="Call back within two hours"))
    settled(qtbot)  # the table follows as the app's throttle lets it
    assert seen == Counter(inserted=1, changed=1)
    assert model.data(model.index(before, 1)) == "Call back within two hours"

    first = model.annotation_id(0)
    assert first is not None
    window.document.apply(remove("annotation", first))
    settled(qtbot)  # the table follows as the app's throttle lets it
    assert seen == Counter(inserted=1, changed=1, removed=1)
    assert model.annotation_id(before - 1) == "a-new", "the rows after a removed one move up"
    assert [a.id for a in panel.visible()] == [a.id for a in window.document.session.annotations.values()], (
        "the list keeps the session's order"
    )


def test_filters_decide_which_rows_come_and_go(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    panel = window.findChild(AnnotationsPanel)
    assert panel is not None
    panel.kind_filter.setCurrentIndex(panel.kind_filter.findData("problem"))
    shown = panel.model.rowCount()
    seen = _signals(panel.model)
    window.document.apply(add(_idea("a-idea", "Not a problem")))
    settled(qtbot)  # the table follows as the app's throttle lets it
    assert panel.model.rowCount() == shown, "an idea does not enter a list of problems"
    assert not seen
    window.document.apply(update("annotation", "a-idea", annotation_kind="problem"))
    settled(qtbot)  # the table follows as the app's throttle lets it
    assert panel.model.rowCount() == shown + 1, "it enters once it is a problem"
    assert seen == Counter(inserted=1)
    window.document.apply(update("annotation", "a-idea", annotation_kind="idea"))
    settled(qtbot)  # the table follows as the app's throttle lets it
    assert panel.model.rowCount() == shown
    assert seen["removed"] == 1


def test_batches_arrive_as_one_block_or_one_rebuild_and_steps_read_as_titles(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    show_dock(window, "Annotations")
    panel = window.findChild(AnnotationsPanel)
    assert panel is not None
    window.document.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    settled(qtbot)  # the table follows as the app's throttle lets it
    script = window.document.session.script
    assert script is not None
    step = script["interventions"][0]["steps"][1]
    seen = _signals(panel.model)
    before = panel.model.rowCount()
    window.document.apply(batch("Paste", [add(_idea(f"a-{n}", f"Idea {n}", step["id"])) for n in range(120)]))
    settled(qtbot)  # the table follows as the app's throttle lets it
    assert seen == Counter(inserted=1), "120 new rows at the end: one block"
    assert panel.model.rowCount() == before + 120
    window.document.apply(batch("Paste", [add(_idea(f"b-{n}", f"More {n}")) for n in range(250)]))
    settled(qtbot)  # the table follows as the app's throttle lets it
    assert seen == Counter(inserted=1, reset=1), "a very large batch: one rebuild"
    row = before + 119
    shown = panel.model.data(panel.model.index(row, 4))
    assert step["title"] in str(shown)
    assert step["id"] not in str(shown), "no step ids on screen"
    steps = [panel.step_filter.itemText(i) for i in range(panel.step_filter.count())]
    assert any(step["title"] in text for text in steps)
    assert not any(step["id"] == text for text in steps)
    assert panel.model.data(panel.model.index(row, 1), Qt.ItemDataRole.ToolTipRole) != "Idea 119", "tips are escaped"
    assert panel.model.rowCount(panel.model.index(0, 0)) == 0
    assert panel.model.rowCount(QModelIndex()) > 0
