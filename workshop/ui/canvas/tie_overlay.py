"""Handoffs coloured by relational-coordination tie strength: the weakest ties, where work crosses them."""

from __future__ import annotations

from collections.abc import Iterable

from workshop.domain.research.survey import Cell, handoff_ties, tie_colour
from workshop.ui.canvas.canvas_scene import CanvasScene


def show_ties(scene: CanvasScene, cells: Iterable[Cell] | None) -> dict[str, float | None]:
    """Colour the scene's handoffs by tie strength (``None`` restores the theme's colours); returns the ties."""
    ties = handoff_ties(scene.document.session, scene.model_id, cells) if cells is not None else {}
    for flow_id, item in scene.flow_items.items():
        if flow_id in ties:
            strength = ties[flow_id]
            item.colour_override = tie_colour(strength)
            shown = "too few answers" if strength is None else f"{strength:.1f} of 5"
            item.show_tip(f"Handoff — tie strength between the two organizations: {shown}")
        else:
            item.colour_override = None
        item.update()
    scene.flows_recoloured()
    return ties
