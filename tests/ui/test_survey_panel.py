"""The Survey panel driven as a facilitator would: open a round, type in paper answers, read results."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.domain.builders import two_org_document
from tests.ui.canvas_helpers import example_window
from workshop.domain.model.document import Document
from workshop.domain.model.operations import add, update
from workshop.domain.model.process import Lane
from workshop.domain.research.survey import load_instrument, tie_colour
from workshop.ui.panels.survey_panel import PaperAnswersDialog, SurveyPanel, default_instrument_path


def _panel(qtbot: QtBot) -> tuple[Document, SurveyPanel]:
    doc = two_org_document()
    panel = SurveyPanel(doc, doc.apply)
    qtbot.addWidget(panel)
    return doc, panel


def _fill_and_accept(qtbot: QtBot, panel: SurveyPanel, frm: str, about: str, values: dict[str, int]) -> None:
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PaperAnswersDialog)
        dialog.from_org.setCurrentIndex(dialog.from_org.findData(frm))
        dialog.about_org.setCurrentIndex(dialog.about_org.findData(about))
        for item_id, value in values.items():
            dialog.answers[item_id].setValue(value)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(panel.paper_button, Qt.MouseButton.LeftButton)


def test_paper_answers_become_responses_and_results_protect_anonymity(qtbot: QtBot) -> None:
    doc, panel = _panel(qtbot)
    assert not panel.paper_button.isEnabled()
    round_id = panel.open_round(load_instrument(default_instrument_path()), "Before intervention 1", "before")
    assert panel.paper_button.isEnabled()

    for value in (4, 2, 3):
        _fill_and_accept(qtbot, panel, "org-a", "org-it", {"frequent": value, "blame": 2})
    _fill_and_accept(qtbot, panel, "org-it", "org-a", {"frequent": 5})

    responses = [r for r in doc.session.survey_responses.values() if r.round_id == round_id]
    assert len(responses) == 4
    assert responses[0].answers == {"frequent": 4, "blame": 2}, "unanswered items are left out, not zero"

    rows = {panel.results.item(r, 0).text(): r for r in range(panel.results.rowCount())}
    a_row = rows["Customer group A → IT provider"]
    frequent_col = 1
    assert panel.results.item(a_row, frequent_col).text() == "3.00 (n=3)"
    it_row = rows["IT provider → Customer group A"]
    assert panel.results.item(it_row, frequent_col).text() == "too few answers (n=1)"
    assert panel.network.edges == {("org-a", "org-it"): 3.5}  # overall A->IT: frequent 3, blame reversed 4 -> 3.5


def test_a_second_round_shows_the_change(qtbot: QtBot) -> None:
    doc, panel = _panel(qtbot)
    instrument = load_instrument(default_instrument_path())
    panel.open_round(instrument, "Before", "before")
    for value in (2, 2, 2):
        _fill_and_accept(qtbot, panel, "org-a", "org-it", {"frequent": value})
    panel.close_current_round()
    panel.open_round(instrument, "After", "after")
    for value in (4, 4, 5):
        _fill_and_accept(qtbot, panel, "org-a", "org-it", {"frequent": value})
    assert panel.changes.rowCount() == 1
    assert panel.changes.item(0, 3).text() == "+2.33"
    assert any(r.closed for r in doc.session.survey_rounds.values())


def test_handoffs_on_the_canvas_take_the_colour_of_the_tie(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    panel = window.findChild(SurveyPanel)
    assert isinstance(panel, SurveyPanel)
    panel.open_round(load_instrument(default_instrument_path()), "Before", "before")
    for value in (1, 2, 1):  # group A sees a weak tie with the IT provider
        _fill_and_accept(qtbot, panel, "org-a", "org-it", {"frequent": value, "respect": value})
    scene = window.scene
    assert scene is not None
    handoff = scene.flow_items["flow-09"]  # group A -> IT provider
    assert handoff.colour_override is None
    panel.show_ties.setChecked(True)
    assert handoff.colour_override == tie_colour(4 / 3)
    assert scene.flow_items["flow-12"].colour_override == tie_colour(None), "group B has not answered: grey"
    assert scene.flow_items["flow-01"].colour_override is None, "not a handoff"
    panel.show_ties.setChecked(False)
    assert handoff.colour_override is None


def test_where_lanes_carry_roles_paper_answers_name_them_and_role_pairs_are_scored(qtbot: QtBot) -> None:
    doc, panel = _panel(qtbot)
    doc.apply(update("lane", "lane-it", role="Service desk"))
    doc.apply(add(Lane(id="lane-dev", model_id="m1", organization_id="org-it", role="Developers", index=2)))
    doc.apply(update("lane", "lane-a", role="Sales unit"))
    panel.open_round(load_instrument(default_instrument_path()), "Before intervention 1", "before")

    def answer(about_role: str, value: int, role: str = "Sales unit") -> None:
        def fill() -> None:
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, PaperAnswersDialog)
            dialog.from_org.setCurrentIndex(dialog.from_org.findData("org-a"))
            dialog.about_org.setCurrentIndex(dialog.about_org.findData("org-it"))
            assert not dialog.role.isHidden()
            assert [dialog.about_role.itemText(i) for i in range(dialog.about_role.count())] == [
                "(no role named)",
                "Developers",
                "Service desk",
            ], "the roles the lanes of the organization answered about carry"
            dialog.role.setCurrentIndex(dialog.role.findText(role))
            dialog.about_role.setCurrentIndex(dialog.about_role.findText(about_role))
            dialog.answers["frequent"].setValue(value)
            ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, fill)
        qtbot.mouseClick(panel.paper_button, Qt.MouseButton.LeftButton)

    for value in (2, 3, 4):
        answer("Service desk", value)
    answer("Developers", 5)
    answer("(no role named)", 1, role="(no role named)")
    roles = {(r.role, r.about_role) for r in doc.session.survey_responses.values()}
    assert roles == {("Sales unit", "Service desk"), ("Sales unit", "Developers"), ("", "")}

    rows = {panel.role_results.item(r, 0).text(): r for r in range(panel.role_results.rowCount())}
    assert set(rows) == {
        "Customer group A (Sales unit) → IT provider (Service desk)",
        "Customer group A (Sales unit) → IT provider (Developers)",
    }, "only answers naming both roles count between roles"
    frequent_col = 1
    assert panel.role_results.item(rows["Customer group A (Sales unit) → IT provider (Service desk)"], 1).text() == (
        "3.00 (n=3)"
    )
    developers = rows["Customer group A (Sales unit) → IT provider (Developers)"]
    assert panel.role_results.item(developers, frequent_col).text() == "too few answers (n=1)", "withheld alike"
    organizations = {panel.results.item(r, 0).text(): r for r in range(panel.results.rowCount())}
    assert panel.results.item(organizations["Customer group A → IT provider"], frequent_col).text() == "3.00 (n=5)"


def test_without_roles_on_the_lanes_the_dialog_asks_none(qtbot: QtBot) -> None:
    doc, panel = _panel(qtbot)
    round_id = panel.open_round(load_instrument(default_instrument_path()), "Before", "before")
    dialog = PaperAnswersDialog(doc.session, doc.session.survey_rounds[round_id])
    qtbot.addWidget(dialog)
    assert dialog.role.isHidden()
    assert dialog.about_role.isHidden()
    assert (dialog.response().role, dialog.response().about_role) == ("", "")
    assert panel.role_results.rowCount() == 0
