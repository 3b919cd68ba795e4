"""Colours for organizations: each new one gets a colour no other organization in the session has.

Lanes are told apart by colour from across the room, so two organizations in
the same blue defeat the swimlanes. The palette is Tableau 10, chosen to stay
distinct for most forms of colour blindness and on a washed-out projector.
"""

from __future__ import annotations

from workshop.domain.model.session import Session

ORGANIZATION_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def unused_colour(session: Session, also_taken: tuple[str, ...] = ()) -> str:
    """The first palette colour no organization uses (or the least used one, past ten organizations).

    ``also_taken``: colours of organizations being added in the same operation, not yet in the session.
    """
    used = [org.colour.lower() for org in session.organizations.values()] + [c.lower() for c in also_taken]
    return min(ORGANIZATION_COLOURS, key=lambda colour: (used.count(colour), ORGANIZATION_COLOURS.index(colour)))
