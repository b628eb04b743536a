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
import shapely
from shapely.geometry import shape

from geo import store, views
from geo.views import TASHKENT_CITY, layer  # noqa: F401  (the map's layers, for callers)
from ui import fmt as ui_fmt
from ui import labels
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
LABEL_SIZES = (11, 10, 9)
FIT_WIDTH, FIT_HEIGHT = 560, 520 - 80 - 44
#: Text extent per character and per line, in units of the font size (DejaVu Sans, a
#: little wider than its mean glyph so that capitals and Cyrillic fit too).
CHAR_EM, LINE_EM = 0.64, 1.3


def label(row, lang: str) -> str:
    """Short on-map label of a unit: "Oltinko‘l", "Andijon sh.", "Алтынкульский", "г. Андижан", "Termez city".

    The catalogue says how a district's and a city's name read in the reference table
    (``geo.label.district`` = ``{name} tumani``, ``geo.label.city`` = ``город {name}``) and
    how they read on the map (``geo.label.district_short`` = ``{name}``, ``geo.label.city_short``
    = ``г. {name}``)."""
    return labels.short_district(str(row[labels.name_column(lang)] or row["name_uz"]), lang)


VOWELS = set("aeiouAEIOUаеёиоуыэюяАЕЁИОУЫЭЮЯўЎ")
#: The hyphen of a word broken onto two lines (U+2010: a name's own hyphen is U+002D).
HYPHEN = "\u2010"
#: A word is not broken before these (they belong to the syllable before).
NO_BREAK_BEFORE = set("ьъйЬЪЙ‘’'")


def hyphenate(word: str) -> str | None:
    """``word`` broken onto two lines at the syllable boundary nearest its middle
    (``Алтын‐<br>сайский``, ``Шурчин‐<br>ский``): before a consonant that opens a
    syllable (a consonant followed by a vowel), or before the adjective ending ``ский``,
    never leaving fewer than three letters on a line; None for a word shorter than nine
    letters or with no such place."""
    if len(word) < 9:
        return None
    places = [i for i in range(3, len(word) - 2)
              if word[i].isalpha() and word[i - 1].isalpha() and word[i] not in NO_BREAK_BEFORE
              and word[i] not in VOWELS and word[i + 1] in VOWELS]
    if word.endswith("ский") and word[-5].isalpha():
        places.append(len(word) - 4)
    if not places:
        return None
    i = min(places, key=lambda k: (abs(k - len(word) / 2), -k))
    return f"{word[:i]}{HYPHEN}<br>{word[i:]}"


def label_forms(text: str) -> list[str]:
    """The ways a label may be written, preferred first: on one line, then broken at a
    space or hyphen onto two lines (``Мирзо-<br>Улугбекский``), then a long word
    hyphenated (``Джаркур‐<br>ганский``)."""
    forms = [text]
    for sep in (" ", "-"):
        head, found, tail = text.partition(sep)
        if found and head and tail:
            forms.append(f"{head}{sep if sep == '-' else ''}<br>{tail}")
            break
    else:
        split = hyphenate(text)
        if split:
            forms.append(split)
    return forms


def text_box(text: str, size: int, scale: float, at: tuple[float, float]):
    """The rectangle (plot degrees) a label covers when drawn at ``at`` with font ``size``
    on a map of ``scale`` pixels per degree."""
    lines = text.split("<br>")
    w = CHAR_EM * size * max(len(x) for x in lines) / scale
    h = LINE_EM * size * len(lines) / scale
    return shapely.box(at[0] - w / 2, at[1] - h / 2, at[0] + w / 2, at[1] + h / 2)


def fit_labels(meta: pd.DataFrame, feats: dict, lang: str, lonlat_range: dict,
               width: int = FIT_WIDTH, height: int = FIT_HEIGHT) -> dict[str, tuple[str, int]]:
    """``{soato: (text, font size)}`` of the labels that fit inside their own unit.

    Each unit gets its short label (:func:`label`) on one line, else on two lines, at the
    largest of :data:`LABEL_SIZES` whose box lies inside the unit's polygon at its
    pole of inaccessibility (so it never spills into a neighbour); a unit where no form
    fits is left unlabelled (its name is in the hover).
    """
    (x0, x1), (y0, y1) = lonlat_range["lonaxis"]["range"], lonlat_range["lataxis"]["range"]
    scale = min(width / (x1 - x0), height / (y1 - y0))  # pixels per plot degree
    out = {}
    for soato, row in meta.iterrows():
        geom = shape(feats[soato]["geometry"])
        at = (float(row["text_lon"]), float(row["text_lat"]))
        fits = [(text, size) for size in LABEL_SIZES for text in label_forms(label(row, lang))
                if geom.contains(text_box(text, size, scale, at))]
        if fits:
            out[soato] = fits[0]
    return out


def _ticks(lo: float, hi: float, fmt: Callable) -> tuple[list[float], list[str]]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo], [fmt(lo)]
    vals = list(np.linspace(lo, hi, 5))
    return vals, [fmt(v) for v in vals]


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
               suppressed=()) -> go.Figure:
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
    if region_soato:
        # white labels on dark fills, dark labels elsewhere
        span = coloraxis["cmax"] - coloraxis["cmin"] or 1.0
        pos = ((vals - coloraxis["cmin"]) / span).where(have)
        dark = (pos > 0.6) if scale == "sequential" else ((pos < 0.2) | (pos > 0.8))
        colours = dict(zip(meta.index, ("#ffffff" if d else "#111111" for d in dark.fillna(False))))
        fitted = fit_labels(meta, feats, lang, views.ranges(level, region_soato, None, stamp), height=height - 124)
        ids = [i for i in meta.index if i in fitted]
        traces.append(go.Scattergeo(
            lon=meta.loc[ids, "text_lon"].tolist(), lat=meta.loc[ids, "text_lat"].tolist(), mode="text",
            text=[fitted[i][0] for i in ids],
            textfont={"size": [fitted[i][1] for i in ids], "color": [colours[i] for i in ids]},
            hoverinfo="skip", showlegend=False, geo="geo", name="labels"))

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
