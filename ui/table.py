"""District tables on screen, with their export (``ui.export``).

On screen every number is formatted (``1 234 567``, ``12,3 %``, ``2,5 mlrd
so'm``) and small counts are hidden (``<10``; a share or amount built on one
shows ``n<10``) — both decided by :mod:`queries.disclosure`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from queries import disclosure, indicators
from ui import export, fmt, labels
from ui.memo import shared
from ui.i18n import t

#: Table column kind of each indicator unit.
KIND_OF_UNIT = {"pct": "pct", "count": "count", "int": "int", "money": "money", "ratio": "number",
                "per1000": "number", "per100": "int", "change": "signed_pct"}


@dataclass(frozen=True)
class Col:
    """One column: source ``key``, header ``label`` and ``kind``
    (``text``, ``count``, ``money``, ``pct``, ``signed_pct``, ``number``, ``int``:
    a whole number that is not a count of people, e.g. staff or mahallas, never hidden).
    ``guard`` names count columns whose small values hide this one; ``unit`` the unit its export
    header names (default: by kind or indicator, :func:`ui.export.unit`). ``screen=False``: in the
    export, and on screen only when the user shows it from the table's column menu (tables fit
    the page at 1366 px without sideways scrolling). ``short``: a shorter header on screen (the
    export keeps ``label``). ``export=False``: on screen only (e.g. a district and its region in
    one cell, which the export lists as two columns); ``display=False``: in the export only."""

    key: str
    label: str
    kind: str = "text"
    guard: tuple[str, ...] = ()
    indicator: str | None = None
    suffix: str = ""
    unit: str | None = None
    screen: bool = True
    short: str | None = None
    export: bool = True
    display: bool = True

    @property
    def heading(self) -> str:
        """The header on screen: ``short`` when given (the full label is the column's tooltip)."""
        return self.short or self.label

    @classmethod
    def of(cls, indicator_id: str, label: str | None = None, suffix: str = "", screen: bool = True,
           short: str | None = None) -> "Col":
        """The column of an indicator's values per row (computed by the registry): its kind
        from the unit, its guard from the people counts, its label the indicator's short
        name. ``suffix="_cmp"``: the comparison period's value."""
        ind = indicators.get(indicator_id)
        kind = "int" if ind.unit == "days" and ind.median else KIND_OF_UNIT.get(ind.unit, "number")
        guard = ind.people_counts if ind.unit == "change" else tuple(c + suffix for c in ind.people_counts)
        return cls(indicator_id + suffix, label or t(ind.short_key), kind, guard, indicator_id, suffix, screen=screen,
                   short=short)

    def values(self, df: pd.DataFrame) -> pd.Series:
        """The column's values in ``df``."""
        if self.indicator is not None:
            return indicators.get(self.indicator).value(df, self.suffix)
        return df[self.key]


def place_cols(ctx, df: pd.DataFrame, name: str = "label", region: str = "region_label") -> tuple[pd.DataFrame, list[Col]]:
    """The district columns of a table: on screen one column "district (region)" (the region only
    when no region is chosen: else every row has the same), in the export a district column and a
    region column. Returns ``df`` with the screen column and the three columns."""
    heading = t("kit.col.district")
    shown = df[name] if ctx.f.region else df[name] + " (" + df[region].fillna("").map(labels.short_region) + ")"
    return df.assign(place=shown.values), [Col("place", heading, export=False),
                                           Col(name, heading, display=False),
                                           Col(region, t("kit.col.region"), display=False)]


def _own(col: Col) -> tuple[str, ...]:
    return (col.key,) if col.kind == "count" and col.indicator is None else ()  # (an indicator's guard has it)


def hidden_mask(masks: disclosure.Masks, col: Col) -> pd.Series:
    """Rows where the column's value is hidden: a count or a guard count is small, or the query
    layer withheld it (complementary suppression, differencing; an amount built on a hidden count)."""
    mask = masks.any(col.guard + _own(col))
    if col.indicator is None and col.key in masks.df.columns:
        mask = mask | masks.status(col.key)
    return mask


def marks(df: pd.DataFrame, masks: disclosure.Masks, col: Col, lang: str | None = None) -> pd.Series:
    """The mark of each hidden cell of ``col``: ``<10`` / ``n<10`` where a count behind it is
    small, ``×`` where it is withheld to protect another cell."""
    primary = masks.primary(col.guard + _own(col))
    small_mark = fmt.hidden_count() if col.kind == "count" else fmt.hidden_value(lang)
    return pd.Series(np.where(primary, small_mark, fmt.withheld_mark(lang)), index=df.index)


_SHOW = {"text": lambda v: "" if pd.isna(v) else str(v), "count": fmt.count, "money": fmt.money,
         "pct": fmt.pct, "signed_pct": fmt.signed_pct, "number": lambda v: fmt.number(v, 1),
         "int": lambda v: fmt.number(v)}


@shared(maxsize=256)
def display_frame(df: pd.DataFrame, cols: list[Col]) -> pd.DataFrame:
    """The table as shown: formatted strings, small counts hidden (shared by every session
    showing the same table, :func:`ui.memo.shared`)."""
    out = {}
    masks = disclosure.Masks(df)
    for c in cols:
        if not c.display:
            continue
        shown = c.values(df).map(_SHOW[c.kind])
        if c.kind != "text":
            shown = shown.where(~hidden_mask(masks, c), marks(df, masks, c))
        out[c.heading] = shown
    return pd.DataFrame(out)


def table_with_export(ctx, df: pd.DataFrame, cols: list[Col], *, title: str, what: str, key: str,
                      subtitle: str = "", height: int | str = "auto") -> None:
    """Show the table and its CSV / Excel downloads (``what``: page and table in the file name)."""
    if df.empty:
        st.info(t("kit.empty.table"))
        return
    st.markdown(f"**{title}**")
    # columns left out of column_order are hidden, and the table's column menu shows them again
    config = {c.heading: st.column_config.Column(help=c.label) for c in cols if c.short}
    config[cols[0].heading] = st.column_config.Column(pinned=True)  # the row's name stays in view
    st.dataframe(display_frame(df, cols), hide_index=True, width="stretch", height=height,
                 column_order=[c.heading for c in cols if c.screen and c.display], column_config=config,
                 placeholder=fmt.MISSING)
    more = sum(not c.screen and c.display for c in cols)
    if more:
        st.caption(t("export.more_columns", n=more))
    export.buttons(ctx, lambda lang: export.frame(df, cols, lang), title=title, subtitle=subtitle, what=what,
                   key=key, cols=cols)
