"""Plot geometry of the map views, from the project's own boundary layers (no Streamlit, no UI).

A view is the region layer, the district layer of the whole country, or the
districts of one region. Its *plot copy* is projected for Plotly's geo subplot,
simplified to the detail the view needs and wound the way d3-geo expects; the
true WGS 84 layers stay in :mod:`geo.store`. The screen component that draws a
view is :mod:`ui.choropleth`.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from geo import store

TASHKENT_CITY = "1726"


@lru_cache(maxsize=8)
def _layer(level: str, stamp: tuple) -> dict:
    return store.layer_fc(level)


def layer(level: str) -> dict:
    """The GeoJSON FeatureCollection of ``level`` (``"region"`` or ``"district"``).

    Installed official features where an import put them, else the committed base
    layer (Natural Earth regions / schematic districts). Feature ``id`` is the SOATO
    code; properties: ``soato, region_soato, kind, name_uz, name_uz_cyrl, name_ru,
    name_en, label_lon, label_lat, source`` (``official`` / ``schematic`` /
    ``natural_earth``). Cached; the cache follows the installed files' mtime.
    Do not modify the returned object.
    """
    return _layer(store.check_level(level), store.stamp(level))


def provenance(level: str) -> dict:
    """Where the boundaries of ``level`` come from (untranslated facts for a map footer).

    Returns
    -------
    dict
        ``n`` (official features installed), ``total`` (features in the layer),
        ``sources`` (imported files still in use), ``imported_on`` (ISO date or None),
        ``last_import`` (the newest import record or None) and, when one file is in
        use, ``record`` (its newest import record).
    """
    return dict(_provenance(store.check_level(level), store.stamp(level)))


@lru_cache(maxsize=16)
def _provenance(level: str, stamp: tuple) -> dict:
    fc = _layer(level, stamp)
    installed = {f["id"] for f in fc["features"] if f["properties"].get("source") == "official"}
    _, prov_path = store.installed_paths(level)
    prov = store.read_json(prov_path) if prov_path.exists() else {"imports": []}
    imports = prov.get("imports", [])
    sources = sorted({i["file"] for i in imports if set(i.get("installed", [])) & set(installed)})
    record = [i for i in imports if i["file"] == sources[0]][-1] if len(sources) == 1 else None
    return {"n": len(installed), "total": len(fc["features"]), "sources": sources,
            "imported_on": max((i["imported_on"] for i in imports), default=None) if installed else None,
            "last_import": imports[-1] if imports else None, "record": record}


# Plotly's geo "equirectangular" draws 1 degree of longitude as wide as 1 degree of
# latitude, which stretches Uzbekistan (37-46 N) east-west by a third, and its
# "mercator" does not fill the frame with fitbounds. So the *plot copy* of the
# geometry has its longitudes compressed by cos(41 N) around 64.5 E: drawn as
# equirectangular, that is the equidistant cylindrical projection with standard
# parallel 41 N (true shape across the country). ``layer()`` keeps true WGS 84.
LON0, K = 64.5, math.cos(math.radians(41.0))
#: Simplification (plot degrees) of the geometry sent to the browser.
PLOT_TOLERANCE_COUNTRY, PLOT_TOLERANCE_REGION = 0.006, 0.0008


def _squeeze(coords: np.ndarray) -> np.ndarray:
    return np.column_stack([LON0 + (coords[:, 0] - LON0) * K, coords[:, 1]])


def _plot_lon(lon) -> list[float]:
    return [round(LON0 + (float(x) - LON0) * K, 4) for x in lon]


@lru_cache(maxsize=64)
def view(level: str, region_soato: str | None, stamp: tuple) -> tuple[dict[str, dict], pd.DataFrame]:
    """Geometry-only plot features of the view (``{soato: feature}``) and their metadata."""
    fc = _layer(level, stamp)
    chosen = [f for f in fc["features"] if not region_soato or f["properties"]["region_soato"] == region_soato]
    geoms = np.array([shapely.transform(shape(f["geometry"]), _squeeze) for f in chosen], dtype=object)
    # a country-wide view needs ~1 km detail, a single region ~100 m: simplify the plot
    # copy as a coverage (neighbours keep one shared border) and round to match
    tol, ndigits = (PLOT_TOLERANCE_COUNTRY, 3) if region_soato is None else (PLOT_TOLERANCE_REGION, 4)
    try:
        simple = shapely.coverage_simplify(geoms, tol)
    except Exception:  # not a clean coverage: simplify each shape on its own
        simple = shapely.simplify(geoms, tol, preserve_topology=True)
    # d3-geo (plotly.js) reads a counter-clockwise outer ring as "the whole globe
    # minus this polygon": give every outer ring the clockwise order it expects
    simple = shapely.orient_polygons(simple, exterior_cw=True)
    feats, rows = {}, []
    for f, geom, orig in zip(chosen, simple, geoms):
        p = f["properties"]
        if geom is None or geom.is_empty:
            geom = orig
        m = shapely.geometry.mapping(geom)
        feats[f["id"]] = {"type": "Feature", "id": f["id"],
                          "geometry": {"type": m["type"], "coordinates": store._round(m["coordinates"], ndigits)}}
        text_lon, text_lat = store.label_point(geom)  # in plot coordinates
        rows.append({"soato": f["id"], "text_lon": text_lon, "text_lat": text_lat, **{k: p.get(k) for k in (
            "region_soato", "kind", "name_uz", "name_uz_cyrl", "name_ru", "name_en", "label_lon", "label_lat", "source")}})
    meta = pd.DataFrame(rows).set_index("soato")
    meta["plot_lon"] = _plot_lon(meta["label_lon"])
    return feats, meta


@lru_cache(maxsize=64)
def ranges(level: str, region_soato: str | None, only_region: str | None, stamp: tuple) -> dict:
    """lonaxis/lataxis ranges (plot coordinates, 3 % margin) that frame the view.

    Explicit ranges fill the frame; plotly's ``fitbounds`` leaves a wide margin."""
    feats, meta = view(level, region_soato, stamp)
    ids = meta.index if only_region is None else meta.index[meta["region_soato"] == only_region]
    x0, y0, x1, y1 = shapely.union_all([shape(feats[i]["geometry"]) for i in ids]).bounds
    px, py = 0.03 * (x1 - x0), 0.03 * (y1 - y0)
    return {"lonaxis": {"range": [x0 - px, x1 + px]}, "lataxis": {"range": [y0 - py, y1 + py]}}




def collection(feats: dict[str, dict], ids) -> dict:
    """A FeatureCollection of the plot features ``ids``."""
    return {"type": "FeatureCollection", "features": [feats[i] for i in ids]}
