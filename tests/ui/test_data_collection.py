"""The Data collection panel fills the method's summary table; nothing is typed twice."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.domain.builders import two_org_document
from tests.ui.test_boundary_object_panels import _in_dialog
from workshop.domain.facilitation.progress import load_script_op
from workshop.domain.facilitation.script import load_script
from workshop.interchange.table1 import table1
from workshop.resources import scripts_dir
from workshop.ui.panels.data_collection_panel import ArchivalDialog, DataCollectionPanel, EventDialog


def test_recorded_events_and_documents_become_table_one(qtbot: QtBot) -> None:
    doc = two_org_document()
    doc.apply(load_script_op(load_script(scripts_dir() / "three-interventions.yaml")))
    panel = DataCollectionPanel(doc, doc.apply)
    qtbot.addWidget(panel)

    def workshop(dialog: QDialog) -> None:
        assert isinstance(dialog, EventDialog)
        dialog.intervention.setCurrentIndex(0)
        dialog.date.setDate(QDate(2026, 3, 10))
        dialog.process.setText("contact processing")
        dialog.attendance["org-it"].setValue(4)
        dialog.attendance["org-a"].setValue(3)

    def interview(dialog: QDialog) -> None:
        assert isinstance(dialog, EventDialog)
        dialog.intervention.setCurrentIndex(0)
        dialog.kind.setCurrentIndex(dialog.kind.findData("interview"))
        dialog.date.setDate(QDate(2026, 3, 17))
        dialog.names.setText("sales unit manager, billing specialist")

    def archive(dialog: QDialog) -> None:
        assert isinstance(dialog, ArchivalDialog)
        dialog.title.setText("Minutes of the steering group")
        dialog.owner.setCurrentIndex(dialog.owner.findData("org-it"))

    for fill, cls, button in (
        (workshop, EventDialog, panel.add_event_button),
        (interview, EventDialog, panel.add_event_button),
        (archive, ArchivalDialog, panel.add_archival_button),
    ):
        _in_dialog(qtbot, cls, fill)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert panel.events.rowCount() == 2
    header, rows = table1(doc.session)
    (row,) = rows
    values = dict(zip(header, row, strict=True))
    assert values["intervention"] == "1 · Shared domain knowledge"
    assert values["business process developed"] == "contact processing"
    assert values["process modeling workshops"] == "1"
    assert values["workshop weeks"] == "week 11"
    assert values["workshop participants per organization"] == "Customer group A 3, IT provider 4"
    assert values["interviews"] == "1"
    assert values["interviewees"] == "sales unit manager; billing specialist"
    assert values["archival documents"] == "Minutes of the steering group"
