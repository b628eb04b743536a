"""Names shown on screen: regions, districts, programmes, channels, months, periods.

Geography names come from the warehouse's reference tables (``name_uz`` /
``name_uz_cyrl`` / ``name_ru`` / ``name_en``); month names from CLDR (Babel), placed
by the catalogue's date patterns (``fmt.month_year`` = ``y-'yil' MMMM`` in Uzbek,
``LLLL y 'г.'`` in Russian: an LDML pattern, so a language chooses the stand-alone
``LLLL`` or the format-context ``MMMM`` month -- Russian genitive ``июня`` only where
its grammar needs it); everything else from the i18n catalogues.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
from babel.dates import format_date, get_month_names

from ui.i18n import current_lang, locale, t

#: The reference-table name column of each UI language.
NAME_COLUMNS = {"uz": "name_uz", "uz_Cyrl": "name_uz_cyrl", "ru": "name_ru", "en": "name_en"}


def name_column(lang: str | None = None, prefix: str = "") -> str:
    """The reference-table name column for ``lang`` (``name_uz``, ``name_uz_cyrl`` ...)."""
    lang = lang or current_lang()
    return f"{prefix}{NAME_COLUMNS.get(lang, 'name_uz')}"


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


def date(d: dt.date, key: str, lang: str | None = None) -> str:
    """``d`` written with the LDML date pattern of catalogue ``key`` (CLDR month names)."""
    lang = lang or current_lang()
    return format_date(d, t(key, lang), locale=locale(lang))


def month_name(m: int, lang: str | None = None) -> str:
    """The name of month ``m`` (1-12) on its own, as a picker lists it: CLDR's stand-alone form
    (``Yanvar``, ``январь``, ``January``)."""
    lang = lang or current_lang()
    return get_month_names("wide", "stand-alone", locale(lang))[m]


def month(d: dt.date, lang: str | None = None, short: bool = False) -> str:
    """``2025-yil iyun`` / ``июнь 2025 г.`` / ``June 2025`` (``iyn 2025`` ... short)."""
    return date(d, "fmt.month_short" if short else "fmt.month_year", lang)


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
        return f"{date(start, 'fmt.month_alone_short', lang)}–{month(end, lang, short=True)}"
    return f"{month(start, lang, short=True)} – {month(end, lang, short=True)}"


def as_of(d: dt.date, lang: str | None = None) -> str:
    """``2025-yil iyun holatiga`` / ``на конец июня 2025 г.`` (a stock at the end of a month)."""
    return date(d, "fmt.as_of", lang)


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


def indicator_title(ind, when: str, place: str | None = None, suffix: str = "", lang: str | None = None) -> str:
    """A chart title naming the indicator, its unit, (the place) and the period."""
    label = t(ind.label_key, lang) + suffix
    return chart_title(label, title_unit(ind, lang), f"{place} · {when}" if place else when)


def shorten(name: str, kinds, lang: str | None = None) -> str:
    """``name`` in its short form, by the catalogue's patterns: for each ``kind`` of ``kinds``,
    ``geo.label.<kind>`` says how such a name reads in the reference table (``{name} viloyati``,
    ``город {name}``) and ``geo.label.<kind>_short`` how it reads short (``{name}``, ``г. {name}``);
    the first pattern that matches wins, a name that none matches stays as it is."""
    lang = lang or current_lang()
    for kind in kinds:
        head, _, tail = t(f"geo.label.{kind}", lang).partition("{name}")
        if (head or tail) and name.startswith(head) and name.endswith(tail) and len(name) > len(head + tail):
            return t(f"geo.label.{kind}_short", lang, name=name[len(head):len(name) - len(tail)])
    return name


def short_district(name: str, lang: str | None = None) -> str:
    """A district's or city's name without its kind, for a map label or a card: ``Oltinko‘l tumani``
    → ``Oltinko‘l``, ``город Андижан`` → ``г. Андижан``."""
    return shorten(name, ("district", "city"), lang)


def short_region(name: str, lang: str | None = None) -> str:
    """A region's name as short as it stays unambiguous: ``Buxoro viloyati`` → ``Buxoro``,
    ``Toshkent shahri`` → ``Toshkent sh.``, ``Кашкадарьинская область`` → ``Кашкадарьинская обл.``."""
    return shorten(name, ("region", "republic", "city"), lang).strip()
