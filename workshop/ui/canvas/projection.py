"""What changes when the canvas is drawn on the projector: text only at a size the back row reads.

The projector shows the very scene the facilitator edits, so the items learn
from the view they are painted in (the ``widget`` Qt passes to ``paint``)
whether they are on the projector. There, text smaller than
:data:`MIN_TEXT_PX` on screen is left out rather than shrunk to noise, and
selection handles are not drawn.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

MIN_TEXT_PX = 24
"""No text on the projector is smaller than this many pixels (at 1920×1080, from the back of a room)."""


def on_projector(widget: QWidget | None) -> bool:
    """True when ``widget`` (a view's viewport) belongs to the projector's view."""
    view = widget.parentWidget() if widget is not None else None
    return bool(getattr(view, "is_projector", False))


def text_shown(widget: QWidget | None, font_px: float, scale: float, console_min_scale: float) -> bool:
    """Whether text of ``font_px`` scene pixels is drawn at view ``scale``.

    On the projector: only when it is at least :data:`MIN_TEXT_PX` on screen.
    Elsewhere: above the console's level-of-detail threshold (a big model stays fluid).
    """
    if on_projector(widget):
        return font_px * scale >= MIN_TEXT_PX - 0.01
    return scale >= console_min_scale
