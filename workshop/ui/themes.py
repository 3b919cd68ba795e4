"""Light, dark and high-contrast projector themes: canvas colours, type sizes and widget style sheets.

The projector theme is for the back of a workshop room: black on white,
strong colours, thick lines and large type on the canvas and in the panels.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from workshop.resources import assets_dir
from workshop.ui.settings import app_settings

FONT_FAMILY = "DejaVu Sans"


@dataclass(frozen=True)
class Theme:
    name: str
    label: str
    canvas: str
    lane_fill_alpha: int
    text: str
    node_fill: str
    node_border: str
    flow: str
    handoff: str
    selection: str
    grid: str
    node_font_px: float
    lane_font_px: float
    flow_font_px: float
    line_width: float
    handoff_width: float
    ui_point_size: float = 10.0
    """The widgets' text size. Set as the application font, not in the style sheet: a style sheet's
    font-size would override every label's own size (the projector's 72 px clock would print at 10 pt)."""


THEMES: dict[str, Theme] = {
    "light": Theme(
        "light",
        "Light",
        "#fafafa",
        28,
        "#1b1b1b",
        "#ffffff",
        "#37474f",
        "#455a64",
        "#d84315",
        "#1565c0",
        "#eceff1",
        15,
        17,
        13,
        2.0,
        4.0,
    ),
    "dark": Theme(
        "dark",
        "Dark",
        "#1e1f22",
        46,
        "#eceff1",
        "#2b2d31",
        "#b0bec5",
        "#b0bec5",
        "#ff8a65",
        "#64b5f6",
        "#26282c",
        15,
        17,
        13,
        2.0,
        4.0,
    ),
    "projector": Theme(
        "projector",
        "Projector (high contrast)",
        "#ffffff",
        34,
        "#000000",
        "#ffffff",
        "#000000",
        "#000000",
        "#d50000",
        "#0033cc",
        "#ffffff",
        19,
        22,
        17,
        3.0,
        6.0,
        15.0,
    ),
}
DEFAULT_THEME = "light"

PHASE_COLOURS = {"warning": "#ef6c00", "over": "#c62828", "paused": "#546e7a"}
"""The step clock's colour by phase (:class:`workshop.domain.step_clock.Phase`): amber near the end, red over."""


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
