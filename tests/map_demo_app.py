"""Developer demo of the map component (not a dashboard page).

    streamlit run tests/map_demo_app.py

Query parameters pick a view without clicking (used by the browser test and the
screenshots): ``?view=region|district|drill&region=1726&lang=ru&scale=diverging``.
Values are made up, deterministic, and some units are left empty to show "no data".
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run tests/map_demo_app.py` from the repo root
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from data.reference import districts  # noqa: E402
from ui import choropleth  # noqa: E402
from ui import fmt  # noqa: E402
from ui.i18n import current_lang, t  # noqa: E402


def demo_values() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deterministic made-up coverage rates (share 0..1) with a few gaps and a zero."""
    rng = np.random.default_rng(2024)
    d = districts()[["district_soato", "region_soato"]].rename(columns={"district_soato": "soato"})
    d["value"] = rng.beta(4, 6, len(d)).round(3)
    d["change"] = rng.normal(0, 0.03, len(d)).round(3)
    d.loc[d.index[::23], ["value", "change"]] = np.nan  # no data
    d.loc[d.index[5], "value"] = 0.0  # a real zero
    r = d.groupby("region_soato", as_index=False)[["value", "change"]].mean()
    r = r.rename(columns={"region_soato": "soato"})
    r.loc[r["soato"] == "1733", ["value", "change"]] = np.nan
    return r, d


def drilldown(region_values: pd.DataFrame, district_values: pd.DataFrame, *, value: str, title: str,
              unit: str = "", scale: str = "sequential", fmt: Callable | None = None, key: str = "map",
              height: int = 520) -> str | None:
    """Region map; a click opens that region's districts; a button goes back.

    Parameters
    ----------
    region_values, district_values : pandas.DataFrame
        ``soato`` + ``value`` columns at region and district level.
    key : str
        Streamlit key prefix (one per map on a page).

    Returns
    -------
    str or None
        The selected region SOATO while in the district view (else ``None``).
    """
    lang = current_lang()
    state, gen = f"{key}__region", f"{key}__gen"
    region = st.session_state.get(state)
    if region is None:
        fig = choropleth.choropleth(region_values, level="region", value=value, title=title, unit=unit, scale=scale,
                         lang=lang, fmt=fmt, height=height)
        st.caption(t("geo.hint.click_region", lang))
        # a fresh key after every "back": the old chart's selection must not drill again
        ev = st.plotly_chart(fig, on_select="rerun", selection_mode="points",
                             key=f"{key}__r{st.session_state.get(gen, 0)}", config={"displayModeBar": False})
        clicked = choropleth.clicked_soato(ev)
        if clicked:
            st.session_state[state] = clicked
            st.rerun()
        return None
    if st.button(t("geo.back", lang), key=f"{key}__back"):
        st.session_state[state] = None
        st.session_state[gen] = st.session_state.get(gen, 0) + 1
        st.rerun()
    fig = choropleth.choropleth(district_values, level="district", value=value, title=title, unit=unit, scale=scale,
                     region_soato=region, lang=lang, fmt=fmt, height=height)
    st.caption(t("geo.hint.click_district", lang))
    st.plotly_chart(fig, on_select="rerun", selection_mode="points", key=f"{key}__d__{region}",
                    config={"displayModeBar": False})
    return region


def main() -> None:
    st.set_page_config(page_title="Qamrov map demo", layout="wide")
    q = st.query_params
    lang = q.get("lang", "uz")
    st.session_state["lang"] = lang
    scale = q.get("scale", "sequential")
    col = "change" if scale == "diverging" else "value"
    title = t("geo.demo.change" if scale == "diverging" else "geo.demo.indicator", lang) + ", " + t(
        "geo.demo.period", lang)
    fmt_fn = fmt.signed_pct if scale == "diverging" else fmt.pct
    rv, dv = demo_values()
    st.subheader(t("geo.demo.title", lang))
    view = q.get("view", "drill")
    if view == "region":
        st.plotly_chart(choropleth.choropleth(rv, level="region", value=col, title=title, scale=scale, lang=lang,
                                        fmt=fmt_fn), key="m_region", on_select="rerun", selection_mode="points")
    elif view == "district":
        region = q.get("region")
        fig = choropleth.choropleth(dv, level="district", value=col, title=title, scale=scale, lang=lang, fmt=fmt_fn,
                              region_soato=region, height=620)
        ev = st.plotly_chart(fig, key="m_district", on_select="rerun", selection_mode="points")
        picked = choropleth.clicked_soato(ev)
        if picked:
            st.write(t("geo.selected", lang, name=picked))
    else:
        region = drilldown(rv, dv, value=col, title=title, scale=scale, fmt=fmt_fn, key="demo")
        if region:
            st.write(t("geo.selected", lang, name=region))


main()
