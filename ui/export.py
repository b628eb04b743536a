"""Exports of the page tables (CSV and Excel): the values of the screen, and what they mean.

* Values rounded as displayed: shares and changes as percentages with one decimal, ratios with
  one decimal, counts, money and whole numbers exact; hidden cells carry the screen's mark
  (``<10``, ``n<10``), never the value (:mod:`queries.disclosure`).
* Headers name their unit in the active language (``Qamrov (reestr), %``, ``Summa, so‘m``).
* One file-name pattern: ``qamrov_<what>_<area>_<start>_<end>`` (page and table, area, period),
  its words in the active language (``qamrov_qamrov_surxondaryo-viloyati_…``,
  ``qamrov_охват_сурхандарьинская-область_…``, ``qamrov_coverage_surkhandarya-region_…``).
* CSV for Excel in this region: UTF-8 with a byte-order mark, ``;`` between fields and ``,`` as
  the decimal mark (how Excel with Uzbek or Russian regional settings opens a CSV into columns);
  said under the buttons and in the Excel file.
* Excel: the table under a title row, and a second sheet with the source, snapshot, filters,
  definitions and the suppression rule.
"""
from __future__ import annotations

import io
import re

import pandas as pd
import streamlit as st

from data.cells import neutralise
from queries import disclosure, indicators
from ui import fmt, i18n, labels
from ui.i18n import current_lang, t

CSV_SEP, CSV_DECIMAL, CSV_ENCODING = ";", ",", "utf-8-sig"
_UNIT_OF_KIND = {"pct": "%", "signed_pct": "%"}


def unit(col) -> str:
    """The unit a column's header names (empty when none applies)."""
    if col.kind in _UNIT_OF_KIND:
        return _UNIT_OF_KIND[col.kind]
    if col.unit is not None:
        return col.unit
    if col.kind == "money":
        return fmt.money_unit(None)
    if col.indicator is not None:
        return labels.unit(indicators.get(col.indicator))
    return ""


def header(col) -> str:
    """``<label>, <unit>`` unless the label already names the unit."""
    u = unit(col)
    return f"{col.label}, {u}" if u and u not in col.label else col.label


def _rounded(s: pd.Series, kind: str) -> pd.Series:
    """The values as the screen rounds them (half up: :func:`ui.fmt.rounded`)."""
    v = pd.to_numeric(s, errors="coerce")
    if kind in ("pct", "signed_pct"):
        return (v * 100).map(lambda x: fmt.rounded(x, 1)).astype("float64")
    if kind == "number":
        return v.map(lambda x: fmt.rounded(x, 1)).astype("float64")
    return v.map(fmt.rounded).astype("Int64")


def frame(df: pd.DataFrame, cols, lang: str | None = None) -> pd.DataFrame:
    """The table as exported: rounded as displayed, hidden cells as their mark, headers with units.
    ``lang``: the language of the marks and headers (default: the viewer's)."""
    from ui.table import hidden_mask, marks  # (the screen's hiding rule and marks, one place)

    out = {}
    masks = disclosure.Masks(df)
    for c in cols:
        if not c.export:
            continue
        s = c.values(df)
        if c.kind != "text":
            s = _rounded(s, c.kind).astype(object).where(~hidden_mask(masks, c), marks(df, masks, c, lang))
        out[header(c)] = s
    return pd.DataFrame(out)


def to_csv(frame: pd.DataFrame) -> bytes:
    """The CSV bytes: UTF-8 with BOM, ``;`` separator, ``,`` decimal mark (also in columns that mix
    numbers with hidden marks, which pandas would write with a ``.``)."""
    def cell(v):
        if isinstance(v, float) and not pd.isna(v):
            return f"{v:g}".replace(".", CSV_DECIMAL) if abs(v) < 1e15 else f"{v:.0f}"
        return neutralise(v)  # a text cell is never a formula
    return safe_headers(frame).map(cell).to_csv(index=False, sep=CSV_SEP, lineterminator="\r\n") \
        .encode(CSV_ENCODING)


def safe_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its headers neutralised for spreadsheets (:func:`data.cells.neutralise`)."""
    return frame.rename(columns=lambda c: neutralise(str(c)))


def safe_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and header neutralised for spreadsheets."""
    out = safe_headers(frame)
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise)
    return out


def sheet_name(key: str, lang: str | None = None) -> str:
    """The name of an Excel sheet in ``lang`` (at most 31 characters, none of ``[]:*?/\\``)."""
    return re.sub(r"[\[\]:*?/\\]", "", t(key, lang))[:31] or "data"


def to_excel(frame: pd.DataFrame, title: str, subtitle: str = "", about: list[tuple[str, str]] = (),
             lang: str | None = None) -> bytes:
    """An .xlsx file: the table under a title row and a subtitle row, and a sheet ``about``
    (sheets named in ``lang``)."""
    buf = io.BytesIO()
    data = sheet_name("kit.export.sheet", lang)
    with pd.ExcelWriter(buf, engine="xlsxwriter",  # text stays text: never a formula or a link
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        frame = safe_text(frame)
        frame.to_excel(xw, index=False, startrow=3, sheet_name=data)
        wb, ws = xw.book, xw.sheets[data]
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
        if about:
            sheet = wb.add_worksheet(sheet_name("export.about.sheet", lang))
            bold, wrap = wb.add_format({"bold": True, "valign": "top"}), wb.add_format({"text_wrap": True})
            sheet.set_column(0, 0, 28)
            sheet.set_column(1, 1, 100)
            for r, (k, v) in enumerate(about):
                sheet.write_string(r, 0, neutralise(str(k)), bold)
                sheet.write_string(r, 1, neutralise(str(v)), wrap)
    return buf.getvalue()


def slug(text: str) -> str:
    """Letters (of any script) and digits joined by ``-``: ``surxondaryo-viloyati``, ``город-ташкент``."""
    s = re.sub(r"[\W_]+", "-", re.sub(r"[‘’ʻʼ']", "", text)).strip("-").lower()
    return s or "qamrov"


def what_slug(what: str, lang: str | None = None) -> str:
    """The page-and-table part of a file name in ``lang``: each word of ``what`` that the
    catalogue names (``export.name.<word>``: ``coverage`` -> ``qamrov`` / ``охват``), the
    others (codes) as they are."""
    words = [w for w in slug(what).split("-") if w]
    return "-".join(slug(t(f"export.name.{w}", lang)) if i18n.has(f"export.name.{w}") else w for w in words)


def area_slug(ctx, lang: str | None = None) -> str:
    """The area in a file name: the country, the region's name in ``lang``, or the districts' codes."""
    f = ctx.f
    if f.districts:
        return "-".join(f.districts[:3]) + (f"-{t('export.name.and', lang)}-{len(f.districts) - 3}"
                                            if len(f.districts) > 3 else "")
    if f.region:
        r = ctx.q("geo_regions")
        name = labels.place_names(r[r["region_soato"] == f.region], lang)
        return slug(name.iloc[0]) if len(name) else f.region
    return slug(t("export.name.country", lang))


def file_name(ctx, what: str, ext: str, area: str | None = None, period: tuple | None = None,
              lang: str | None = None) -> str:
    """``qamrov_<what>_<area>_<YYYY-MM>_<YYYY-MM>.<ext>``: the page and table, the area and the
    period, in ``lang`` (default: the viewer's)."""
    start, end = period or (ctx.f.start, ctx.f.end)
    return f"qamrov_{what_slug(what, lang)}_{area or area_slug(ctx, lang)}_{start:%Y-%m}_{end:%Y-%m}.{ext}"


def about(ctx, title: str, cols=(), extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The rows of the Excel ``about`` sheet: what the file is, where it comes from, the filters,
    the definitions of its indicator columns, the suppression rule and the CSV format."""
    from ui.header import area_label, provenance

    f, p = ctx.f, provenance(ctx)
    rows = [(t("export.about.title"), title), (t("export.about.source"), str(p.get("source") or fmt.MISSING)),
            (t("export.about.snapshot"), str(p.get("snapshot_date") or fmt.MISSING)),
            (t("export.about.area"), area_label(ctx)), (t("export.about.period"), ctx.period),
            (t("export.about.compare"), t(f"kit.header.compare_{f.compare}", period=ctx.cmp_period))]
    if "programme" in ctx.spec.filters:
        rows.append((t("kit.filters.programme"), labels.programme(f.programme)))
    if f.indicator:
        rows.append((t("kit.filters.indicator"), t(indicators.get(f.indicator).label_key)))
    rows += list(extra)
    for c in cols:
        if c.indicator is not None:
            ind = indicators.get(c.indicator)
            rows.append((header(c), t(ind.definition_key)))
    rows.append((t("export.about.suppression"), t("export.about.suppression_rule", k=disclosure.min_cell(),
                                                   count=fmt.hidden_count(), value=fmt.hidden_value())))
    rows.append((t("export.about.csv"), t("export.csv_format")))
    return rows


def buttons(ctx, build, *, title: str, what: str, key: str, subtitle: str = "", cols=(),
            area: str | None = None) -> None:
    """CSV and Excel download buttons for the export frame ``build()`` (built only when a button is
    clicked, in the language of this run), with the format said under them. Only users with the
    analyst right get them; every export is written to the audit log (who, page, filters, rows, format)."""
    from ui import access

    if not access.can_export():
        st.caption(":material/lock: " + t("access.no_export"))
        return
    lang = current_lang()
    info = about(ctx, title, cols)
    log_csv, log_xlsx = access.export_logger("csv", what), access.export_logger("xlsx", what)

    def logged(log, out: pd.DataFrame) -> pd.DataFrame:
        log(len(out))
        return out

    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(t("kit.export.csv"), lambda: to_csv(logged(log_csv, build(lang))),
                       file_name=file_name(ctx, what, "csv", area),
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    c2.download_button(t("kit.export.xlsx"), lambda: to_excel(logged(log_xlsx, build(lang)), title, subtitle, info, lang),
                       file_name=file_name(ctx, what, "xlsx", area), key=f"{key}_xlsx", icon=":material/download:",
                       on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.caption(t("export.csv_format"))


def chart_config(what: str, ctx=None) -> dict:
    """The one Plotly config of every chart and map: the mode bar holds only Plotly's own
    download-image button (a PNG drawn in the browser, offline), saved as
    ``qamrov_<what>_<area>_<start>_<end>.png`` (``what`` names the indicator or chart)."""
    if ctx is None:
        from ui import kit
        ctx = kit.context()
    return {"displayModeBar": True, "displaylogo": False, "modeBarButtons": [["toImage"]], "scrollZoom": False,
            "toImageButtonOptions": {"format": "png", "filename": file_name(ctx, what, "png")[:-len(".png")],
                                     "scale": 2}}
