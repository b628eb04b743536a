"""Reshaping query results the same way on every page (pure pandas, no Streamlit).

Gap-filled month series, top-N categories with the rest together, the last
month of a series, per-category period totals and the yearly growth multiple:
rules that used to be written out in pages. Values themselves come from the
indicator registry (:mod:`queries.indicators`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data.domain import OTHER
from data.months import month_range
from queries import disclosure, indicators


def fill_months(df: pd.DataFrame, start: dt.date, end: dt.date, zeros=()) -> pd.DataFrame:
    """Every month of [start, end] (column ``month`` as timestamps), with the columns
    ``zeros`` set to 0 where the query returned no row for a month."""
    months = pd.DataFrame({"month": pd.to_datetime(month_range(start, end))})
    d = df.copy()
    d["month"] = pd.to_datetime(d["month"])
    return months.merge(d, on="month", how="left").fillna({c: 0 for c in zeros})


def monthly_growth(df: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The rows of ``growth_monthly.sql`` for [start, end] as the growth cards and charts read
    them: every month (zero where nothing was paid) and ``recipient_months`` (a month's
    recipients, summed over the period by ``avg_benefit``)."""
    gm = fill_months(df, start, end, zeros=("amount_uzs", "households"))
    return gm.assign(recipient_months=gm["households"])


def last_month(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest ``month`` of ``df`` (a stock's value at the end of a period)."""
    return df[df["month"] == df["month"].max()] if not df.empty else df


def top_other(df: pd.DataFrame, category: str, value: str, n: int, by=("month",)) -> pd.DataFrame:
    """Keep the ``n`` categories with the largest total ``value``; when more than one other
    category remains, the rest become :data:`data.domain.OTHER`, summed per ``by``."""
    top = list(df.groupby(category)[value].sum().sort_values(ascending=False).index[:n])
    if df[category].nunique() <= len(top) + 1:
        return df
    d = df.assign(**{category: df[category].where(df[category].isin(top), OTHER)})
    return d.groupby([*by, category], as_index=False)[value].agg(strict_sum)


def one_and_rest(df: pd.DataFrame, category: str, keep: str, value: str, by=("month",),
                 into: str = "group") -> pd.DataFrame:
    """Category ``keep`` on its own and every other one together as :data:`data.domain.OTHER`
    (column ``into``), ``value`` summed per ``by``."""
    d = df.assign(**{into: df[category].where(df[category] == keep, OTHER)})
    return d.groupby([*by, into], as_index=False)[value].agg(strict_sum)


def nothing(df: pd.DataFrame, columns) -> bool:
    """Whether ``df`` holds nothing in ``columns``: no rows, or only zeros. A withheld figure
    (NaN: hidden by disclosure control) is something: the page shows it as its mark."""
    if df.empty:
        return True
    vals = df[list(columns)]
    return not vals.isna().any().any() and float(vals.sum().sum()) == 0


def strict_sum(values: pd.Series) -> float:
    """A sum that is withheld (NaN) when any of its parts is: totals are built only from
    published cells, never from what happens to be left."""
    return float("nan") if values.isna().any() else values.sum()


def ordered(categories, present) -> list[str]:
    """``categories`` (a domain code list) that are in ``present``, in list order, then
    :data:`data.domain.OTHER` when present."""
    have = set(present)
    return [c for c in categories if c in have] + ([OTHER] if OTHER in have else [])


def period_totals(df: pd.DataFrame, key: str, end: dt.date) -> pd.DataFrame:
    """Per ``key`` over a period of monthly rows (``month``, ``amount_uzs``, ``households``):
    ``amount_uzs`` summed, ``recipient_months`` (households summed over the months) and
    ``households`` at the period's last month (0 when none)."""
    if df.empty:
        return pd.DataFrame(columns=[key, "amount_uzs", "recipient_months", "households"])
    at_end = df[pd.to_datetime(df["month"]) == pd.Timestamp(end)].set_index(key)
    g = df.groupby(key).agg(amount_uzs=("amount_uzs", "sum"), recipient_months=("households", "sum"))
    g = g.assign(households=at_end["households"].reindex(g.index).fillna(0))
    # a total is built only from published cells: any withheld month withholds it
    st = disclosure.STATUS
    if st + "households" in df.columns:
        hh = df.groupby(key)[st + "households"].max()
        g[st + "recipient_months"] = hh
        g[st + "households"] = at_end[st + "households"].reindex(g.index).fillna(0)
        g[st + "amount_uzs"] = df.groupby(key)[st + "amount_uzs"].max() if st + "amount_uzs" in df else hh
        g = disclosure.withheld(g)
    return g.reset_index()


def compared(cur: pd.DataFrame, prev: pd.DataFrame, key: str) -> pd.DataFrame:
    """Rows of ``cur`` and ``prev`` side by side by ``key`` (``prev``'s columns suffixed
    ``_cmp``), 0 where one side has no row."""
    return cur.merge(prev, on=key, how="outer", suffixes=("", "_cmp")).fillna(0)


def comparison_side(df: pd.DataFrame) -> pd.DataFrame:
    """The comparison period's columns of ``df`` (``<name>_cmp``) under their plain names, so
    that an indicator reads them as it reads the period's."""
    cmp = [c for c in df.columns if c.endswith("_cmp")]
    return df[cmp].rename(columns=lambda c: c[: -len("_cmp")])


@dataclass(frozen=True)
class Multiple:
    """Amount paid in the last complete year against the first year with payments."""

    last_full: int | None      # last complete calendar year in the warehouse
    base_year: int | None      # first year with payments
    times: float | None        # amount(last_full) / amount(base_year)


def growth_multiple(yearly: pd.DataFrame, last_month_in_data: dt.date | None) -> Multiple:
    """The "×N since 2019" of a yearly series (``year``, ``amount_uzs``): complete years only."""
    if yearly.empty or last_month_in_data is None:
        return Multiple(None, None, None)
    m = last_month_in_data
    last_full = m.year if m.month == 12 else m.year - 1
    full = yearly[yearly["year"] <= last_full]
    if len(full) < 2 or float(full["amount_uzs"].iloc[0]) <= 0:
        return Multiple(last_full, None, None)
    return Multiple(last_full, int(full["year"].iloc[0]),
                    float(full["amount_uzs"].iloc[-1]) / float(full["amount_uzs"].iloc[0]))


def with_change(df: pd.DataFrame, prev: pd.DataFrame, indicator_id: str, key: str = "district_soato") -> pd.DataFrame:
    """``df`` with ``change_pp``: the change of a share indicator against ``prev`` (the same
    rows at the comparison period) in percentage points; NaN where the comparison value is hidden."""
    ind = indicators.get(indicator_id)
    before = pd.DataFrame({key: prev[key].values, "value_cmp": ind.value(prev).values,
                           "hidden_cmp": ind.hidden(prev).values})
    out = df.merge(before, on=key, how="left")
    change = (ind.value(out) - out["value_cmp"]) * 100
    return out.assign(change_pp=change.where(~out["hidden_cmp"].fillna(False).astype(bool)))
