"""Growth in assistance volume: so'm paid, recipients and average benefit per month, by
programme and channel, year-on-year and since 2019."""
from __future__ import annotations

import streamlit as st

from ui import charts, export, fmt, kit, kpi, labels, mapview, ranking, sections, shaping, stories
from ui.filters import month_bounds
from ui.header import area_label, page_header
from ui.i18n import t
from ui.indicators import GROWTH_PICK, get
from ui.registry import OTHER, PROGRAMMES, SOCIAL_CARD
from ui.table import Col, place_cols, table_with_export

#: The growth indicator of each indicator of the picker (map and table).
GROWTH_OF = {"amount_uzs": "growth_amount_uzs", "recipients": "growth_recipients",
             "avg_benefit": "growth_avg_benefit"}


def render(ctx: kit.Context) -> None:
    f, prog = ctx.f, ctx.f.programme
    ind = get(f.indicator or GROWTH_PICK[0])
    prog_label = labels.programme(prog)
    page_header(ctx, t("page.growth.title"), t("growth.lead"))
    if sections.lifetime(prog, prog_label, f.start, f.end) == "none":
        return  # a programme that did not pay in the period: say since when it pays
    gm = stories.monthly(ctx, f.start, f.end, prog)
    gc = stories.monthly(ctx, f.cmp_start, f.cmp_end, prog)
    if shaping.nothing(gm, ["amount_uzs"]):
        st.info(t("growth.empty", programme=prog_label, period=ctx.period))
        return

    story = stories.yearly_growth(ctx, prog)
    since = kpi.Card(label=t("growth.kpi.since", base=story.base_year or fmt.MISSING, year=story.last_full
                             or fmt.MISSING), value=t("growth.times", x=fmt.number(story.times, 1))
                     if story.times else fmt.MISSING, help=t("growth.kpi.since_help"))
    stories.growth_cards(ctx, gm, gc, extra=(since,))

    y_col, m_col = st.columns(2, gap="medium")
    with y_col:
        if story.yearly.empty:
            st.info(t("kit.empty.chart"))
        else:
            st.plotly_chart(story.figure(prog_label), key="gr_yearly", config=export.chart_config("gr-yearly"))
            if story.partial_year:
                st.caption(t("growth.partial_year", year=story.partial_year,
                             month=labels.month(month_bounds(ctx.scope)[1])))
    with m_col:
        ya = stories.monthly(ctx, *f.year_ago, prog)
        st.plotly_chart(charts.year_on_year(ind.id, gm, ya, ctx.period, t("growth.series.year_ago")),
                        key="gr_monthly", config=export.chart_config("gr-monthly"))

    p_col, c_col = st.columns(2, gap="medium")
    with p_col:
        programmes_chart(ctx, prog)
    with c_col:
        channels_chart(ctx, prog)

    with st.expander(t("growth.programmes.expander", period=ctx.period), icon=":material/table_chart:"):
        programmes_table(ctx, prog, prog_label)

    params = dict(start=f.start, end=f.end, cmp_start=f.cmp_start, cmp_end=f.cmp_end, programme=prog)
    g = get(GROWTH_OF[ind.id])
    regions = ctx.q("growth_by_region", **params)
    districts = ctx.q("growth_by_district", region=f.region, districts=[], **params)
    place = dict(zip(regions["region_soato"], labels.place_names(regions))).get(f.region)
    st.subheader(t("growth.section.districts"))
    st.caption(t("growth.map.note", period=ctx.period, cmp=ctx.cmp_period))
    mapview.map_section(
        region=f.region, region_values=regions.assign(soato=regions["region_soato"], value=g.shown(regions),
                                                      hidden=g.hidden(regions)),
        district_values=districts.assign(soato=districts["district_soato"], value=g.shown(districts),
                                         hidden=g.hidden(districts)),
        value="value", indicator=g.id, scale="diverging", key="gr_map",
        legend_title=t("growth.map.legend", ind=t(ind.short_key)),
        title=labels.chart_title(t("growth.map.title", ind=t(ind.label_key)), "%",
                                 f"{place + ' · ' if place else ''}{ctx.period} / {ctx.cmp_period}"))

    if f.district:
        one = ctx.q("growth_by_district", region=None, districts=[f.district], **params)
        prev = shaping.comparison_side(one)
        vs = t("kit.kpi.vs", when=labels.period_short(f.cmp_start, f.cmp_end))
        sections.district_card(one, [
            kpi.for_rows("amount_uzs", one, prev, description=vs,
                         label=t("growth.kpi.amount", period=labels.period_short(f.start, f.end))),
            kpi.for_rows("recipients", one, prev, description=t("kit.kpi.vs", when=labels.month(f.cmp_end, short=True)),
                         label=t("growth.kpi.recipients", month=labels.month(f.end, short=True))),
            kpi.for_rows("avg_benefit", one, prev, description=vs)], key="gr_close", per_row=3)

    table = ctx.q("growth_by_district", **ctx.area, **params)
    table = table.assign(label=labels.place_names(table), region_label=labels.place_names(table, prefix="region_"))
    table, place = place_cols(ctx, ranking.ordered_by(table, g.id))
    table_with_export(ctx, table, [
        *place,
        *amount_cols(ctx), Col.of("growth_amount_uzs", growth_label("amount_uzs")),
        Col("households", t("growth.col.recipients", month=labels.month(f.end)), "count", unit=t("unit.households"),
            short=t("ind.recipients.short")),
        Col("households_cmp", t("growth.col.recipients", month=labels.month(f.cmp_end)), "count",
            unit=t("unit.households"), screen=False),
        Col.of("growth_recipients", growth_label("recipients")),
        Col.of("avg_benefit", t("growth.col.avg", period=ctx.period), short=t("ind.avg_benefit.short")),
        Col.of("avg_benefit", t("growth.col.avg", period=ctx.cmp_period), suffix="_cmp", screen=False),
        Col.of("growth_avg_benefit", growth_label("avg_benefit"))],
        title=labels.chart_title(t("growth.table.title", programme=prog_label), "", f"{ctx.period} / {ctx.cmp_period}"),
        subtitle=t("kit.export.subtitle", area=area_label(ctx), programme=prog_label),
        what="growth", key="gr_table")


def growth_label(indicator_id: str) -> str:
    return t("growth.col.growth", ind=t(get(indicator_id).short_key))


def amount_cols(ctx: kit.Context) -> list[Col]:
    return [Col("amount_uzs", t("growth.col.amount", period=ctx.period), "money", short=t("ind.amount_uzs.short")),
            Col("amount_uzs_cmp", t("growth.col.amount", period=ctx.cmp_period), "money", screen=False)]


def programmes_chart(ctx: kit.Context, prog: str) -> None:
    """Amount paid by programme and month (the six largest, the rest together)."""
    gp = ctx.q("growth_programmes", start=ctx.f.start, end=ctx.f.end, programme=prog, **ctx.area)
    if gp.empty:
        st.info(t("kit.empty.chart"))
        return
    gp = shaping.top_other(gp, "programme", "amount_uzs", 6)
    order = shaping.ordered(PROGRAMMES, gp["programme"])
    names = {p: labels.programme(p) if p != OTHER else t("growth.chart.programmes_other") for p in order}
    st.plotly_chart(charts.money_stack(gp, "programme", names, order, t("growth.chart.programmes"), ctx.period),
                    key="gr_programmes", config=export.chart_config("gr-programmes"))


def channels_chart(ctx: kit.Context, prog: str) -> None:
    """Amount paid through the social card and through the other channels, and the card's share."""
    ch = ctx.q("growth_channels", start=ctx.f.start, end=ctx.f.end, programme=prog, **ctx.area)
    if ch.empty:
        st.info(t("kit.empty.chart"))
        return
    ch = shaping.one_and_rest(ch, "channel", SOCIAL_CARD, "amount_uzs")
    names = {SOCIAL_CARD: labels.channel(SOCIAL_CARD), OTHER: t("channel._other")}
    st.plotly_chart(charts.money_stack(ch, "group", names, [OTHER, SOCIAL_CARD], t("growth.chart.channels"),
                                       ctx.period), key="gr_channels", config=export.chart_config("gr-channels"))
    share = ch[ch["group"] == SOCIAL_CARD]["amount_uzs"].sum() / max(ch["amount_uzs"].sum(), 1)
    st.caption(t("growth.social_card_share", share=fmt.pct(share), period=ctx.period))


def programmes_table(ctx: kit.Context, prog: str, prog_label: str) -> None:
    """Amount, recipients and average benefit by programme, against the comparison period."""
    f = ctx.f

    def totals(start, end):
        return shaping.period_totals(ctx.q("growth_programmes", start=start, end=end, programme=prog, **ctx.area),
                                     "programme", end)

    pc = shaping.compared(totals(f.start, f.end), totals(f.cmp_start, f.cmp_end), "programme")
    if not pc.empty:
        pc = pc.assign(label=pc["programme"].map(labels.programme)).sort_values("amount_uzs", ascending=False)
    table_with_export(ctx, pc, [
        Col("label", t("kit.filters.programme")), *amount_cols(ctx),
        Col.of("growth_amount_uzs", growth_label("amount_uzs")),
        Col("households", t("growth.col.recipients", month=labels.month(f.end)), "count", unit=t("unit.households")),
        Col.of("growth_recipients", growth_label("recipients")),
        Col.of("avg_benefit", t("growth.col.avg", period=ctx.period))],
        title=labels.chart_title(t("growth.programmes.title"), "", f"{ctx.period} / {ctx.cmp_period}"),
        subtitle=t("kit.export.subtitle", area=area_label(ctx), programme=prog_label),
        what="growth-programmes", key="gr_prog_table")


kit.page(render)
