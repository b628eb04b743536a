"""Daftar registers: reach and help of Temir daftar, Ayollar daftari, Yoshlar daftari and
Nuroniylar daftari.

One daftar or all of them (the sidebar's programme filter, URL ``programme``), for the
area and period of the shared filters: people on the register, added and helped in the
period, share helped, median days to help, people waiting longer than 90 / 180 days, reach
per 1,000 of the target population, a map and a worst-first district ranking of the
indicator picked in the sidebar, the monthly trend (Ayollar daftari's three stages shaded),
the cohort of the people included in the period (assessed, helped, removed or still waiting by the
end of the data), the flows of the period, and breakdowns by need and by type of help.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import charts, export, fmt, kit, kpi, labels, ranking, sections, shaping
from ui.filters import month_bounds
from ui.i18n import t
from ui.header import page_header, provenance
from ui.indicators import DAFTAR_PICK, for_page
from ui.registry import ALL, AYOLLAR_STAGES, DAFTARS, lifetime_overlap
from ui.table import Col, place_cols, table_with_export

CARDS = ("daftar_on_register", "daftar_included", "daftar_assisted", "daftar_share_helped",
         "daftar_median_days", "daftar_waiting_90", "daftar_waiting_180", "daftar_reach_1000")
FUNNEL = ("included", "assessed", "assisted", "removed")


def render(ctx: kit.Context) -> None:
    f = ctx.f
    daftar = f.programme if f.programme in DAFTARS else ALL
    indicator_id = f.indicator if f.indicator in DAFTAR_PICK else DAFTAR_PICK[0]
    page_header(ctx, t("daftar.title"), t("daftar.intro"))
    if sections.lifetime(daftar, name(daftar), f.start, f.end) == "none":
        return  # a register that did not run in the period: say when it ran, not a page of zeros
    common = dict(start=f.start, end=f.end, daftar=None if daftar == ALL else daftar, **ctx.area)
    kp = ctx.q("daftar_kpis", **common)
    kp_prev = ctx.q("daftar_kpis", **{**common, "start": f.cmp_start, "end": f.cmp_end})
    cur = kp[kp["daftar"] == ALL].reset_index(drop=True)
    prev = kp_prev[kp_prev["daftar"] == ALL].reset_index(drop=True)
    if shaping.nothing(cur, ["open_start", "included", "assisted", "removed", "on_register"]):
        st.info(t("daftar.empty"))
        return

    st.subheader(t("daftar.kpis.title", period=f"{name(daftar)}, {ctx.period}"))
    kpi.row(CARDS, cur, prev, ctx.vs())
    sections.definitions([i.id for i in for_page("daftar")], "daftar.denominator.note", "daftar.definitions.note")
    if daftar == ALL:
        ended = [d for d in DAFTARS if lifetime_overlap(d, f.start, f.end) == "none"]
        rows = kp[(kp["daftar"] != ALL) & ~kp["daftar"].isin(ended)]
        table_with_export(ctx, rows.assign(name=rows["daftar"].map(name)), [
            Col("name", t("daftar.col.daftar")), Col.of("daftar_on_register"), Col.of("daftar_assisted"),
            Col.of("daftar_share_helped"), Col.of("daftar_median_days"), Col.of("daftar_waiting_90"),
            Col.of("daftar_reach_1000"), Col.of("daftar_included", screen=False),
            Col.of("daftar_waiting_180", screen=False)],
            title=t("daftar.compare.title", period=ctx.period), what="daftar-compare", key="daftar_compare")
        if ended:
            st.caption(t("lifetime.left_out", names=", ".join(name(d) for d in ended)))

    dist = ranking.map_and_ranking(ctx, "daftar_by_area", indicator_id, common, cur, heading="daftar.map.title",
                                   order_note="daftar.rank.worst_first", key="daftar", place=name(daftar))

    st.subheader(t("daftar.trend.section"))
    trend(ctx, common, daftar)
    c1, c2 = st.columns(2)
    with c1:
        cohort(ctx, common)
    with c2:
        nd = ctx.q("daftar_needs", **common).sort_values("on_register")
        st.plotly_chart(charts.hbars([t(f"daftar.need.{c}") for c in nd["need_type"]], [
            dict(counts=nd["on_register"], color=charts.PRIMARY, name=t("daftar.series.on_register")),
            dict(counts=nd["waiting_90"], color=charts.RED, name=t("daftar.series.waiting_90"))],
            title=t("daftar.needs.title", month=labels.month(f.end))), config=export.chart_config("daftar-chart-1"))
    c1, c2 = st.columns(2)
    with c1:
        ha = ctx.q("daftar_assistance", **common).sort_values("assisted")
        st.plotly_chart(charts.hbars([t(f"daftar.assist.{c}") for c in ha["assistance_type"]], [
            dict(counts=ha["assisted"], color=charts.SECOND,
                 hover=[f"{fmt.count(a)} · {fmt.money(m)}" for a, m in zip(ha["assisted"], ha["amount_uzs"])])],
            title=t("daftar.assist.title", period=ctx.period), headroom=1.12, group=False),
            config=export.chart_config("daftar-chart-2"))
    with c2:  # the flows of the period: not one cohort, so drawn as bars, not as a funnel
        steps = FUNNEL[::-1]
        st.plotly_chart(charts.hbars([t(f"daftar.funnel.{s}") for s in steps], [
            dict(counts=pd.Series([cur.iloc[0][s] for s in steps]), color=charts.GREY)],
            title=t("daftar.flows.title", period=ctx.period), headroom=1.12, group=False, height=360),
            config=export.chart_config("daftar-chart-3"))
        st.caption(t("daftar.flows.note"))

    table = ranking.with_region(ctx, dist.assign(label=labels.place_names(dist).values))
    table, place = place_cols(ctx, table.sort_values("waiting_90", ascending=False))
    table_with_export(ctx, table, [
        *place, Col.of("daftar_on_register"), Col.of("daftar_assisted"), Col.of("daftar_share_helped"),
        Col.of("daftar_median_days"), Col.of("daftar_waiting_90"), Col.of("daftar_reach_1000", screen=False),
        Col.of("daftar_included", screen=False), Col.of("daftar_removed", screen=False),
        Col.of("daftar_waiting_180", screen=False),
        Col.of("daftar_waiting_90_share", screen=False), Col("soato", "SOATO", screen=False)],
        title=t("daftar.table.title", period=f"{name(daftar)}, {ctx.period}"), subtitle=t("daftar.denominator.note"),
        what=f"daftar-{daftar}", key="daftar_table")


def cohort(ctx: kit.Context, common: dict) -> None:
    """The people included in the period, followed to the end of the data: a funnel whose
    stages never grow (included ≥ assessed ≥ helped) and the end state of all of them."""
    row = ctx.q("daftar_cohort", **common).set_index("daftar").loc[ALL]
    snapshot = provenance(ctx).get("snapshot_date") or fmt.MISSING
    st.plotly_chart(charts.funnel([(t("daftar.funnel.included"), row["included"]),
                                   (t("daftar.funnel.assessed"), row["assessed"]),
                                   (t("daftar.funnel.assisted"), row["helped"])],
                                  title=t("daftar.cohort.title", period=ctx.period, snapshot=snapshot),
                                  colors=(charts.PRIMARY, "#3a9d9d", charts.SECOND)),
                    config=export.chart_config("daftar-chart-4"))
    st.caption(t("daftar.cohort.note", period=ctx.period, snapshot=snapshot,
                 **{k: fmt.count(row[k]) for k in ("included", "helped", "removed", "waiting")}))


def name(code: str) -> str:
    """A daftar's name (``_all``: every daftar)."""
    return t("daftar.all") if code == ALL else t(f"programme.{code}")


def trend(ctx: kit.Context, common: dict, daftar: str) -> None:
    """The register and its flows by month (optionally over the whole history), Ayollar
    daftari's stages shaded, and with all daftars one line per daftar."""
    f = ctx.f
    bounds = month_bounds(ctx.scope)
    last_stage = pd.Timestamp(AYOLLAR_STAGES[-1][2]).to_period("M").start_time.date()
    full = st.toggle(t("daftar.trend.full_history"), key="daftar_full_history",
                     value=daftar == "ayollar" and bounds is not None and bounds[0] <= last_stage)
    start = bounds[0] if full and bounds else f.start
    tr = ctx.q("daftar_trend", **{**common, "start": start})
    shaded = daftar in (ALL, "ayollar")
    marks = charts.bands(AYOLLAR_STAGES, start, f.end, lambda n: t("daftar.stage", n=n)) if shaded else None
    people, period = t("unit.people"), labels.period(start, f.end)
    st.plotly_chart(charts.count_trend(tr, [
        ("on_register", t("ind.daftar_on_register.label"), charts.PRIMARY),
        ("included", t("ind.daftar_included.short"), "#2b6cb0"),
        ("assisted", t("ind.daftar_assisted.short"), charts.SECOND),
        ("waiting_90", t("ind.daftar_waiting_90.short"), charts.RED)],
        title=t("daftar.trend.title", unit=people, period=period), axis_title=people, height=420,
        extra_layout=marks), config=export.chart_config("daftar-chart-5"))
    if daftar == ALL:
        st.plotly_chart(charts.lines_by(tr, "daftar", "on_register", {d: name(d) for d in DAFTARS},
                                        title=labels.chart_title(f'{t("ind.daftar_on_register.label")} — '
                                                                 f'{t("daftar.by_daftar")}', people, period),
                                        axis_title=people, extra_layout=marks), config=export.chart_config("daftar-chart-6"))
    if marks:
        st.caption(t("daftar.stages.note"))


kit.page(render)
