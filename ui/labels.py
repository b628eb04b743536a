"""Names shown on screen: regions, districts, programmes, channels, months, periods.

Geography names come from the warehouse's reference tables (``name_uz`` /
``name_ru`` / ``name_en``); everything else from the i18n catalogues.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ui.i18n import current_lang, t


def name_column(lang: str | None = None, prefix: str = "") -> str:
    """The reference-table name column for ``lang`` (``name_uz`` ...)."""
    lang = lang or current_lang()
    return f"{prefix}name_{lang if lang in ('uz', 'ru', 'en') else 'uz'}"


def place_names(df: pd.DataFrame, lang: str | None = None, prefix: str = "") -> pd.Series:
    """Names of the places in ``df`` (falls back to Uzbek when a name is empty)."""
    col = name_column(lang, prefix)
    uz = df[f"{prefix}name_uz"]
    return df[col].where(df[col].notna() & (df[col] != ""), uz) if col in df else uz


def programme(code: str, lang: str | None = None) -> str:
    """Programme label (``_all`` = every programme)."""
    return t(f"programme.{code}", lang)


def channel(code: str, lang: str | None = None) -> str:
    return t(f"channel.{code}", lang)


def month(d: dt.date, lang: str | None = None, short: bool = False) -> str:
    """``2025-yil iyun`` (or ``iyun 2025`` short)."""
    if short:
        return t("fmt.month_short", lang, month=t(f"month.short.{d.month}", lang), year=d.year)
    return t("fmt.month_year", lang, month=t(f"month.{d.month}", lang), year=d.year)


def period(start: dt.date, end: dt.date, lang: str | None = None) -> str:
    """``2024-yil iyul – 2025-yil iyun`` or a single month."""
    if start == end:
        return month(start, lang)
    return f"{month(start, lang)} – {month(end, lang)}"


def period_short(start: dt.date, end: dt.date, lang: str | None = None) -> str:
    """``yan–dek 2025`` / ``iyl 2024 – iyn 2025`` / ``dek 2025`` (for cards)."""
    if start == end:
        return month(start, lang, short=True)
    if start.year == end.year:
        return t("fmt.month_short", lang, month=f"{t(f'month.short.{start.month}', lang)}–"
                 f"{t(f'month.short.{end.month}', lang)}", year=end.year)
    return f"{month(start, lang, short=True)} – {month(end, lang, short=True)}"


def as_of(d: dt.date, lang: str | None = None) -> str:
    """``2025-yil iyun holatiga`` (a stock at the end of a month)."""
    return t("fmt.as_of", lang, month=month(d, lang))


def chart_title(indicator_label: str, unit: str, when: str) -> str:
    """Every chart's title: indicator, unit, period."""
    unit = f", {unit}" if unit else ""
    return f"{indicator_label}{unit} · {when}"


def unit(ind, lang: str | None = None) -> str:
    """The unit text of indicator ``ind`` for an axis or a title: ``%``, ``oila``,
    ``kun``, ``1 000 kishiga`` ... (empty when it has none)."""
    if ind.unit == "pct":
        return "%"
    key = ind.unit_text_key
    return t(key, lang) if key else ""


def title_unit(ind, lang: str | None = None) -> str:
    """:func:`unit` for a chart title: empty for a ``per100`` indicator, whose label
    already names its base ("..., 100 ta kambag‘al oilaga")."""
    return "" if ind.unit == "per100" else unit(ind, lang)


def indicator_title(ind, when: str, place: str | None = None, suffix: str = "") -> str:
    """A chart title naming the indicator, its unit, (the place) and the period."""
    label = t(ind.label_key) + suffix
    return chart_title(label, title_unit(ind), f"{place} · {when}" if place else when)


#: How a region's name shortens inside a district's cell: (suffix or prefix, replacement) per language.
_REGION_SHORT = {"uz": ((" viloyati", ""), (" Respublikasi", ""), (" shahri", " sh.")),
                 "ru": ((" область", " обл."), ("Республика ", "Респ. "), ("город ", "г. ")),
                 "en": ((" Region", ""), ("Republic of ", ""),)}


def short_region(name: str, lang: str | None = None) -> str:
    """A region's name as short as it stays unambiguous: ``Buxoro viloyati`` → ``Buxoro``,
    ``Toshkent shahri`` → ``Toshkent sh.``."""
    lang = lang or current_lang()
    for old, new in _REGION_SHORT.get(lang, ()):
        name = name.replace(old, new)
    return name.strip()
