"""The domain: the session model, operations, analysis. Pure Python + pydantic; no Qt, no SQLite, no network."""
