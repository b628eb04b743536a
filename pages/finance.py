"""Differential-financing simulator: share a budget over the districts by a formula (a base
per resident or per eligible household, a need-weighted part driven by the need index,
hold-harmless floors and caps) and compare it with what each district was actually paid by
the targeted programmes over the last twelve months. Two scenarios (``a``, ``b``) and the
budget live in the URL, so a scenario can be sent to a colleague or compared side by side.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import export, fmt, kit, kpi, labels, lab, state
from ui.header import page_header
from ui.i18n import t
from ui.table import Col, place_cols, table_with_export

DEFAULTS = {"a": lab.Scenario(), "b": lab.Scenario(need=70, base="eligible", loss=10.0, gain=25.0)}


def render(ctx: kit.Context) -> None:
    f = ctx.f
    page_header(ctx, t("page.finance.title"), t("finance.lead"))
    start = state.month_add(f.end, -11)
    cur = ctx.q("finance_districts", start=start, end=f.end, region=f.region, districts=[])
    if cur.empty or cur["current_uzs"].sum() == 0:
        st.info(t("finance.empty"))
        return
    current_total = int(cur["current_uzs"].sum())
    budget = current_total
    if f.param("budget"):
        try:
            budget = int(f.param("budget"))
            if budget <= 0:
                raise ValueError
        except ValueError:
            st.warning(t("lab.url_fixed", name="budget"))
            budget = current_total
    scenarios = {}
    for key in ("a", "b"):
        try:
            scenarios[key] = lab.parse_scenario(f.param(key), DEFAULTS[key]) if key == "a" or f.param(key) else None
        except ValueError as exc:
            st.warning(t("finance.bad_scenario", scenario=key, part=str(exc), example=DEFAULTS[key].code()))
            scenarios[key] = DEFAULTS[key] if key == "a" else None
    s, bad = lab.need_settings(f)
    need = lab.need_frame(ctx.q("need_indicators", month=f.end, region=f.region, districts=[]), s)
    frame = cur.merge(need[["district_soato", "score", "rank"]], on="district_soato", how="left")
    frame["label"] = labels.place_names(frame).values
    period = labels.period(start, f.end)

    budget_bar(budget, current_total, period)
    compare = st.toggle(t("finance.compare"), value=scenarios["b"] is not None, key="w_fin_compare",
                        on_change=_toggle_b)
    keys = ("a", "b") if compare and scenarios["b"] is not None else ("a",)
    cols = st.columns(len(keys), gap="large")
    width = 0.8 if len(keys) > 1 else 1.0  # titles' width in half pages: two scenarios share the page
    results = {}
    for col, key in zip(cols, keys):
        with col:
            sc = scenario_bar(key, scenarios[key] or DEFAULTS[key])
            try:
                alloc = lab.allocate(frame, frame["score"].fillna(0), budget, sc)
            except lab.AllocationError as exc:
                st.error(t("finance.infeasible", detail=str(exc)))
                continue
            res = frame.assign(alloc=alloc.values, change_uzs=alloc.values - frame["current_uzs"],
                               change=(alloc.values / frame["current_uzs"].where(frame["current_uzs"] > 0) - 1))
            results[key] = res
            winners, losers = int((res["change_uzs"] > 0).sum()), int((res["change_uzs"] < 0).sum())
            moved = fmt.money(int(res["change_uzs"].clip(lower=0).sum()))
            cards = [kpi.Card(t("finance.kpi.winners"), fmt.number(winners)),
                     kpi.Card(t("finance.kpi.losers"), fmt.number(losers))]
            if len(keys) == 1:       # beside a second scenario the money is a line (half a page is narrow)
                cards.append(kpi.Card(t("finance.kpi.moved"), moved, help=t("finance.kpi.moved_help")))
            kpi.cards(cards, per_row=len(cards))
            total = int(res["alloc"].sum())
            st.caption(t("finance.kpi.total_line", total=fmt.money(total), diff=fmt.number(total - budget)))
            if len(keys) > 1:
                st.caption(t("finance.kpi.moved_line", moved=moved))
            res = res.assign(change_text=[fmt.signed_pct(v) for v in res["change"]], soato=res["district_soato"])
            title = labels.chart_title(t("finance.map.title", scenario=key.upper()), "%", period)
            lab.district_map(res, value="change", title=title, legend=t("finance.map.legend"), region=f.region,
                             value_fmt=fmt.signed_pct, key=f"fin_map_{key}_{f.region or 'all'}", scale="diverging",
                             title_scale=width)
            st.plotly_chart(lab.changes_chart(res, value="change", text="change_text", title=labels.chart_title(
                t("finance.changes.title", scenario=key.upper()), "%", period), title_scale=width),
                key=f"fin_changes_{key}",
                config=export.chart_config("finance-chart-1"))
    if not results:
        return
    table = frame.sort_values("rank")
    regions = ctx.q("geo_regions")
    table["region_label"] = table["region_soato"].map(dict(zip(regions["region_soato"], labels.place_names(regions))))
    table, place = place_cols(ctx, table)
    tcols = [*place, Col("residents", t("finance.col.residents"), "count", screen=False),
             Col("eligible_households", t("finance.col.eligible"), "count", screen=False),
             Col("score", t("need.col.score"), "number"), Col("current_uzs", t("finance.col.current"), "money",
                                                           screen=len(results) == 1)]  # fits at 1366 px
    for key, res in results.items():
        table = table.merge(res[["district_soato", "alloc", "change_uzs", "change"]].rename(
            columns={c: f"{c}_{key}" for c in ("alloc", "change_uzs", "change")}), on="district_soato", how="left")
        tcols += [Col(f"alloc_{key}", t("finance.col.alloc", scenario=key.upper()), "money"),
                  Col(f"change_uzs_{key}", t("finance.col.change_uzs", scenario=key.upper()), "money",
                      screen=len(results) == 1),
                  Col(f"change_{key}", t("finance.col.change", scenario=key.upper()), "signed_pct")]
    table_with_export(ctx, table, tcols, title=labels.chart_title(t("finance.table.title"), t("fmt.som"), period),
                      subtitle=" · ".join(f"{k.upper()}: {(scenarios[k] or DEFAULTS[k]).code()}" for k in results)
                      + " · " + t("finance.table.budget", budget=fmt.money(budget)),
                      what="finance", key="fin_table")
    with st.expander(t("finance.method.title"), icon=":material/menu_book:"):
        st.markdown(t("finance.method.text", period=period))


def budget_bar(budget: int, current_total: int, period: str) -> None:
    c1, c2 = st.columns([2, 3])
    wkey = "w_fin_budget"
    mln = round(budget / 1e6)
    if st.session_state.get(wkey) != mln:
        st.session_state[wkey] = mln
    c1.number_input(t("finance.budget"), min_value=1, step=1000, key=wkey, on_change=_budget,
                    args=(current_total,), help=t("finance.budget.help"))
    c2.markdown(t("finance.budget.current", current=fmt.money(current_total), period=period,
                  budget=fmt.money(budget)))


def _budget(current_total: int) -> None:
    v = int(st.session_state["w_fin_budget"]) * 1_000_000
    state.set_param("budget", None if abs(v - current_total) < 1_000_000 else str(v))


def _toggle_b() -> None:
    state.set_param("b", DEFAULTS["b"].code() if st.session_state["w_fin_compare"] else None)


def scenario_bar(key: str, sc: lab.Scenario) -> lab.Scenario:
    """The formula's controls of scenario ``key``; each change is written to the URL."""
    st.subheader(t("finance.scenario", scenario=key.upper()))
    vals = {"need": sc.need, "base": sc.base, "loss_on": sc.loss is not None, "loss": sc.loss or 5.0,
            "gain_on": sc.gain is not None, "gain": sc.gain or 20.0}
    for name, v in vals.items():
        wk = f"w_fin_{key}_{name}"
        if st.session_state.get(wk) != v:
            st.session_state[wk] = v

    def write():
        g = {n: st.session_state[f"w_fin_{key}_{n}"] for n in vals}
        state.set_param(key, lab.Scenario(int(g["need"]), g["base"], float(g["loss"]) if g["loss_on"] else None,
                                          float(g["gain"]) if g["gain_on"] else None).code())

    c1, c2 = st.columns(2)
    c1.radio(t("finance.base"), list(lab.BASES), key=f"w_fin_{key}_base", on_change=write, horizontal=True,
             format_func=lambda b: t(f"finance.base.{b}"))
    c2.slider(t("finance.need_share"), 0, 100, step=5, key=f"w_fin_{key}_need", on_change=write,
              help=t("finance.need_share.help"))
    c3, c4 = st.columns(2)
    c3.checkbox(t("finance.floor"), key=f"w_fin_{key}_loss_on", on_change=write, help=t("finance.floor.help"))
    c3.number_input(t("finance.loss"), 0.0, 100.0, step=1.0, key=f"w_fin_{key}_loss", on_change=write,
                    disabled=not vals["loss_on"])
    c4.checkbox(t("finance.cap"), key=f"w_fin_{key}_gain_on", on_change=write, help=t("finance.cap.help"))
    c4.number_input(t("finance.gain"), 0.0, 1000.0, step=5.0, key=f"w_fin_{key}_gain", on_change=write,
                    disabled=not vals["gain_on"])
    return sc


kit.page(render)
