"""The one formatting home: every number on a screen or in a chart label is written here.

Digits, grouping, decimal signs and percent patterns come from CLDR through Babel, in
the viewer's language (:func:`ui.i18n.current_lang`, or ``lang=``): Uzbek (Latin and
Cyrillic) and Russian ``1 234 567,5``, English ``1,234,567.5``. Money reads with the
mln / mlrd / trln ladder of the language (``2,5 mlrd so‘m``, ``2,5 млрд сўм``,
``2,5 млрд сум``, ``2.5 bn UZS``); percentages, days and the value of any indicator
by its unit (:func:`indicator`) follow the same rules.

>>> number(1234567, lang="uz")
'1\\xa0234\\xa0567'
>>> number(1234567, lang="en")
'1,234,567'
>>> money(2_450_000_000, lang="uz")
'2,5 mlrd so‘m'
>>> pct(0.1234, lang="uz")
'12,3\\xa0%'

Rounding is half up (``2,45`` -> ``2,5``), the way a printed report rounds; the minus
sign is U+2212 and a positive change carries ``+``.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import parse_pattern

from data.domain import DAYS_CAP
from queries import disclosure
from ui.i18n import current_lang, locale, t

NBSP = "\u00a0"  # keeps "1 234 567" on one line (CLDR's grouping sign in uz and ru)
MISSING = "—"
MINUS = "−"
#: Languages whose percentages keep a non-breaking space before ``%`` although CLDR
#: writes none (``12,3 %``: the house style of the Uzbek reports).
SPACED_PERCENT = ("uz", "uz_Cyrl")


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _lang(lang: str | None) -> str:
    return lang or current_lang()


@lru_cache(maxsize=64)
def _pattern(lang: str, decimals: int, percent: bool = False):
    frac = "." + "0" * decimals if decimals else ""
    if not percent:
        return parse_pattern(f"#,##0{frac}")
    cldr = locale(lang).percent_formats[None].pattern  # "#,##0%", "#,##0 %"
    if lang in SPACED_PERCENT and NBSP not in cldr:
        cldr = cldr.replace("%", NBSP + "%")
    return parse_pattern(cldr.replace("#,##0", f"#,##0{frac}", 1))


def _round(x, decimals: int) -> Decimal:
    """``x`` rounded half up to ``decimals`` (decimal digits as written, not binary ones)."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def rounded(x, decimals: int = 0):
    """``x`` rounded the way the screen writes it (half up), for an export cell: a float
    (an int with ``decimals=0``), or None when missing."""
    if _missing(x):
        return None
    r = _round(x, decimals)
    return int(r) if decimals == 0 else float(r)


#: Values written once per process and language: tables, cards, maps and hovers of every
#: session write the same figures again and again (Babel's pattern and the Decimal rounding
#: cost ~20 µs a value, the look-up well under one).
_WRITTEN = 1 << 16


def number(x, decimals: int = 0, lang: str | None = None) -> str:
    """Group thousands and write decimals the way ``lang`` does (CLDR)."""
    if _missing(x):
        return MISSING
    return _number(float(x), decimals, _lang(lang))


@lru_cache(maxsize=_WRITTEN)
def _number(x: float, decimals: int, lang: str) -> str:
    return _pattern(lang, decimals).apply(_round(x, decimals), locale(lang))


def separators(lang: str | None = None) -> str:
    """Plotly's ``layout.separators`` for ``lang``: its decimal sign, then its grouping sign
    (``", "`` in Uzbek and Russian, ``".,"`` in English), so that axis ticks and hover
    values (``%{y:,.1f}``) read like the rest of the page."""
    symbols = locale(_lang(lang)).number_symbols["latn"]
    return symbols["decimal"] + symbols["group"].replace(NBSP, " ").replace("\u202f", " ")


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


def count(x, min_cell: int | None = None, lang: str | None = None) -> str:
    """A count of people or households; a small one (:func:`queries.disclosure.small`)
    is hidden (shown as ``<10``) so that no small group can be singled out."""
    if _missing(x):
        return MISSING
    if disclosure.small(x, min_cell):
        return f"<{disclosure.min_cell() if min_cell is None else min_cell}"
    return number(x, lang=lang)


#: The mln / mlrd / trln ladder of money amounts (threshold, catalogue key).
MONEY_LADDER = ((1e12, "fmt.trln"), (1e9, "fmt.mlrd"), (1e6, "fmt.mln"))


def _scale(top: float) -> tuple[float, str | None]:
    for size, key in MONEY_LADDER:
        if top >= size:
            return size, key
    return 1.0, None


def money_unit(key: str | None, lang: str | None = None) -> str:
    """The unit of a money value on the ladder: ``mlrd so‘m``, ``млн сум``, ``UZS``."""
    return t("fmt.money_unit", lang, scale=t(key, lang), currency=t("fmt.som", lang)) if key \
        else t("fmt.som", lang)


def money(x, lang: str | None = None) -> str:
    """So'm amounts: below a million in full, then mln, mlrd, trln with one decimal."""
    if _missing(x):
        return MISSING
    size, key = _scale(abs(x))
    return f"{number(x / size, 1 if key else 0, lang)} {money_unit(key, lang)}"


def money_scale(values, lang: str | None = None) -> tuple[float, str]:
    """(divisor, unit) so that money values on an axis read as mln / mlrd / trln so'm."""
    finite = [abs(float(v)) for v in values if not _missing(v)]
    size, key = _scale(max(finite) if finite else 0.0)
    return size, money_unit(key, lang)


def pct(x, decimals: int = 1, lang: str | None = None) -> str:
    """A share (0.123) as a percentage with one decimal: ``12,3 %`` / ``12.3%``."""
    if _missing(x):
        return MISSING
    return _pct(float(x), decimals, _lang(lang))


@lru_cache(maxsize=_WRITTEN)
def _pct(x: float, decimals: int, lang: str) -> str:
    return _pattern(lang, decimals, percent=True).apply(_round(100 * x, decimals) / 100, locale(lang))


def _sign(x) -> str:
    return "+" if x > 0 else (MINUS if x < 0 else "")


def signed_pct(x, decimals: int = 1, lang: str | None = None) -> str:
    """A change as a signed percentage: ``+4,2 %`` / ``−1,0 %``."""
    if _missing(x):
        return MISSING
    return f"{_sign(x)}{pct(abs(x), decimals, lang)}"


def signed_number(x, decimals: int = 0, lang: str | None = None) -> str:
    """A change as a signed number: ``+1 234`` / ``−2,5``."""
    if _missing(x):
        return MISSING
    return f"{_sign(x)}{number(abs(x), decimals, lang)}"


def change(c) -> str:
    """A :class:`queries.indicators.Change` as cards write it: ``+0,4 p.p.`` (points of a
    share), ``+12`` (a ``per100`` value), ``−3,1 %`` (a relative change)."""
    if c.kind == "pp":
        return signed_number(c.diff, 1) + " " + t("fmt.pp")
    if c.kind == "n":
        return signed_number(c.diff)
    return signed_pct(c.diff / 100)


def unsigned_change(c) -> str:
    """The size of a change without its sign, for a sentence that says "rose" or "fell":
    ``0,4`` (points), ``12``, ``3,1 %``."""
    if c.kind == "pp":
        return number(abs(c.diff), 1)
    if c.kind == "n":
        return number(abs(c.diff))
    return pct(abs(c.diff) / 100)


def days(x, median: bool = True, lang: str | None = None) -> str:
    """Days, with the word in its plural form: ``42 kun``, ``44 дня``, ``45 дней``; a median
    (whole days) at the histogram cap reads ``366+ kun``; a mean has one decimal."""
    if _missing(x):
        return MISSING
    if median and x >= DAYS_CAP:
        return t("fmt.days", lang, plural_of=DAYS_CAP, n=f"{number(DAYS_CAP, lang=lang)}+")
    decimals = 0 if median else 1
    return t("fmt.days", lang, plural_of=_round(x, decimals), n=number(x, decimals, lang))


def indicator(ind, value, hidden: bool = False, *, style: str = "card", lang: str | None = None) -> str:
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
    lang : str, optional
        The language (default: the viewer's).
    """
    if hidden:
        return mark(hidden, ind.unit == "count", lang)
    if _missing(value):
        return MISSING
    unit = ind.unit
    if unit == "pct":
        return pct(value, lang=lang)
    if unit == "money":
        return money(value, lang)
    if unit == "count":
        return count(value, lang=lang)
    if unit == "int":
        return number(value, lang=lang)
    if unit == "per100":
        if style == "bare":
            return number(value, lang=lang)
        key = ind.value_key if style == "long" else "fmt.per100"
        return t(key, lang, plural_of=value, n=number(value, lang=lang))
    if unit == "days":
        return days(value, median=ind.median, lang=lang)
    if unit == "change":
        return signed_pct(value, lang=lang)
    return number(value, 1, lang)  # ratio, per1000


def plain(ind, value):
    """The value of ``ind`` as a plain number for an export cell: shares and changes as
    percentages with one decimal, ratios with one decimal, counts, money and days whole."""
    if _missing(value):
        return None
    if ind.unit in ("pct", "change"):
        return rounded(100 * value, 1)
    if ind.unit in ("ratio", "per1000") or (ind.unit == "days" and not ind.median):
        return rounded(value, 1)
    return rounded(value)
