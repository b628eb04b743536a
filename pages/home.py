"""Overview: the national (or selected area's) headline numbers and the way
into the pages."""
from __future__ import annotations

import streamlit as st

from queries import indicators as I
from ui import charts, kit, labels
from ui.header import page_header
from ui.i18n import t
from ui.kpi import card, cards
from ui.stories import yearly_growth

ctx = kit.context()
f = ctx.f
page_header(ctx, t("page.home.title"), t("home.lead"))

cur = kit.q("coverage_totals", start=f.end, end=f.end, programme="_all", **f.area)
cmp = kit.q("coverage_totals", start=f.cmp_end, end=f.cmp_end, programme="_all", **f.area)
gm = kit.q("growth_monthly", start=f.start, end=f.end, programme="_all", **f.area)
gc = kit.q("growth_monthly", start=f.cmp_start, end=f.cmp_end, programme="_all", **f.area)
if cur.empty and gm.empty:
    st.info(t("home.empty"))
    st.stop()

st.subheader(t("home.coverage", when=labels.as_of(f.end)))
vs = t("kit.kpi.vs", when=labels.month(f.cmp_end, short=True))
cards([card(I.get(i), I.get(i).total(cur), I.get(i).total(cmp) if not cmp.empty else None, description=vs,
            suppressed=bool(I.get(i).suppressed(cur).any()))
       for i in ("coverage_registry", "eligible_households", "assisted_households", "exclusion_gap")])

st.subheader(t("home.growth", period=labels.period(f.start, f.end)))
vsp = t("kit.kpi.vs", when=labels.period_short(f.cmp_start, f.cmp_end))
last = gm[gm["month"] == gm["month"].max()] if not gm.empty else gm
last_cmp = gc[gc["month"] == gc["month"].max()] if not gc.empty else gc
amount, recip, avg = I.get("amount_uzs"), I.get("recipients"), I.get("avg_benefit")
cards([card(amount, amount.total(gm), amount.total(gc) if not gc.empty else None, description=vsp,
            label=t("growth.kpi.amount", period=labels.period_short(f.start, f.end))),
       card(recip, recip.total(last), recip.total(last_cmp) if not last_cmp.empty else None,
            description=t("kit.kpi.vs", when=labels.month(f.cmp_end, short=True)),
            suppressed=bool(recip.suppressed(last).any()),
            label=t("growth.kpi.recipients", month=labels.month(f.end, short=True))),
       card(avg, avg.total(gm), avg.total(gc) if not gc.empty else None, description=vsp)], per_row=3)

c1, c2 = st.columns(2, gap="medium")
with c1:
    cov = I.get("coverage_registry")
    tr = kit.q("coverage_totals", start=f.start, end=f.end, programme="_all", **f.area)
    if not tr.empty:
        st.plotly_chart(charts.trend([(t(cov.label_key), tr["month"], cov.value(tr))], unit="pct", axis_title="%",
                                     title=labels.chart_title(t(cov.label_key), "%", labels.period(f.start, f.end))),
                        key="home_trend", config={"displayModeBar": False})
with c2:
    story = yearly_growth(ctx, "_all")
    if not story.yearly.empty:
        st.plotly_chart(story.figure(labels.programme("_all")), key="home_yearly", config={"displayModeBar": False})

st.divider()
c1, c2 = st.columns(2)
with c1:
    st.page_link("pages/coverage.py", label=t("page.coverage.title"), icon=":material/family_restroom:")
    st.caption(t("home.link.coverage"))
with c2:
    st.page_link("pages/growth.py", label=t("page.growth.title"), icon=":material/trending_up:")
    st.caption(t("home.link.growth"))
