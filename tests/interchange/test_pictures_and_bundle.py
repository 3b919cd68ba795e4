"""Pictures of the model and the session-record bundle."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from workshop.domain.model.record import SessionRecord
from workshop.interchange.bundle import write_bundle
from workshop.interchange.pictures import model_svg
from workshop.resources import example_session_path
from workshop.store.sessions import load_session_json
from workshop.ui.presenter.rasterize import svg_to_png


def test_svg_names_its_font_and_draws_every_label() -> None:
    session = load_session_json(example_session_path())
    svg = model_svg(session).decode("utf-8")
    assert 'font-family="DejaVu Sans, sans-serif"' in svg
    assert svg.count('<g class="flow">') == len(session.flows)
    handoffs = svg.count('stroke-dasharray="12 6"')  # the style table's handoff dash, as on the canvas
    assert 0 < handoffs < len(session.flows)
    for word in ("Register contact in", "Billing system", "Customer group", "A — Local sales"):
        assert word in svg
    assert 'fill="#ffffff">End-users</text>' in svg, "lane titles in white on the lane's colour"
    assert "<script" not in svg


def test_png_is_an_image_of_the_whole_model(qapp: QApplication) -> None:
    session = load_session_json(example_session_path())
    image = QImage.fromData(svg_to_png(model_svg(session), scale=0.5))
    assert not image.isNull()
    assert image.width() > 1000
    assert image.height() > 400


def test_the_bundle_holds_every_export_and_by_default_not_the_session_file(tmp_path: Path) -> None:
    session_file = tmp_path / "s.workshop"
    session_file.write_bytes(b"SQLite format 3\x00 stand-in")
    stream = io.BytesIO()
    names = write_bundle(SessionRecord(load_session_json(example_session_path())), stream, session_file)
    with zipfile.ZipFile(stream) as archive:
        assert set(archive.namelist()) == set(names)
        assert archive.read("report.pdf").startswith(b"%PDF")
    assert {
        "session.json",
        "project.qdpx",
        "tables/op_log.csv",
        "models/model-current.bpmn",
        "models/model-current.svg",
    } <= set(names)
    assert "session/s.workshop" not in names, "the identified .workshop file only in a --full bundle"
