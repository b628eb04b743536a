"""Overview: the national (or selected area's) headline numbers and the way into the pages."""
from __future__ import annotations

import streamlit as st

from ui import charts, export, kit, kpi, labels, nav, sections, stories
from ui.header import page_header
from ui.i18n import t
from ui.registry import ALL, TARGETED


def render(ctx: kit.Context) -> None:
    f = ctx.f
    page_header(ctx, t("page.home.title"), t("home.lead"))
    # coverage = the registry's targeted assistance (child allowance or material assistance)
    cur = ctx.q("coverage_totals", start=f.end, end=f.end, programme=TARGETED, **ctx.area)
    cmp = ctx.q("coverage_totals", start=f.cmp_end, end=f.cmp_end, programme=TARGETED, **ctx.area)
    gm = stories.monthly(ctx, f.start, f.end, ALL)
    gc = stories.monthly(ctx, f.cmp_start, f.cmp_end, ALL)
    if cur.empty and gm["amount_uzs"].sum() == 0:
        st.info(t("home.empty"))
        return

    st.subheader(t("home.coverage", when=labels.as_of(f.end)))
    vs = t("kit.kpi.vs", when=labels.month(f.cmp_end, short=True))
    kpi.cards([kpi.for_rows("coverage_registry", cur, cmp, description=vs, label=t("coverage.home.card"),
                            help=t("coverage.home.definition"))]
              + [kpi.for_rows(i, cur, cmp, description=vs)
                 for i in ("eligible_households", "assisted_households", "exclusion_gap", "assisted_not_eligible")],
              per_row=5)
    sections.reconcile(cur)
    st.caption(t("coverage.targeted_note"))

    st.subheader(t("home.growth", period=ctx.period))
    stories.growth_cards(ctx, gm, gc)

    c1, c2 = st.columns(2, gap="medium")
    with c1:
        tr = ctx.q("coverage_totals", start=f.start, end=f.end, programme=TARGETED, **ctx.area)
        if not tr.empty:
            label = t("coverage.home.card")
            st.plotly_chart(charts.indicator_trend("coverage_registry", [(label, tr)],
                                                   title=labels.chart_title(label, "%", ctx.period)),
                            key="home_trend", config=export.chart_config("home-trend"))
    with c2:
        story = stories.yearly_growth(ctx, ALL)
        if not story.yearly.empty:
            st.plotly_chart(story.figure(labels.programme(ALL)), key="home_yearly", config=export.chart_config("home-yearly"))

    st.divider()
    nav.links(("coverage", "growth"))


kit.page(render)
