"""District tables on screen and their export (CSV and Excel).

On screen every number is formatted (``1 234 567``, ``12,3 %``, ``2,5 mlrd
so'm``) and small counts are suppressed (``<10``; a share or amount built on
one shows ``n<10``). The export holds plain
numbers (shares as percentages with one decimal) with the same suppression;
the Excel file starts with a title row naming the indicator and the period.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st

import settings
from ui import fmt
from ui.i18n import current_lang, t


@dataclass(frozen=True)
class Col:
    """One column: source ``key``, header ``label`` and ``kind``
    (``text``, ``count``, ``money``, ``pct``, ``signed_pct``, ``number``, ``int``:
    a whole number that is not a count of people, e.g. staff or mahallas, never suppressed).
    ``guard`` names count columns whose small values suppress this one."""

    key: str
    label: str
    kind: str = "text"
    guard: tuple[str, ...] = ()


def _small(df: pd.DataFrame) -> dict[str, pd.Series]:
    """Per column (computed on first use): is the value a small count, in (0, ``MIN_CELL``)?"""
    limit = settings.get("MIN_CELL")

    class _Masks(dict):
        def __missing__(self, key):
            v = pd.to_numeric(df[key], errors="coerce")
            self[key] = m = (v > 0) & (v < limit)
            return m

    return _Masks()


def _suppressed(df: pd.DataFrame, col: Col, small: dict[str, pd.Series] | None = None) -> pd.Series:
    small = _small(df) if small is None else small
    mask = pd.Series(False, index=df.index)
    for k in col.guard + ((col.key,) if col.kind == "count" else ()):
        mask |= small[k]
    return mask


def display_frame(df: pd.DataFrame, cols: list[Col]) -> pd.DataFrame:
    """The table as shown: formatted strings, small counts suppressed."""
    out = {}
    hidden = fmt.count(1)
    small = _small(df)
    for c in cols:
        s = df[c.key]
        f = {"text": lambda v: "" if pd.isna(v) else str(v), "count": fmt.count, "money": fmt.money,
             "pct": fmt.pct, "signed_pct": fmt.signed_pct, "number": lambda v: fmt.number(v, 1),
             "int": lambda v: fmt.number(v)}[c.kind]
        shown = s.map(f)
        if c.kind != "text":
            shown = shown.where(~_suppressed(df, c, small),
                                hidden if c.kind == "count" else t("kit.suppressed", n=hidden))
        out[c.label] = shown
    return pd.DataFrame(out)


def export_frame(df: pd.DataFrame, cols: list[Col], lang: str | None = None) -> pd.DataFrame:
    """The table as exported: numbers (shares ×100, one decimal), suppressed cells as ``<10``.
    ``lang``: language of the suppression mark (default: the viewer's)."""
    out = {}
    hidden = fmt.count(1)
    small = _small(df)
    for c in cols:
        s = df[c.key]
        label = c.label
        if c.kind in ("pct", "signed_pct"):
            s = (pd.to_numeric(s, errors="coerce") * 100).round(1)
            label = f"{c.label} (%)" if "%" not in c.label else c.label
        elif c.kind in ("count", "money", "int"):
            s = pd.to_numeric(s, errors="coerce").round(0).astype("Int64")
        if c.kind != "text":
            s = s.astype(object).where(~_suppressed(df, c, small),
                                       hidden if c.kind == "count" else t("kit.suppressed", lang, n=hidden))
        out[label] = s
    return pd.DataFrame(out)


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (opens correctly in Excel)."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, title: str, subtitle: str = "") -> bytes:
    """An .xlsx file: title row, subtitle row, header, data."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        frame.to_excel(xw, index=False, startrow=3, sheet_name="data")
        wb, ws = xw.book, xw.sheets["data"]
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
    s = re.sub(r"[^A-Za-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-").lower()
    return s or "qamrov"


def table_with_export(df: pd.DataFrame, cols: list[Col], *, title: str, subtitle: str = "",
                      file_stem: str, key: str, height: int | str = "auto") -> None:
    """Show the table and CSV / Excel download buttons."""
    if df.empty:
        st.info(t("kit.empty.table"))
        return
    st.markdown(f"**{title}**")
    st.dataframe(display_frame(df, cols), hide_index=True, width="stretch", height=height)
    c1, c2, _ = st.columns([1, 1, 3])
    # files (and the export frame) are built only when a button is clicked (callables), not on
    # every run; the language is fixed now, as the click may be served outside this script run
    lang = current_lang()
    c1.download_button(t("kit.export.csv"), lambda: to_csv(export_frame(df, cols, lang)),
                       file_name=f"{slug(file_stem)}.csv",
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    c2.download_button(t("kit.export.xlsx"), lambda: to_excel(export_frame(df, cols, lang), title, subtitle),
                       file_name=f"{slug(file_stem)}.xlsx", key=f"{key}_xlsx", icon=":material/download:",
                       on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
