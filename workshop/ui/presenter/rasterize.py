"""SVG to PNG with Qt and the app's own fonts: the one rasterizer, kept out of the Qt-free layers.

Pictures are described as SVG in ``workshop.interchange.pictures`` (no Qt
there, so the CLI's other exports and the server never load Qt); turning that
SVG into pixels needs a renderer, and Qt's is the one the project ships.
"""

from __future__ import annotations

import os

from workshop.resources import assets_dir


def svg_to_png(svg: bytes, scale: float = 1.0) -> bytes:
    """Render ``svg`` to PNG bytes at ``scale`` (works without a display)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        _app = QGuiApplication([])
    for path in (assets_dir() / "fonts").glob("*.ttf"):
        QFontDatabase.addApplicationFont(str(path))
    renderer = QSvgRenderer(QByteArray(svg))
    size = renderer.defaultSize()
    image = QImage(round(size.width() * scale), round(size.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide wants str
    return bytes(buffer.data().data())
