"""District profile: one district's coverage, growth, daftar and Inson
figures on one screen, against its region and the country.

Opened by a click on a district on any map or ranking (``ui.mapview``) or
from the picker at the top; the district and the period live in the URL
(``/district?district=1703202&from=2025-01&to=2025-12``), so a profile can be
shared. Figures come from ``queries/profile_*.sql``; every value is defined
once in ``queries.indicators`` and its definition is shown on hover.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from queries import indicators as ind
from ui import charts, fmt, kpi, labels, state, table
from ui.filters import geography
from ui.header import provenance
from ui.i18n import t
from ui.kit import context, q

LEVELS = ("district", "region", "country")
SECTIONS = (
    ("coverage", "profile_coverage", ("coverage_registry", "coverage_poor", "exclusion_rate", "inclusion_rate",
                                      "eligible_households", "exclusion_gap")),
    ("growth", "profile_growth", ("recipients", "profile_recipients_yoy", "amount_uzs", "profile_amount_yoy")),
    ("daftar", "profile_daftar", ("daftar_on_register", "daftar_assisted", "daftar_share_helped",
                                  "daftar_median_days", "daftar_waiting_90", "daftar_reach_1000")),
    ("inson", "profile_inson", ("inson_workers", "inson_mahallas_per_worker", "inson_mahallas_no_worker",
                                "inson_caseload", "inson_median_days_close", "inson_backlog_90p")),
)
#: Indicators of the profile trend (columns of queries/profile_trend.sql).
TREND_PICK = ("coverage_registry", "daftar_waiting_90_share", "inson_caseload")
MEDIANS = ("daftar_median_days", "inson_median_days_close")
DAYS = MEDIANS + ("daftar_mean_days", "inson_mean_days_close")
PLAIN_NUMBERS = ("inson_workers", "inson_mahallas_no_worker")  # not people: never suppressed


# --------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------
def levels_for(scope_level: str) -> tuple[str, ...]:
    """Comparison levels a viewer may see: a region-scoped viewer has no country
    column, a district-scoped one only the district."""
    return {"national": LEVELS, "region": LEVELS[:2], "district": LEVELS[:1]}[scope_level]


def prepare(section: str, df: pd.DataFrame) -> pd.DataFrame:
    """Add the columns the registry's indicators read (``households`` for growth)."""
    if section == "growth":
        df = df.assign(households=df["households_end"])
    return df


def level_values(indicator_id: str, df: pd.DataFrame) -> dict[str, tuple[float, bool]]:
    """``{level: (value, suppressed)}`` of an indicator at every level of a profile query.

    The profile queries return one row per level, so the value of a level is the
    indicator of its row; it is computed for all rows at once (a page asks for
    ~40 indicators × 3–4 levels, and per-level row filtering cost ~0.3 s)."""
    i = ind.get(indicator_id)
    if not df["level"].is_unique:
        raise ValueError("a profile query must return one row per level")
    values = df[i.numerator] if indicator_id in MEDIANS else i.value(df)
    hidden = [False] * len(df) if indicator_id in PLAIN_NUMBERS else list(i.suppressed(df))
    return {lv: (float("nan") if v is None or pd.isna(v) else float(v), bool(h))
            for lv, v, h in zip(df["level"], values, hidden)}


def value_text(indicator_id: str, value: float, suppressed: bool = False) -> str:
    """A value as shown on the profile (a "per 100" value as "187 / 100": its label names the base)."""
    i = ind.get(indicator_id)
    if suppressed:
        return kpi.value_text(i, value, suppressed=True)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if indicator_id in DAYS:
        if indicator_id in MEDIANS and value >= 366:
            return t("daftar.median.capped")
        return f"{fmt.number(value, 0 if indicator_id in MEDIANS else 1)} {t('daftar.unit.days')}"
    if indicator_id in PLAIN_NUMBERS:
        return fmt.number(value)
    return kpi.value_text(i, value)


def comparison_frame(data: dict[str, pd.DataFrame], levels: tuple[str, ...]) -> pd.DataFrame:
    """One row per indicator of every section, one value column per level."""
    out = []
    for section, _, ids in SECTIONS:
        df = data[section]
        for iid in ids:
            row = {"section": section, "indicator": iid}
            at = level_values(iid, df)
            for lv in levels:
                v, sup = at.get(lv, (float("nan"), False))
                row[lv] = v
                row[f"{lv}_hidden"] = sup
            out.append(row)
    return pd.DataFrame(out)


# --------------------------------------------------------------------------
# Page
# --------------------------------------------------------------------------
def _picker(ctx, districts: pd.DataFrame) -> None:
    options = list(districts["district_soato"])
    label = dict(zip(districts["district_soato"], districts["label"] + " (" + districts["region_label"] + ")"))
    key = "w_profile_district"
    if st.session_state.get(key) != ctx.f.district:
        st.session_state[key] = ctx.f.district

    def on_pick():
        state.set_value("district", st.session_state[key])

    st.selectbox(t("profile.pick"), options, key=key, on_change=on_pick, format_func=lambda c: label.get(c, c),
                 index=None, placeholder=t("profile.pick.help"), help=t("profile.pick.help"))


def _section(section: str, ids: tuple[str, ...], df: pd.DataFrame, levels: tuple[str, ...], title: str) -> None:
    """Cards with the district's value (change against the widest level shown),
    then the same indicators side by side for every level."""
    st.subheader(title)
    ref = levels[-1]
    none = (float("nan"), False)
    at = {iid: level_values(iid, df) for iid in ids}
    cards = []
    for iid in ids:
        i = ind.get(iid)
        v, sup = at[iid].get("district", none)
        ref_v, ref_sup = at[iid].get(ref, none)
        comparable = (i.denominator is not None or iid in MEDIANS) and not ref_sup and ref != "district"
        c = kpi.card(i, v, ref_v if comparable else None, suppressed=sup,
                     description=t("profile.vs", level=t(f"profile.level.{ref}").lower()))
        cards.append(kpi.Card(label=c.label, value=value_text(iid, v, sup), delta=c.delta, color=c.color,
                              arrow=c.arrow, help=c.help, description=c.description))
    kpi.cards(cards, per_row=3)
    side = pd.DataFrame({t("profile.col.indicator"): [t(ind.get(i).label_key) for i in ids]})
    for lv in levels:
        side[t(f"profile.level.{lv}")] = [value_text(i, *at[i].get(lv, none)) for i in ids]
    st.dataframe(side, hide_index=True, width="stretch", key=f"profile_side_{section}")


def _trend(ctx, district: str, name: str, levels: tuple[str, ...]) -> None:
    f = ctx.f
    key = "w_profile_trend"
    pick = st.segmented_control(t("profile.trend.indicator"), list(TREND_PICK), key=key, default=TREND_PICK[0],
                                format_func=lambda i: t(ind.get(i).label_key)) or TREND_PICK[0]
    i = ind.get(pick)
    tr = q("profile_trend", district=district, month_from=f.start, month_to=f.end)
    series = []
    for lv in levels:
        part = tr[tr["level"] == lv]
        v = i.value(part).where(~i.suppressed(part))
        series.append((name if lv == "district" else t(f"profile.level.{lv}"), pd.to_datetime(part["month"]), v))
    unit = "%" if i.unit == "pct" else t("inson.unit.per_worker")
    title = t("profile.trend.title", indicator=t(i.label_key), unit=unit, period=labels.period(f.start, f.end))
    fig = charts.trend(series, title=title, unit=i.unit, axis_title=unit,
                       lines=[None, dict(color=charts.SECOND)] if len(series) > 2 else None)
    st.plotly_chart(fig, config={"displayModeBar": False}, key="profile_trend_chart")
    st.caption(f"**{t(i.label_key)}** — {t(i.definition_key)}")


def _export(frame: pd.DataFrame, levels: tuple[str, ...], name: str, period: str, district: str) -> None:
    out = pd.DataFrame({t("profile.col.indicator"): [t(ind.get(i).label_key) for i in frame["indicator"]]})
    for lv in levels:
        vals = []
        for iid, v, hidden in zip(frame["indicator"], frame[lv], frame[f"{lv}_hidden"]):
            u = ind.get(iid).unit
            if hidden:
                vals.append(kpi.value_text(ind.get(iid), v, suppressed=True))
            elif v is None or pd.isna(v):
                vals.append(None)
            else:
                vals.append(round(100 * v, 1) if u == "pct" else (round(v, 1) if u == "ratio" else int(round(v))))
        out[t(f"profile.level.{lv}")] = vals
    out["unit"] = ["%" if ind.get(i).unit == "pct" else ("so‘m" if ind.get(i).unit == "money" else
                   (t(ind.get(i).unit_key) if ind.get(i).unit == "per100" else ""))
                   for i in frame["indicator"]]
    shown = out.copy()
    for lv in levels:
        col = t(f"profile.level.{lv}")
        shown[col] = [value_text(i, v, h) for i, v, h in zip(frame["indicator"], frame[lv], frame[f"{lv}_hidden"])]
    title = f"{t('profile.export.title')}: {name}, {period}"
    with st.expander(title, icon=":material/table:"):
        st.dataframe(shown.drop(columns="unit"), hide_index=True, width="stretch")
        c1, c2, _ = st.columns([1, 1, 3])
        stem = f"qamrov-profile-{district}-{period}"
        c1.download_button(t("kit.export.csv"), table.to_csv(out), file_name=f"{table.slug(stem)}.csv",
                           mime="text/csv", key="profile_csv", icon=":material/download:")
        c2.download_button(t("kit.export.xlsx"), table.to_excel(out, title), file_name=f"{table.slug(stem)}.xlsx",
                           key="profile_xlsx", icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def main() -> None:
    ctx = context()
    f = ctx.f
    _, districts = geography(ctx.scope)
    district = f.district
    if district is None:
        st.title(t("page.district.title"))
        _picker(ctx, districts)
        st.info(t("profile.none"), icon=":material/touch_app:")
        return
    row = districts[districts["district_soato"] == district].iloc[0]
    name, region_name = row["label"], row["region_label"]
    period = labels.period(f.start, f.end)
    levels = levels_for(ctx.scope.level)

    st.title(t("profile.title", district=name))
    p = provenance()
    rejected = p.get("rows_rejected")
    st.caption(t("kit.header.provenance", snapshot=p.get("snapshot_date") or "—", source=p.get("source") or "—",
                 rejected=fmt.number(rejected) if rejected is not None and not pd.isna(rejected) else "—"))
    st.markdown(t("profile.intro", period=period) + f" **{region_name}**.")
    _picker(ctx, districts)

    data = {}
    for section, query, _ in SECTIONS:
        data[section] = prepare(section, q(query, district=district, month_from=f.start, month_to=f.end))
    if all(d.empty for d in data.values()):
        st.info(t("profile.unknown", code=district))
        return
    inson = data["inson"]
    if not inson.empty and bool(inson[inson["level"] == "district"]["is_pilot"].any()):
        st.success(t("profile.pilot"), icon=":material/science:")

    titles = {"coverage": t("profile.section.coverage", month=labels.month(f.end)),
              "growth": t("profile.section.growth", period=period),
              "daftar": t("profile.section.daftar", period=period),
              "inson": t("profile.section.inson", period=period)}
    for section, _, ids in SECTIONS:
        _section(section, ids, data[section], levels, titles[section])

    st.subheader(t("daftar.trend.section"))
    _trend(ctx, district, name, levels)
    _export(comparison_frame(data, levels), levels, name, period, district)
    st.caption(":material/link: " + t("profile.share"))


main()
