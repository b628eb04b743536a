"""Daftar registers page: reach and help of Temir daftar, Ayollar daftari,
Yoshlar daftari and Nuroniylar daftari.

One daftar or all of them (the sidebar's programme filter, URL ``programme``),
for the area and period of the shared filters: people on the register, added
and helped in the period, share helped, median days to help, people waiting
longer than 90 / 180 days, reach per 1,000 of the target population, a map
and a worst-first district ranking of the indicator picked in the sidebar,
the monthly trend (Ayollar daftari's three stages shaded), the funnel
included → assessed → helped → left, and breakdowns by need and by type of
help. Every figure comes from ``queries/daftar_*.sql`` through the runner;
medians come from the histogram mart.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import settings
from queries import indicators as ind
from ui import charts, fmt, kpi, labels, mapview, table
from ui.filters import month_bounds
from ui.header import page_header
from ui.i18n import t
from ui.kit import context, q

ALL = "_all"
DAFTARS = ("temir", "ayollar", "yoshlar", "nuroniylar")
#: Ayollar daftari was rolled out in three stages, one calendar year each.
AYOLLAR_STAGES = ((1, dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
                  (2, dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
                  (3, dt.date(2022, 1, 1), dt.date(2022, 12, 31)))
#: Indicators a viewer can put on the map and ranking (first = default).
MAP_PICK = ind.DAFTAR_PICK
#: Indicators whose value is a median read from the query row (not additive).
MEDIANS = ("daftar_median_days",)


# --------------------------------------------------------------------------
# Pure helpers (tested without Streamlit)
# --------------------------------------------------------------------------
def value_of(indicator_id: str, row: pd.DataFrame) -> float:
    """The indicator over ``row`` (one row of a daftar query)."""
    return ind.get(indicator_id).total(row)


def median_text(value) -> str:
    """Median days as shown: ``185 kun``; the histogram cap 366 reads ``366+``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "—"
    if value >= 366:
        return t("daftar.median.capped")
    return f"{fmt.number(value)} {t('daftar.unit.days')}"


def unit_text(indicator_id: str) -> str:
    """Unit of an indicator for titles and axes."""
    i = ind.get(indicator_id)
    if indicator_id in ("daftar_median_days", "daftar_mean_days"):
        return t("daftar.unit.days")
    if indicator_id == "daftar_reach_1000":
        return t("daftar.unit.per1000")
    if i.unit == "pct":
        return "%"
    if i.unit == "money":
        return t("daftar.unit.som")
    return t("daftar.unit.people")


def shown(indicator_id: str, df: pd.DataFrame) -> pd.Series:
    """Indicator values per row for maps and rankings: suppressed rows → NaN."""
    i = ind.get(indicator_id)
    v = i.value(df)
    return v.where(~i.suppressed(df))


def text_of(indicator_id: str, value) -> str:
    """One value as text in the indicator's unit."""
    i = ind.get(indicator_id)
    if indicator_id in ("daftar_median_days", "daftar_mean_days"):
        return median_text(value) if indicator_id in MEDIANS else (
            "—" if pd.isna(value) else f"{fmt.number(value, 1)} {t('daftar.unit.days')}")
    if pd.isna(value):
        return "—"
    if indicator_id == "daftar_reach_1000":
        return fmt.number(value, 1)
    return kpi.value_text(i, value)


def stages_in(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """Ayollar daftari stages that overlap [start, end], clipped to it."""
    out = []
    for n, a, b in AYOLLAR_STAGES:
        if a <= end and b >= start:
            out.append((n, max(a, start), min(b, end)))
    return out


def stage_marks(start: dt.date, end: dt.date) -> dict:
    """Layout that shades the Ayollar daftari stages on a month axis and labels them.

    Parameters
    ----------
    start, end : datetime.date
        The months shown.

    Returns
    -------
    dict
        ``shapes`` (one band per stage in [start, end]) and ``annotations`` (its
        label, top left), to merge into a figure's layout; empty when no stage
        overlaps.
    """
    colours = ("rgba(217,140,31,0.13)", "rgba(43,108,176,0.11)", "rgba(11,110,79,0.11)")
    stages = stages_in(start, end)
    if not stages:
        return {}
    return {"shapes": [charts.vrect(a, b, fillcolor=colours[(n - 1) % 3]) for n, a, b in stages],
            "annotations": [dict(text=t("daftar.stage", n=n), x=a, xref="x", y=1, yref="y domain",
                                 xanchor="left", yanchor="top", showarrow=False, font=dict(size=13))
                            for n, a, _ in stages]}


def definitions(page: str) -> None:
    """Every indicator of the page with its numerator and denominator, in an expander."""
    with st.expander(t("kit.definitions"), icon=":material/menu_book:"):
        for i in ind.for_page(page):
            st.markdown(f"**{t(i.label_key)}** — {t(i.definition_key)}")
        st.markdown(t("daftar.denominator.note"))
        st.markdown(t("daftar.definitions.note", min_cell=fmt.count(1)))


def daftar_name(code: str) -> str:
    return t("daftar.all") if code == ALL else t(f"programme.{code}")


# --------------------------------------------------------------------------
# Page
# --------------------------------------------------------------------------
def _kpi_cards(cur: pd.DataFrame, prev: pd.DataFrame, vs: dict[str, str]) -> None:
    ids = ("daftar_on_register", "daftar_included", "daftar_assisted", "daftar_share_helped",
           "daftar_median_days", "daftar_waiting_90", "daftar_waiting_180", "daftar_reach_1000")
    cards = []
    for i in ids:
        indicator = ind.get(i)
        sup = bool(indicator.suppressed(cur).any())
        c = kpi.card(indicator, value_of(i, cur), value_of(i, prev) if not prev.empty else None,
                     suppressed=sup, description=vs[indicator.kind])
        if i in MEDIANS and not sup:
            c = kpi.Card(label=c.label, value=median_text(value_of(i, cur)), delta=c.delta, color=c.color,
                         arrow=c.arrow, help=c.help, description=c.description)
        if i == "daftar_reach_1000" and not sup:
            c = kpi.Card(label=c.label, value=fmt.number(value_of(i, cur), 1), delta=c.delta, color=c.color,
                         arrow=c.arrow, help=c.help + " " + t("daftar.denominator.note"), description=c.description)
        cards.append(c)
    kpi.cards(cards, per_row=4)


def _compare_table(kp: pd.DataFrame, period: str) -> None:
    rows = kp[kp["daftar"] != ALL].copy()
    rows["median_days_to_help"] = rows["median_days_to_help"].astype("float64")
    rows["name"] = rows["daftar"].map(daftar_name)
    for i in ("daftar_share_helped", "daftar_waiting_90_share", "daftar_reach_1000"):
        rows[i] = ind.get(i).value(rows)
    cols = [table.Col("name", t("daftar.col.daftar")),
            table.Col("on_register", t("ind.daftar_on_register.short"), "count"),
            table.Col("included", t("ind.daftar_included.short"), "count"),
            table.Col("assisted", t("ind.daftar_assisted.short"), "count"),
            table.Col("daftar_share_helped", t("ind.daftar_share_helped.short"), "pct",
                      guard=("assisted", "on_register_in_period")),
            table.Col("median_days_to_help", t("ind.daftar_median_days.short"), "int", guard=("assisted",)),
            table.Col("waiting_90", t("ind.daftar_waiting_90.short"), "count"),
            table.Col("waiting_180", t("ind.daftar_waiting_180.short"), "count"),
            table.Col("daftar_reach_1000", t("ind.daftar_reach_1000.short"), "number", guard=("assisted",))]
    table.table_with_export(rows, cols, title=t("daftar.compare.title", period=period), subtitle="",
                            file_stem=f"daftar-compare-{period}", key="daftar_compare")


def _funnel(row: pd.DataFrame, period: str) -> go.Figure:
    steps = ("included", "assessed", "assisted", "removed")
    vals = [int(row.iloc[0][s]) for s in steps]
    names = [t(f"daftar.funnel.{s}") for s in steps]
    limit = int(settings.get("MIN_CELL"))
    plotted = [v if not (0 < v < limit) else 0 for v in vals]
    funnel = dict(type="funnel", y=names, x=plotted, text=[fmt.count(v) for v in vals], textinfo="text",
                  marker=dict(color=[charts.PRIMARY, "#3a9d9d", charts.SECOND, charts.GREY]),
                  hovertemplate="%{y}: %{text}<extra></extra>")
    return charts.figure([funnel], title=t("daftar.funnel.title", period=period), height=360, legend=False)


def _trend(tr: pd.DataFrame, start: dt.date, end: dt.date, daftar: str) -> go.Figure:
    m = tr.groupby("month", as_index=False)[["included", "assisted", "on_register", "waiting_90"]].sum()
    x = pd.to_datetime(m["month"])
    series = [(t("ind.daftar_on_register.label"), x, m["on_register"]),
              (t("ind.daftar_included.short"), x, m["included"]),
              (t("ind.daftar_assisted.short"), x, m["assisted"]),
              (t("ind.daftar_waiting_90.short"), x, m["waiting_90"])]
    title = t("daftar.trend.title", unit=t("daftar.unit.people"), period=labels.period(start, end))
    colours = (charts.PRIMARY, "#2b6cb0", charts.SECOND, charts.RED)
    return charts.trend(series, title=title, unit="count", axis_title=t("daftar.unit.people"), height=420,
                        lines=[dict(color=c, dash="solid") for c in colours],
                        extra_layout=stage_marks(start, end) if daftar in (ALL, "ayollar") else None)


def _by_daftar_trend(tr: pd.DataFrame, start: dt.date, end: dt.date) -> go.Figure:
    data = []
    for k, code in enumerate(DAFTARS):
        part = tr[tr["daftar"] == code]
        data.append(dict(type="scatter", x=pd.to_datetime(part["month"]), y=part["on_register"],
                         name=daftar_name(code), mode="lines", line=dict(color=charts.PALETTE[k], width=2.5),
                         hovertemplate="%{x|%m.%Y}: %{y:,.0f}<extra>" + daftar_name(code) + "</extra>"))
    own = dict(xaxis=dict(tickformat="%m.%Y", title=dict(text=""), showgrid=False),
               yaxis=dict(tickformat=",.0f", rangemode="tozero", title=dict(text=t("daftar.unit.people"))),
               **stage_marks(start, end))
    title = labels.chart_title(f'{t("ind.daftar_on_register.label")} — {t("daftar.by_daftar")}',
                               t("daftar.unit.people"), labels.period(start, end))
    return charts.figure(data, own, title=title, height=380)


def _needs(nd: pd.DataFrame, end: dt.date) -> go.Figure:
    limit = int(settings.get("MIN_CELL"))
    d = nd.sort_values("on_register")
    names = [t(f"daftar.need.{c}") for c in d["need_type"]]
    data = []
    for col, colour, key in (("on_register", charts.PRIMARY, "daftar.series.on_register"),
                             ("waiting_90", charts.RED, "daftar.series.waiting_90")):
        v = d[col].where(~((d[col] > 0) & (d[col] < limit)), 0)
        data.append(dict(type="bar", y=names, x=v, orientation="h", name=t(key), marker=dict(color=colour),
                         text=[fmt.count(x) for x in d[col]], textposition="outside", cliponaxis=False,
                         hovertemplate="%{y}: %{text}<extra>" + t(key) + "</extra>"))
    top = float(d["on_register"].max() or 1)
    own = dict(barmode="group", xaxis=dict(tickformat=",.0f", title=dict(text=""), range=[0, top * 1.2]),
               yaxis=dict(title=dict(text="")))
    return charts.figure(data, own, title=t("daftar.needs.title", month=labels.month(end)), height=420)


def _assistance(asst: pd.DataFrame, period: str) -> go.Figure:
    limit = int(settings.get("MIN_CELL"))
    d = asst.sort_values("assisted")
    names = [t(f"daftar.assist.{c}") for c in d["assistance_type"]]
    v = d["assisted"].where(~((d["assisted"] > 0) & (d["assisted"] < limit)), 0)
    hover = [f"{fmt.count(a)} · {fmt.money(m)}" for a, m in zip(d["assisted"], d["amount_uzs"])]
    bar = dict(type="bar", y=names, x=v, orientation="h", marker=dict(color=charts.SECOND),
               text=[fmt.count(a) for a in d["assisted"]], textposition="outside", cliponaxis=False,
               customdata=hover, hovertemplate="%{y}: %{customdata}<extra></extra>")
    own = dict(xaxis=dict(tickformat=",.0f", title=dict(text=""), range=[0, float(d["assisted"].max() or 1) * 1.12]))
    return charts.figure([bar], own, title=t("daftar.assist.title", period=period), height=420, legend=False)


def area_frame(df: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """``soato``, ``value``, ``label`` and ``text`` per area for the map and the ranking."""
    out = df[["soato", "region_soato"]].copy()
    out["label"] = labels.place_names(df).values
    out["value"] = shown(indicator_id, df).values
    out["text"] = [text_of(indicator_id, v) for v in out["value"]]
    return out


def ranking_section(areas: pd.DataFrame, indicator_id: str, national: float | None, title: str, key: str,
                    hidden: int = 0) -> None:
    """Worst-first ranking of the areas; clicking a district bar opens its profile.
    ``national`` is drawn as a reference line for ratios and medians only."""
    i = ind.get(indicator_id)
    d = areas.dropna(subset=["value"])
    if d.empty:
        st.info(t("kit.empty.ranking"))
        return
    worst_first = True if i.higher_is_better is None else not i.higher_is_better
    ref = national if (i.denominator is not None or indicator_id in MEDIANS) else None
    if ref is not None and pd.isna(ref):
        ref = None
    fig = charts.ranking(d, label="label", value="value", title=title, unit=i.unit if i.unit == "pct" else "",
                         higher_is_better=worst_first, national=ref, value_text="text",
                         top=15 if len(d) > 40 else None,
                         names={"national": t("kit.ranking.national", value=text_of(indicator_id, ref))
                                if ref is not None else ""})
    event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", key=key,
                            config={"displayModeBar": False})
    st.caption(":material/touch_app: " + t("daftar.rank.click"))
    if hidden:
        st.caption(t("daftar.rank.hidden", n=hidden, min_cell=fmt.count(1)))
    mapview.open_from_ranking(event, d, key)


def main() -> None:
    ctx = context()
    f = ctx.f
    daftar = f.programme if f.programme in DAFTARS else ALL
    indicator_id = f.indicator if f.indicator in MAP_PICK else MAP_PICK[0]
    period = labels.period(f.start, f.end)
    page_header(ctx, t("daftar.title"), t("daftar.intro"))

    common = dict(month_from=f.start, month_to=f.end, daftar=None if daftar == ALL else daftar, **f.area)
    kp = q("daftar_kpis", **common)
    kp_prev = q("daftar_kpis", **{**common, "month_from": f.cmp_start, "month_to": f.cmp_end})
    cur = kp[kp["daftar"] == ALL]
    prev = kp_prev[kp_prev["daftar"] == ALL]
    activity = int(cur[["open_start", "included", "assisted", "removed", "on_register"]].sum(axis=1).iloc[0])
    if activity == 0:
        st.info(t("daftar.empty"))
        return

    st.subheader(t("daftar.kpis.title", period=f"{daftar_name(daftar)}, {period}"))
    vs = {"stock": t("kit.kpi.vs", when=labels.month(f.cmp_end)),
          "flow": t("kit.kpi.vs", when=labels.period(f.cmp_start, f.cmp_end))}
    _kpi_cards(cur.reset_index(drop=True), prev.reset_index(drop=True), vs)
    definitions("daftar")

    if daftar == ALL:
        _compare_table(kp, period)

    # ---- map + ranking
    i = ind.get(indicator_id)
    st.subheader(t("daftar.map.title"))
    st.caption(f":material/info: **{t(i.label_key)}** — {t(i.definition_key)}")
    when = labels.as_of(f.end) if i.kind == "stock" else period
    title = labels.chart_title(t(i.label_key), unit_text(indicator_id), f"{daftar_name(daftar)}, {when}")
    dist = q("daftar_by_area", level="district", **common)
    dist_frame = area_frame(dist, indicator_id)
    reg_frame = area_frame(q("daftar_by_area", level="region", **common), indicator_id) if f.region is None \
        else dist_frame.iloc[0:0]
    mapview.map_section(region=f.region, region_values=reg_frame, district_values=dist_frame, value="value",
                        title=title, legend_title=t(i.short_key), scale="sequential",
                        fmt=lambda v: text_of(indicator_id, v), key="daftar_map")
    national = value_of(indicator_id, cur) if indicator_id not in MEDIANS else cur.iloc[0]["median_days_to_help"]
    rank_title = labels.chart_title(t(i.label_key), unit_text(indicator_id), when) + " · " + t("daftar.rank.worst_first")
    hidden = int(ind.get(indicator_id).suppressed(dist).sum())
    ranking_section(dist_frame, indicator_id, national, rank_title, key="daftar_rank", hidden=hidden)

    # ---- trend
    st.subheader(t("daftar.trend.section"))
    bounds = month_bounds(ctx.scope)
    full = st.toggle(t("daftar.trend.full_history"), key="daftar_full_history",
                     value=daftar == "ayollar" and bounds is not None and bounds[0] <= dt.date(2022, 12, 1))
    t_start = bounds[0] if full and bounds else f.start
    tr = q("daftar_trend", **{**common, "month_from": t_start})
    st.plotly_chart(_trend(tr, t_start, f.end, daftar), config={"displayModeBar": False})
    if daftar == ALL:
        st.plotly_chart(_by_daftar_trend(tr, t_start, f.end), config={"displayModeBar": False})
    if daftar in (ALL, "ayollar") and stages_in(t_start, f.end):
        st.caption(t("daftar.stages.note"))

    # ---- funnel, needs, help types
    c1, c2 = st.columns(2)
    with c1:
        st.plotly_chart(_funnel(cur, period), config={"displayModeBar": False})
        st.caption(t("daftar.funnel.note"))
    with c2:
        st.plotly_chart(_needs(q("daftar_needs", **common), f.end), config={"displayModeBar": False})
    st.plotly_chart(_assistance(q("daftar_assistance", **common), period), config={"displayModeBar": False})

    # ---- table + export
    dist = dist.assign(median_days_to_help=dist["median_days_to_help"].astype("float64"))
    for k in ("daftar_share_helped", "daftar_waiting_90_share", "daftar_reach_1000"):
        dist[k] = ind.get(k).value(dist)
    dist["label"] = labels.place_names(dist).values
    cols = [table.Col("soato", "SOATO"), table.Col("label", t("daftar.col.district")),
            table.Col("on_register", t("ind.daftar_on_register.short"), "count"),
            table.Col("included", t("ind.daftar_included.short"), "count"),
            table.Col("assisted", t("ind.daftar_assisted.short"), "count"),
            table.Col("removed", t("ind.daftar_removed.short"), "count"),
            table.Col("daftar_share_helped", t("ind.daftar_share_helped.short"), "pct",
                      guard=("assisted", "on_register_in_period")),
            table.Col("median_days_to_help", t("ind.daftar_median_days.short"), "int", guard=("assisted",)),
            table.Col("waiting_90", t("ind.daftar_waiting_90.short"), "count"),
            table.Col("waiting_180", t("ind.daftar_waiting_180.short"), "count"),
            table.Col("daftar_waiting_90_share", t("ind.daftar_waiting_90_share.short"), "pct",
                      guard=("waiting_90", "on_register")),
            table.Col("daftar_reach_1000", t("ind.daftar_reach_1000.short"), "number", guard=("assisted",))]
    table.table_with_export(dist.sort_values("waiting_90", ascending=False), cols,
                            title=t("daftar.table.title", period=f"{daftar_name(daftar)}, {period}"),
                            subtitle=t("daftar.denominator.note"),
                            file_stem=f"daftar-{daftar}-{f.start:%Y%m}-{f.end:%Y%m}", key="daftar_table")


main()
