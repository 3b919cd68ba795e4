"""The panels every main window gets beyond the canvas, wired in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer

from workshop.domain.facilitation.progress import step_started_at
from workshop.ui.canvas.tie_overlay import show_ties
from workshop.ui.files.export_actions import install_export
from workshop.ui.panels.agreement_votes_panel import AgreementVotesPanel
from workshop.ui.panels.coordination_panel import CoordinationPanel
from workshop.ui.panels.data_collection_panel import DataCollectionPanel
from workshop.ui.panels.facilitation_panel import FacilitationPanel
from workshop.ui.panels.plan_panel import PlanPanel
from workshop.ui.panels.survey_panel import SurveyPanel
from workshop.ui.participation.panel import ParticipantsPanel, install_participation
from workshop.ui.presenter.presenter_actions import PresenterControl
from workshop.ui.walkthrough.walkthrough_panel import install_walkthrough
from workshop.ui.window.step_follow import StepFollower

if TYPE_CHECKING:
    from workshop.ui.host import PanelsHost


def install_panels(window: PanelsHost) -> tuple[StepFollower, PresenterControl, ParticipantsPanel]:
    """Every panel, docked and wired; returns the three the window keeps (it sets them as its attributes)."""
    walkthrough = install_walkthrough(window)

    def follow_tab(_index: int) -> None:
        # the walkthrough highlight belongs on the scene of the model being shown
        overlay = walkthrough.overlay
        scene = window.scene
        if overlay is not None and scene is not None and overlay.scene is not scene:
            overlay.clear()
            overlay.scene = scene
            walkthrough.refresh()

    window.tabs.currentChanged.connect(follow_tab)
    started = step_started_at(window.workshop_file.records()) if window.document.session.current_step else None
    facilitation = FacilitationPanel(window.document, window.apply, started=started)
    window.add_dock(facilitation, "Facilitation")
    window.add_dock(PlanPanel(window.document), "Plan")
    step_follower = StepFollower(window, facilitation)
    facilitation.time_up.connect(lambda: window.qt_window.statusBar().showMessage("Time is up for this step.", 15000))
    votes = AgreementVotesPanel(window.document, window.apply, selection=window.selection)
    window.selection_changed.connect(votes.follow_selection)  # a node clicked on the canvas: dots go to it
    window.add_dock(votes, "Agreement and votes")
    # the contract's history is read from the log of the file open now (Save As rebinds the file)
    coordination = CoordinationPanel(window.document, window.apply, lambda: window.workshop_file.records())
    window.add_dock(coordination, "Coordination")
    install_export(window)
    window.add_dock(DataCollectionPanel(window.document, window.apply), "Data collection")
    presenter = PresenterControl(window)
    participants = install_participation(window, on_join_info=presenter.set_join_info)
    _install_boundary_object_panels(window)
    survey = SurveyPanel(window.document, window.apply)
    window.add_dock(survey, "Survey", Qt.DockWidgetArea.RightDockWidgetArea)

    def colour_handoffs(cells: object) -> None:
        for scene in window.scenes.values():
            show_ties(scene, cells)  # type: ignore[arg-type]

    survey.ties_changed.connect(colour_handoffs)
    return step_follower, presenter, participants


def _install_boundary_object_panels(window: PanelsHost) -> None:
    """Health, boundaries, glossary and annotations: what makes the flowchart a boundary object."""
    from workshop.ui.panels.annotations_panel import AnnotationsPanel
    from workshop.ui.panels.boundaries_panel import BoundariesPanel
    from workshop.ui.panels.glossary_panel import GlossaryPanel
    from workshop.ui.panels.health_panel import HealthPanel

    health = HealthPanel(window.document, window.current_model_id, window.focus_element)
    window.tabs.currentChanged.connect(lambda _i: health.request())
    boundaries = BoundariesPanel(window.document, window.apply, window.selection, window.focus_element)
    annotations = AnnotationsPanel(
        window.document, window.apply, window.selection, window.focus_element, window.current_model_id
    )
    health_dock = window.add_dock(health, "Health")
    # a dock tab coming to the front is no showEvent for its panel (it counted as visible behind the other tab)
    health_dock.visibilityChanged.connect(lambda shown: shown and QTimer.singleShot(0, health.request))
    window.add_dock(boundaries, "Boundaries")
    window.add_dock(GlossaryPanel(window.document, window.apply), "Glossary")
    window.add_dock(annotations, "Annotations")
    window.element_actions += [
        ("Mark knowledge boundary…", boundaries.mark_interactively),
        ("Add annotation…", annotations.add_interactively),
    ]
