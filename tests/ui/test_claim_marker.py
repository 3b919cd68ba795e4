"""An ownership claim shows on the node it claims and is listed in the report, by organization."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.canvas_helpers import example_window
from workshop.domain.model.record import SessionRecord
from workshop.interchange.report_pdf import write_report


def test_a_claim_is_marked_on_its_node_and_listed_in_the_report(qtbot: QtBot, tmp_path: Path) -> None:
    window = example_window(qtbot, tmp_path)
    session = window.document.session
    model_id = window.current_model_id()
    node = next(n for n in session.nodes.values() if n.model_id == model_id and n.node_kind == "activity")
    claimant = next(o for o in session.organizations.values() if o.id != node.owner_org_id)
    window.ownership.record_claim(node.id, claimant.id)
    overlay = window.overlays[model_id or ""]
    qtbot.waitUntil(lambda: any(b.text == "⚑" for b in overlay.items), timeout=3000)
    badge = next(b for b in overlay.items if b.text == "⚑")
    assert claimant.name in badge.toolTip()
    assert badge.radius >= 14
    report = tmp_path / "report.pdf"
    with report.open("wb") as stream:
        write_report(SessionRecord(window.document.session), stream)
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout
    assert "Who claims to own which activity" in text
    assert "not yet" in text
