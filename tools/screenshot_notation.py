"""One page showing BPMN's notation as every renderer draws it: the canvas, the PDF report, the SVG picture.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tools/screenshot_notation.py \
        tests/data/bpmn-miwg/reference/B.2.0.bpmn docs/screenshots/bpmn-notation.png

Imports FILE, draws the same region of the model (``--region x,y,w,h`` in
scene units) on the canvas (a CanvasScene rendered offscreen), in the SVG
picture (rasterized by Qt) and in the PDF report (page ``--page``, rendered
by poppler's pdftoppm), and puts the three side by side with captions.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from workshop.domain.model.document import Document
from workshop.interchange.bpmn_import import import_bpmn
from workshop.interchange.pictures import model_svg
from workshop.interchange.report_diagram import build_scene
from workshop.ui.canvas.canvas_scene import CanvasScene
from workshop.ui.presenter.rasterize import svg_to_png
from workshop.ui.themes import THEMES

CAPTION = 28


def _canvas(document: Document, model_id: str, region: QRectF, scale: float) -> QImage:
    scene = CanvasScene(document, model_id, THEMES["light"])
    image = QImage(round(region.width() * scale), round(region.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), region)
    painter.end()
    scene.detach()
    return image


def _svg(document: Document, model_id: str, region: QRectF, scale: float) -> QImage:
    session = document.session
    scene = build_scene(session, model_id)
    whole = QImage.fromData(svg_to_png(model_svg(session, model_id), scale))
    left, top = (region.x() - scene.left) * scale, (region.y() - scene.top) * scale
    return whole.copy(round(left), round(top), round(region.width() * scale), round(region.height() * scale))


def _pdf(source: Path, page: int, folder: Path) -> QImage:
    session_file = folder / "model.workshop"
    pdf = folder / "report.pdf"
    run = ["python", "-m", "workshop"]
    subprocess.run([*run, "import", str(source), "-o", str(session_file)], check=True, capture_output=True)
    subprocess.run([*run, "report", str(session_file), "-o", str(pdf)], check=True, capture_output=True)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page), str(pdf), str(folder / "p")])
    [png] = sorted(folder.glob("p*.png"))
    image = QImage(str(png))
    return image.copy(0, 0, image.width(), image.height() // 2)  # the page's diagram; below it is empty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--region", default="0,0,900,620", help="x,y,w,h of the scene to show (scene units)")
    parser.add_argument("--page", type=int, default=3, help="the report's page to show")
    parser.add_argument("--scale", type=float, default=0.8)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    result = import_bpmn(args.file.read_bytes(), source_name=args.file.name)
    document = Document(result.session)
    x, y, w, h = (float(v) for v in args.region.split(","))
    region = QRectF(x, y, w, h)
    with tempfile.TemporaryDirectory() as folder:
        panels = [
            ("Canvas", _canvas(document, result.model_id, region, args.scale)),
            ("SVG picture", _svg(document, result.model_id, region, args.scale)),
            (f"PDF report, page {args.page}", _pdf(args.file, args.page, Path(folder))),
        ]
    height = max(image.height() for _, image in panels) + CAPTION
    width = sum(image.width() for _, image in panels) + 20 * (len(panels) - 1)
    out = QImage(width, height, QImage.Format.Format_ARGB32)
    out.fill(QColor("white"))
    painter = QPainter(out)
    font = QFont("DejaVu Sans")
    font.setPixelSize(18)
    font.setBold(True)
    painter.setFont(font)
    left = 0
    for caption, image in panels:
        painter.drawText(QRectF(left, 0, image.width(), CAPTION), int(Qt.AlignmentFlag.AlignCenter), caption)
        painter.drawImage(left, CAPTION, image)
        left += image.width() + 20
    painter.end()
    out.save(str(args.output))
    print(f"wrote {args.output}")
    app.quit()


if __name__ == "__main__":
    main()
