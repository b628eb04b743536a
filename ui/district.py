"""The district profile's parts: one district's figures against its region and the country.

The profile queries (``queries/profile_*.sql``) return one row per level
(``district``, ``region``, ``country``); every value is an indicator of the
registry, formatted and hidden by the kit like everywhere else.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from queries import disclosure, indicators
from ui import charts, export, fmt, kpi, labels, state
from ui.i18n import t

LEVELS = ("district", "region", "country")
#: (section, query, indicators shown) in page order.
SECTIONS = (
    ("coverage", "district_coverage", ("coverage_registry", "coverage_poor", "exclusion_rate", "inclusion_rate",
                                      "eligible_households", "exclusion_gap")),
    ("growth", "district_growth", ("recipients", "district_recipients_yoy", "amount_uzs", "district_amount_yoy")),
    ("daftar", "district_daftar", ("daftar_on_register", "daftar_assisted", "daftar_share_helped",
                                  "daftar_median_days", "daftar_waiting_90", "daftar_reach_1000")),
    ("inson", "district_inson", ("inson_workers", "inson_mahallas_per_worker", "inson_mahallas_no_worker",
                                "inson_caseload", "inson_median_days_close", "inson_backlog_90p")),
)
#: Indicators of the profile trend (columns of queries/district_trend.sql).
TREND_PICK = ("coverage_registry", "daftar_waiting_90_share", "inson_caseload")
_NONE = (float("nan"), False)


def levels_for(scope_level: str) -> tuple[str, ...]:
    """Comparison levels a viewer sees: every viewer sees the district against its region and
    the country as totals (the query layer admits them: ``queries.runner.Scope.admit``)."""
    return LEVELS


def prepare(section: str, df: pd.DataFrame) -> pd.DataFrame:
    """Add the columns the registry's indicators read (``households`` for growth)."""
    if section == "growth":
        df = df.assign(households=df["households_end"])
    return df


def level_values(indicator_id: str, df: pd.DataFrame) -> dict[str, tuple[float, bool]]:
    """``{level: (value, hidden)}`` of an indicator at every level of a profile query
    (one row per level; all levels computed at once)."""
    i = indicators.get(indicator_id)
    if not df["level"].is_unique:
        raise ValueError("a profile query must return one row per level")
    kinds = disclosure.mark_kind(df, i.people_counts)
    return {lv: (float("nan") if v is None or pd.isna(v) else float(v), (k or bool(h)) if h else False)
            for lv, v, h, k in zip(df["level"], i.value(df), i.hidden(df), kinds)}


def comparison_frame(data: dict[str, pd.DataFrame], levels: tuple[str, ...]) -> pd.DataFrame:
    """One row per indicator of every section, one value column (and ``<level>_hidden``) per level."""
    out = []
    for section, _, ids in SECTIONS:
        for iid in ids:
            at = level_values(iid, data[section])
            row = {"section": section, "indicator": iid}
            for lv in levels:
                row[lv], row[f"{lv}_hidden"] = at.get(lv, _NONE)
            out.append(row)
    return pd.DataFrame(out)


def load(ctx, district: str) -> dict[str, pd.DataFrame]:
    """The rows of every section's query for ``district`` and the selected period."""
    f = ctx.f
    return {section: prepare(section, ctx.q(query, district=district, start=f.start, end=f.end))
            for section, query, _ in SECTIONS}


def back_button(ctx) -> None:
    """"Back to <the page I came from>": the map or ranking the profile was opened from, with its
    filters as they were (browser Back does the same)."""
    back = ctx.f.back
    if not back:
        return
    if st.button(t("district.back", page=t(f"page.{back}.title")), key="profile_back", icon=":material/arrow_back:"):
        state.set_value("district", None)
        state.set_value("back", None)
        st.switch_page(f"pages/{back}.py")


def picker(ctx, districts: pd.DataFrame) -> None:
    """The district picker at the top of the profile."""
    options = list(districts["district_soato"])
    label = dict(zip(districts["district_soato"], districts["label"] + " (" + districts["region_label"] + ")"))
    key = "w_profile_district"
    if st.session_state.get(key) != ctx.f.district:
        st.session_state[key] = ctx.f.district

    def on_pick():
        state.set_value("district", st.session_state[key])

    st.selectbox(t("district.pick"), options, key=key, on_change=on_pick, format_func=lambda c: label.get(c, c),
                 index=None, placeholder=t("district.pick.help"), help=t("district.pick.help"))


def section(name: str, ids: tuple[str, ...], df: pd.DataFrame, levels: tuple[str, ...], title: str) -> None:
    """Cards with the district's value (change against the widest level shown), then the
    same indicators side by side for every level."""
    st.subheader(title)
    ref = levels[-1]
    at = {iid: level_values(iid, df) for iid in ids}
    cards = []
    for iid in ids:
        i = indicators.get(iid)
        v, hidden = at[iid].get("district", _NONE)
        ref_v, ref_hidden = at[iid].get(ref, _NONE)
        comparable = i.is_share and not ref_hidden and ref != "district"
        cards.append(kpi.card(i, v, ref_v if comparable else None, hidden=hidden, help=t(i.definition_key),
                              description=t(f"district.vs.{ref}")))
    kpi.cards(cards, per_row=3)
    side = pd.DataFrame({t("district.col.indicator"): [t(indicators.get(i).label_key) for i in ids]})
    for lv in levels:
        side[t(f"district.level.{lv}")] = [fmt.indicator(indicators.get(i), *at[i].get(lv, _NONE)) for i in ids]
    st.dataframe(side, hide_index=True, width="stretch", key=f"profile_side_{name}", placeholder=fmt.MISSING)


def trend(ctx, district: str, name: str, levels: tuple[str, ...]) -> None:
    """One indicator (picked above the chart) by month for the district and its comparison levels."""
    f = ctx.f
    pick = st.segmented_control(t("district.trend.indicator"), list(TREND_PICK), key="w_profile_trend",
                                default=TREND_PICK[0],
                                format_func=lambda i: t(indicators.get(i).label_key)) or TREND_PICK[0]
    i = indicators.get(pick)
    tr = ctx.q("district_trend", district=district, start=f.start, end=f.end)
    series = [(name if lv == "district" else t(f"district.level.{lv}"),
               tr[tr["level"] == lv].assign(month=lambda d: pd.to_datetime(d["month"]))) for lv in levels]
    unit = labels.unit(i)
    st.plotly_chart(charts.indicator_trend(pick, series, lines=[None, dict(color=charts.SECOND)] if len(series) > 2
                                           else None, axis_title=unit,
                                           title=t("district.trend.title", indicator=t(i.label_key), unit=unit,
                                                   period=ctx.period)),
                    config=export.chart_config(f"district-trend-{pick}"), key="profile_trend_chart")
    st.caption(f"**{t(i.label_key)}** — {t(i.definition_key)}")


def export_unit(ind) -> str:
    """The unit column of the profile export."""
    if ind.unit == "pct":
        return "%"
    if ind.unit == "money":
        return fmt.money_unit(None)
    return t(ind.unit_key) if ind.unit == "per100" else ""


def export_section(ctx, frame: pd.DataFrame, levels: tuple[str, ...], name: str, district: str) -> None:
    """The comparison of every section as a table, with CSV and Excel downloads."""
    inds = [indicators.get(i) for i in frame["indicator"]]
    head = t("district.col.indicator")
    out = pd.DataFrame({head: [t(i.label_key) for i in inds]})
    shown = out.copy()
    for lv in levels:
        col = t(f"district.level.{lv}")
        values, hidden = frame[lv], frame[f"{lv}_hidden"]
        out[col] = [fmt.indicator(i, v, True) if h else fmt.plain(i, v) for i, v, h in zip(inds, values, hidden)]
        shown[col] = [fmt.indicator(i, v, h) for i, v, h in zip(inds, values, hidden)]
    out[t("district.col.unit")] = [export_unit(i) for i in inds]
    title = f"{t('district.export.title')}: {name}, {ctx.period}"
    with st.expander(title, icon=":material/table:"):
        st.dataframe(shown, hide_index=True, width="stretch", placeholder=fmt.MISSING)
        export.buttons(ctx, lambda lang: out, title=title, what="district", key="profile", area=district)
