"""A table as every tabular output writes it: the CSV files, the PDF report's tables, the study record.

In a module of its own so the modules that build tables (record_tables,
table1, study_tables, study_summaries) can share it without importing one
another.
"""

from __future__ import annotations

Table = tuple[list[str], list[list[str]]]
"""(header, rows)."""
