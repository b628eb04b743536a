"""Pilot evaluation (M&E): did opening an Inson centre change a district's outcomes?

The centres opened in 28 pilot districts on 15 October 2023 and in the others through 2024: a
staggered adoption. A difference-in-differences event study (Sun & Abraham's interaction-weighted
estimator, ``statsmodels`` with district-clustered errors; ``ui.lab.evaluate``) compares each
cohort with the districts that opened last, month by month since opening, and states the
pre-trend check in plain words. ``python -m qamrov evaluate`` runs the same estimate.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from ui import export, fmt, kit, kpi, lab, labels, state
from ui.filters import month_bounds
from ui.header import page_header
from ui.i18n import t
from ui.table import Col, table_with_export

SINCE, UNTIL, PRE = dt.date(2022, 7, 1), dt.date(2025, 12, 1), 12


def render(ctx: kit.Context) -> None:
    f = ctx.f
    page_header(ctx, t("page.pilot.title"), t("pilot.lead"), selection=False)
    outcome = f.param("outcome", "coverage_registry")
    if outcome not in lab.OUTCOMES:
        st.warning(t("lab.url_fixed", name="outcome"))
        outcome = "coverage_registry"
    since, until, pre = _month(f.param("since"), SINCE), _month(f.param("until"), UNTIL), PRE
    if f.param("pre"):
        try:
            pre = max(3, min(24, int(f.param("pre"))))
        except ValueError:
            st.warning(t("lab.url_fixed", name="pre"))
    settings_bar(outcome, since, until, pre, month_bounds(ctx.scope))
    panel = ctx.q("pilot_panel", start=since, end=until, region=None, districts=[])
    if panel.empty:
        st.info(t("pilot.empty"))
        return
    try:
        res = lab.evaluate(panel, outcome, pre)
    except lab.EvaluationError as exc:
        st.info(t("pilot.cannot", detail=str(exc)))
        return
    name = t(f"pilot.outcome.{outcome}")
    kpi.cards([kpi.Card(t("pilot.kpi.effect"), lab.effect_text(outcome, res.att),
                        help=t("pilot.kpi.effect_help")),
               kpi.Card(t("pilot.kpi.ci", unit=t(f"pilot.unit.{outcome}")),
                        f"{lab.effect_text(outcome, res.lo, unit=False)} … {lab.effect_text(outcome, res.hi, unit=False)}"),
               kpi.Card(t("pilot.kpi.pretrend"), fmt.number(res.pre_p, 2), help=t("pilot.kpi.pretrend_help")),
               kpi.Card(t("pilot.kpi.districts"), t("pilot.kpi.districts_value", treated=fmt.number(res.treated),
                                                     control=fmt.number(res.control)))])
    verdict = "significant" if res.significant else "none"
    st.markdown(t(f"pilot.verdict.{verdict}", outcome=name, effect=lab.effect_text(outcome, res.att),
                  lo=lab.effect_text(outcome, res.lo), hi=lab.effect_text(outcome, res.hi)))
    st.markdown(t("pilot.pretrend.ok" if res.parallel else "pilot.pretrend.bad", p=fmt.number(res.pre_p, 2),
                  n=res.pre_df))
    st.caption(t("pilot.sample", start=labels.month(res.start), end=labels.month(res.end),
                 control_from=labels.month(res.control_from), treated=res.treated, control=res.control))
    st.plotly_chart(lab.event_chart(res, outcome, title=labels.chart_title(
        t("pilot.chart.title", outcome=name), t(f"pilot.unit.{outcome}"),
        labels.period(res.start, res.end))), key="pilot_chart", config=export.chart_config("pilot-chart"))
    k = 100.0 if lab.OUTCOMES[outcome][2] in ("pct", "log") else 1.0
    ev = res.events.assign(att_u=res.events["att"] * k, lo_u=res.events["lo"] * k, hi_u=res.events["hi"] * k)
    unit = t(f"pilot.unit.{outcome}")
    table_with_export(ctx, ev, [Col("e", t("pilot.col.e"), "int"),
                                Col("att_u", t("pilot.col.effect"), "number", unit=unit),
                                Col("lo_u", t("pilot.col.lo"), "number", unit=unit),
                                Col("hi_u", t("pilot.col.hi"), "number", unit=unit),
                                Col("districts", t("pilot.col.districts"), "int")],
                      title=labels.chart_title(t("pilot.table.title", outcome=name), unit, labels.period(res.start, res.end)),
                      what=f"pilot-{outcome}", key="pilot_table")
    with st.expander(t("pilot.method.title"), icon=":material/menu_book:"):
        st.markdown(t("pilot.method.text", pre=pre))


def _month(text: str | None, default: dt.date) -> dt.date:
    parsed = state.parse_month(text) if text else None
    return parsed or default


def settings_bar(outcome: str, since: dt.date, until: dt.date, pre: int, bounds) -> None:
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    seeds = {"w_pilot_outcome": outcome, "w_pilot_since": since, "w_pilot_until": until, "w_pilot_pre": pre}
    for k, v in seeds.items():
        if st.session_state.get(k) != v:
            st.session_state[k] = v
    c1.selectbox(t("pilot.setting.outcome"), list(lab.OUTCOMES), key="w_pilot_outcome",
                 format_func=lambda o: t(f"pilot.outcome.{o}"),
                 on_change=lambda: state.set_param("outcome", st.session_state["w_pilot_outcome"]))
    first, last = bounds or (SINCE, UNTIL)
    months = [state.month_add(first, i) for i in range(state.months_between(first, last))]
    for k in ("w_pilot_since", "w_pilot_until"):
        if st.session_state[k] not in months:
            st.session_state[k] = months[0] if k.endswith("since") else months[-1]
    c2.selectbox(t("pilot.setting.since"), months, key="w_pilot_since", format_func=lambda d: labels.month(d, short=True),
                 on_change=lambda: state.set_param("since", f"{st.session_state['w_pilot_since']:%Y-%m}"))
    c3.selectbox(t("pilot.setting.until"), months, key="w_pilot_until", format_func=lambda d: labels.month(d, short=True),
                 on_change=lambda: state.set_param("until", f"{st.session_state['w_pilot_until']:%Y-%m}"))
    c4.number_input(t("pilot.setting.pre"), 3, 24, key="w_pilot_pre",
                    on_change=lambda: state.set_param("pre", str(st.session_state["w_pilot_pre"])))


kit.page(render)
