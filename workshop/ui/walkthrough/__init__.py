"""The simulation workshop's walk: its panel, overlay, clicker keys, summaries and what-if."""
