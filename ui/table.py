"""District tables on screen and their export (CSV and Excel).

On screen every number is formatted (``1 234 567``, ``12,3 %``, ``2,5 mlrd
so'm``) and small counts are hidden (``<10``; a share or amount built on one
shows ``n<10``) — both decided by :mod:`queries.disclosure`. The export holds
plain numbers (shares as percentages with one decimal) with the same hiding;
the Excel file starts with a title row naming the indicator and the period.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from queries import disclosure, indicators
from ui import fmt
from ui.i18n import current_lang, t

#: Table column kind of each indicator unit.
KIND_OF_UNIT = {"pct": "pct", "count": "count", "int": "int", "money": "money", "ratio": "number",
                "per1000": "number", "per100": "int", "change": "signed_pct"}


@dataclass(frozen=True)
class Col:
    """One column: source ``key``, header ``label`` and ``kind``
    (``text``, ``count``, ``money``, ``pct``, ``signed_pct``, ``number``, ``int``:
    a whole number that is not a count of people, e.g. staff or mahallas, never hidden).
    ``guard`` names count columns whose small values hide this one."""

    key: str
    label: str
    kind: str = "text"
    guard: tuple[str, ...] = ()
    indicator: str | None = None
    suffix: str = ""

    @classmethod
    def of(cls, indicator_id: str, label: str | None = None, suffix: str = "") -> "Col":
        """The column of an indicator's values per row (computed by the registry): its kind
        from the unit, its guard from the people counts, its label the indicator's short
        name. ``suffix="_cmp"``: the comparison period's value."""
        ind = indicators.get(indicator_id)
        kind = "int" if ind.unit == "days" and ind.median else KIND_OF_UNIT.get(ind.unit, "number")
        guard = ind.people_counts if ind.unit == "change" else tuple(c + suffix for c in ind.people_counts)
        return cls(indicator_id + suffix, label or t(ind.short_key), kind, guard, indicator_id, suffix)

    def values(self, df: pd.DataFrame) -> pd.Series:
        """The column's values in ``df``."""
        if self.indicator is not None:
            return indicators.get(self.indicator).value(df, self.suffix)
        return df[self.key]


def with_values(df: pd.DataFrame, ids, suffix: str = "") -> pd.DataFrame:
    """``df`` with one column per indicator of ``ids`` holding its value per row
    (named ``<id><suffix>``; ``suffix="_cmp"`` reads the comparison period's columns)."""
    return df.assign(**{i + suffix: indicators.get(i).value(df, suffix) for i in ids})


def _hidden(masks: disclosure.Masks, col: Col) -> pd.Series:
    own = (col.key,) if col.kind == "count" and col.indicator is None else ()  # (an indicator's guard has it)
    return masks.any(col.guard + own)


_SHOW = {"text": lambda v: "" if pd.isna(v) else str(v), "count": fmt.count, "money": fmt.money,
         "pct": fmt.pct, "signed_pct": fmt.signed_pct, "number": lambda v: fmt.number(v, 1),
         "int": lambda v: fmt.number(v)}


def display_frame(df: pd.DataFrame, cols: list[Col]) -> pd.DataFrame:
    """The table as shown: formatted strings, small counts hidden."""
    out = {}
    masks = disclosure.Masks(df)
    for c in cols:
        shown = c.values(df).map(_SHOW[c.kind])
        if c.kind != "text":
            shown = shown.where(~_hidden(masks, c), fmt.hidden_count() if c.kind == "count" else fmt.hidden_value())
        out[c.label] = shown
    return pd.DataFrame(out)


def export_frame(df: pd.DataFrame, cols: list[Col], lang: str | None = None) -> pd.DataFrame:
    """The table as exported: numbers (shares ×100, one decimal), hidden cells as ``<10``.
    ``lang``: language of the hiding mark (default: the viewer's)."""
    out = {}
    masks = disclosure.Masks(df)
    for c in cols:
        s = c.values(df)
        label = c.label
        if c.kind in ("pct", "signed_pct"):
            s = (pd.to_numeric(s, errors="coerce") * 100).round(1)
            label = f"{c.label} (%)" if "%" not in c.label else c.label
        elif c.kind in ("count", "money", "int"):
            s = pd.to_numeric(s, errors="coerce").round(0).astype("Int64")
        if c.kind != "text":
            s = s.astype(object).where(~_hidden(masks, c),
                                       fmt.hidden_count() if c.kind == "count" else fmt.hidden_value(lang))
        out[label] = s
    return pd.DataFrame(out)


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (opens correctly in Excel)."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def sheet_name(lang: str | None = None) -> str:
    """The Excel sheet's name in ``lang`` (Excel allows 31 characters, none of ``[]:*?/\\``)."""
    return re.sub(r"[\[\]:*?/\\]", "", t("kit.export.sheet", lang))[:31] or "data"


def to_excel(frame: pd.DataFrame, title: str, subtitle: str = "", lang: str | None = None) -> bytes:
    """An .xlsx file: title row, subtitle row, header, data (sheet named in ``lang``)."""
    buf = io.BytesIO()
    sheet = sheet_name(lang)
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        frame.to_excel(xw, index=False, startrow=3, sheet_name=sheet)
        wb, ws = xw.book, xw.sheets[sheet]
        ws.write(0, 0, title, wb.add_format({"bold": True, "font_size": 14}))
        if subtitle:
            ws.write(1, 0, subtitle, wb.add_format({"italic": True, "font_color": "#555555"}))
        int_fmt, dec_fmt = wb.add_format({"num_format": "#,##0"}), wb.add_format({"num_format": "#,##0.0"})
        for i, col in enumerate(frame.columns):
            s = frame[col]
            numeric = pd.to_numeric(s, errors="coerce")
            width = max(len(str(col)), *(len(str(v)) for v in s.head(200))) if len(s) else len(str(col))
            cell = None
            if numeric.notna().any():
                cell = dec_fmt if (numeric.dropna() % 1 != 0).any() else int_fmt
            ws.set_column(i, i, min(max(10, width + 2), 45), cell)
        ws.freeze_panes(4, 1)
    return buf.getvalue()


def slug(text: str) -> str:
    """A file name from ``text``: letters (any script) and digits, joined by ``-``
    (``qamrov-tumanlar-2025-12``, ``охват-по-районам-2025-12``)."""
    s = re.sub(r"[\W_]+", "-", text.replace("‘", "").replace("’", "")).strip("-").lower()
    return s or "qamrov"


def downloads(build, *, title: str, subtitle: str = "", file_stem: str, key: str) -> None:
    """CSV and Excel download buttons for the export frame ``build()`` (called only when a
    button is clicked: not on every run)."""
    c1, c2, _ = st.columns([1, 1, 3])
    lang = current_lang()  # fixed now: the click may be served outside this script run
    c1.download_button(t("kit.export.csv"), lambda: to_csv(build()), file_name=f"{slug(file_stem)}.csv",
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    c2.download_button(t("kit.export.xlsx"), lambda: to_excel(build(), title, subtitle, lang),
                       file_name=f"{slug(file_stem)}.xlsx", key=f"{key}_xlsx", icon=":material/download:",
                       on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def table_with_export(df: pd.DataFrame, cols: list[Col], *, title: str, subtitle: str = "",
                      file_stem: str, key: str, height: int | str = "auto") -> None:
    """Show the table and CSV / Excel download buttons."""
    if df.empty:
        st.info(t("kit.empty.table"))
        return
    st.markdown(f"**{title}**")
    st.dataframe(display_frame(df, cols), hide_index=True, width="stretch", height=height, placeholder=fmt.MISSING)
    # the language is fixed now, as the click may be served outside this script run
    lang = current_lang()
    downloads(lambda: export_frame(df, cols, lang), title=title, subtitle=subtitle, file_stem=file_stem, key=key)
