"""Presenter mode: the projector shows the shown model, the join code, a spotlight, and can freeze."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.facilitation.progress import goto_op, load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.domain.model.operations import update
from workshop.resources import scripts_dir
from workshop.ui.participation.bridge import qr_png


def test_presenter_mode_follows_the_canvas_and_shows_how_to_join(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    control = window.presenter_control
    assert control is not None
    control.set_join_info("http://127.0.0.1:8765/?code=K7Q2", qr_png("http://127.0.0.1:8765/?code=K7Q2"))
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_F5)
    presenter = control.presenter
    assert presenter is not None
    assert presenter.view.scene() is window.scene, "the projector shows the same scene: every change at once"
    assert window.scene is not None
    assert window.scene.theme.name == "projector"
    assert presenter.join_box.isVisibleTo(presenter)
    assert "K7Q2" in presenter.join_text.text()
    assert not presenter.qr.pixmap().isNull()

    window.document.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    window.document.apply(goto_op(window.document.session, "i1", "i1-walk-current"))
    assert presenter.title.text() == "1 · Shared domain knowledge — Explain the current process, lane by lane"
    assert presenter.clock.text() in ("45:00", "44:59"), "the room sees the step count down"

    window.scene.node_items["n-it-ask"].setSelected(True)
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_F6)
    assert presenter.spotlit
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_F7)
    assert presenter.is_frozen
    frozen = presenter.frozen.pixmap().toImage()
    window.document.apply(update("node", "n-it-ask", label="Changed while frozen"))
    assert presenter.frozen.pixmap().toImage() == frozen, "the room keeps the frozen picture"
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_F7)
    assert not presenter.is_frozen

    control.set_join_info("", None)
    assert not presenter.join_box.isVisibleTo(presenter)
    qtbot.keyClick(presenter, Qt.Key.Key_Escape)
    assert control.presenter is None
    assert not control.toggle_action.isChecked()
    assert window.scene.theme.name == window.theme.name, "the facilitator's own theme comes back"


def test_the_projector_shows_what_the_facilitator_looks_at(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    control = window.presenter_control
    assert control is not None
    view = window.canvas_view
    assert view is not None
    control.set_presenting(True)
    presenter = control.presenter
    assert presenter is not None
    view.resetTransform()
    view.scale(2, 2)
    view.centerOn(1000, 300)
    shown = presenter.view.mapToScene(presenter.view.viewport().rect()).boundingRect()
    looked_at = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(looked_at.center())
    assert shown.width() < 2 * looked_at.width() + 200, "zoomed in with the facilitator, not the whole model"
    control.set_presenting(False)


def _smallest_text(presenter: object) -> float:
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QLabel

    from workshop.ui.presenter.presenter_window import PresenterWindow

    assert isinstance(presenter, PresenterWindow)
    labels = [
        QFontInfo(label.font()).pixelSize()
        for label in presenter.findChildren(QLabel)
        if label.isVisibleTo(presenter) and label.text()
    ]
    return min([*presenter.view.text_sizes(), *labels])


def test_every_text_on_a_1920_projector_is_at_least_24_px(qtbot: QtBot, tmp_path: Path) -> None:
    """A step of each intervention, with the console fitted to the whole model and zoomed in on a step."""
    from workshop.ui.themes import THEMES, apply_style_sheet

    apply_style_sheet(THEMES["light"])  # as the app starts: the style sheet must not shrink the projector's text
    window = example_window(qtbot, tmp_path)
    window.resize(1000, 700)  # a small console window must not make a small projector picture
    control = window.presenter_control
    assert control is not None
    control.set_join_info("http://192.0.2.10:8765/?code=K7Q2", qr_png("http://192.0.2.10:8765/?code=K7Q2"))
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_F5)
    presenter = control.presenter
    assert presenter is not None
    presenter.showNormal()
    presenter.setFixedSize(1920, 1080)
    qtbot.waitExposed(presenter)
    assert presenter.view.horizontalScrollBar().isHidden() or not presenter.view.horizontalScrollBar().isVisible()
    window.document.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    view = window.canvas_view
    assert view is not None
    for intervention, step in (("i1", "i1-walk-current"), ("i2", "i2-agreement"), ("i3", "i3-new")):
        window.document.apply(goto_op(window.document.session, intervention, step))
        qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # the console shows everything
        QApplication.processEvents()
        assert _smallest_text(presenter) >= 24, f"{step}, whole model"
        view.resetTransform()
        view.centerOn(window.scene.node_items["n-it-ask"])  # the console looks at one step, small window
        QApplication.processEvents()
        assert _smallest_text(presenter) >= 24, f"{step}, zoomed in"
        assert any(size >= 24 for size in presenter.view.text_sizes()), "node labels are shown when zoomed in"
    assert presenter.clock.font().pixelSize() >= 64


def test_focus_stays_on_the_console_and_b_blacks_out_the_projector(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    control = window.presenter_control
    assert control is not None
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_F5)
    presenter = control.presenter
    assert presenter is not None
    assert QApplication.activeWindow() is window, "F6, F7 and a clicker keep working on the console"
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_B)
    assert presenter.stack.currentWidget() is presenter.black
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_B)
    assert presenter.stack.currentWidget() is presenter.view


def test_a_vote_and_an_agreement_check_show_their_results_large_on_the_projector(qtbot: QtBot, tmp_path: Path) -> None:
    from workshop.domain.facilitation.coordination import AgreementRating, Vote
    from workshop.domain.model.annotations import Annotation
    from workshop.domain.model.operations import add

    window = example_window(qtbot, tmp_path)
    control = window.presenter_control
    assert control is not None
    qtbot.keyClick(window.canvas_view, Qt.Key.Key_F5)
    presenter = control.presenter
    assert presenter is not None
    document = window.document
    document.apply(load_script_op(load_script(scripts_dir() / "half-day.yaml")))
    document.apply(goto_op(document.session, "hd", "hd-ideas"))
    document.apply(add(Annotation(id="idea-web", annotation_kind="idea", text="A web form instead of the fax")))
    for number in range(3):
        document.apply(
            add(Vote(id=f"v{number}", round_id="hd-ideas", organization_id="org-a", annotation_id="idea-web"))
        )
    assert presenter.results_box.isVisibleTo(presenter)
    assert "●●● 3  A web form instead of the fax" in presenter.results.text()
    assert presenter.results.font().pixelSize() >= 24
    document.apply(goto_op(document.session, "hd", "hd-agreement"))
    model = next(iter(document.session.models))
    document.apply(
        add(AgreementRating(id="a1", check_id="hd-agreement", organization_id="org-a", model_id=model, rating=2))
    )
    assert "Customer group A" in presenter.results.text()
    assert "2.0 of 5" in presenter.results.text()
    document.apply(goto_op(document.session, "hd", "hd-welcome"))
    assert not presenter.results_box.isVisibleTo(presenter), "other steps show the model alone"
