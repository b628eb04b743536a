"""Growth in assistance volume: so'm paid, recipients and average benefit per
month, by programme and channel, year-on-year and since 2019."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import settings

from data.contract import PROGRAMMES
from queries import indicators as I
from ui import charts, fmt, kit, labels, mapview
from ui.header import area_label, page_header
from ui.i18n import t
from ui.kpi import Card, card, cards
from ui.filters import month_bounds
from ui.state import month_add
from ui.stories import yearly_growth
from ui.table import Col, table_with_export

ctx = kit.context()
f = ctx.f
ind = I.get(f.indicator or I.GROWTH_PICK[0])
prog = f.programme
prog_label = labels.programme(prog)
page_header(ctx, t("page.growth.title"), t("growth.lead"))


def months_frame(df: pd.DataFrame, start, end) -> pd.DataFrame:
    """Every month of [start, end], zero where the query returned nothing."""
    n = (end.year - start.year) * 12 + end.month - start.month + 1
    allm = pd.DataFrame({"month": pd.to_datetime([month_add(start, i) for i in range(n)])})
    d = df.copy()
    d["month"] = pd.to_datetime(d["month"])
    return allm.merge(d, on="month", how="left").fillna({"amount_uzs": 0, "households": 0})


gm = months_frame(kit.q("growth_monthly", start=f.start, end=f.end, programme=prog, **f.area), f.start, f.end)
gc = months_frame(kit.q("growth_monthly", start=f.cmp_start, end=f.cmp_end, programme=prog, **f.area),
                  f.cmp_start, f.cmp_end)
if gm["amount_uzs"].sum() == 0:
    st.info(t("growth.empty", programme=prog_label, period=labels.period(f.start, f.end)))
    st.stop()

# ---- KPI cards -----------------------------------------------------------------
vs = t("kit.kpi.vs", when=labels.period_short(f.cmp_start, f.cmp_end))
vs_month = t("kit.kpi.vs", when=labels.month(f.cmp_end, short=True))
amount, recip, avg = I.get("amount_uzs"), I.get("recipients"), I.get("avg_benefit")
last, last_cmp = gm.iloc[[-1]], gc.iloc[[-1]]
story = yearly_growth(ctx, prog)
since = story.times
kpis = [
    card(amount, amount.total(gm), amount.total(gc), description=vs,
         label=t("growth.kpi.amount", period=labels.period_short(f.start, f.end))),
    card(recip, recip.total(last), recip.total(last_cmp), description=vs_month,
         suppressed=bool(recip.suppressed(last).any()),
         label=t("growth.kpi.recipients", month=labels.month(f.end, short=True))),
    card(avg, avg.total(gm), avg.total(gc), description=vs,  # suppressed on the period's recipient-months
         suppressed=bool(avg.suppressed(gm[["households"]].sum().to_frame().T).any())),
    Card(label=t("growth.kpi.since", base=story.base_year or "—", year=story.last_full or "—"),
         value=t("growth.times", x=fmt.number(since, 1)) if since else "—",
         help=t("growth.kpi.since_help")),
]
cards(kpis, per_row=4)

# ---- since 2019 (yearly) ----------------------------------------------------------
label = t(ind.label_key)
y_col, m_col = st.columns(2, gap="medium")
with y_col:
    if story.yearly.empty:
        st.info(t("kit.empty.chart"))
    else:
        st.plotly_chart(story.figure(prog_label), key="gr_yearly", config={"displayModeBar": False})
        if story.partial_year:
            st.caption(t("growth.partial_year", year=story.partial_year, month=labels.month(month_bounds(ctx.scope)[1])))

with m_col:
    # monthly series of the chosen indicator, with the same months a year earlier
    ya = months_frame(kit.q("growth_monthly", start=month_add(f.start, -12), end=month_add(f.end, -12),
                            programme=prog, **f.area), month_add(f.start, -12), month_add(f.end, -12))
    def monthly(df):
        return ind.value(df).where(~ind.suppressed(df)) if ind.people_counts else ind.value(df)
    cur_v, ya_v = monthly(gm), monthly(ya)
    if ind.unit == "money":
        div, unit = charts.money_scale(pd.concat([cur_v, ya_v]).fillna(0))
    else:
        div, unit = 1.0, charts.unit_label(ind.unit)
    fig = charts.trend([(labels.period(f.start, f.end), gm["month"], cur_v / div),
                        (t("growth.series.year_ago"), gm["month"], ya_v.to_numpy() / div)],
                       title=labels.chart_title(label, unit, labels.period(f.start, f.end)),
                       unit="count" if ind.unit == "count" else "number", axis_title=unit)
    st.plotly_chart(fig, key="gr_monthly", config={"displayModeBar": False})

# ---- programmes and channels ---------------------------------------------------------
p_col, c_col = st.columns(2, gap="medium")
with p_col:
    gp = kit.q("growth_programmes", start=f.start, end=f.end, programme=prog, **f.area)
    if gp.empty:
        st.info(t("kit.empty.chart"))
    else:
        div, unit = charts.money_scale(gp.groupby("month")["amount_uzs"].sum())
        top = list(gp.groupby("programme")["amount_uzs"].sum().sort_values(ascending=False).index[:6])
        if gp["programme"].nunique() > len(top) + 1:
            gp = gp.assign(programme=gp["programme"].where(gp["programme"].isin(top), "_other"))
            gp = gp.groupby(["month", "programme"], as_index=False)["amount_uzs"].sum()
        order = [p for p in PROGRAMMES if p in set(gp["programme"])] + (["_other"] if "_other" in set(gp["programme"]) else [])
        st.plotly_chart(charts.stacked(
            gp.assign(v=gp["amount_uzs"] / div), x="month", color="programme", y="v", axis_title=unit,
            names={p: labels.programme(p) if p != "_other" else t("growth.chart.programmes_other") for p in order},
            order=order, hover_unit=unit, height=520,
            title=labels.chart_title(t("growth.chart.programmes"), unit, labels.period(f.start, f.end))),
            key="gr_programmes", config={"displayModeBar": False})
with c_col:
    ch = kit.q("growth_channels", start=f.start, end=f.end, programme=prog, **f.area)
    if ch.empty:
        st.info(t("kit.empty.chart"))
    else:
        ch = ch.assign(group=ch["channel"].where(ch["channel"] == "social_card", "_other"))
        ch = ch.groupby(["month", "group"], as_index=False)["amount_uzs"].sum()
        div, unit = charts.money_scale(ch.groupby("month")["amount_uzs"].sum())
        names = {"social_card": labels.channel("social_card"), "_other": t("channel._other")}
        st.plotly_chart(charts.stacked(
            ch.assign(v=ch["amount_uzs"] / div), x="month", color="group", y="v", axis_title=unit,
            names=names, order=["_other", "social_card"], hover_unit=unit, height=520,
            title=labels.chart_title(t("growth.chart.channels"), unit, labels.period(f.start, f.end))),
            key="gr_channels", config={"displayModeBar": False})
        share = ch[ch["group"] == "social_card"]["amount_uzs"].sum() / max(ch["amount_uzs"].sum(), 1)
        st.caption(t("growth.social_card_share", share=fmt.pct(share), period=labels.period(f.start, f.end)))

# ---- growth by district (map) and table -------------------------------------------------
cmp_txt = labels.period(f.cmp_start, f.cmp_end)
period_txt = labels.period(f.start, f.end)
params = dict(start=f.start, end=f.end, cmp_start=f.cmp_start, cmp_end=f.cmp_end, programme=prog)


def with_growth(df: pd.DataFrame) -> pd.DataFrame:
    d = df.copy()
    d["avg_benefit"] = d["amount_uzs"] / d["recipient_months"].where(d["recipient_months"] > 0)
    d["avg_benefit_cmp"] = d["amount_uzs_cmp"] / d["recipient_months_cmp"].where(d["recipient_months_cmp"] > 0)
    for a, b in (("amount_uzs", "g_amount_uzs"), ("households", "g_recipients"), ("avg_benefit", "g_avg_benefit")):
        base = d[f"{a}_cmp"].astype("float64")
        d[b] = d[a].astype("float64") / base.where(base > 0) - 1
    limit = int(settings.get("MIN_CELL"))
    hide = ((d["households"] > 0) & (d["households"] < limit)) | \
        ((d["households_cmp"] > 0) & (d["households_cmp"] < limit))
    if ind.id != "amount_uzs":
        d.loc[hide, f"g_{ind.id}"] = float("nan")
    return d


gcol = f"g_{ind.id}"
regions = with_growth(kit.q("growth_by_region", **params))
regions["label"] = labels.place_names(regions)
districts = with_growth(kit.q("growth_by_district", region=f.region, districts=[], **params))
place = dict(zip(regions["region_soato"], regions["label"])).get(f.region)
g_title = t("growth.map.title", ind=label)
st.subheader(t("growth.section.districts"))
st.caption(t("growth.map.note", period=period_txt, cmp=cmp_txt))
mapview.map_section(
    region=f.region,
    region_values=regions.rename(columns={"region_soato": "soato"}),
    district_values=districts.rename(columns={"district_soato": "soato"}),
    value=gcol, fmt=fmt.signed_pct, scale="diverging", legend_title=t("growth.map.legend", ind=t(ind.short_key)),
    title=labels.chart_title(g_title, "%", f"{place + ' · ' if place else ''}{period_txt} / {cmp_txt}"),
    key="gr_map")

# ---- district card (map click hook) ---------------------------------------
if f.district:
    one = with_growth(kit.q("growth_by_district", region=None, districts=[f.district], **params))
    if not one.empty:
        r = one.iloc[0]
        with st.container(border=True):
            st.subheader(t("kit.district.title", name=labels.place_names(one).iloc[0]))
            hidden = bool(recip.suppressed(one).any())
            cards([card(amount, float(r["amount_uzs"]), float(r["amount_uzs_cmp"]), description=vs,
                        label=t("growth.kpi.amount", period=labels.period_short(f.start, f.end))),
                   card(recip, float(r["households"]), float(r["households_cmp"]), description=vs_month,
                        suppressed=hidden, label=t("growth.kpi.recipients", month=labels.month(f.end, short=True))),
                   card(avg, float(r["avg_benefit"]), float(r["avg_benefit_cmp"]), description=vs,
                        suppressed=bool(avg.suppressed(one.assign(households=one["recipient_months"])).any()))],
                  per_row=3)
            st.button(t("kit.district.close"), on_click=mapview.open_district, args=(None,), key="gr_close")

table = with_growth(kit.q("growth_by_district", **f.area, **params))
table["label"] = labels.place_names(table)
table["region_label"] = labels.place_names(table, prefix="region_")
table = table.sort_values(gcol, ascending=False, na_position="last")
guard = ("households", "households_cmp")
cols = [Col("label", t("kit.col.district")), Col("region_label", t("kit.col.region")),
        Col("amount_uzs", t("growth.col.amount", period=period_txt), "money"),
        Col("amount_uzs_cmp", t("growth.col.amount", period=cmp_txt), "money"),
        Col("g_amount_uzs", t("growth.col.growth", ind=t("ind.amount_uzs.short")), "signed_pct"),
        Col("households", t("growth.col.recipients", month=labels.month(f.end)), "count"),
        Col("households_cmp", t("growth.col.recipients", month=labels.month(f.cmp_end)), "count"),
        Col("g_recipients", t("growth.col.growth", ind=t("ind.recipients.short")), "signed_pct", guard),
        Col("avg_benefit", t("growth.col.avg", period=period_txt), "money", ("recipient_months",)),
        Col("avg_benefit_cmp", t("growth.col.avg", period=cmp_txt), "money", ("recipient_months_cmp",)),
        Col("g_avg_benefit", t("growth.col.growth", ind=t("ind.avg_benefit.short")), "signed_pct", guard)]
table_with_export(table, cols, title=labels.chart_title(t("growth.table.title", programme=prog_label), "",
                                                      f"{period_txt} / {cmp_txt}"),
                  subtitle=t("kit.export.subtitle", area=area_label(ctx), programme=prog_label),
                  file_stem=f"qamrov-growth-{f.start:%Y-%m}-{f.end:%Y-%m}", key="gr_table")
