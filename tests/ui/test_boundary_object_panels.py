"""Owners, boundaries, glossary, annotations and health, driven through the UI and checked in the log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QDockWidget, QInputDialog
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window, show_dock
from tests.ui.views import settled
from workshop.domain.model.operations import UpdateOp, update
from workshop.ui.panels.annotations_panel import AnnotationDialog, AnnotationsPanel
from workshop.ui.panels.boundaries_panel import BoundariesPanel, MarkBoundaryDialog
from workshop.ui.panels.glossary_panel import GlossaryPanel, TermDialog
from workshop.ui.panels.health_panel import HealthPanel
from workshop.ui.window.main_window import MainWindow
from workshop.ui.window.owner_dialog import OwnerDialog


def _in_dialog(qtbot: QtBot, cls: type[QDialog], fill: Callable[[QDialog], None]) -> None:
    """Fill the next modal dialog of ``cls`` and press OK, as a user would."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, cls), dialog
        fill(dialog)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        settled(qtbot)

    QTimer.singleShot(0, act)


def _panel(window: MainWindow, cls: type) -> object:
    found = window.findChild(cls)
    assert found is not None
    return found


def test_mark_a_boundary_on_the_selected_handoff_and_cross_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = example_window(qtbot, tmp_path)
    show_dock(window, "Boundaries")
    panel = _panel(window, BoundariesPanel)
    assert isinstance(panel, BoundariesPanel)
    window.focus_element("flow", "flow-16")  # IT provider asks group A for missing information
    before = set(window.document.session.boundaries)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MarkBoundaryDialog)
        assert dialog.org_a.currentData() == "org-it"
        assert dialog.org_b.currentData() == "org-a"
        dialog.boundary_type.setCurrentIndex(2)  # pragmatic
        dialog.manifestations["concerns_and_interests"].setChecked(True)
        dialog.not_shared.setText("Why the IT provider needs the customer number at all")

    _in_dialog(qtbot, MarkBoundaryDialog, fill)
    qtbot.mouseClick(panel.mark_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    (new_id,) = set(window.document.session.boundaries) - before
    boundary = window.document.session.boundaries[new_id]
    assert (boundary.target_kind, boundary.target_id, boundary.boundary_type) == ("flow", "flow-16", "pragmatic")
    assert boundary.manifestations == ["concerns_and_interests"]

    def select(boundary_id: str) -> None:
        rows = range(panel.table.rowCount())
        panel.table.selectRow(
            next(r for r in rows if panel.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == boundary_id)
        )

    select(new_id)
    qtbot.mouseClick(panel.advance_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert window.document.session.boundaries[new_id].status == "being_crossed"
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Walked through the form together", True))
    select(new_id)
    qtbot.mouseClick(panel.advance_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    crossed = window.document.session.boundaries[new_id]
    assert (crossed.status, crossed.crossing_note) == ("crossed", "Walked through the form together")

    history = [
        r.op.changes["status"]
        for r in window.workshop_file.records()
        if isinstance(r.op, UpdateOp) and r.op.kind == "boundary" and r.op.id == new_id
    ]
    assert history == ["being_crossed", "crossed"], "the log keeps when the boundary was crossed"
    overlay = window.overlays["model-current"]
    assert any(b.text == "✓" for b in overlay.badges("boundary"))

    panel.status_filter.setCurrentText("open")
    assert new_id not in {b.id for b in panel.visible_boundaries()}


def test_set_an_owner_from_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    window.document.apply(UpdateOp(kind="node", id="n-it-classify", changes={"owner_org_id": None}))
    settled(qtbot)
    assert any("No owner" in b.toolTip() for b in window.overlays["model-current"].badges("owner"))

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, OwnerDialog)
        dialog.organization.setCurrentIndex(dialog.organization.findData("org-it"))
        dialog.role.setText("Customer service")
        dialog.participant.setCurrentIndex(dialog.participant.findData("p-mueller"))

    _in_dialog(qtbot, OwnerDialog, fill)
    window.ownership.set_owner("n-it-classify")
    settled(qtbot)
    node = window.document.session.nodes["n-it-classify"]
    assert (node.owner_org_id, node.owner_role, node.owner_participant_id) == (
        "org-it",
        "Customer service",
        "p-mueller",
    )
    assert window.overlays["model-current"].badges("owner") == []
    window.undo_stack.undo()
    settled(qtbot)
    assert window.document.session.nodes["n-it-classify"].owner_org_id is None


def test_add_and_merge_glossary_terms(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    panel = _panel(window, GlossaryPanel)
    assert isinstance(panel, GlossaryPanel)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TermDialog)
        dialog.term.setText("Case")
        dialog.meanings["org-b"].setText("A faxed form with a reference number")

    _in_dialog(qtbot, TermDialog, fill)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    added = next(t for t in window.document.session.glossary.values() if t.term == "Case")
    assert added.meanings == {"org-b": "A faxed form with a reference number"}
    panel.merge("term-case", added.id)
    merged = window.document.session.glossary["term-case"]
    assert added.id not in window.document.session.glossary
    assert merged.meanings["org-b"] == "A filled-in paper contact form.", "the kept term's own meanings win"
    window.undo_stack.undo()
    settled(qtbot)
    assert added.id in window.document.session.glossary


def test_add_an_annotation_on_the_selected_node_and_follow_an_idea(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    panel = _panel(window, AnnotationsPanel)
    assert isinstance(panel, AnnotationsPanel)
    window.focus_element("node", "n-ops-batch")

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AnnotationDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("idea"))
        dialog.text.setPlainText("Run the batch twice a day")
        dialog.author.setCurrentIndex(dialog.author.findData("p-virtanen"))
        dialog.mode.setCurrentIndex(dialog.mode.findData("exploit"))
        dialog.codes.item(1).setCheckState(Qt.CheckState.Checked)  # exploitative activities

    _in_dialog(qtbot, AnnotationDialog, fill)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    idea = next(a for a in window.document.session.annotations.values() if a.text == "Run the batch twice a day")
    assert (idea.target_kind, idea.target_id, idea.organization_id) == ("node", "n-ops-batch", "org-it")
    assert (idea.idea_mode, idea.idea_status, idea.codes) == ("exploit", "proposed", ["code-exploitative"])
    panel.set_idea_status(idea.id, "agreed")
    panel.tabs.setCurrentIndex(1)  # the idea tree fills in when its tab comes to the front
    agreed = panel.ideas.topLevelItem(1)
    assert agreed is not None
    assert agreed.text(0).startswith("agreed (2)")
    panel.kind_filter.setCurrentIndex(panel.kind_filter.findData("idea"))
    assert {a.annotation_kind for a in panel.visible()} == {"idea"}


def test_health_panel_lists_findings_and_focuses_them(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    panel = _panel(window, HealthPanel)
    assert isinstance(panel, HealthPanel)
    assert panel.health is None, "a panel behind another tab computes nothing"
    dock = window.findChild(QDockWidget, "dock-Health")
    assert dock is not None
    show_dock(window, "Health")  # shown: the findings come
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 0)
    headings = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert headings[0] == "Rework loop (1)"
    loop = panel.tree.topLevelItem(0).child(0)
    panel.tree.itemClicked.emit(loop, 0)
    assert window.scene is not None
    assert window.scene.selected_node_ids() == [loop.data(0, Qt.ItemDataRole.UserRole)[1]]
    assert panel.matrix.rowCount() == 4


def test_contested_ownership_is_shown_until_the_facilitator_resolves_it(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    health = _panel(window, HealthPanel)
    assert isinstance(health, HealthPanel)
    window.ownership.record_claim("n-it-classify", "org-a")
    settled(qtbot)
    window.ownership.record_claim("n-it-classify", "org-a")  # said twice: recorded once, the second is refused politely
    settled(qtbot)
    assert len(window.document.session.claims) == 1
    health.refresh()
    assert health.health is not None
    assert [f.element_ids for f in health.health.by_rule("contested_owner")] == [("n-it-classify",)]
    assert window.document.session.nodes["n-it-classify"].owner_org_id == "org-it", "no silent last-edit-wins"
    window.ownership.resolve_ownership("n-it-classify", "org-a")
    health.refresh()
    assert health.health.by_rule("contested_owner") == []
    assert window.document.session.nodes["n-it-classify"].owner_org_id == "org-a"
    labels = [r.op.summary() for r in window.workshop_file.records()]
    assert labels[-1] == "Resolve ownership: Customer group A"


def test_health_analyses_in_a_worker_thread_only_while_on_screen(qtbot: QtBot, tmp_path: Path) -> None:
    """The analysis runs off the main thread, on a snapshot, and only while the panel is on screen."""
    window = example_window(qtbot, tmp_path)
    panel = _panel(window, HealthPanel)
    assert isinstance(panel, HealthPanel)
    threads: list[str] = []
    original = panel._analyse

    def recorded(*args: object) -> None:
        threads.append(threading.current_thread().name)
        original(*args)  # type: ignore[arg-type]

    panel._analyse = recorded  # type: ignore[method-assign]
    panel.request()
    qtbot.wait(50)
    assert threads == [], "behind another tab: nothing computed"
    dock = window.findChild(QDockWidget, "dock-Health")
    assert dock is not None
    show_dock(window, "Health")
    qtbot.waitUntil(lambda: panel.health is not None)
    assert threads
    assert all(name.startswith("health") for name in threads), threads
    assert panel.tree.topLevelItemCount() > 0
    window.apply(update("node", "n-contact", label="Changed"))
    settled(qtbot)
    qtbot.waitUntil(lambda: len(threads) >= 2, timeout=3000)  # after the debounce, again in the background


def test_the_count_badge_follows_annotations_added_hidden_moved_and_removed(qtbot: QtBot, tmp_path: Path) -> None:
    """Counted by what each change touched, the badges always match a count made anew from the session."""
    from workshop.domain.model.annotations import Annotation
    from workshop.domain.model.operations import add, remove

    window = example_window(qtbot, tmp_path)
    overlay = window.overlays["model-current"]
    document = window.document

    def shown() -> list[str]:
        return sorted(b.text for b in overlay.badges("notes"))

    def counted() -> list[str]:
        counts: dict[str, int] = {}
        for a in document.session.annotations.values():
            if a.target_kind == "node" and a.target_id in document.session.nodes and not a.hidden:
                counts[a.target_id] = counts.get(a.target_id, 0) + 1
        return sorted(str(count) for count in counts.values())

    before = shown()
    for number in range(3):
        document.apply(
            add(
                Annotation(
                    id=f"idea-x{number}", annotation_kind="idea", text="x", target_kind="node", target_id="n-contact"
                )
            )
        )
    settled(qtbot)
    assert shown() == counted()
    assert shown() != before
    document.apply(update("annotation", "idea-x0", hidden=True))
    document.apply(update("annotation", "idea-x1", target_id="n-a-solve"))
    settled(qtbot)
    assert shown() == counted()
    document.apply(remove("annotation", "idea-x2"))
    document.apply(update("annotation", "idea-x0", hidden=False))
    settled(qtbot)
    assert shown() == counted()
