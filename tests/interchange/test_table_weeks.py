"""Both Table 1s write workshop weeks as the method's paper does: as a range of ISO week numbers."""

from __future__ import annotations

import pytest

from workshop.interchange.table import weeks


@pytest.mark.parametrize(
    ("dates", "said"),
    [
        (["2007-09-25"], "week 39"),
        (["2007-09-25", "2007-09-27"], "week 39"),
        (["2006-09-14", "2006-08-29", "2006-09-05"], "weeks 35–37"),
        (["2007-01-23", "2007-03-06"], "weeks 4–10"),
        (["2006-12-27", "2007-01-09"], "weeks 52/2006–2/2007"),
        (["2007-01-23", "spring"], "week 4, spring"),
        (["spring"], "spring"),
    ],
)
def test_weeks_as_the_paper_writes_them(dates: list[str], said: str) -> None:
    assert weeks(dates) == said
