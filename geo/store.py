"""Where boundary layers live and how an installed (imported) layer is merged
with the committed base layer.

* Base layers (committed, built by :mod:`geo.build_base`):
  ``geo/base/regions.geojson`` and ``geo/base/districts_schematic.geojson``.
* Installed layers (written by ``python -m geo.import``) live in the folder of the
  ``GEO_LAYERS`` setting (``QAMROV_GEO_LAYERS``; default ``geo/layers/``):
  ``<level>.geojson`` holds only the imported features (feature ``id`` = SOATO) and
  ``<level>.provenance.json`` the record of every import (file, date, CRS, counts).

:func:`merged` gives the layer the maps draw: each installed feature replaces the
base feature of the same SOATO; the base features that remain keep their shape,
minus whatever an installed neighbour now covers (so a region that is only partly
imported has no overlaps), and carry ``properties.source = "schematic"``.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point, mapping, shape
from shapely.ops import polylabel

import settings

BASE = Path(__file__).resolve().parent / "base"
LEVELS = ("region", "district")
BASE_FILES = {"region": BASE / "regions.geojson", "district": BASE / "districts_schematic.geojson"}
#: Coordinate grid of every stored layer (degrees, ~10 m).
GRID = 1e-4


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    return level


def installed_paths(level: str) -> tuple[Path, Path]:
    """(features file, provenance file) of the installed layer of ``level``."""
    folder = settings.path("GEO_LAYERS")
    return folder / f"{check_level(level)}.geojson", folder / f"{level}.provenance.json"


def stamp(level: str) -> tuple:
    """Changes whenever the installed layer of ``level`` changes (cache key)."""
    out = []
    for p in (*installed_paths(level), layer_path(level)):
        out.append((str(p), p.stat().st_mtime_ns if p.exists() else None))
    return tuple(out)


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_json(obj: dict, path: Path) -> None:
    """Write ``obj`` as compact UTF-8 JSON, atomically (a map never reads a half-written layer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(path)


def base(level: str) -> dict:
    return read_json(BASE_FILES[check_level(level)])


def read_installed(level: str) -> tuple[dict[str, dict], dict]:
    """Installed features by SOATO and the provenance record (empty when none)."""
    feats_path, prov_path = installed_paths(level)
    feats = {}
    if feats_path.exists():
        feats = {f["id"]: f for f in read_json(feats_path)["features"]}
    prov = read_json(prov_path) if prov_path.exists() else {"imports": []}
    return feats, prov


def write_installed(level: str, features: dict[str, dict], provenance: dict) -> None:
    feats_path, prov_path = installed_paths(level)
    fc = {"type": "FeatureCollection",
          "features": [features[k] for k in sorted(features)]}
    write_json(fc, feats_path)
    write_json(provenance, prov_path)


def _round(obj, nd: int = 4):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), nd) for v in obj]
        return [_round(v, nd) for v in obj]
    return obj


def geometry_json(geom, ndigits: int = 4) -> dict:
    """GeoJSON geometry with coordinates rounded to ``ndigits`` decimals, outer
    rings counter-clockwise (RFC 7946)."""
    m = mapping(shapely.orient_polygons(geom))
    return {"type": m["type"], "coordinates": _round(m["coordinates"], ndigits)}


#: Simplification tolerance (degrees) of installed layers, applied to all installed
#: features together as a coverage so that neighbours keep one shared border.
#: The first tolerance whose merged layer fits :data:`BUDGET` is used.
SIMPLIFY = {"district": (0.002, 0.003, 0.004, 0.006, 0.01), "region": (0.004, 0.006, 0.01)}
#: Size limit of a merged layer as compact JSON (the whole-country district layer
#: must stay under 300 KB so that a map rerun stays fast).
BUDGET = 290_000


def simplify_installed(level: str, installed: dict[str, dict], tolerance: float) -> dict[str, shapely.Geometry]:
    """Installed geometries, cleaned and simplified together (topology preserved)."""
    keys = sorted(installed)
    geoms = np.array([shape(installed[k]["geometry"]) for k in keys], dtype=object)
    try:  # separate imports may overlap a little along region borders
        geoms = shapely.coverage_clean(geoms, merge_strategy="min_area")
    except Exception:
        pass
    simple = shapely.coverage_simplify(geoms, tolerance)
    simple = shapely.set_precision(simple, GRID)
    out = {}
    for k, g, orig in zip(keys, simple, geoms):
        g = shapely.make_valid(g) if not g.is_valid else g
        out[k] = g if (not g.is_empty and g.area > 0) else orig
    return out


def label_point(geom) -> tuple[float, float]:
    """Where a label goes: the pole of inaccessibility of the largest part."""
    parts = list(getattr(geom, "geoms", [geom]))
    big = max(parts, key=lambda p: p.area)
    p = polylabel(big, tolerance=max(big.length, 1e-6) / 500)
    if not big.contains(p):
        p = big.representative_point()
    return round(p.x, 4), round(p.y, 4)


def merged(level: str) -> dict:
    """The layer to draw: base features replaced by installed ones where present,
    simplified just enough to fit :data:`BUDGET`."""
    fc = None
    for tol in SIMPLIFY[level]:
        fc = _merged(level, tol)
        if len(to_json(fc).encode("utf-8")) <= BUDGET:
            break
    return fc


def to_json(fc: dict) -> str:
    return json.dumps(fc, ensure_ascii=False, separators=(",", ":"))


def layer_path(level: str) -> Path:
    """The prebuilt merged layer (written by :func:`rebuild` after each import)."""
    return settings.path("GEO_LAYERS") / f"{check_level(level)}.layer.geojson"


def rebuild(level: str) -> Path:
    """Merge base and installed features once and store the result."""
    path = layer_path(level)
    fc = merged(level)
    write_json(fc, path)
    return path


def layer_fc(level: str) -> dict:
    """The layer the maps draw (prebuilt file when present and current)."""
    path = layer_path(level)
    feats, _ = installed_paths(level)
    if not feats.exists():
        return merged(level)  # base only: cheap
    if path.exists() and path.stat().st_mtime_ns >= feats.stat().st_mtime_ns:
        return read_json(path)
    return merged(level)


def _merged(level: str, tolerance: float) -> dict:
    fc = base(level)
    installed, _ = read_installed(level)
    if not installed:
        for f in fc["features"]:
            f["properties"]["source"] = "schematic" if level == "district" else "natural_earth"
        return fc
    inst_geoms = simplify_installed(level, installed, tolerance)
    touched: dict[str, list] = {}
    for k, f in installed.items():
        touched.setdefault(f["properties"]["region_soato"], []).append(inst_geoms[k])
    cover = {rs: shapely.union_all(gs) for rs, gs in touched.items()}
    out = []
    for f in fc["features"]:
        props = dict(f["properties"])
        if f["id"] in installed:
            lon, lat = label_point(inst_geoms[f["id"]])
            out.append({"type": "Feature", "id": f["id"],
                        "properties": {**props, "source": "official", "label_lon": lon, "label_lat": lat},
                        "geometry": geometry_json(inst_geoms[f["id"]])})
            continue
        props["source"] = "schematic" if level == "district" else "natural_earth"
        geom = f["geometry"]
        rs = props.get("region_soato")
        if level == "district" and rs in cover:
            g = shape(geom)
            rest = g.difference(cover[rs])
            centre = Point(props["label_lon"], props["label_lat"])
            # keep the trimmed cell only when it still holds its centre
            if not rest.is_empty and rest.area > 0.05 * g.area and rest.buffer(1e-9).contains(centre):
                rest = shapely.make_valid(shapely.set_precision(rest, GRID))
                polys = [p for p in getattr(rest, "geoms", [rest]) if p.geom_type in ("Polygon", "MultiPolygon")]
                if polys:
                    geom = geometry_json(shapely.union_all(polys))
        out.append({"type": "Feature", "id": f["id"], "properties": props, "geometry": geom})
    return {"type": "FeatureCollection", "features": out}
