"""Phones in the room: the participant server's bridge to the window and its panel."""
