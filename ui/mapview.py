"""Map section: region choropleth → click a region to drill down to its
districts → click a district to open its profile (``pages/district.py``, with
the ``district`` URL parameter). Uses :mod:`ui.choropleth` (offline boundary layers).
Rankings open the profile the same way through :func:`open_from_ranking`.
"""
from __future__ import annotations

import functools
from typing import Callable

import pandas as pd
import streamlit as st

from queries import indicators
from ui import choropleth as maps
from ui import fmt as ui_fmt
from ui import export, state
from ui.i18n import t

_LAST = "qf_map_last"


def open_district(soato: str | None) -> None:
    """Route a district clicked on a map: today it becomes the ``district`` URL
    parameter (shown as a district card on the page); a district profile page
    can later ``st.switch_page`` here instead."""
    state.set_value("district", soato)


#: The district profile page opened by a click on a district.
PROFILE_PAGE = "pages/district.py"


def open_profile(soato: str) -> None:
    """Open the district profile of ``soato`` (not from a widget callback:
    ``st.switch_page`` must run in the script); the page it was opened from is kept
    (``back`` in the URL) for the profile's "back" button."""
    state.set_value("district", soato)
    spec = st.session_state.get("qf_spec")
    back = spec.id if spec is not None and spec.id != "district" else None
    state.set_value("back", back)
    # the profile's own URL at once: the page switch is then one browser history entry
    st.switch_page(PROFILE_PAGE, query_params=state.url_of(region=soato[:4], district=soato, back=back))


def open_from_ranking(event, frame: pd.DataFrame, key: str) -> None:
    """Open the profile of the district whose bar was clicked in a ranking.

    Parameters
    ----------
    event : the return value of ``st.plotly_chart(..., on_select="rerun")``
    frame : DataFrame
        The ranked rows, with ``label`` (the bar's name) and ``soato``.
    key : str
        The chart's key (a click is acted on once).
    """
    try:
        points = event.selection.points
    except AttributeError:
        return
    if not points:
        return
    name = points[0].get("y")
    hit = frame[(frame["label"] == name) & (frame["soato"].astype(str).str.len() == 7)]
    soato = None if hit.empty else str(hit.iloc[0]["soato"])
    if new_click(key, soato):
        open_profile(soato)


def drill_to_region(soato: str) -> None:
    """Drill down from the region map to the districts of ``soato``."""
    state.set_value("region", soato)
    state.set_value("districts", ())
    state.set_value("district", None)


def back_to_regions() -> None:
    state.set_value("region", None)
    state.set_value("districts", ())
    state.set_value("district", None)


def new_click(key: str, soato: str | None) -> bool:
    last = st.session_state.setdefault(_LAST, {})
    if soato is None or last.get(key) == soato:
        return False
    last[key] = soato
    return True


def map_section(*, region: str | None, region_values: pd.DataFrame, district_values: pd.DataFrame,
                value: str, title: str, legend_title: str, unit: str = "", scale: str = "sequential",
                fmt: Callable | None = None, indicator: str | None = None, key: str = "map",
                height: int = 520) -> None:
    """Draw the choropleth for the current drill level and handle clicks.

    Parameters
    ----------
    region : str or None
        Selected region (None = region view of the country).
    region_values, district_values : DataFrame
        ``soato`` and ``value`` columns, one row per region / district.
    value : str
        Column to colour by.
    title : str
        The chart title (indicator, unit, period).
    legend_title : str
        Short title of the colour bar (the indicator).
    unit, scale, fmt, height
        Passed to :func:`ui.choropleth.choropleth` (``fmt`` formats values; leave
        ``unit`` empty when ``fmt`` already writes it, e.g. ``ui.fmt.pct``).
    indicator : str, optional
        The indicator shown: values are formatted by its unit (instead of ``fmt``).
    """
    if indicator is not None:
        ind = indicators.get(indicator)
        fmt = functools.partial(ui_fmt.indicator, ind, style="bare")  # (a partial: the map is shared, ui.memo)
    level = "region" if region is None else "district"
    values = region_values if level == "region" else district_values
    if region is not None:
        st.button(t("kit.map.back"), on_click=back_to_regions, key=f"{key}_back",
                  icon=":material/arrow_back:")
    if values.empty or (values[value].isna().all() and not ("hidden" in values and values["hidden"].any())):
        st.info(t("kit.empty.map"))
        return
    from ui.style import title_html, title_margin
    try:
        hidden = values.loc[values["hidden"].astype(bool), "soato"] if "hidden" in values else ()
        fig = maps.choropleth(values[["soato", value]], level=level, value=value, title=legend_title,
                              suppressed=[str(s) for s in hidden],
                              unit=unit, region_soato=region, scale=scale, fmt=fmt, height=height,
                              extra_layout=dict(title=dict(text=title_html(title, 1.1), x=0, xanchor="left",
                                                           font=dict(size=17)),
                                                margin=dict(t=title_margin(title, 1.1) - 4), separators=ui_fmt.separators()))
    except Exception as exc:  # noqa: BLE001 - a broken layer must not take the page down
        st.warning(t("kit.map.error", error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        return
    chart_key = f"{key}_{level}_{region or 'all'}"
    event = st.plotly_chart(fig, on_select="rerun", selection_mode="points", key=chart_key,
                            config=export.chart_config(f"map-{indicator or value}"))
    st.caption(t("kit.map.hint_region") if level == "region" else t("kit.map.hint_district"))
    clicked = maps.clicked_soato(event)
    if new_click(chart_key, clicked):
        if level == "region" and clicked and len(clicked) == 4:
            drill_to_region(clicked)
            st.rerun()
        elif level == "district" and clicked and len(clicked) == 7:
            open_profile(clicked)
