"""How the diagram looks, per theme: the one table of its colours, dash patterns and stroke widths.

The diagram is drawn by four renderers: the canvas (Qt, :mod:`workshop.ui.themes`
reads this table), the SVG picture (:mod:`workshop.interchange.pictures`), the
PDF report (:mod:`workshop.interchange.report_diagram`) and the phone page
(served as CSS variables by :mod:`workshop.live.page_style`). Each used to
carry its own copy, and the handoff colour had drifted (``#d84315`` in one,
``#d9532c`` in another): a colour or width changed here changes every drawing.

Plain data in the domain layer so that every layer above can read it, and
no renderer has to import another. The exports and the phone page draw with
the light style; the canvas uses whichever theme the facilitator chose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

RED, AMBER, GREEN, SLATE = "#c62828", "#ef6c00", "#2e7d32", "#546e7a"
"""Signal colours shared by the boundary markers and the step clock (the same red means the same alarm)."""

BOUNDARY_STATUS_COLOURS: Mapping[str, str] = MappingProxyType({"open": RED, "being_crossed": AMBER, "crossed": GREEN})
"""A knowledge boundary's marker by its status: red while open, amber while being crossed, green once crossed."""

CLOCK_PHASE_COLOURS: Mapping[str, str] = MappingProxyType({"warning": AMBER, "over": RED, "paused": SLATE})
"""The step clock's colour by phase (:class:`workshop.domain.facilitation.step_clock.Phase`): amber near the end,
red over."""

NO_ORGANIZATION = "#9e9e9e"
"""A lane or shape whose organization is unknown (deleted, or not set yet)."""

ON_COLOUR = "#ffffff"
"""Text and rings drawn on an organization's or a status's colour: lane titles, boundary markers."""

BADGE_COLOURS: Mapping[str, str] = MappingProxyType(
    {"no_owner": "#6a1b9a", "notes": "#1565c0", "term_differs": "#ad1457", "term_agreed": SLATE, "claimed": "#e65100"}
)
"""The canvas's badges on a shape: no owner yet, how many annotations, a glossary term that means different
things to different organizations (or one they agree on), an ownership claim not yet resolved."""

WALK_TOKEN = "#ffb000"
"""Where the walkthrough's token stands: the canvas's highlight and the phone's ring."""


@dataclass(frozen=True)
class DiagramStyle:
    """One theme's look of the diagram. Widths are in scene units (1 unit = 1 px at 100 %)."""

    name: str
    background: str
    text: str
    node_fill: str
    node_border: str
    flow: str
    handoff: str
    selection: str
    """The selection on the canvas; in the report, the grid that numbers a large model's parts."""
    grid: str
    lane_fill_alpha: float
    """How strongly a lane's band shows its organization's colour (0..1); its header is the full colour."""
    line_width: float
    """Shape outlines and ordinary flows."""
    handoff_width: float
    handoff_dash: tuple[float, float] = (3.0, 1.5)
    """A handoff's dash and gap, in multiples of :attr:`handoff_width` (Qt's convention for a pen's dashes)."""
    boundary_status: Mapping[str, str] = field(default_factory=lambda: BOUNDARY_STATUS_COLOURS)
    no_organization: str = NO_ORGANIZATION
    on_colour: str = ON_COLOUR
    walk_token: str = WALK_TOKEN

    @property
    def end_line_width(self) -> float:
        """An end event's outline: three times a shape's, so it reads as an end from across the room."""
        return self.line_width * 3

    @property
    def lane_line_width(self) -> float:
        """The line between two lanes: half a shape's outline."""
        return self.line_width / 2

    @property
    def handoff_dash_px(self) -> tuple[float, float]:
        """The handoff's dash and gap in scene units, for renderers that take lengths (SVG, PDF, CSS)."""
        dash, gap = self.handoff_dash
        return dash * self.handoff_width, gap * self.handoff_width


STYLES: Mapping[str, DiagramStyle] = MappingProxyType(
    {
        "light": DiagramStyle(
            name="light",
            background="#fafafa",
            text="#1b1b1b",
            node_fill="#ffffff",
            node_border="#37474f",
            flow="#455a64",
            handoff="#d84315",
            selection="#1565c0",
            grid="#eceff1",
            lane_fill_alpha=0.11,
            line_width=2.0,
            handoff_width=4.0,
        ),
        "dark": DiagramStyle(
            name="dark",
            background="#1e1f22",
            text="#eceff1",
            node_fill="#2b2d31",
            node_border="#b0bec5",
            flow="#b0bec5",
            handoff="#ff8a65",
            selection="#64b5f6",
            grid="#26282c",
            lane_fill_alpha=0.18,
            line_width=2.0,
            handoff_width=4.0,
        ),
        "projector": DiagramStyle(
            name="projector",
            background="#ffffff",
            text="#000000",
            node_fill="#ffffff",
            node_border="#000000",
            flow="#000000",
            handoff="#d50000",
            selection="#0033cc",
            grid="#ffffff",
            lane_fill_alpha=0.135,
            line_width=3.0,
            handoff_width=6.0,
        ),
    }
)
"""Every theme's style by name: light and dark for the app, the high-contrast projector theme."""

PRINTED = STYLES["light"]
"""The style of every drawing that leaves the app: the SVG and PDF exports, and the phone page."""
