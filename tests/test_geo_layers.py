"""The committed base layers: Natural Earth regions and the schematic district layer."""
from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from data.reference import districts, regions
from geo import build_base, store

PROPS = {"soato", "region_soato", "kind", "name_uz", "name_uz_cyrl", "name_ru", "name_en", "label_lon", "label_lat"}


@pytest.fixture(scope="module")
def region_fc() -> dict:
    return json.loads(store.BASE_FILES["region"].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def district_fc() -> dict:
    return json.loads(store.BASE_FILES["district"].read_text(encoding="utf-8"))


def test_regions__fourteen_features_keyed_by_soato(region_fc):
    assert [f["id"] for f in region_fc["features"]] == regions()["region_soato"].tolist()
    assert all(f["id"] == f["properties"]["soato"] for f in region_fc["features"])
    assert all(PROPS <= set(f["properties"]) for f in region_fc["features"])
    assert region_fc["provenance"]["source"].startswith("Natural Earth admin-1 (public domain)")


def test_regions__valid_coverage(region_fc):
    geoms = np.array([shape(f["geometry"]) for f in region_fc["features"]])
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)


def test_schematic__one_feature_per_coded_district(district_fc):
    ids = [f["id"] for f in district_fc["features"]]
    assert ids == sorted(districts()["district_soato"])
    assert len(ids) == len(set(ids)) == 205
    assert all(f["id"] == f["properties"]["soato"] for f in district_fc["features"])
    assert all(PROPS <= set(f["properties"]) for f in district_fc["features"])


def test_schematic__valid_geometries_with_centre_inside(district_fc):
    ref = districts().set_index("district_soato")
    bad = []
    for f in district_fc["features"]:
        g = shape(f["geometry"])
        r = ref.loc[f["id"]]
        if not g.is_valid or g.is_empty or not g.contains(Point(r.center_lon, r.center_lat)):
            bad.append(f["id"])
    assert bad == []


def test_schematic__no_overlaps_no_gaps_inside_each_region(district_fc, region_fc):
    regs = {f["id"]: shape(f["geometry"]) for f in region_fc["features"]}
    by_region: dict[str, list] = {}
    for f in district_fc["features"]:
        by_region.setdefault(f["properties"]["region_soato"], []).append(shape(f["geometry"]))
    assert sorted(by_region) == sorted(regs)
    for rs, geoms in by_region.items():
        arr = np.array(geoms)
        union = shapely.union_all(arr)
        assert shapely.coverage_is_valid(arr), rs  # edge-matched, no overlaps
        assert sum(g.area for g in geoms) - union.area < 1e-9, rs
        assert regs[rs].symmetric_difference(union).area < regs[rs].length * build_base.GRID, rs


def test_schematic__validate_reports_nothing(district_fc, region_fc):
    assert build_base.validate(region_fc, district_fc) == []


def test_validate__catches_a_missing_district(district_fc, region_fc):
    broken = {**district_fc, "features": district_fc["features"][1:]}
    assert build_base.validate(region_fc, broken)[0] == "district ids differ from the reference set"


def test_schematic__payload_under_300_kb():
    assert store.BASE_FILES["district"].stat().st_size < 300_000
    assert store.BASE_FILES["region"].stat().st_size < 100_000


def test_build_base__deterministic_and_valid(region_fc, tmp_path):
    """Rebuilt from the committed outlines (as a stand-in for uzb.json), the layers pass
    ``validate`` and two builds write byte-identical files."""
    hasc = dict(zip(regions()["region_soato"], regions()["hasc"]))
    uzb = tmp_path / "uzb.json"
    uzb.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code_hasc": hasc[f["id"]]}, "geometry": f["geometry"]}
        for f in region_fc["features"]]}), encoding="utf-8")
    outs = []
    for run in ("a", "b"):
        assert build_base.main([str(uzb), "--out", str(tmp_path / run)]) == 0
        outs.append([(tmp_path / run / name).read_bytes() for name in ("regions.geojson", "districts_schematic.geojson")])
    assert outs[0] == outs[1]
    assert build_base.validate(*(json.loads(b) for b in outs[0])) == []
