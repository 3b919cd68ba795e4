"""The half-day script run end to end: agreement check, dot vote, a mechanism and a commitment."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog
from pytestqt.qtbot import QtBot

from tests.domain.builders import two_org_document
from tests.ui.test_boundary_object_panels import _in_dialog
from tests.ui.views import settled
from workshop.domain.facilitation.coordination import AgreementRating
from workshop.domain.facilitation.progress import goto_op, load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.domain.model.annotations import Annotation
from workshop.domain.model.operations import add
from workshop.domain.model.process import Participant
from workshop.resources import scripts_dir
from workshop.ui.panels.agreement_votes_panel import AgreementVotesPanel
from workshop.ui.panels.coordination_panel import CommitmentDialog, CoordinationPanel, MechanismDialog


def test_agreement_and_votes_in_the_steps_that_ask_for_them(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = two_org_document()
    doc.apply(add(Participant(id="p-1", name="Maria", organization_id="org-a")))
    settled(qtbot)
    doc.apply(add(Annotation(id="idea-1", annotation_kind="idea", text="Web form instead of fax")))
    settled(qtbot)
    doc.apply(add(Annotation(id="idea-2", annotation_kind="idea", text="Checklist in the e-mail")))
    settled(qtbot)
    doc.apply(load_script_op(load_script(scripts_dir() / "half-day.yaml")))
    settled(qtbot)
    panel = AgreementVotesPanel(doc, doc.apply)
    qtbot.addWidget(panel)

    doc.apply(goto_op(doc.session, "hd", "hd-ideas"))
    settled(qtbot)
    panel.voter.setCurrentIndex(panel.voter.findData("p-1"))
    panel.target.setCurrentIndex(panel.target.findData("idea-2"))
    for _ in range(3):
        panel.place_dot()
        settled(qtbot)
    panel.place_dot()  # said beside the button, no box to close in front of the room
    settled(qtbot)
    assert panel.vote_status.text() == "No dot placed: all 3 dots of this participant are placed in this round."
    assert panel.votes.item(0, 0).text() == "Checklist in the e-mail"
    assert panel.votes.item(0, 1).text() == "3"
    assert {v.round_id for v in doc.session.votes.values()} == {"hd-ideas"}

    doc.apply(goto_op(doc.session, "hd", "hd-agreement"))
    settled(qtbot)
    for org, rating in (("org-a", 2), ("org-a", 4), ("org-it", 5)):
        panel.rating_org.setCurrentIndex(panel.rating_org.findData(org))
        panel.rating.setValue(rating)
        panel.comment.setText("roles are unclear" if rating == 2 else "")
        qtbot.mouseClick(panel.rate_button, Qt.MouseButton.LeftButton)
        settled(qtbot)
    rows = {panel.agreement.item(r, 0).text(): r for r in range(panel.agreement.rowCount())}
    assert list(rows) == ["Customer group A", "IT provider"], "lowest understanding first"
    assert panel.agreement.item(rows["Customer group A"], 1).text() == "3.0"
    assert panel.agreement.item(rows["Customer group A"], 3).text() == "roles are unclear"
    assert {a.check_id for a in doc.session.agreements.values()} == {"hd-agreement"}
    assert panel.agreement.item(rows["Customer group A"], 4).text() == "", "predictability not asked"
    assert all(a.predictability is None for a in doc.session.agreements.values())

    panel.rating_org.setCurrentIndex(panel.rating_org.findData("org-it"))
    panel.predictability.setValue(2)  # the check asks predictability too
    qtbot.mouseClick(panel.rate_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    rows = {panel.agreement.item(r, 0).text(): r for r in range(panel.agreement.rowCount())}
    assert panel.agreement.item(rows["IT provider"], 4).text() == "2.0"
    assert sorted(a.predictability or 0 for a in doc.session.agreements.values()) == [0, 0, 0, 2]


def test_a_mechanism_covering_the_handoff_and_a_commitment(qtbot: QtBot) -> None:
    doc = two_org_document()
    panel = CoordinationPanel(doc, doc.apply)
    qtbot.addWidget(panel)

    def mechanism(dialog: QDialog) -> None:
        assert isinstance(dialog, MechanismDialog)
        dialog.name.setText("Fortnightly case review")
        dialog.owner.setCurrentIndex(dialog.owner.findData("org-it"))
        dialog.cadence.setText("every second Tuesday")
        assert dialog.handoffs.count() == 1, "only handoffs are offered"
        dialog.handoffs.item(0).setCheckState(Qt.CheckState.Checked)

    _in_dialog(qtbot, MechanismDialog, mechanism)
    qtbot.mouseClick(panel.add_mechanism_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    (made,) = doc.session.mechanisms.values()
    assert (made.owner_org_id, made.flow_ids, made.status) == ("org-it", ["f2"], "new")

    def commitment(dialog: QDialog) -> None:
        assert isinstance(dialog, CommitmentDialog)
        dialog.from_org.setCurrentIndex(dialog.from_org.findData("org-a"))
        dialog.to_org.setCurrentIndex(dialog.to_org.findData("org-it"))
        dialog.what.setText("Every case with the customer number")
        dialog.form.setText("web form")
        dialog.by_when.setText("2026-05-01")

    _in_dialog(qtbot, CommitmentDialog, commitment)
    qtbot.mouseClick(panel.add_commitment_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    (promise,) = doc.session.commitments.values()
    assert (promise.from_org_id, promise.to_org_id, promise.by_when) == ("org-a", "org-it", "2026-05-01")
    panel.organization.setCurrentIndex(panel.organization.findData("org-a"))
    assert panel.shown_mechanisms() == [], "the mechanism is owned by the IT provider"
    assert panel.commitments.rowCount() == 1
    panel.commitments.item(0, 4).setText("2026-06-01")  # typed into the table
    assert doc.session.commitments[promise.id].by_when == "2026-06-01"
    panel.commitments.item(0, 1).setText("")  # a commitment must say what: refused, restored
    assert doc.session.commitments[promise.id].what == "Every case with the customer number"
    panel.commitments.selectRow(0)
    panel.mark_selected_done()
    assert doc.session.commitments[promise.id].done


def test_a_vote_without_phones_participants_added_by_hand_and_organizations_voting_together(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = two_org_document()
    doc.apply(add(Annotation(id="idea-1", annotation_kind="idea", text="Web form instead of fax")))
    settled(qtbot)
    doc.apply(load_script_op(load_script(scripts_dir() / "half-day.yaml")))
    settled(qtbot)
    doc.apply(goto_op(doc.session, "hd", "hd-ideas"))
    settled(qtbot)
    panel = AgreementVotesPanel(doc, doc.apply)
    qtbot.addWidget(panel)
    assert panel.voter.count() == len(doc.session.organizations), "no phones: organizations can still vote"
    answers = iter([("Ewa Zielińska", True), (doc.session.organizations["org-a"].name, True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: next(answers))
    qtbot.mouseClick(panel.add_person_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    person = next(p for p in doc.session.participants.values() if p.name == "Ewa Zielińska")
    assert panel.voter.currentData() == person.id
    qtbot.mouseClick(panel.dot_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    panel.voter.setCurrentIndex(panel.voter.findData("organization:org-it"))
    for _ in range(5):  # an organization voting together is one voter: the step's dots, no more
        qtbot.mouseClick(panel.dot_button, Qt.MouseButton.LeftButton)
        settled(qtbot)
    votes = list(doc.session.votes.values())
    assert sum(v.dots for v in votes if v.participant_id == person.id) == 1
    assert sum(v.dots for v in votes if v.organization_id == "org-it") == 3
    assert panel.votes.item(0, 1).text() == "4"
    assert panel.vote_status.text() == "No dot placed: all 3 dots of this organization are placed in this round."


def test_the_facilitator_asks_predictability_and_sees_the_phones_answers(qtbot: QtBot) -> None:
    """The check asks predictability through the session (so phones show it); phone answers feed the table."""
    doc = two_org_document()
    doc.apply(load_script_op(load_script(scripts_dir() / "half-day.yaml")))
    settled(qtbot)
    doc.apply(goto_op(doc.session, "hd", "hd-agreement"))
    settled(qtbot)
    panel = AgreementVotesPanel(doc, doc.apply)
    qtbot.addWidget(panel)
    assert not panel.ask_predictability.isChecked()
    qtbot.mouseClick(panel.ask_predictability, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert doc.session.ask_predictability is True

    for number, (org, foreseen) in enumerate((("org-a", 2), ("org-a", 3), ("org-it", 5))):
        doc.apply(add(Participant(id=f"p-{number}", name=f"Person {number}", organization_id=org)))
        settled(qtbot)
        doc.apply(  # as a phone's answer arrives: a participant's rating with predictability
            add(
                AgreementRating(
                    id=f"agreement-{number}",
                    check_id="hd-agreement",
                    organization_id=org,
                    participant_id=f"p-{number}",
                    rating=4,
                    predictability=foreseen,
                )
            )
        )
    settled(qtbot)
    rows = {panel.agreement.item(r, 0).text(): r for r in range(panel.agreement.rowCount())}
    assert panel.agreement.item(rows["Customer group A"], 4).text() == "2.5"
    assert panel.agreement.item(rows["IT provider"], 4).text() == "5.0"

    doc.apply(goto_op(doc.session, "hd", "hd-ideas"))  # a step's own setting applies when it starts
    settled(qtbot)
    assert not panel.ask_predictability.isChecked()


def test_a_node_clicked_on_the_canvas_takes_the_next_dot(qtbot: QtBot, tmp_path: object) -> None:
    from pathlib import Path

    from tests.ui.canvas_helpers import example_window, show_dock

    window = example_window(qtbot, Path(str(tmp_path)))
    show_dock(window, "Agreement and votes")  # the vote step's tool
    window.apply(
        add(
            Annotation(
                id="idea-batch",
                annotation_kind="idea",
                text="Run the batch twice a day",
                target_kind="node",
                target_id="n-ops-batch",
            )
        )
    )
    window.apply(
        add(
            Annotation(
                id="idea-other",
                annotation_kind="idea",
                text="Somewhere else",
                target_kind="node",
                target_id="n-it-classify",
            )
        )
    )
    panel = window.findChild(AgreementVotesPanel)
    assert panel is not None
    view, scene = window.canvas_view, window.scene
    assert view is not None
    assert scene is not None
    panel.target.setCurrentIndex(panel.target.findData("idea-other"))
    item = scene.node_items["n-ops-batch"]
    view.centerOn(item)
    at = view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    settled(qtbot)
    assert scene.selected_node_ids() == ["n-ops-batch"]
    assert panel.target.currentData() == "idea-batch", "the clicked node's idea takes the dot"
    assert "Run the batch twice a day" in panel.vote_status.text()
    panel.voter.setCurrentIndex(panel.voter.findData("organization:org-it"))
    qtbot.mouseClick(panel.dot_button, Qt.MouseButton.LeftButton)
    settled(qtbot)
    assert [v.annotation_id for v in window.document.session.votes.values()] == ["idea-batch"]


def test_enter_records_the_rating_said_aloud(qtbot: QtBot) -> None:
    doc = two_org_document()
    doc.apply(load_script_op(load_script(scripts_dir() / "half-day.yaml")))
    settled(qtbot)
    doc.apply(goto_op(doc.session, "hd", "hd-agreement"))
    settled(qtbot)
    panel = AgreementVotesPanel(doc, doc.apply)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_tool("agreement")
    panel.rating_org.setCurrentIndex(panel.rating_org.findData("org-it"))
    panel.rating.setValue(4)
    qtbot.keyClicks(panel.comment, "we see it the same way")
    settled(qtbot)
    qtbot.keyClick(panel.comment, Qt.Key.Key_Return)
    settled(qtbot)
    answers = list(doc.session.agreements.values())
    assert [(a.organization_id, a.rating, a.comment) for a in answers] == [("org-it", 4, "we see it the same way")]
    panel.show_tool("vote")
    assert panel.tabs.currentIndex() == 1, "a vote step opens the dots"


def test_the_vote_lists_follow_ideas_added_edited_hidden_and_removed(qtbot: QtBot) -> None:
    """Each list changes only where a change touches it, and always ends as the session has it."""
    from workshop.domain.model.operations import remove, update

    doc = two_org_document()
    panel = AgreementVotesPanel(doc, doc.apply)
    qtbot.addWidget(panel)
    panel.show()

    def targets() -> list[tuple[str, str]]:
        return [(panel.target.itemText(i), panel.target.itemData(i)) for i in range(panel.target.count())]

    for number in range(1, 6):
        doc.apply(add(Annotation(id=f"idea-{number}", annotation_kind="idea", text=f"Idea {number}")))
    doc.apply(add(Annotation(id="note-1", annotation_kind="question", text="not votable")))
    settled(qtbot)
    assert targets() == [(f"Idea {n}", f"idea-{n}") for n in range(1, 6)]
    panel.target.setCurrentIndex(panel.target.findData("idea-4"))

    doc.apply(update("annotation", "idea-2", text="Idea two, said better"))
    doc.apply(update("annotation", "idea-3", hidden=True))
    doc.apply(remove("annotation", "idea-5"))
    doc.apply(add(Annotation(id="idea-6", annotation_kind="problem", text="Idea 6")))
    settled(qtbot)
    assert targets() == [
        ("Idea 1", "idea-1"),
        ("Idea two, said better", "idea-2"),
        ("Idea 4", "idea-4"),
        ("Idea 6", "idea-6"),
    ]
    assert panel.target.currentData() == "idea-4", "the choice stays while the list changes"

    doc.apply(add(Participant(id="p-1", name="Maria", organization_id="org-a")))
    settled(qtbot)
    assert panel.voter.findData("p-1") >= 0
    panel.voter.setCurrentIndex(panel.voter.findData("p-1"))
    panel.place_dot()
    settled(qtbot)
    assert (panel.votes.item(0, 0).text(), panel.votes.item(0, 1).text()) == ("Idea 4", "1")
    doc.apply(update("annotation", "idea-4", text="Idea four"))
    settled(qtbot)
    assert panel.votes.item(0, 0).text() == "Idea four", "the tally shows the idea as it reads now"
    assert panel.target.itemText(panel.target.findData("idea-4")) == "Idea four"
