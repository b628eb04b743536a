"""Inson centres page: workload of the social service centres.

For the area and period of the shared filters: social workers in post,
mahallas per worker and mahallas with no worker assigned, open cases per
worker, new and closed cases, median days to close, backlog by age, service
mix, and the 28 pilot districts (from 15 October 2023) against the rest; a
map and a most-loaded-first ranking of the indicator picked in the sidebar
(default: open cases per worker) and the monthly trend. Every figure comes
from ``queries/inson_*.sql`` through the runner; medians come from the
histogram mart.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import settings
from data.contract import INSON_PILOT_START
from queries import indicators as ind
from ui import charts, fmt, kpi, labels, mapview, table
from ui.header import page_header
from ui.i18n import t
from ui.kit import context, q

ALL = "_all"
GROUPS = ("pilot", "other")
SERVICES = ("home_care", "rehabilitation", "psychological", "legal_aid", "material_support",
            "referral_employment", "referral_health", "referral_education")
#: Indicators a viewer can put on the map and ranking (first = default).
MAP_PICK = ind.INSON_PICK
MEDIANS = ("inson_median_days_close",)


# --------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------
def value_of(indicator_id: str, row: pd.DataFrame) -> float:
    """The indicator over ``row`` (one row of an Inson query)."""
    return ind.get(indicator_id).total(row)


def days_text(value, median: bool = True) -> str:
    """Days as shown: ``42 kun``; a median at the histogram cap 366 reads ``366+``."""
    if value is None or pd.isna(value):
        return "—"
    if median and value >= 366:
        return t("daftar.median.capped")
    return f"{fmt.number(value, 0 if median else 1)} {t('inson.unit.days')}"


def unit_text(indicator_id: str) -> str:
    """Unit of an indicator for titles and axes."""
    return {"inson_caseload": t("inson.unit.per_worker"),
            "inson_mahallas_per_worker": t("inson.unit.mahallas_per_worker"),
            "inson_median_days_close": t("inson.unit.days"), "inson_mean_days_close": t("inson.unit.days"),
            "inson_workers": t("inson.unit.workers"), "inson_mahallas_no_worker": t("inson.unit.mahallas"),
            }.get(indicator_id, "%" if ind.get(indicator_id).unit == "pct" else t("inson.unit.cases"))


def text_of(indicator_id: str, value) -> str:
    """One value as text in the indicator's unit."""
    i = ind.get(indicator_id)
    if value is None or pd.isna(value):
        return "—"
    if indicator_id in ("inson_median_days_close", "inson_mean_days_close"):
        return days_text(value, median=indicator_id in MEDIANS)
    if indicator_id in ("inson_workers", "inson_mahallas_no_worker"):
        return fmt.number(value)
    return kpi.value_text(i, value)


def shown(indicator_id: str, df: pd.DataFrame) -> pd.Series:
    """Indicator values per row for maps and rankings: suppressed rows → NaN."""
    i = ind.get(indicator_id)
    return i.value(df).where(~i.suppressed(df))


def group_name(code: str) -> str:
    return t(f"inson.group.{code}")


def caseload_trend(tr: pd.DataFrame) -> pd.DataFrame:
    """Open cases per worker by month and group (``month``, ``grp``, ``value``)."""
    d = tr.copy()
    d["value"] = ind.get("inson_caseload").value(d)
    return d[["month", "grp", "value"]]


# --------------------------------------------------------------------------
# Page
# --------------------------------------------------------------------------
def _card(i: str, cur: pd.DataFrame, prev: pd.DataFrame, vs: dict[str, str]) -> kpi.Card:
    indicator = ind.get(i)
    sup = bool(indicator.suppressed(cur).any())
    c = kpi.card(indicator, value_of(i, cur), value_of(i, prev) if not prev.empty else None, suppressed=sup,
                 description=vs[indicator.kind])
    if not sup and (i in MEDIANS or i in ("inson_workers", "inson_mahallas_no_worker")):
        c = kpi.Card(label=c.label, value=text_of(i, value_of(i, cur)), delta=c.delta, color=c.color,
                     arrow=c.arrow, help=c.help, description=c.description)
    return c


def _pilot_table(kp: pd.DataFrame, period: str) -> None:
    d = kp.assign(median_days_to_close=kp["median_days_to_close"].astype("float64"))
    d["name"] = d["grp"].map(group_name)
    for i in ("inson_caseload", "inson_mahallas_per_worker", "inson_mahallas_no_worker_share",
              "inson_backlog_90p_share"):
        d[i] = ind.get(i).value(d)
    cols = [table.Col("name", t("inson.col.group")),
            table.Col("centres", t("inson.col.centres"), "int"),
            table.Col("workers_in_post", t("ind.inson_workers.short"), "int"),
            table.Col("inson_mahallas_per_worker", t("ind.inson_mahallas_per_worker.short"), "number"),
            table.Col("inson_mahallas_no_worker_share", t("ind.inson_mahallas_no_worker_share.short"), "pct"),
            table.Col("open_cases", t("ind.inson_open_cases.short"), "count"),
            table.Col("inson_caseload", t("ind.inson_caseload.short"), "number", guard=("open_cases",)),
            table.Col("opened", t("ind.inson_opened.short"), "count"),
            table.Col("closed", t("ind.inson_closed.short"), "count"),
            table.Col("median_days_to_close", t("ind.inson_median_days_close.short"), "int", guard=("closed",)),
            table.Col("inson_backlog_90p_share", t("ind.inson_backlog_90p_share.short"), "pct",
                      guard=("backlog_90p", "open_cases"))]
    table.table_with_export(d, cols, title=t("inson.pilot.title", period=period),
                            subtitle=t("inson.pilot.note"), file_stem=f"inson-pilot-{period}", key="inson_pilot")


def _backlog(kp: pd.DataFrame, end: dt.date) -> go.Figure:
    """Open cases by age, pilot vs other: 100 % stacked bars (share of the group's
    open cases), labelled with the counts (small counts suppressed)."""
    limit = int(settings.get("MIN_CELL"))
    buckets = (("backlog_0_30", "inson.backlog.0_30"), ("backlog_31_90", "inson.backlog.31_90"),
               ("backlog_90p", "inson.backlog.90p"))
    data = []
    colours = ("#3a9d9d", charts.SECOND, charts.RED)
    rows = kp[kp["grp"].isin(GROUPS)].set_index("grp").reindex(list(GROUPS)).fillna(0)
    total = rows["open_cases"].where(rows["open_cases"] > 0)
    for (col, key), colour in zip(buckets, colours):
        vals = rows[col].astype(int)
        share = (vals / total).where(~((vals > 0) & (vals < limit)), 0).fillna(0)
        data.append(dict(type="bar", x=[group_name(g) for g in rows.index], y=share, name=t(key),
                         marker=dict(color=colour),
                         text=[f"{fmt.count(v)} · {fmt.pct(p)}" if not 0 < v < limit else fmt.count(v)
                               for v, p in zip(vals, share)],
                         textposition="inside", insidetextanchor="middle",
                         hovertemplate="%{x}: %{text}<extra>" + t(key) + "</extra>"))
    own = dict(barmode="stack", uniformtext=dict(minsize=11, mode="hide"),
               yaxis=dict(tickformat=".0%", title=dict(text=""), range=[0, 1]), xaxis=dict(title=dict(text="")))
    return charts.figure(data, own, title=t("inson.backlog.title", month=labels.month(end)), height=420)


def _services(sv: pd.DataFrame, period: str) -> go.Figure:
    limit = int(settings.get("MIN_CELL"))
    d = sv.sort_values("opened")
    names = [t(f"inson.service.{c}") for c in d["service_type"]]
    data = []
    for col, colour, key in (("opened", charts.PRIMARY, "inson.series.opened"),
                             ("closed", charts.SECOND, "inson.series.closed")):
        v = d[col].where(~((d[col] > 0) & (d[col] < limit)), 0)
        med = [days_text(m) for m in d["median_days_to_close"]]
        data.append(dict(type="bar", y=names, x=v, orientation="h", name=t(key), marker=dict(color=colour),
                         text=[fmt.count(x) for x in d[col]], textposition="outside", cliponaxis=False,
                         customdata=med,
                         hovertemplate="%{y}: %{text}<br>" + t("ind.inson_median_days_close.short")
                         + ": %{customdata}<extra>" + t(key) + "</extra>"))
    own = dict(barmode="group",
               xaxis=dict(tickformat=",.0f", title=dict(text=""), range=[0, float(d["opened"].max() or 1) * 1.2]))
    return charts.figure(data, own, title=t("inson.services.title", period=period), height=460)


def _pilot_marks(start: dt.date, end: dt.date) -> dict:
    """Layout that marks the pilot's start on a month axis (a dotted line and its label).

    Parameters
    ----------
    start, end : datetime.date
        The months shown.

    Returns
    -------
    dict
        ``shapes`` and ``annotations`` to merge into a figure's layout; empty
        when the pilot started outside [start, end].
    """
    if not start <= INSON_PILOT_START <= end:
        return {}
    x = pd.Timestamp(INSON_PILOT_START)
    return {"shapes": [charts.vline(x.value / 1e6, dash="dot", color=charts.GREY)],
            "annotations": [dict(x=x, y=1.0, yref="paper", text=t("inson.pilot.start"), showarrow=False,
                                 xanchor="left", yanchor="bottom", font=dict(size=12, color=charts.GREY))]}


def _trend_flows(tr: pd.DataFrame, start: dt.date, end: dt.date) -> go.Figure:
    m = tr.groupby("month", as_index=False)[["opened", "closed"]].sum()
    x = pd.to_datetime(m["month"])
    return charts.trend([(t("inson.series.opened"), x, m["opened"]), (t("inson.series.closed"), x, m["closed"])],
                        title=t("inson.trend.flows.title", period=labels.period(start, end)), unit="count",
                        axis_title=t("inson.unit.cases"), lines=[None, dict(color=charts.SECOND, dash="solid")],
                        extra_layout=_pilot_marks(start, end))


def _trend_caseload(tr: pd.DataFrame, start: dt.date, end: dt.date) -> go.Figure:
    d = caseload_trend(tr)
    series = [(group_name(g), pd.to_datetime(d[d["grp"] == g]["month"]), d[d["grp"] == g]["value"])
              for g in GROUPS]
    return charts.trend(series, title=t("inson.trend.caseload.title", period=labels.period(start, end)),
                        unit="ratio", axis_title=t("inson.unit.per_worker"), lines=[None, dict(color=charts.SECOND)],
                        extra_layout=_pilot_marks(start, end))


def area_frame(df: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """``soato``, ``value``, ``label`` and ``text`` per area for the map and the ranking."""
    out = df[["soato", "region_soato"]].copy()
    out["label"] = labels.place_names(df).values
    out["value"] = shown(indicator_id, df).values
    out["text"] = [text_of(indicator_id, v) for v in out["value"]]
    return out


def main() -> None:
    ctx = context()
    f = ctx.f
    indicator_id = f.indicator if f.indicator in MAP_PICK else MAP_PICK[0]
    period = labels.period(f.start, f.end)
    page_header(ctx, t("inson.title"), t("inson.intro"))
    common = dict(month_from=f.start, month_to=f.end, **f.area)
    kp = q("inson_kpis", **common)
    kp_prev = q("inson_kpis", **{**common, "month_from": f.cmp_start, "month_to": f.cmp_end})
    cur = kp[kp["grp"] == ALL].reset_index(drop=True)
    prev = kp_prev[kp_prev["grp"] == ALL].reset_index(drop=True)
    if int(cur[["workers_in_post", "open_cases", "opened", "closed"]].sum(axis=1).iloc[0]) == 0:
        st.info(t("inson.empty"))
        return

    st.subheader(t("inson.kpis.title", period=period))
    vs = {"stock": t("kit.kpi.vs", when=labels.month(f.cmp_end)),
          "flow": t("kit.kpi.vs", when=labels.period(f.cmp_start, f.cmp_end))}
    kpi.cards([_card(i, cur, prev, vs) for i in (
        "inson_workers", "inson_mahallas_per_worker", "inson_mahallas_no_worker", "inson_caseload",
        "inson_opened", "inson_closed", "inson_median_days_close", "inson_backlog_90p")], per_row=4)
    with st.expander(t("kit.definitions"), icon=":material/menu_book:"):
        for i in ind.for_page("inson"):
            st.markdown(f"**{t(i.label_key)}** — {t(i.definition_key)}")
        st.markdown(t("inson.pilot.note"))
        st.markdown(t("daftar.definitions.note", min_cell=fmt.count(1)))

    _pilot_table(kp, period)

    # ---- map + ranking
    i = ind.get(indicator_id)
    st.subheader(t("inson.map.title"))
    st.caption(f":material/info: **{t(i.label_key)}** — {t(i.definition_key)}")
    when = labels.as_of(f.end) if i.kind == "stock" else period
    title = labels.chart_title(t(i.label_key), unit_text(indicator_id), when)
    dist = q("inson_by_area", level="district", **common)
    dist_frame = area_frame(dist, indicator_id)
    reg_frame = area_frame(q("inson_by_area", level="region", **common), indicator_id) if f.region is None \
        else dist_frame.iloc[0:0]
    mapview.map_section(region=f.region, region_values=reg_frame, district_values=dist_frame, value="value",
                        title=title, legend_title=t(i.short_key), scale="sequential",
                        fmt=lambda v: text_of(indicator_id, v), key="inson_map")
    national = cur.iloc[0]["median_days_to_close"] if indicator_id in MEDIANS else value_of(indicator_id, cur)
    if national is None or pd.isna(national) or (i.denominator is None and indicator_id not in MEDIANS):
        national = None  # a country total is no reference for one centre's count
    d = dist_frame.dropna(subset=["value"])
    if d.empty:
        st.info(t("kit.empty.ranking"))
    else:
        worst_first = True if i.higher_is_better is None else not i.higher_is_better
        fig = charts.ranking(d, label="label", value="value", unit=i.unit if i.unit == "pct" else "",
                             title=labels.chart_title(t(i.label_key), unit_text(indicator_id), when)
                             + " · " + t("inson.rank.most_loaded"),
                             higher_is_better=worst_first, national=national, value_text="text",
                             top=15 if len(d) > 40 else None,
                             names={"national": t("kit.ranking.national", value=text_of(indicator_id, national))
                                    if national is not None else ""})
        event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", key="inson_rank",
                                config={"displayModeBar": False})
        st.caption(":material/touch_app: " + t("daftar.rank.click"))
        hidden = int(i.suppressed(dist).sum())
        if hidden:
            st.caption(t("daftar.rank.hidden", n=hidden, min_cell=fmt.count(1)))
        mapview.open_from_ranking(event, d, "inson_rank")

    # ---- backlog, services
    c1, c2 = st.columns([2, 3])
    with c1:
        st.plotly_chart(_backlog(kp, f.end), config={"displayModeBar": False})
    with c2:
        st.plotly_chart(_services(q("inson_services", **common), period), config={"displayModeBar": False})

    # ---- trend
    st.subheader(t("daftar.trend.section"))
    tr = q("inson_trend", **common)
    st.plotly_chart(_trend_flows(tr, f.start, f.end), config={"displayModeBar": False})
    st.plotly_chart(_trend_caseload(tr, f.start, f.end), config={"displayModeBar": False})

    # ---- table + export
    dist = dist.assign(median_days_to_close=dist["median_days_to_close"].astype("float64"))
    dist["label"] = labels.place_names(dist).values
    dist["pilot"] = [t("inson.yes") if p else t("inson.no") for p in dist["pilot_centres"] > 0]
    for k in ("inson_caseload", "inson_mahallas_per_worker", "inson_mahallas_no_worker_share",
              "inson_backlog_90p_share"):
        dist[k] = ind.get(k).value(dist)
    cols = [table.Col("soato", "SOATO"), table.Col("label", t("daftar.col.district")),
            table.Col("pilot", t("inson.col.pilot")),
            table.Col("workers_in_post", t("ind.inson_workers.short"), "int"),
            table.Col("mahallas_total", t("inson.col.mahallas"), "int"),
            table.Col("mahallas_no_worker", t("ind.inson_mahallas_no_worker.short"), "int"),
            table.Col("inson_mahallas_per_worker", t("ind.inson_mahallas_per_worker.short"), "number"),
            table.Col("open_cases", t("ind.inson_open_cases.short"), "count"),
            table.Col("inson_caseload", t("ind.inson_caseload.short"), "number", guard=("open_cases",)),
            table.Col("opened", t("ind.inson_opened.short"), "count"),
            table.Col("closed", t("ind.inson_closed.short"), "count"),
            table.Col("median_days_to_close", t("ind.inson_median_days_close.short"), "int", guard=("closed",)),
            table.Col("backlog_0_30", t("inson.backlog.0_30"), "count"),
            table.Col("backlog_31_90", t("inson.backlog.31_90"), "count"),
            table.Col("backlog_90p", t("inson.backlog.90p"), "count")]
    table.table_with_export(dist.sort_values("inson_caseload", ascending=False), cols,
                            title=t("inson.table.title", period=period), subtitle="",
                            file_stem=f"inson-{f.start:%Y%m}-{f.end:%Y%m}", key="inson_table")


main()
