"""Month arithmetic on first days of months, shared by every layer.

>>> import datetime as dt
>>> month_add(dt.date(2024, 11, 1), 3)
datetime.date(2025, 2, 1)
"""
from __future__ import annotations

import datetime as dt
import re


def month_add(d: dt.date, months: int) -> dt.date:
    """First day of the month ``months`` after ``d``'s month."""
    i = d.year * 12 + d.month - 1 + months
    return dt.date(i // 12, i % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Number of months in [start, end] (inclusive)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every first day of month in [start, end]."""
    return [month_add(start, i) for i in range(months_between(start, end))]


#: Years a month may name (``0000-01`` is no month; arithmetic near year 1 or 9999 would overflow).
MIN_YEAR, MAX_YEAR = 1900, 2200


def parse_month(text: str | None) -> dt.date | None:
    """``2024-03`` or ``2024-03-01`` → ``date(2024, 3, 1)``; None when invalid."""
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        return None
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def comparison(start: dt.date, end: dt.date, compare: str = "prev") -> tuple[dt.date, dt.date]:
    """The comparison period of [start, end]: the period of equal length just before it
    (``prev``) or the same months a year earlier (``yoy``); (first, last) month.

    >>> comparison(dt.date(2025, 1, 1), dt.date(2025, 12, 1))
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 1))
    """
    n = months_between(start, end)
    cmp_end = month_add(end, -12 if compare == "yoy" else -n)
    return month_add(cmp_end, 1 - n), cmp_end


class Period:
    """The comparison arithmetic of anything with ``start``, ``end`` (first days of months) and
    ``compare`` (``prev`` | ``yoy``): the dashboard's filters and a brief's request."""

    start: dt.date
    end: dt.date
    compare: str

    @property
    def n_months(self) -> int:
        return months_between(self.start, self.end)

    @property
    def cmp_start(self) -> dt.date:
        """First month of the comparison period (:func:`comparison`)."""
        return comparison(self.start, self.end, self.compare)[0]

    @property
    def cmp_end(self) -> dt.date:
        """Last month of the comparison period."""
        return comparison(self.start, self.end, self.compare)[1]

    @property
    def year_ago(self) -> tuple[dt.date, dt.date]:
        """The same months a year earlier (first and last)."""
        return month_add(self.start, -12), month_add(self.end, -12)
