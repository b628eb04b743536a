"""Coverage by region: are the households that need help getting it?

The default programme is ``_targeted``: the Unified Social Registry's targeted
low-income assistance (child allowance or material assistance); ``_all`` (any
programme, including pensions and other non-targeted benefits) stays an option.
Stocks (coverage, eligible, gap, inclusion) are read at the last month of the
selected period and compared with the last month of the comparison period.
"""
from __future__ import annotations

import streamlit as st

from ui import charts, export, kit, kpi, labels, mapview, ranking, sections, shaping
from ui.header import area_label, page_header
from ui.i18n import t
from ui.indicators import COVERAGE_PICK, get
from ui.registry import ALL, TARGETED
from ui.table import Col, place_cols, table_with_export

CARDS = ("coverage_registry", "coverage_poor", "exclusion_rate", "inclusion_rate",
         "eligible_households", "assisted_households", "exclusion_gap", "assisted_not_eligible")
COUNTS = ("eligible_households", "assisted_households", "assisted_eligible", "poor_households_est",
          "exclusion_gap", "assisted_not_eligible")


def render(ctx: kit.Context) -> None:
    f, prog = ctx.f, ctx.f.programme
    ind = get(f.indicator or COVERAGE_PICK[0])
    page_header(ctx, t("page.coverage.title"), t("coverage.lead"))
    at = dict(programme=prog, **ctx.area)
    cur = ctx.q("coverage_totals", start=f.end, end=f.end, **at)
    cmp = ctx.q("coverage_totals", start=f.cmp_end, end=f.cmp_end, **at)
    if shaping.nothing(cur, ["eligible_households", "assisted_households"]):
        st.info(t("coverage.empty", month=labels.month(f.end)))
        return

    kpi.row(CARDS, cur, cmp, t("kit.kpi.vs", when=labels.month(f.cmp_end, short=True)))
    sections.reconcile(cur)
    st.caption(t("coverage.stock_note", month=labels.month(f.end), cmp=labels.month(f.cmp_end),
                 programme=labels.programme(prog) if prog != ALL else t("programme._all.coverage")))
    if prog in (ALL, TARGETED):
        st.caption(t("coverage.all_programmes_note" if prog == ALL else "coverage.targeted_note"))
    sections.definitions(COVERAGE_PICK + ("exclusion_gap", "assisted_not_eligible"), "coverage.definitions_note")

    when = labels.as_of(f.end)
    regions = ranking.area_frame(ctx.q("coverage_by_region", month=f.end, programme=prog), ind.id,
                                 soato="region_soato")
    national = ind.total(ctx.q("coverage_totals", start=f.end, end=f.end, programme=prog, region=None,
                               districts=[]))
    districts = ctx.q("coverage_by_district", month=f.end, **at)
    areas = ranking.with_region_values(ranking.area_frame(districts, ind.id, soato="district_soato"), regions)

    # the country map takes the page's width (larger on a wide screen); a region's beside its trend
    map_col, trend_col = (st.container(), st.container()) if f.region is None else \
        st.columns([6, 5], gap="medium")
    with map_col:
        shown = areas if f.region is None else ranking.area_frame(
            ctx.q("coverage_by_district", month=f.end, programme=prog, region=f.region, districts=[]), ind.id,
            soato="district_soato")
        place = dict(zip(regions["soato"], regions["label"])).get(f.region)
        mapview.map_section(region=f.region, region_values=regions, district_values=shown, value="value",
                            indicator=ind.id, legend_title=t(ind.short_key), key="cov_map",
                            title=labels.indicator_title(ind, when, place), height=640 if f.region is None else 520)
    with trend_col:
        st.plotly_chart(area_trend(ctx, ind.id, prog), key="cov_trend", config=export.chart_config("cov-trend"))

    regional = dict(zip(regions["soato"], regions["value"])).get(f.region) if f.region else None
    ranking.section(areas, ind.id, key="cov_rank", national=national, regional=regional, long_names=True,
                    region_avg="region_avg" if f.region is None else None,
                    title=ranking.title(t(ind.label_key), labels.title_unit(ind), when,
                                        int(areas["value"].notna().sum())))

    if f.district:
        one = ctx.q("coverage_by_district", month=f.end, programme=prog, region=None, districts=[f.district])
        sections.district_card(one, [kpi.for_rows(i, one) for i in CARDS[:2] + CARDS[6:]], key="cov_close")

    table = districts.assign(label=areas["label"].values, region_label=labels.place_names(districts, prefix="region_"))
    table, place = place_cols(ctx, ranking.ordered_by(table, ind.id, ascending=ind.higher_is_better is False))
    cols = [*place, Col.of("coverage_registry"), Col.of("coverage_poor"), Col.of("exclusion_rate"),
            Col.of("eligible_households"), Col.of("inclusion_rate", screen=False), Col.of("exclusion_gap", screen=False),
            Col.of("assisted_households", screen=False),
            Col("assisted_eligible", t("coverage.col.assisted_eligible"), "count", unit=t("unit.households"),
                screen=False),
            Col("poor_households_est", t("coverage.col.poor_est"), "count", unit=t("unit.households"), screen=False),
            Col.of("assisted_not_eligible", screen=False)]
    if ind.unit == "pct":  # the change in points against the comparison month
        table = shaping.with_change(table, ctx.q("coverage_by_district", month=f.cmp_end, **at), ind.id)
        cols.append(Col("change_pp", t("coverage.col.change", ind=t(ind.short_key), when=labels.month(f.cmp_end)),
                        "number", ind.people_counts, short=t("coverage.col.change_short")))
    table_with_export(ctx, table, cols, title=labels.chart_title(t("coverage.table.title"), "", when),
                      subtitle=t("kit.export.subtitle", area=area_label(ctx), programme=labels.programme(prog)),
                      what="coverage", key="cov_table")


def area_trend(ctx: kit.Context, indicator_id: str, prog: str):
    """The indicator by month for the selection, against the country (and the region when
    districts are chosen)."""
    f, ind = ctx.f, get(indicator_id)
    period = dict(start=f.start, end=f.end, programme=prog)
    series = [(t("kit.series.selection"), ctx.q("coverage_totals", **period, **ctx.area))]
    if f.region or f.districts:
        series.append((t("kit.series.national"), ctx.q("coverage_totals", **period, region=None, districts=[])))
    if f.districts and f.region:
        series.append((t("kit.series.regional"), ctx.q("coverage_totals", **period, region=f.region, districts=[])))
    if len(series) == 1:
        series[0] = (t(ind.label_key), series[0][1])
    return charts.indicator_trend(ind.id, series, title=labels.indicator_title(ind, ctx.period),
                                  axis_title=labels.unit(ind))


kit.page(render)
