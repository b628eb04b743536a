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

import numpy as np
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from data.cells import neutralise
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


def _own(col: Col) -> tuple[str, ...]:
    return (col.key,) if col.kind == "count" and col.indicator is None else ()  # (an indicator's guard has it)


def _hidden(masks: disclosure.Masks, col: Col) -> pd.Series:
    mask = masks.any(col.guard + _own(col))
    if col.indicator is None and col.key in masks.df.columns:
        mask = mask | masks.status(col.key)  # an amount built on a hidden count
    return mask


def _marks(df: pd.DataFrame, masks: disclosure.Masks, col: Col, lang: str | None = None) -> pd.Series:
    """The mark of each hidden cell of ``col``: ``<10`` / ``n<10`` where a count behind it is
    small, ``×`` where it is withheld to protect another cell."""
    primary = masks.primary(col.guard + _own(col))
    small_mark = fmt.hidden_count() if col.kind == "count" else fmt.hidden_value(lang)
    return pd.Series(np.where(primary, small_mark, fmt.withheld_mark(lang)), index=df.index)


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
            shown = shown.where(~_hidden(masks, c), _marks(df, masks, c))
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
            s = s.astype(object).where(~_hidden(masks, c), _marks(df, masks, c, lang))
        out[label] = s
    return pd.DataFrame(out)


def safe_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and header neutralised for spreadsheets (:func:`data.cells.neutralise`)."""
    out = frame.rename(columns=lambda c: neutralise(str(c)))
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (opens correctly in Excel); text cells neutralised."""
    return safe_text(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_excel(frame: pd.DataFrame, title: str, subtitle: str = "") -> bytes:
    """An .xlsx file: title row, subtitle row, header, data."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter",  # text stays text: never a formula or a link
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        frame = safe_text(frame)
        frame.to_excel(xw, index=False, startrow=3, sheet_name="data")
        wb, ws = xw.book, xw.sheets["data"]
        ws.write_string(0, 0, neutralise(title), wb.add_format({"bold": True, "font_size": 14}))
        if subtitle:
            ws.write_string(1, 0, neutralise(subtitle), wb.add_format({"italic": True, "font_color": "#555555"}))
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


def downloads(build, *, title: str, subtitle: str = "", file_stem: str, key: str) -> None:
    """CSV and Excel download buttons for the export frame ``build()`` (called only when a
    button is clicked: not on every run). Only users with the analyst right get them; every
    export is written to the audit log (who, page, filters, rows, format)."""
    from ui import access

    if not access.can_export():
        st.caption(":material/lock: " + t("access.no_export"))
        return
    log_csv, log_xlsx = access.export_logger("csv", file_stem), access.export_logger("xlsx", file_stem)

    def csv() -> bytes:
        frame = build()
        log_csv(len(frame))
        return to_csv(frame)

    def xlsx() -> bytes:
        frame = build()
        log_xlsx(len(frame))
        return to_excel(frame, title, subtitle)

    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(t("kit.export.csv"), csv, file_name=f"{slug(file_stem)}.csv",
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    c2.download_button(t("kit.export.xlsx"), xlsx,
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
    st.dataframe(display_frame(df, cols), hide_index=True, width="stretch", height=height)
    # the language is fixed now, as the click may be served outside this script run
    lang = current_lang()
    downloads(lambda: export_frame(df, cols, lang), title=title, subtitle=subtitle, file_stem=file_stem, key=key)
