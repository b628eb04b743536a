"""District need index: a composite of twelve demographic, socio-economic and access
indicators (OECD/JRC handbook), with each district's rank interval from a Monte-Carlo
sensitivity analysis over normalisation, weights and aggregation. Method:
``docs/NEED_INDEX.md``. The settings live in the URL (``norm``, ``weights``, ``agg``, ``w``).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import export, fmt, kit, kpi, labels, lab, state
from ui.header import page_header
from ui.i18n import t
from ui.table import Col, place_cols, table_with_export


def render(ctx: kit.Context) -> None:
    f = ctx.f
    page_header(ctx, t("page.need.title"), t("need.lead"))
    s, bad = lab.need_settings(f)
    for key in bad:
        st.warning(t("lab.url_fixed", name=key))
    settings_bar(s)
    raw = ctx.q("need_indicators", month=f.end, region=f.region, districts=[])
    if raw.empty or raw["residents"].sum() == 0:
        st.info(t("need.empty"))
        return
    need = lab.need_frame(raw, s)
    when = labels.as_of(f.end)
    neediest = need.sort_values("rank")["label"].iloc[0]

    kpi.cards([kpi.Card(t("need.kpi.districts"), fmt.number(len(need))),
               kpi.Card(t("need.kpi.robust"), fmt.number(int(need["robust"].sum())),
                        help=t("need.kpi.robust_help", span=lab.index.ROBUST_SPAN)),
               kpi.Card(t("need.kpi.neediest"), labels.short_district(neediest), help=neediest)], per_row=3)
    st.caption(t("need.kpi.method_line", norm=t(f"need.norm.{s.norm}"), agg=t(f"need.agg.{s.agg}"),
                 weights=t(f"need.weights.{s.weights}")))
    with st.expander(t("need.method.title"), icon=":material/menu_book:"):
        st.markdown(t("need.method.text", draws=fmt.number(s.draws), span=lab.index.ROBUST_SPAN))
        for i in lab.INDICATORS:
            st.markdown(f"**{t(f'need.ind.{i.id}.label')}** ({t(f'need.group.{i.group}')}) — "
                        f"{t(f'need.ind.{i.id}.definition')}")
        st.markdown(t("need.method.suppressed", min_cell=fmt.hidden_count()))

    m, r = st.columns([6, 5], gap="medium")
    with m:
        lab.district_map(need.assign(soato=need["district_soato"]), value="score",
                         title=labels.chart_title(t("need.map.title"), t("need.unit.score"), when),
                         legend=t("need.map.legend"), region=f.region, value_fmt=lambda v: fmt.number(v, 0),
                         key=f"need_map_{f.region or 'all'}")
    with r:
        top = min(25, len(need))
        st.plotly_chart(lab.rank_chart(need, top=top, title=labels.chart_title(
            t("need.rank.title", n=top, total=len(need)), t("need.rank.unit"), when)),
            key="need_rank", config=export.chart_config("need-rank"))
        st.caption(t("need.rank.note", span=lab.index.ROBUST_SPAN, draws=fmt.number(s.draws)))

    table = need.sort_values("rank").copy()
    regions = ctx.q("geo_regions")
    table["region_label"] = table["region_soato"].map(dict(zip(regions["region_soato"], labels.place_names(regions))))
    table, place = place_cols(ctx, table)
    cols = [Col("rank", t("need.col.rank"), "int"), *place, Col("score", t("need.col.score"), "number"),
            Col("interval", t("need.col.interval")), Col("robust_text", t("need.col.robust"), screen=False)]
    table["interval"] = [f"{fmt.number(a)}–{fmt.number(b)}" for a, b in zip(table["rank_p05"], table["rank_p95"])]
    table["robust_text"] = [t("inson.yes") if v else t("inson.no") for v in table["robust"]]
    cols += lab.need_columns()
    table_with_export(ctx, table, cols, title=labels.chart_title(t("need.table.title"), "", when),
                      subtitle=t("need.table.subtitle"), what="need", key="need_table")


def settings_bar(s: lab.NeedSettings) -> None:
    """Normalisation, weights and aggregation (and the user's weights), written to the URL."""
    c1, c2, c3 = st.columns(3)
    for col, key, options, value in ((c1, "norm", lab.NORMALISATIONS, s.norm),
                                     (c2, "weights", lab.WEIGHT_SETS, s.weights),
                                     (c3, "agg", lab.AGGREGATIONS, s.agg)):
        wkey = f"w_need_{key}"
        if st.session_state.get(wkey) != value:
            st.session_state[wkey] = value
        col.selectbox(t(f"need.setting.{key}"), list(options), key=wkey,
                      format_func=lambda v, k=key: t(f"need.{k}.{v}"),
                      on_change=lambda k=key, w=wkey: state.set_param(k, st.session_state[w]),
                      help=t(f"need.setting.{key}.help"))
    if s.weights == "user":
        with st.expander(t("need.weights.user.title"), expanded=True):
            cols = st.columns(4)
            for k, (i, w) in enumerate(zip(lab.IDS, s.user_weights)):
                wkey = f"w_need_w_{i}"
                if st.session_state.get(wkey) != w:
                    st.session_state[wkey] = float(w)
                cols[k % 4].number_input(t(f"need.ind.{i}.short"), min_value=0.0, max_value=10.0, step=0.5,
                                         key=wkey, on_change=_user_weights)


def _user_weights() -> None:
    vals = [st.session_state.get(f"w_need_w_{i}", 1.0) for i in lab.IDS]
    state.set_param("w", ",".join(lab._num(float(v)) for v in vals))


kit.page(render)
