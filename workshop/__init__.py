"""Process Workshop: facilitated, cross-organization process-modeling workshops."""

__version__ = "0.1.0"
