"""Inson centres: workload of the social service centres.

For the area and period of the shared filters: social workers in post, mahallas per worker
and mahallas with no worker assigned, open cases per worker, new and closed cases, median
days to close, backlog by age, service mix, and the 28 pilot districts (from 15 October 2023)
against the rest; a map and a most-loaded-first ranking of the indicator picked in the
sidebar (default: open cases per worker) and the monthly trend.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import charts, export, fmt, kit, kpi, labels, ranking, sections, shaping
from ui.header import page_header
from ui.i18n import t
from ui.indicators import INSON_PICK, for_page
from ui.registry import ALL, INSON_GROUPS, INSON_PILOT_START
from ui.table import Col, place_cols, table_with_export

CARDS = ("inson_workers", "inson_mahallas_per_worker", "inson_mahallas_no_worker", "inson_caseload",
         "inson_opened", "inson_closed", "inson_median_days_close", "inson_backlog_90p")
BACKLOG = (("backlog_0_30", "#3a9d9d"), ("backlog_31_90", charts.SECOND), ("backlog_90p", charts.RED))


def render(ctx: kit.Context) -> None:
    f = ctx.f
    indicator_id = f.indicator if f.indicator in INSON_PICK else INSON_PICK[0]
    page_header(ctx, t("inson.title"), t("inson.intro"))
    common = dict(start=f.start, end=f.end, **ctx.area)
    kp = ctx.q("inson_kpis", **common)
    kp_prev = ctx.q("inson_kpis", **{**common, "start": f.cmp_start, "end": f.cmp_end})
    cur = kp[kp["grp"] == ALL].reset_index(drop=True)
    prev = kp_prev[kp_prev["grp"] == ALL].reset_index(drop=True)
    if shaping.nothing(cur, ["workers_in_post", "open_cases", "opened", "closed"]):
        st.info(t("inson.empty"))
        return

    st.subheader(t("inson.kpis.title", period=ctx.period))
    kpi.row(CARDS, cur, prev, ctx.vs())
    sections.definitions([i.id for i in for_page("inson")], "inson.pilot.note", "daftar.definitions.note")
    table_with_export(ctx, kp.assign(name=kp["grp"].map(group)), [
        Col("name", t("inson.col.group")), Col.of("inson_workers"), Col.of("inson_mahallas_per_worker"),
        Col.of("inson_caseload"), Col.of("inson_closed"), Col.of("inson_median_days_close"),
        Col.of("inson_backlog_90p_share"), Col.of("inson_opened", screen=False),
        Col("centres", t("inson.col.centres"), "int", screen=False),
        Col.of("inson_mahallas_no_worker_share", screen=False), Col.of("inson_open_cases", screen=False)],
        title=t("inson.pilot.title", period=ctx.period), subtitle=t("inson.pilot.note"),
        what="inson-pilot", key="inson_pilot")

    dist = ranking.map_and_ranking(ctx, "inson_by_area", indicator_id, common, cur, heading="inson.map.title",
                                   order_note="inson.rank.most_loaded", key="inson")

    c1, c2 = st.columns([2, 3])
    with c1:
        rows = kp[kp["grp"].isin(INSON_GROUPS)].set_index("grp").reindex(list(INSON_GROUPS)).fillna(0)
        st.plotly_chart(charts.share_stack(
            [group(g) for g in rows.index],
            [dict(counts=rows[c], color=colour, name=t(f"inson.backlog.{c.removeprefix('backlog_')}"))
             for c, colour in BACKLOG], rows["open_cases"], title=t("inson.backlog.title", month=labels.month(f.end)),
            title_scale=0.75),
            config=export.chart_config("inson-chart-1"))
    with c2:
        sv = ctx.q("inson_services", **common).sort_values("opened")
        days = [fmt.days(m) for m in sv["median_days_to_close"]]
        median = t("ind.inson_median_days_close.short")
        st.plotly_chart(charts.hbars([t(f"inson.service.{c}") for c in sv["service_type"]], [
            dict(counts=sv[col], color=colour, name=t(f"inson.series.{col}"), extra=(median, days))
            for col, colour in (("opened", charts.PRIMARY), ("closed", charts.SECOND))],
            title=t("inson.services.title", period=ctx.period), height=460), config=export.chart_config("inson-chart-2"))

    st.subheader(t("daftar.trend.section"))
    tr = ctx.q("inson_trend", **common)
    pilot = charts.event(INSON_PILOT_START, f.start, f.end, t("inson.pilot.start"))
    st.plotly_chart(charts.count_trend(tr, [("opened", t("inson.series.opened"), None),
                                            ("closed", t("inson.series.closed"), charts.SECOND)],
                                       title=t("inson.trend.flows.title", period=ctx.period),
                                       axis_title=t("unit.cases"), extra_layout=pilot),
                    config=export.chart_config("inson-chart-3"))
    by_group = [(group(g), tr[tr["grp"] == g].assign(month=lambda d: pd.to_datetime(d["month"])))
                for g in INSON_GROUPS]
    st.plotly_chart(charts.indicator_trend("inson_caseload", by_group, lines=[None, dict(color=charts.SECOND)],
                                           title=t("inson.trend.caseload.title", period=ctx.period),
                                           extra_layout=pilot, title_scale=2), config=export.chart_config("inson-chart-4"))

    table = ranking.with_region(ctx, dist).assign(label=labels.place_names(dist).values,
                        pilot=[t("inson.yes") if p else t("inson.no") for p in dist["pilot_centres"] > 0])
    table, place = place_cols(ctx, ranking.ordered_by(table, "inson_caseload"))
    table_with_export(ctx, table, [
        *place, Col.of("inson_workers"), Col.of("inson_mahallas_per_worker"), Col.of("inson_caseload"),
        Col.of("inson_closed"), Col.of("inson_median_days_close"), Col("pilot", t("inson.col.pilot"), screen=False),
        Col.of("inson_opened", screen=False),
        Col("backlog_90p", t("inson.backlog.90p"), "count", unit=t("unit.cases")),
        Col("mahallas_total", t("inson.col.mahallas"), "int", unit=t("unit.mahallas"), screen=False),
        Col.of("inson_mahallas_no_worker", screen=False), Col.of("inson_open_cases", screen=False),
        *(Col(c, t(f"inson.backlog.{c.removeprefix('backlog_')}"), "count", unit=t("unit.cases"), screen=False)
          for c, _ in BACKLOG[:2]), Col("soato", "SOATO", screen=False)],
        title=t("inson.table.title", period=ctx.period), what="inson", key="inson_table")


def group(code: str) -> str:
    """The name of a group of centres (pilot, other, all)."""
    return t(f"inson.group.{code}")


kit.page(render)
