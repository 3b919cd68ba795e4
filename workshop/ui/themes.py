"""Light, dark and high-contrast projector themes: canvas colours, type sizes and widget style sheets.

The diagram's colours and stroke widths come from the one style table
(:mod:`workshop.domain.drawing.style`), which the exports and the phone page read too;
this module adds what only the app has: type sizes and the widgets' style sheets.

The projector theme is for the back of a workshop room: black on white,
strong colours, thick lines and large type on the canvas and in the panels.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from workshop.domain.drawing.style import CLOCK_PHASE_COLOURS, STYLES, DiagramStyle
from workshop.resources import assets_dir
from workshop.ui.settings import app_settings

FONT_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class Theme:
    """What the canvas items read to paint: a :class:`~workshop.domain.drawing.style.DiagramStyle` plus the app's type.

    The diagram's colours and widths are read from the style, not copied: one table holds them.
    """

    style: DiagramStyle
    """The whole style the theme is made from: colours, widths, dash patterns, status and badge colours."""
    label: str
    node_font_px: float
    lane_font_px: float
    flow_font_px: float
    ui_point_size: float = 10.0
    """The widgets' text size. Set as the application font, not in the style sheet: a style sheet's
    font-size would override every label's own size (the projector's 72 px clock would print at 10 pt)."""

    @property
    def name(self) -> str:
        return self.style.name

    @property
    def canvas(self) -> str:
        return self.style.background

    @property
    def text(self) -> str:
        return self.style.text

    @property
    def flow(self) -> str:
        return self.style.flow

    @property
    def handoff(self) -> str:
        return self.style.handoff

    @property
    def selection(self) -> str:
        return self.style.selection


THEMES: dict[str, Theme] = {
    "light": Theme(STYLES["light"], "Light", 15, 17, 13),
    "dark": Theme(STYLES["dark"], "Dark", 15, 17, 13),
    "projector": Theme(STYLES["projector"], "Projector (high contrast)", 19, 22, 17, 15.0),
}
DEFAULT_THEME = "light"

PHASE_COLOURS = CLOCK_PHASE_COLOURS
"""The step clock's colour by phase, from the style table
(:data:`workshop.domain.drawing.style.CLOCK_PHASE_COLOURS`)."""


def saved_theme() -> Theme:
    name = str(app_settings().value("theme", DEFAULT_THEME))
    return THEMES.get(name, THEMES[DEFAULT_THEME])


def save_theme(theme: Theme) -> None:
    app_settings().setValue("theme", theme.name)


def apply_style_sheet(theme: Theme) -> None:
    """Apply the theme's widget style sheet (assets/themes/<name>.qss) to the whole application."""
    app = QApplication.instance()
    path = assets_dir() / "themes" / f"{theme.name}.qss"
    if isinstance(app, QApplication):
        font = QFont(FONT_FAMILY)
        font.setPointSizeF(theme.ui_point_size)
        app.setFont(font)
        app.setStyleSheet(path.read_text(encoding="utf-8") if path.is_file() else "")
