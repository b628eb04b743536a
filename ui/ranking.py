"""Areas of a map or a ranking: their published values, and the ranking section.

A page gets one row per region or district from its query; :func:`area_frame`
turns it into what maps and rankings draw (hidden values removed by the
registry's disclosure rule), :func:`section` draws the ranking with its
reference lines and opens a district's profile when its bar is clicked.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from queries import indicators
from ui import charts, export, fmt, labels, mapview
from ui.i18n import t

from ui.charts import TOP_N, TOP_WHEN_MORE_THAN, top_n  # noqa: F401  (the kit's ranking rule)


def area_frame(df: pd.DataFrame, indicator_id: str, soato: str = "soato") -> pd.DataFrame:
    """``soato``, ``region_soato``, ``label``, ``value`` (NaN where hidden), ``hidden`` and
    ``text`` per area, for the map and the ranking."""
    ind = indicators.get(indicator_id)
    hidden = ind.hidden(df)
    out = pd.DataFrame({"soato": df[soato].values, "region_soato": df["region_soato"].values,
                        "label": labels.place_names(df).values,
                        "value": ind.value(df).where(~hidden).values, "hidden": hidden.values})
    out["text"] = [fmt.indicator(ind, v, style="bare") for v in out["value"]]
    return out


def with_region_values(areas: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """District ``areas`` with ``region_avg``: the published value of each one's region
    (``regions`` from :func:`area_frame` at region level)."""
    return areas.assign(region_avg=areas["region_soato"].map(dict(zip(regions["soato"], regions["value"]))))


def with_region(ctx, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (rows with ``region_soato``) with ``region_label``: the region's name in the UI language."""
    regions = ctx.q("geo_regions")
    names = dict(zip(regions["region_soato"], labels.place_names(regions)))
    return df.assign(region_label=df["region_soato"].map(names))


def section(areas: pd.DataFrame, indicator_id: str, *, title: str, key: str, worst_first: bool = False,
            national: float | None = None, regional: float | None = None, region_avg: str | None = None,
            long_names: bool = False, hint: bool = False, hidden_key: str = "kit.ranking.hidden") -> None:
    """The ranking of ``areas`` (from :func:`area_frame`) by the indicator, with the national
    (and regional) reference lines; a click on a district's bar opens its profile.

    Parameters
    ----------
    worst_first : bool
        Put the worst at the top (registers and workload pages); default best first.
    national, regional : float, optional
        Reference values; drawn only for shares and medians (:attr:`Indicator.is_share`).
    region_avg : str, optional
        Column of each row's regional value (drawn as a diamond).
    long_names : bool
        Legend values with their unit where there is room (``per100``).
    hint : bool
        Say under the chart that a bar opens the district profile.
    hidden_key : str
        Catalogue key of the caption counting the areas left out (hidden values).
    """
    ind = indicators.get(indicator_id)
    ranked = areas.dropna(subset=["value"])
    if ranked.empty:
        st.info(t("kit.empty.ranking"))
        return
    order = ind.higher_is_better
    if worst_first:
        order = True if order is None else not order
    refs = {k: v for k, v in (("national", national), ("regional", regional))
            if ind.is_share and v is not None and not pd.isna(v)}
    names = {k: t(f"kit.ranking.{k}", value=fmt.indicator(ind, v, style="long" if long_names else "card")) for k, v in refs.items()}
    if region_avg:
        names["region_avg"] = t("kit.ranking.region_avg")
    fig = charts.ranking(ranked, label="label", value="value", value_text="text", title=title,
                         unit=ind.unit, higher_is_better=order, national=refs.get("national"),
                         regional=refs.get("regional"), region_avg=region_avg, top=top_n(len(ranked)),
                         names=names)
    event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", key=key,
                            config=export.chart_config(f"ranking-{indicator_id}"))
    if hint:
        st.caption(":material/touch_app: " + t("daftar.rank.click"))
    hidden = int(areas["hidden"].sum()) if "hidden" in areas else 0
    if hidden:
        st.caption(t(hidden_key, n=hidden, min_cell=fmt.hidden_count()))
    mapview.open_from_ranking(event, ranked, key)


def title(ind_label: str, unit: str, when: str, n_rows: int) -> str:
    """A best-to-worst ranking's title: "<indicator> — top 15 and bottom 15 of 205 districts"."""
    top = top_n(n_rows)
    what = t("kit.ranking.title_top", top=top, n=n_rows) if top else t("kit.ranking.title")
    return labels.chart_title(f"{ind_label} — {what}", unit, when)


def map_and_ranking(ctx, query: str, indicator_id: str, params: dict, national_row: pd.DataFrame, *,
                    heading: str, order_note: str, key: str, place: str = "") -> pd.DataFrame:
    """The section of a page whose query has a ``level`` parameter (``daftar_by_area``,
    ``inson_by_area``): heading, the indicator's definition, the map (regions, or the chosen
    region's districts) and the worst-first ranking of the districts, with the value of
    ``national_row`` (the KPI row of the area shown) as reference: "Country" for the country,
    "Region" for a chosen region, none for a selection of districts. Returns the district rows
    of the query.

    Parameters
    ----------
    heading, order_note : str
        Catalogue keys of the section heading and of the ranking's order note.
    place : str
        Written before the period in the map title (e.g. the daftar shown).
    """
    from ui import sections

    f, ind = ctx.f, indicators.get(indicator_id)
    st.subheader(t(heading))
    sections.indicator_note(indicator_id)
    when = labels.as_of(f.end) if ind.kind == "stock" else ctx.period
    unit = labels.unit(ind)
    dist = ctx.q(query, level="district", **params)
    areas = area_frame(dist, indicator_id)
    regions = area_frame(ctx.q(query, level="region", **params), indicator_id) if f.region is None \
        else areas.iloc[0:0]
    mapview.map_section(region=f.region, region_values=regions, district_values=areas, value="value",
                        indicator=indicator_id, legend_title=t(ind.short_key), key=f"{key}_map",
                        title=labels.chart_title(t(ind.label_key), unit, f"{place}, {when}" if place else when))
    # the reference line is the area shown, named as such: the country, or the chosen region
    # (a selection of districts has no line: its total is not an area's)
    ref = {} if f.districts else {"regional" if f.region else "national": ind.total(national_row)}
    section(areas, indicator_id, title=labels.chart_title(t(ind.label_key), unit, when) + " · " + t(order_note),
            key=f"{key}_rank", worst_first=True, hint=True, hidden_key="daftar.rank.hidden", **ref)
    return dist


def ordered_by(df: pd.DataFrame, indicator_id: str, ascending: bool = False) -> pd.DataFrame:
    """Rows of ``df`` sorted by the indicator's published value (hidden values last, so that
    a hidden row's place among the others does not hint at its value)."""
    order = indicators.get(indicator_id).shown(df)
    return df.assign(_order=order.values).sort_values("_order", ascending=ascending, na_position="last", kind="stable") \
        .drop(columns="_order")
