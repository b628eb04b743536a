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

import shapely
from shapely.geometry import Point, mapping, shape

import settings

BASE = Path(__file__).resolve().parent / "base"
LEVELS = ("region", "district")
BASE_FILES = {"region": BASE / "regions.geojson", "district": BASE / "districts_schematic.geojson"}


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
    for p in installed_paths(level):
        out.append((str(p), p.stat().st_mtime_ns if p.exists() else None))
    return tuple(out)


def read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_json(obj: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic: a map never reads a half-written layer


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


def geometry_json(geom) -> dict:
    m = mapping(geom)
    return {"type": m["type"], "coordinates": _round(m["coordinates"])}


def merged(level: str) -> dict:
    """The layer to draw: base features replaced by installed ones where present."""
    fc = base(level)
    installed, _ = read_installed(level)
    if not installed:
        for f in fc["features"]:
            f["properties"]["source"] = "schematic" if level == "district" else "natural_earth"
        return fc
    inst_geoms = {k: shape(f["geometry"]) for k, f in installed.items()}
    touched: dict[str, list] = {}
    for k, f in installed.items():
        touched.setdefault(f["properties"]["region_soato"], []).append(inst_geoms[k])
    cover = {rs: shapely.union_all(gs) for rs, gs in touched.items()}
    out = []
    for f in fc["features"]:
        props = dict(f["properties"])
        if f["id"] in installed:
            out.append({"type": "Feature", "id": f["id"],
                        "properties": {**props, "source": "official"},
                        "geometry": installed[f["id"]]["geometry"]})
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
                rest = shapely.make_valid(shapely.set_precision(rest, 1e-4))
                polys = [p for p in getattr(rest, "geoms", [rest]) if p.geom_type in ("Polygon", "MultiPolygon")]
                if polys:
                    geom = geometry_json(shapely.union_all(polys))
        out.append({"type": "Feature", "id": f["id"], "properties": props, "geometry": geom})
    return {"type": "FeatureCollection", "features": out}
