"""A table as every tabular output writes it: the CSV files, the PDF report's tables, the study record.

In a module of its own so the modules that build tables (record_tables,
table1, study_tables, study_summaries) can share it without importing one
another.
"""

from __future__ import annotations

from datetime import date

Table = tuple[list[str], list[list[str]]]
"""(header, rows)."""


def iso_week(text: str) -> str:
    """A date as its ISO week (2026-W11), else the text as given: both Table 1s list workshop weeks so."""
    try:
        year, week, _ = date.fromisoformat(text).isocalendar()
    except ValueError:
        return text
    return f"{year}-W{week:02d}"
