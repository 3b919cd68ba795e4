"""A table as every tabular output writes it: the CSV files, the PDF report's tables, the study record.

In a module of its own so the modules that build tables (record_tables,
table1, study_tables, study_summaries) can share it without importing one
another.
"""

from __future__ import annotations

from datetime import date

Table = tuple[list[str], list[list[str]]]
"""(header, rows)."""


def weeks(dates: list[str]) -> str:
    """ISO weeks of ``dates`` as the method's Table 1 writes them: "week 39", "weeks 35–37" (across a new year:
    "weeks 52/2006–2/2007"); a date that is not ISO is given as written."""
    days, others = [], []
    for text in dates:
        try:
            days.append(date.fromisoformat(text))
        except ValueError:
            others.append(text)
    if not days:
        return ", ".join(dict.fromkeys(others))
    days.sort()
    first, last = days[0].isocalendar(), days[-1].isocalendar()
    if (first.year, first.week) == (last.year, last.week):
        said = f"week {first.week}"
    elif first.year == last.year:
        said = f"weeks {first.week}–{last.week}"
    else:
        said = f"weeks {first.week}/{first.year}–{last.week}/{last.year}"
    return ", ".join([said, *dict.fromkeys(others)])
