"""New workshop from another tool's BPMN file: its pools become the organizations the facilitator typed."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from tests.conftest import TEST_DATA
from workshop.domain.model.geometry import model_lanes
from workshop.ui.files.new_workshop import NewWorkshopDialog
from workshop.ui.files.opening import new_workshop

C_1_0 = TEST_DATA / "bpmn-miwg" / "reference" / "C.1.0.bpmn"


def test_pools_are_matched_by_name_renamed_by_hand_and_typed_ones_added(qtbot: QtBot) -> None:
    dialog = NewWorkshopDialog()
    qtbot.addWidget(dialog)
    dialog.title.setText("Invoices, intervention 1")
    qtbot.keyClicks(dialog.organizations, "Team assistant")
    dialog.organizations.appendPlainText("Process engine\nAccounting")
    dialog.choose_file(dialog.from_bpmn, C_1_0)
    assert not dialog.pool_map.isHidden()
    table = dialog.pool_map.table
    rows = {table.item(row, 0).text().splitlines()[0]: row for row in range(table.rowCount())}
    assert set(rows) == {"Team-Assistant", "Process Engine - Invoice Receipt"}
    assert dialog.pool_map.mapping() == {
        "org-sid-46891B57-A9D3-4A8B-AEBF-D4BA5F3961AD": "Team assistant",
        "org-Process_Engine_1": "Process engine",
    }
    assert "Accounting" in dialog.pool_map.added.text()
    engine = table.cellWidget(rows["Process Engine - Invoice Receipt"], 1)
    assert isinstance(engine, QComboBox)
    engine.setCurrentText("Invoice office")  # the facilitator renames this one by hand
    dialog.organizations.appendPlainText("Customer")  # typing more keeps what was chosen by hand
    assert dialog.pool_map.mapping()["org-Process_Engine_1"] == "Invoice office"
    dialog.accept()
    choice = dialog.choice()
    document, _file, _note, _missing = new_workshop(
        choice.title,
        choice.organizations,
        bpmn=choice.bpmn,
        script=choice.script,
        organization_map=choice.organization_map,
    )
    session = document.session
    names = sorted(org.name for org in session.organizations.values())
    assert names == ["Accounting", "Customer", "Invoice office", "Process engine", "Team assistant"]
    model_id = next(iter(session.models))
    lanes_per_org = {}
    for lane in model_lanes(session, model_id):
        lanes_per_org.setdefault(session.organizations[lane.organization_id].name, []).append(lane)
    assert len(lanes_per_org["Team assistant"]) == 1
    assert len(lanes_per_org["Invoice office"]) == 3  # the file's three lanes, in the renamed pool
    owned = {session.organizations[n.owner_org_id].name for n in session.nodes.values() if n.owner_org_id}
    assert owned <= {"Team assistant", "Invoice office"}


def test_starting_from_an_empty_model_hides_the_pools(qtbot: QtBot) -> None:
    dialog = NewWorkshopDialog()
    qtbot.addWidget(dialog)
    dialog.choose_file(dialog.from_bpmn, C_1_0)
    dialog.empty.setChecked(True)
    assert dialog.pool_map.isHidden()
    assert dialog.choice().organization_map is None
