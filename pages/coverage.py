"""Coverage by region: are the households that need help getting it?

Stocks (coverage, eligible, gap, inclusion) are read at the last month of the
selected period and compared with the last month of the comparison period.
"""
from __future__ import annotations

import streamlit as st

from queries import indicators as I
from ui import charts, fmt, kit, labels, mapview
from ui.header import area_label, page_header
from ui.i18n import t
from ui.kpi import card, cards
from ui.table import Col, table_with_export

ctx = kit.context()
f = ctx.f
ind = I.get(f.indicator or I.COVERAGE_PICK[0])
prog = f.programme
page_header(ctx, t("page.coverage.title"), t("coverage.lead"))

cur = kit.q("coverage_totals", start=f.end, end=f.end, programme=prog, **f.area)
cmp = kit.q("coverage_totals", start=f.cmp_end, end=f.cmp_end, programme=prog, **f.area)
if cur.empty or cur[["eligible_households", "assisted_households"]].sum().sum() == 0:
    st.info(t("coverage.empty", month=labels.month(f.end)))
    st.stop()

# ---- KPI cards -----------------------------------------------------------
vs = t("kit.kpi.vs", when=labels.month(f.cmp_end, short=True))
kpis = []
for iid in ("coverage_registry", "coverage_poor", "exclusion_rate", "inclusion_rate",
            "eligible_households", "assisted_households", "exclusion_gap", "assisted_not_eligible"):
    i = I.get(iid)
    kpis.append(card(i, i.total(cur), i.total(cmp) if not cmp.empty else None, description=vs,
                     suppressed=bool(i.suppressed(cur).any())))
cards(kpis, per_row=4)
st.caption(t("coverage.stock_note", month=labels.month(f.end), cmp=labels.month(f.cmp_end),
             programme=labels.programme(prog) if prog != "_all" else t("programme._all.coverage")))
if prog == "_all":
    st.caption(t("coverage.all_programmes_note"))
with st.expander(t("kit.definitions"), icon=":material/menu_book:"):
    for iid in I.COVERAGE_PICK + ("exclusion_gap", "assisted_not_eligible"):
        i = I.get(iid)
        st.markdown(f"**{t(i.label_key)}** — {t(i.definition_key)}")
    st.markdown(t("coverage.definitions_note", min_cell=fmt.count(1)))

# ---- data for map, ranking, table ----------------------------------------
label = t(ind.label_key)
unit = charts.unit_label(ind.unit)
when = labels.as_of(f.end)
by_region = kit.q("coverage_by_region", month=f.end, programme=prog)
by_region["value"] = ind.value(by_region).where(~ind.suppressed(by_region))
by_region["label"] = labels.place_names(by_region)
nat = kit.q("coverage_totals", start=f.end, end=f.end, programme=prog, region=None, districts=[])
national = ind.total(nat)
area_districts = kit.q("coverage_by_district", month=f.end, programme=prog, **f.area)
area_districts["value"] = ind.value(area_districts)
area_districts["hidden"] = ind.suppressed(area_districts)
area_districts["label"] = labels.place_names(area_districts)
area_districts["region_label"] = labels.place_names(area_districts, prefix="region_")
region_avg = dict(zip(by_region["region_soato"], by_region["value"]))
area_districts["region_avg"] = area_districts["region_soato"].map(region_avg)
cmp_d = kit.q("coverage_by_district", month=f.cmp_end, programme=prog, **f.area)
cmp_d = cmp_d.assign(value_cmp=ind.value(cmp_d), hidden_cmp=ind.suppressed(cmp_d))
area_districts = area_districts.merge(cmp_d[["district_soato", "value_cmp", "hidden_cmp"]],
                                      on="district_soato", how="left")
area_districts["change"] = area_districts["value"] - area_districts["value_cmp"]

fmt_value = (lambda v: fmt.pct(v)) if ind.unit == "pct" else (lambda v: fmt.count(v))
map_col, trend_col = st.columns([6, 5], gap="medium")
with map_col:
    if f.region is None:
        map_districts = area_districts
    else:
        map_districts = kit.q("coverage_by_district", month=f.end, programme=prog, region=f.region, districts=[])
        map_districts = map_districts.assign(value=ind.value(map_districts).where(~ind.suppressed(map_districts)))
    place = dict(zip(by_region["region_soato"], by_region["label"])).get(f.region)
    mapview.map_section(
        region=f.region,
        region_values=by_region.rename(columns={"region_soato": "soato"}),
        district_values=map_districts.rename(columns={"district_soato": "soato"})
        .assign(value=lambda d: d["value"].where(~ind.suppressed(d))),
        value="value", fmt=fmt_value, legend_title=t(ind.short_key),
        title=labels.chart_title(label, unit, f"{place} · {when}" if place else when),
        scale="sequential",
        key="cov_map")

with trend_col:
    tr = kit.q("coverage_totals", start=f.start, end=f.end, programme=prog, **f.area)
    series = [(t("kit.series.selection"), tr["month"], ind.value(tr))]
    if f.region or f.districts:
        trn = kit.q("coverage_totals", start=f.start, end=f.end, programme=prog, region=None, districts=[])
        series.append((t("kit.series.national"), trn["month"], ind.value(trn)))
    if f.districts and f.region:
        trr = kit.q("coverage_totals", start=f.start, end=f.end, programme=prog, region=f.region, districts=[])
        series.append((t("kit.series.regional"), trr["month"], ind.value(trr)))
    series[0] = (t("kit.series.selection") if len(series) > 1 else label, series[0][1], series[0][2])
    st.plotly_chart(charts.trend(series, title=labels.chart_title(label, unit, labels.period(f.start, f.end)),
                                 unit=ind.unit, axis_title=unit), key="cov_trend",
                    config={"displayModeBar": False})

# ---- ranking ---------------------------------------------------------------
ranked = area_districts[~area_districts["hidden"]].dropna(subset=["value"])
n_hidden = int(area_districts["hidden"].sum())
if ranked.empty:
    st.info(t("kit.empty.ranking"))
else:
    regional = region_avg.get(f.region) if f.region else None
    top = 15 if len(ranked) > 40 else None
    title = (t("kit.ranking.title_top", n=top, total=len(ranked)) if top else t("kit.ranking.title"))
    event = st.plotly_chart(charts.ranking(
        ranked.assign(text=ranked["value"].map(fmt_value)), label="label", value="value", value_text="text",
        title=labels.chart_title(f"{label} — {title}", unit, when), unit=ind.unit,
        higher_is_better=ind.higher_is_better, national=national, regional=regional,
        region_avg="region_avg" if f.region is None else None, top=top,
        names={"national": t("kit.ranking.national", value=fmt_value(national)),
               "regional": t("kit.ranking.regional", value=fmt_value(regional)) if regional is not None else "",
               "region_avg": t("kit.ranking.region_avg")}),
        key="cov_rank", config={"displayModeBar": False}, on_select="rerun", selection_mode="points")
    if n_hidden:
        st.caption(t("kit.ranking.hidden", n=n_hidden, min_cell=fmt.count(1)))
    mapview.open_from_ranking(event, ranked.rename(columns={"district_soato": "soato"}), "cov_rank")

# ---- district card (map click hook) ---------------------------------------
if f.district:
    one = kit.q("coverage_by_district", month=f.end, programme=prog, region=None, districts=[f.district])
    if not one.empty:
        with st.container(border=True):
            st.subheader(t("kit.district.title", name=labels.place_names(one).iloc[0]))
            cards([card(I.get(i), I.get(i).total(one), None, suppressed=bool(I.get(i).suppressed(one).any()))
                   for i in ("coverage_registry", "coverage_poor", "exclusion_gap", "assisted_not_eligible")])
            st.button(t("kit.district.close"), on_click=mapview.open_district, args=(None,), key="cov_close")

# ---- table + export ------------------------------------------------------------
order = area_districts.sort_values("value", ascending=ind.higher_is_better is False, na_position="last")
order = order.assign(**{i: I.get(i).value(order) for i in I.COVERAGE_PICK})
cols = [Col("label", t("kit.col.district")), Col("region_label", t("kit.col.region")),
        Col("eligible_households", t("ind.eligible_households.short"), "count"),
        Col("assisted_households", t("ind.assisted_households.short"), "count"),
        Col("assisted_eligible", t("coverage.col.assisted_eligible"), "count"),
        Col("coverage_registry", t("ind.coverage_registry.short"), "pct", I.get("coverage_registry").people_counts),
        Col("poor_households_est", t("coverage.col.poor_est"), "count"),
        Col("coverage_poor", t("ind.coverage_poor.short"), "pct", I.get("coverage_poor").people_counts),
        Col("exclusion_gap", t("ind.exclusion_gap.short"), "count"),
        Col("exclusion_rate", t("ind.exclusion_rate.short"), "pct", I.get("exclusion_rate").people_counts),
        Col("assisted_not_eligible", t("ind.assisted_not_eligible.short"), "count"),
        Col("inclusion_rate", t("ind.inclusion_rate.short"), "pct", I.get("inclusion_rate").people_counts)]
if ind.unit == "pct":
    order["change_pp"] = order["change"] * 100
    cols.append(Col("change_pp", t("coverage.col.change", ind=t(ind.short_key), when=labels.month(f.cmp_end)),
                    "number", ind.people_counts))
    order.loc[order["hidden_cmp"].fillna(False).astype(bool), "change_pp"] = float("nan")
table_with_export(order, cols, title=labels.chart_title(t("coverage.table.title"), "", when),
                  subtitle=t("kit.export.subtitle", area=area_label(ctx),
                             programme=labels.programme(prog)),
                  file_stem=f"qamrov-coverage-{f.end:%Y-%m}", key="cov_table")
