"""The one formatting home: every number on a screen or in a chart label is written here.

Uzbek-style grouping, mln / mlrd so'm, percentages, days, and the value of any
indicator by its unit (:func:`indicator`).

>>> number(1234567)
'1 234 567'
>>> money(2_450_000_000)
'2,5 mlrd so‘m'
>>> pct(0.1234)
'12,3 %'
"""
from __future__ import annotations

import math

from data.domain import DAYS_CAP
from queries import disclosure
from ui.i18n import t

NBSP = "\u00a0"  # keeps "1 234 567" on one line
MISSING = "—"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x, decimals: int = 0) -> str:
    """Group thousands with a (non-breaking) space and use a decimal comma."""
    if _missing(x):
        return MISSING
    s = f"{x:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return s


def hidden_count() -> str:
    """How a hidden count reads: ``<10``."""
    return f"<{disclosure.min_cell()}"


def hidden_value(lang: str | None = None) -> str:
    """How a value built on a hidden count reads (a share, an average): ``n<10``."""
    return t("kit.suppressed", lang, n=hidden_count())


def withheld_mark(lang: str | None = None) -> str:
    """How a cell hidden to protect another (secondary suppression) reads: ``×``."""
    return t("access.suppressed.mark", lang)


def mark(kind, is_count: bool, lang: str | None = None) -> str:
    """The mark of a hidden cell: ``<10`` (a small count), ``n<10`` (a value built on one) or
    ``×`` (withheld to protect another cell); ``kind`` is ``"primary"``, ``"secondary"`` or True."""
    if kind == "secondary":
        return withheld_mark(lang)
    return hidden_count() if is_count else hidden_value(lang)


def count(x, min_cell: int | None = None) -> str:
    """A count of people or households; a small one (:func:`queries.disclosure.small`)
    is hidden (shown as ``<10``) so that no small group can be singled out."""
    if _missing(x):
        return MISSING
    if disclosure.small(x, min_cell):
        return f"<{disclosure.min_cell() if min_cell is None else min_cell}"
    return number(x)


def money(x, lang: str | None = None) -> str:
    """So'm amounts: below a million in full, then mln, mlrd, trln with one decimal."""
    if _missing(x):
        return MISSING
    for size, key in MONEY_LADDER:
        if abs(x) >= size:
            return f"{number(x / size, 1)} {t(key, lang)} {t('fmt.som', lang)}"
    return f"{number(x)} {t('fmt.som', lang)}"


#: The mln / mlrd / trln ladder of money amounts (threshold, catalogue key).
MONEY_LADDER = ((1e12, "fmt.trln"), (1e9, "fmt.mlrd"), (1e6, "fmt.mln"))


def money_scale(values, lang: str | None = None) -> tuple[float, str]:
    """(divisor, unit) so that money values on an axis read as mln / mlrd / trln so'm."""
    finite = [abs(float(v)) for v in values if not _missing(v)]
    top = max(finite) if finite else 0.0
    for size, key in MONEY_LADDER:
        if top >= size:
            return size, f"{t(key, lang)} {t('fmt.som', lang)}"
    return 1.0, t("fmt.som", lang)


def pct(x, decimals: int = 1) -> str:
    """A share (0.123) as a percentage with one decimal: ``12,3 %``."""
    if _missing(x):
        return MISSING
    return f"{number(100 * x, decimals)}{NBSP}%"


def signed_pct(x, decimals: int = 1) -> str:
    """A change as a signed percentage: ``+4,2 %`` / ``−1,0 %``."""
    if _missing(x):
        return MISSING
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{number(abs(100 * x), decimals)}{NBSP}%"


def signed_number(x, decimals: int = 0) -> str:
    """A change as a signed number: ``+1 234`` / ``−2,5``."""
    if _missing(x):
        return MISSING
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{number(abs(x), decimals)}"


def days(x, median: bool = True) -> str:
    """Days: ``42 kun``; a median (whole days) at the histogram cap reads ``366+ kun``;
    a mean has one decimal."""
    if _missing(x):
        return MISSING
    if median and x >= DAYS_CAP:
        return f"{DAYS_CAP}+ {t('unit.days')}"
    return f"{number(x, 0 if median else 1)} {t('unit.days')}"


def indicator(ind, value, hidden: bool = False, *, style: str = "card") -> str:
    """The value of indicator ``ind`` as shown on cards, maps, rankings and tables.

    Parameters
    ----------
    ind : queries.indicators.Indicator
    value : float
    hidden : bool
        The value is hidden (:meth:`Indicator.hidden`): ``<10`` for a count,
        ``n<10`` for a value built on one.
    style : {"card", "long", "bare"}
        How a ``per100`` value reads: ``187 / 100`` on cards, with its unit
        (``100 ta kambag‘al oilaga 187 ta``) where there is room (legends), or the bare
        number on maps and ranking bars, whose title names the unit.
    """
    if hidden:
        return mark(hidden, ind.unit == "count")
    if _missing(value):
        return MISSING
    unit = ind.unit
    if unit == "pct":
        return pct(value)
    if unit == "money":
        return money(value)
    if unit == "count":
        return count(value)
    if unit == "int":
        return number(value)
    if unit == "per100":
        if style == "bare":
            return number(value)
        return t(ind.value_key, n=number(value)) if style == "long" else t("fmt.per100", n=number(value))
    if unit == "days":
        return days(value, median=ind.median)
    if unit == "change":
        return signed_pct(value)
    return number(value, 1)  # ratio, per1000


def plain(ind, value):
    """The value of ``ind`` as a plain number for an export cell: shares and changes as
    percentages with one decimal, ratios with one decimal, counts, money and days whole."""
    if _missing(value):
        return None
    if ind.unit in ("pct", "change"):
        return round(100 * value, 1)
    if ind.unit in ("ratio", "per1000") or (ind.unit == "days" and not ind.median):
        return round(value, 1)
    return int(round(value))
