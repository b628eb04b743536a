"""Numbers a person can read: Uzbek-style grouping, mln / mlrd so'm, percentages.

>>> number(1234567)
'1 234 567'
>>> money(2_450_000_000)
'2,5 mlrd so‘m'
>>> pct(0.1234)
'12,3 %'
"""
from __future__ import annotations

import math

import settings
from ui.i18n import t

NBSP = "\u00a0"  # keeps "1 234 567" on one line


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x, decimals: int = 0) -> str:
    """Group thousands with a (non-breaking) space and use a decimal comma."""
    if _missing(x):
        return "—"
    s = f"{x:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return s


def count(x, min_cell: int | None = None) -> str:
    """A count of people or households; below the ``MIN_CELL`` setting it is
    suppressed (shown as ``<10``) so that no small group can be singled out."""
    if _missing(x):
        return "—"
    limit = settings.get("MIN_CELL") if min_cell is None else min_cell
    if 0 < x < limit:
        return f"<{limit}"
    return number(x)


def money(x, lang: str | None = None) -> str:
    """So'm amounts: below a million in full, then mln, mlrd, trln with one decimal."""
    if _missing(x):
        return "—"
    for size, key in ((1e12, "fmt.trln"), (1e9, "fmt.mlrd"), (1e6, "fmt.mln")):
        if abs(x) >= size:
            return f"{number(x / size, 1)} {t(key, lang)} {t('fmt.som', lang)}"
    return f"{number(x)} {t('fmt.som', lang)}"


def pct(x, decimals: int = 1) -> str:
    """A share (0.123) as a percentage with one decimal: ``12,3 %``."""
    if _missing(x):
        return "—"
    return f"{number(100 * x, decimals)}{NBSP}%"


def signed_pct(x, decimals: int = 1) -> str:
    """A change as a signed percentage: ``+4,2 %`` / ``−1,0 %``."""
    if _missing(x):
        return "—"
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{number(abs(100 * x), decimals)}{NBSP}%"


def signed_number(x, decimals: int = 0) -> str:
    """A change as a signed number: ``+1 234`` / ``−2,5``."""
    if _missing(x):
        return "—"
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{number(abs(x), decimals)}"
