"""The one map component of the dashboard: a region or district choropleth (pages call
:func:`ui.mapview.map_section`, which calls this module).

Plotly choropleths drawn on a ``geo`` subplot with every base layer switched off
(``visible=False``): the only geometry on the page is ours (:mod:`geo.views`), so nothing is
fetched from a tile server or CDN. One detail keeps it that way: plotly.js (3.x, bundled with
Streamlit) loads its world topojson from cdn.plot.ly when the *first* trace of a geo subplot
has a ``locationmode`` -- and a choropleth with a GeoJSON always has one (``geojson-id``).
Every geo subplot here therefore starts with an invisible one-point ``scattergeo`` "anchor"
trace (no ``locationmode``), which plotly.js never fetches anything for.
``tests/test_geo_browser.py`` proves it in headless Chromium: no request leaves localhost.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from geo import store, views
from geo.views import TASHKENT_CITY, layer  # noqa: F401  (the map's layers, for callers)
from ui import fmt as ui_fmt
from ui import labels
from ui.maplabels import FIT_WIDTH, LABEL_SIZES, fit_labels, short_region
from ui.memo import shared
from ui.style import merge
from ui.i18n import current_lang, t

NO_DATA_COLOR = "#c9c9c9"
#: Units whose value is hidden by disclosure control: their own class, not "no data", not zero.
SUPPRESSED_COLOR = "#8e6c8a"
LINE_COLOR = "#ffffff"
SEQUENTIAL = "YlGnBu"
DIVERGING = "RdBu"


def layer_info(level: str, lang: str | None = None) -> dict:
    """Where the boundaries of ``level`` come from, for a map footer.

    Returns
    -------
    dict
        ``schematic`` (bool: any schematic feature left), ``source`` (str),
        ``imported_on`` (ISO date or None), ``matched`` (int or None: official
        features installed), ``notice`` (str, translated; the text every map shows),
        ``last_import``.
    """
    store.check_level(level)
    return dict(_layer_info(level, lang or current_lang(), store.stamp(level)))


@lru_cache(maxsize=32)
def _layer_info(level: str, lang: str, stamp: tuple) -> dict:
    p = views.provenance(level)
    n, total, sources, imported_on = p["n"], p["total"], p["sources"], p["imported_on"]
    source = ", ".join(sources) if sources else (
        "Natural Earth admin-1 (public domain)" if level == "region" else "schematic (Voronoi of reference centres)")
    if p["record"]:  # file, its CRS and how much of it matched
        rec = p["record"]
        short = t("geo.source_one", lang, file=sources[0], crs=str(rec.get("crs", "?")).split(" ")[0],
                  matched=rec.get("matched", "?"), features=rec.get("features", "?"))
    else:
        short = t("geo.files", lang, n=len(sources))
    if level == "region":
        notice = (t("geo.notice.regions_official", lang, source=short, date=imported_on) if n
                  else t("geo.notice.regions", lang))
        schematic = False
    elif n == 0:
        notice, schematic = t("geo.notice.schematic", lang), True
    elif n >= total:
        notice, schematic = t("geo.notice.official", lang, source=short, date=imported_on, matched=n), False
    else:
        notice = t("geo.notice.mixed", lang, source=short, date=imported_on, matched=n, rest=total - n)
        schematic = True
    return {"schematic": schematic, "source": source, "imported_on": imported_on,
            "matched": n if n else None, "notice": notice, "last_import": p["last_import"]}


#: Label font sizes tried, largest first, and the size of the map the fit is checked for:
#: the geo domain of a 520-pixel-high map in the narrowest column the pages give it.
#: The call-out of Toshkent city on the country map: a marker this many pixels wide (a city of
#: 4-8 px cannot be seen or clicked at 1366x768), east of the city, with its name beside it.
CALLOUT_SIZE, CALLOUT_SHIFT = 30, 0.9


def tashkent_callout(meta: pd.DataFrame, vals: pd.Series, have: pd.Series, custom: pd.DataFrame, hover: str,
                     lang: str, label_size: int, suppressed: bool = False) -> list:
    """Toshkent city on the region map as a large marker in its own colour (its value on the
    colour scale; without one the colour of "suppressed" or "no data"), linked to the city by a line, with the city's name:
    seen and clicked like a region (``customdata[0]`` is its SOATO code)."""
    r = meta.loc[TASHKENT_CITY]
    x, y = float(r["plot_lon"]), float(r["label_lat"])
    cx, cy = x - CALLOUT_SHIFT * 1.2, y + CALLOUT_SHIFT
    ok = bool(have[TASHKENT_CITY])
    marker = {"size": CALLOUT_SIZE, "line": {"color": "#1f2933", "width": 2}, "symbol": "circle"}
    marker.update({"color": [float(vals[TASHKENT_CITY])], "coloraxis": "coloraxis"} if ok else
                  {"color": SUPPRESSED_COLOR if suppressed else NO_DATA_COLOR})
    name = t("geo.inset.tashkent", lang)
    return [
        go.Scattergeo(lon=[x, cx], lat=[y, cy], mode="lines", line={"color": "#1f2933", "width": 1.5},
                      hoverinfo="skip", showlegend=False, geo="geo", name="callout line"),
        go.Scattergeo(lon=[x], lat=[y], mode="markers", marker={"size": 7, "color": "#1f2933"},
                      customdata=[custom.loc[TASHKENT_CITY].tolist()], hovertemplate=hover, showlegend=False,
                      geo="geo", name="callout city"),
        go.Scattergeo(lon=[cx], lat=[cy], mode="markers+text", marker=marker, text=[name],
                      textposition="top center", textfont={"size": label_size + 1, "color": "#1f2933"},
                      customdata=[custom.loc[TASHKENT_CITY].tolist()], hovertemplate=hover, showlegend=False,
                      geo="geo", name="callout"),
    ]


def _ticks(lo: float, hi: float, fmt: Callable) -> tuple[list[float], list[str]]:
    """The colour bar's ticks from ``lo`` to ``hi``: five, or fewer where five would repeat a label."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo], [fmt(lo)]
    for n in (5, 3, 2):  # fewer ticks when a narrow range would write the same label twice
        vals = list(np.linspace(lo, hi, n))
        texts = [fmt(v) for v in vals]
        if len(set(texts)) == n:
            return vals, texts
    return [lo], [fmt(lo)]


def _anchor(meta: pd.DataFrame, geo: str) -> go.Scattergeo:
    """The invisible first trace that keeps plotly.js from fetching topojson."""
    r = meta.iloc[0]
    return go.Scattergeo(lon=[float(r["plot_lon"])], lat=[float(r["label_lat"])], mode="markers",
                         marker={"size": 1, "opacity": 0}, hoverinfo="skip", showlegend=False, geo=geo,
                         name="anchor")


def _layers(*_args, **_kw) -> tuple:
    return store.stamp("region"), store.stamp("district")


@shared(maxsize=128, extra=_layers)
def choropleth(values: pd.DataFrame, *, level: str, value: str, title: str, unit: str = "",
               region_soato: str | None = None, scale: str = "sequential", lang: str | None = None,
               fmt: Callable | None = None, height: int = 520, extra_layout: dict | None = None,
               label_size: int = LABEL_SIZES[0], suppressed=()) -> go.Figure:
    """A region or district choropleth.

    Parameters
    ----------
    values : pandas.DataFrame
        Column ``soato`` (region or district code, str or int) and the ``value`` column.
        Units of the view without a row, or with a missing value, are drawn as
        "no data" (grey, with a legend entry); 0 is a real value.
    level : {"region", "district"}
    value : str
        Name of the value column.
    title : str
        Indicator and period ("Qamrov darajasi, 2024 III chorak"); the colour legend's title.
    unit : str
        Appended to values in hover and legend ("%", "ming so‘m").
    region_soato : str, optional
        With ``level="district"``: only this region's districts, labelled (the drill-down view).
    scale : {"sequential", "diverging"}
        ``diverging`` centres the colours on 0 (for change).
    lang : str, optional
        ``uz``, ``uz_Cyrl``, ``ru`` or ``en`` (default: the viewer's language).
    fmt : callable, optional
        Formats a value for hover and legend (default :func:`ui.fmt.number`).
    height : int
        Figure height in pixels.
    extra_layout : dict, optional
        Layout settings deep-merged over the map's own (e.g. a chart title and
        a larger top margin), so the figure is still built in one construction.
    label_size : int
        Font size of the names on the map (regions on the country map, districts on a
        region's map); presenter mode and the brief pass a larger one.
    suppressed : iterable of str
        Units whose value disclosure control hides: drawn in their own colour with their
        own legend entry ("suppressed"), distinct from "no data" and from 0.

    Returns
    -------
    plotly.graph_objects.Figure
        Shared by every session that draws the same map (:func:`ui.memo.shared`): never change it.
        Every location's ``customdata[0]`` is its SOATO code (see :func:`clicked_soato`).
        Hover shows the name in ``lang``, the formatted value with unit, and the rank
        ("O‘rin: 3 / 14", 1 = highest value among units with data).
    """
    store.check_level(level)
    if scale not in ("sequential", "diverging"):
        raise ValueError(f"scale must be 'sequential' or 'diverging', not {scale!r}")
    lang = lang or current_lang()
    fmt = fmt or ui_fmt.number
    region_soato = str(region_soato) if region_soato else None
    if region_soato and level != "district":
        raise ValueError("region_soato applies to level='district' only")
    stamp = store.stamp(level)
    feats, meta = views.view(level, region_soato, stamp)
    if meta.empty:
        raise ValueError(f"no {level} units for region {region_soato!r}")

    v = values[["soato", value]].copy()
    v["soato"] = v["soato"].astype(str)
    v = v.drop_duplicates("soato", keep="last").set_index("soato")[value]
    vals = pd.to_numeric(meta.index.to_series().map(v), errors="coerce")
    have = vals.notna() & np.isfinite(vals.astype(float))
    n = int(have.sum())
    ranks = vals[have].rank(ascending=False, method="min").astype(int)
    names = labels.place_names(meta, lang)
    unit_sfx = f" {unit}" if unit and not unit.startswith(("%", "\u00a0")) else (unit or "")
    no_data = t("geo.no_data", lang)
    hidden_text = t("access.suppressed.legend", lang)
    suppressed = {str(s) for s in suppressed} & set(meta.index)
    cd_value = [f"{fmt(x)}{unit_sfx}" if ok else (hidden_text if s in suppressed else no_data)
                for s, x, ok in zip(meta.index, vals, have)]
    cd_rank = [t("geo.rank", lang, rank=int(ranks[s]), total=n) if ok else "" for s, ok in zip(meta.index, have)]
    custom = pd.DataFrame({"soato": meta.index, "name": names.values, "value": cd_value, "rank": cd_rank},
                          index=meta.index)
    hover = "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"

    ids_data = list(meta.index[have])
    ids_hidden = [i for i in meta.index[~have] if i in suppressed]
    ids_none = [i for i in meta.index[~have] if i not in suppressed]
    lo, hi = (float(vals[have].min()), float(vals[have].max())) if n else (0.0, 1.0)
    coloraxis = {"colorscale": SEQUENTIAL, "cmin": lo, "cmax": hi if hi > lo else lo + 1}
    if scale == "diverging":
        m = max(abs(lo), abs(hi)) or 1.0
        coloraxis = {"colorscale": DIVERGING, "cmin": -m, "cmax": m, "cmid": 0}
    tickvals, ticktext = _ticks(coloraxis["cmin"], coloraxis["cmax"], fmt)
    coloraxis["colorbar"] = {"title": {"text": f"{title}" + (f"<br>({unit.strip()})" if unit else ""),
                                       "side": "top"},
                             "tickvals": tickvals, "ticktext": ticktext, "thickness": 14, "len": 0.6,
                             "x": 1.0, "y": 0.98, "yanchor": "top", "outlinewidth": 0}

    inset = level == "district" and region_soato is None and TASHKENT_CITY in set(meta["region_soato"])
    traces = [_anchor(meta, "geo")]
    if inset:
        traces.append(_anchor(meta[meta["region_soato"] == TASHKENT_CITY], "geo2"))

    def polygons(ids_d, ids_n, geo, ids_h=()):
        out = []
        if ids_d:
            out.append(go.Choropleth(
                geojson=views.collection(feats, ids_d), locations=ids_d, featureidkey="id", z=vals[ids_d].astype(float).tolist(),
                coloraxis="coloraxis", customdata=custom.loc[ids_d].values.tolist(), hovertemplate=hover,
                marker={"line": {"color": LINE_COLOR, "width": 0.6}}, geo=geo, name=title, showlegend=False))
        for ids, colour, name in ((ids_n, NO_DATA_COLOR, no_data), (list(ids_h), SUPPRESSED_COLOR, hidden_text)):
            if not ids:
                continue
            out.append(go.Choropleth(
                geojson=views.collection(feats, ids), locations=ids, featureidkey="id", z=[0] * len(ids),
                colorscale=[[0, colour], [1, colour]], showscale=False,
                customdata=custom.loc[ids].values.tolist(), hovertemplate=hover,
                marker={"line": {"color": LINE_COLOR, "width": 0.6}}, geo=geo, name=name, showlegend=False))
        return out

    traces += polygons(ids_data, ids_none, "geo", ids_hidden)
    # legend entries for "no data" and "suppressed" (choropleths have none of their own)
    for ids, colour, name in ((ids_none, NO_DATA_COLOR, no_data), (ids_hidden, SUPPRESSED_COLOR, hidden_text)):
        if ids:
            traces.append(go.Scattergeo(lon=[None], lat=[None], mode="markers", name=name, showlegend=True,
                                        marker={"symbol": "square", "size": 12, "color": colour}, geo="geo",
                                        hoverinfo="skip"))
    if level == "district" and region_soato is None:
        # regional cities are a few pixels wide at country scale: draw them as markers too
        cities = meta[(meta["kind"] == "shahar") & (meta["region_soato"] != TASHKENT_CITY)]
        no_value = list(cities.index[~have[cities.index]])
        for ids, colour in ((list(cities.index[have[cities.index]]), None),
                            ([i for i in no_value if i not in suppressed], NO_DATA_COLOR),
                            ([i for i in no_value if i in suppressed], SUPPRESSED_COLOR)):
            if not ids:
                continue
            marker = {"size": 9, "line": {"color": "#333333", "width": 0.8}}
            marker.update({"color": colour} if colour else
                          {"color": vals[ids].astype(float).tolist(), "coloraxis": "coloraxis"})
            traces.append(go.Scattergeo(
                lon=cities.loc[ids, "plot_lon"].tolist(), lat=cities.loc[ids, "label_lat"].tolist(),
                mode="markers", marker=marker, customdata=custom.loc[ids].values.tolist(),
                hovertemplate=hover, geo="geo", showlegend=False, name="cities"))
    if inset:
        tk = meta.index[meta["region_soato"] == TASHKENT_CITY]
        traces += polygons([i for i in ids_data if i in tk], [i for i in ids_none if i in tk], "geo2",
                           [i for i in ids_hidden if i in tk])
    if region_soato or level == "region":
        # names on the map: white on dark fills, dark elsewhere
        span = coloraxis["cmax"] - coloraxis["cmin"] or 1.0
        pos = ((vals - coloraxis["cmin"]) / span).where(have)
        dark = (pos > 0.6) if scale == "sequential" else ((pos < 0.2) | (pos > 0.8))
        colours = dict(zip(meta.index, ("#ffffff" if d else "#111111" for d in dark.fillna(False))))
        if level == "district":  # district names where they fit inside their district
            grow = label_size / LABEL_SIZES[0]
            fitted = fit_labels(meta, feats, lang, views.ranges(level, region_soato, None, stamp),
                                width=int(FIT_WIDTH * grow), height=int((height - 124) * grow))
            fitted = {i: (text, round(size * grow)) for i, (text, size) in fitted.items()}
        else:  # region names (Toshkent city has its call-out)
            fitted = {i: (short_region(meta.loc[i], lang), label_size) for i in meta.index if i != TASHKENT_CITY}
        ids = [i for i in meta.index if i in fitted]
        traces.append(go.Scattergeo(
            lon=meta.loc[ids, "text_lon"].tolist(), lat=meta.loc[ids, "text_lat"].tolist(), mode="text",
            text=[fitted[i][0] for i in ids],
            textfont={"size": [fitted[i][1] for i in ids], "color": [colours[i] for i in ids]},
            hoverinfo="skip", showlegend=False, geo="geo", name="labels"))
    if level == "region" and TASHKENT_CITY in meta.index:
        traces += tashkent_callout(meta, vals, have, custom, hover, lang, label_size, TASHKENT_CITY in suppressed)

    geo_common = {"visible": False, "projection": {"type": "equirectangular"}, "bgcolor": "rgba(0,0,0,0)"}
    info = layer_info(level, lang)
    layout = {
        "height": height, "margin": {"l": 0, "r": 0, "t": 8, "b": 44},
        "geo": {**geo_common, **views.ranges(level, region_soato, None, stamp), "domain": {"x": [0, 0.9], "y": [0, 1]}},
        "coloraxis": coloraxis, "showlegend": bool(ids_none or ids_hidden),
        "legend": {"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
                   "bgcolor": "rgba(255,255,255,0.7)"},
        "uirevision": f"{level}-{region_soato}", "paper_bgcolor": "rgba(0,0,0,0)",
        "annotations": [{"text": info["notice"].replace("; ", ";<br>"), "xref": "paper", "yref": "paper", "x": 0, "y": 0,
                         "xanchor": "left", "yanchor": "top", "yshift": -4, "showarrow": False,
                         "font": {"size": 11, "color": "#555555"}, "align": "left"}],
        "dragmode": False,
    }
    if inset:
        layout["geo2"] = {**geo_common, **views.ranges(level, None, TASHKENT_CITY, stamp),
                          "domain": {"x": [0.005, 0.195], "y": [0.005, 0.34]}}
        layout["annotations"].append({"text": t("geo.inset.tashkent", lang), "xref": "paper", "yref": "paper",
                                      "x": 0.1, "y": 0.35, "xanchor": "center", "yanchor": "bottom",
                                      "showarrow": False, "font": {"size": 11, "color": "#333333"}})
        layout["shapes"] = [{"type": "rect", "xref": "paper", "yref": "paper", "x0": 0.0, "x1": 0.2,
                             "y0": 0.0, "y1": 0.35, "line": {"color": "#999999", "width": 1}}]
    return go.Figure(data=traces, layout=merge(layout, extra_layout))


def clicked_soato(event) -> str | None:
    """The SOATO code of the unit clicked in ``st.plotly_chart(..., on_select="rerun")``.

    Parameters
    ----------
    event
        The value ``st.plotly_chart`` returned (or ``st.session_state[key]``).

    Returns
    -------
    str or None
        The code, or ``None`` when nothing (or only a label) was clicked.
    """
    if not event:
        return None
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        points = getattr(getattr(event, "selection", None), "points", None)
    for p in points or []:
        cd = p.get("customdata") if isinstance(p, dict) else None
        if isinstance(cd, (list, tuple)) and cd and cd[0]:
            return str(cd[0])
        if isinstance(p, dict) and p.get("location"):
            return str(p["location"])
    return None
