"""The boundary importer on the real third-party files in ../shared/geo-samples and on
variants made from them in temporary folders (never inside the repository)."""
from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo import importer, store, views
from ui import choropleth as maps

#: The right SOATO code of every feature of the shared samples (ADM2_EN, or ADM1_EN for the
#: regional file), in the files' feature order.
EXPECTED_CSV = Path(__file__).resolve().parent / "fixtures" / "geo_samples_expected.csv"


def _expected() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    with EXPECTED_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["file"], {})[row["name_en"]] = row["soato"]
    return out


EXPECTED = _expected()
REGIONS_EXPECTED = EXPECTED.pop("uzbekistan_regional.geojson")


@pytest.fixture(autouse=True)
def layers_dir(tmp_path, monkeypatch) -> Path:
    """Installed layers go to a temporary folder, never into geo/layers."""
    folder = tmp_path / "layers"
    monkeypatch.setenv("QAMROV_GEO_LAYERS", str(folder))
    return folder


@pytest.fixture
def samples(shared_dir) -> Path:
    return shared_dir / "geo-samples"


def _codes(rep: importer.Report, key: str = "ADM2_EN") -> dict[str, str]:
    gdf = rep.source.frame
    return {gdf.iloc[f.index][key]: f.soato for f in rep.features}


def _variant(samples: Path, name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(samples / name)


LAT2CYR = [("o‘", "ў"), ("g‘", "ғ"), ("o'", "ў"), ("g'", "ғ"), ("oʻ", "ў"), ("gʻ", "ғ"), ("sh", "ш"),
           ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"), ("ye", "е")]
SINGLE = dict(zip("abdefghijklmnopqrstuvxyz'", "абдефгҳижклмнопқрстувхйзъ"))


def to_cyrillic(text: str) -> str:
    """Uzbek Latin -> Uzbek Cyrillic (enough for district names)."""
    s = text.lower()
    for a, b in LAT2CYR:
        s = s.replace(a, b)
    s = "".join(SINGLE.get(ch, ch) for ch in s)
    return " ".join(w[:1].upper() + w[1:] for w in s.split())


def test_to_cyrillic__helper():
    assert to_cyrillic("Mirzo Ulug'bek tumani") == "Мирзо Улуғбек Тумани"
    assert to_cyrillic("Sho'rchi tumani") == "Шўрчи Тумани"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_match__shared_sample_every_feature_right_code(samples, name):
    rep = importer.match(importer.read(samples / name), "district")
    assert _codes(rep) == EXPECTED[name]
    assert (len(rep.matched), len(rep.ambiguous), len(rep.unmatched)) == (len(EXPECTED[name]), 0, 0)


def test_match__shared_regional_sample(samples):
    rep = importer.match(importer.read(samples / "uzbekistan_regional.geojson"), "region")
    assert _codes(rep, "ADM1_EN") == REGIONS_EXPECTED
    assert rep.missing().empty


def test_read__geometry_collections_unwrapped(samples):
    src = importer.read(samples / "sirdaryo_region_districts.geojson")
    assert set(src.frame.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    assert src.frame.geometry.is_valid.all()


def test_run__installs_sample_and_map_draws_it(samples, layers_dir):
    lines = []
    code = importer.run(samples / "sirdaryo_region_districts.geojson", out=lines.append)
    assert code == 0
    text = "\n".join(lines)
    assert "Matched:   11 of 11 (100 %)" in text
    assert "Unmatched (file side): 0" in text
    assert sorted(p.name for p in layers_dir.iterdir()) == [
        "district.geojson", "district.layer.geojson", "district.provenance.json"]
    fc = maps.layer("district")
    official = sorted(f["id"] for f in fc["features"] if f["properties"]["source"] == "official")
    assert official == sorted(EXPECTED["sirdaryo_region_districts.geojson"].values())
    assert len(fc["features"]) == 205
    info = maps.layer_info("district", "en")
    assert (info["schematic"], info["matched"], info["source"]) == (
        True, 11, "sirdaryo_region_districts.geojson")
    assert info["notice"].startswith("District borders: 11 official (sirdaryo_region_districts.geojson, EPSG:4326, "
                                     "11/11 matched, 20")
    prov = json.loads((layers_dir / "district.provenance.json").read_text())["imports"][0]
    assert {k: prov[k] for k in ("file", "crs", "features", "matched", "ambiguous", "unmatched")} == {
        "file": "sirdaryo_region_districts.geojson", "crs": "EPSG:4326", "features": 11, "matched": 11,
        "ambiguous": 0, "unmatched": 0}


@pytest.mark.parametrize("epsg, name", [(32641, "jizzakh_region_districts.geojson"),
                                        (32642, "tashkent_districts.geojson")])
def test_match__reprojected_to_utm_geopackage(samples, tmp_path, epsg, name):
    gdf = _variant(samples, name).to_crs(epsg)
    path = tmp_path / "utm.gpkg"
    gdf.to_file(path, driver="GPKG", layer="tumanlar")
    src = importer.read(path)
    assert src.crs == f"EPSG:{epsg}"
    rep = importer.match(src, "district")
    assert _codes(rep) == EXPECTED[name]
    x0, y0, x1, y1 = src.frame.total_bounds
    assert 60 < x0 < x1 < 74 and 37 < y0 < y1 < 46  # back in degrees


@pytest.mark.parametrize("name, column, spelling", [
    ("surkhandarya_region_districts.geojson", "nomi", to_cyrillic),
    ("tashkent_region_districts.geojson", "NAME", str.upper),
], ids=["cyrillic", "upper-case"])
def test_match__names_in_one_spelling_only(samples, tmp_path, name, column, spelling):
    gdf = _variant(samples, name)
    out = gdf.assign(**{column: gdf["ADM2_UZ"].map(spelling)})[[column, "geometry"]]
    out.to_file(tmp_path / "names.geojson", driver="GeoJSON")
    rep = importer.match(importer.read(tmp_path / "names.geojson"), "district")
    assert [f.soato for f in rep.features] == list(EXPECTED[name].values())


def _zip_shapefile(folder: Path, stem: str, drop_cpg: bool = False) -> Path:
    z = folder / f"{stem}.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted(folder.glob(f"{stem}.*")):
            if p.suffix == ".zip" or (drop_cpg and p.suffix.lower() == ".cpg"):
                continue
            zf.write(p, p.name)
    return z


@pytest.mark.parametrize("zipped, drop_cpg", [(True, False), (True, True), (False, False), (False, True)])
def test_match__shapefile_windows_1251(samples, tmp_path, zipped, drop_cpg):
    gdf = _variant(samples, "sirdaryo_region_districts.geojson")
    out = gdf.rename(columns={"ADM2_RU": "NAZVANIE"})[["NAZVANIE", "geometry"]].to_crs(32642)
    # shapefiles cannot hold GeometryCollections: unwrap the MultiPolygon inside
    out["geometry"] = [shapely.union_all(list(getattr(g, "geoms", [g]))) for g in out.geometry]
    out.to_file(tmp_path / "rayony.shp", encoding="cp1251")
    assert "1251" in (tmp_path / "rayony.cpg").read_text()
    raw = (tmp_path / "rayony.dbf").read_bytes()
    assert "Баяутский".encode("cp1251") in raw  # really Windows-1251 on disk
    if zipped:
        path = _zip_shapefile(tmp_path, "rayony", drop_cpg=drop_cpg)
    else:
        path = tmp_path / "rayony.shp"
        if drop_cpg:
            (tmp_path / "rayony.cpg").unlink()
    src = importer.read(path)
    rep = importer.match(src, "district")
    assert [f.soato for f in rep.features] == list(EXPECTED["sirdaryo_region_districts.geojson"].values())
    assert src.frame["NAZVANIE"].iloc[0] == "Баяутский район"


def test_match__code_column_wins_over_names(samples, tmp_path):
    gdf = _variant(samples, "jizzakh_region_districts.geojson")
    codes = [int(c) for c in EXPECTED["jizzakh_region_districts.geojson"].values()]
    gdf.assign(SOATO=codes)[["SOATO", "geometry"]].to_file(tmp_path / "codes.gpkg", driver="GPKG")
    rep = importer.match(importer.read(tmp_path / "codes.gpkg"), "district")
    assert rep.matched_by == "code column SOATO"
    assert [f.soato for f in rep.features] == [str(c) for c in codes]


def test_run__file_without_names_is_refused(samples, tmp_path, layers_dir):
    gdf = _variant(samples, "sirdaryo_region_districts.geojson")
    gdf.assign(fid=range(len(gdf)), kod="x")[["fid", "kod", "geometry"]].to_file(
        tmp_path / "nonames.geojson", driver="GeoJSON")
    lines = []
    assert importer.run(tmp_path / "nonames.geojson", out=lines.append) == 1
    assert lines == ["Not imported: nonames.geojson: no usable names or codes -- none of the attribute "
                     "columns ['fid', 'kod'] holds district SOATO codes or district names the reference "
                     "knows (Uzbek, Russian or English)."]
    assert not layers_dir.exists()


def test_run__region_file_at_district_level_gets_a_hint(samples, tmp_path):
    lines = []
    assert importer.run(samples / "uzbekistan_regional.geojson", out=lines.append) == 1
    assert lines[-1].endswith("try --level region.")


@pytest.fixture
def bare_names(samples, tmp_path) -> Path:
    """The Sirdaryo sample with bare names ("Guliston": district or city?)."""
    gdf = _variant(samples, "sirdaryo_region_districts.geojson")
    bare = gdf["ADM2_UZ"].str.replace(r" (tumani|shahri)$", "", regex=True)
    gdf.assign(nomi=bare)[["nomi", "geometry"]].to_file(tmp_path / "bare.geojson", driver="GeoJSON")
    return tmp_path / "bare.geojson"


def test_run__bare_twin_names_ambiguous_below_threshold_not_installed(bare_names, layers_dir):
    lines = []
    assert importer.run(bare_names, out=lines.append) == 1
    text = "\n".join(lines)
    assert "Matched:   9 of 11 (82 %)" in text
    assert "Ambiguous: 2" in text
    assert "  #1 Guliston: the name fits several units (add the kind word, e.g. tumani / shahri) " \
           "[1724220 Guliston tumani, 1724401 Guliston shahri]" in text
    assert lines[-1] == "Not installed: 9 of 11 features matched (82 %), the threshold is 90 %."
    assert not layers_dir.exists()


def test_run__lower_threshold_installs_and_is_recorded(bare_names, layers_dir):
    assert importer.run(bare_names, min_match=0.8, out=lambda s: None) == 0
    prov = json.loads((layers_dir / "district.provenance.json").read_text())["imports"][0]
    assert (prov["matched"], prov["min_match"]) == (9, 0.8)


def test_run__unreadable_file(tmp_path):
    bad = tmp_path / "broken.geojson"
    bad.write_text("{not json", encoding="utf-8")
    lines = []
    assert importer.run(bad, out=lines.append) == 2
    assert lines[0].startswith("Not imported: broken.geojson") or lines[0].startswith(f"Not imported: {bad}")


def test_main__command_line_exit_code(samples, capsys):
    code = importer.main([str(samples / "tashkent_districts.geojson"), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Matched:   12 of 12 (100 %)" in out
    assert "  1726283  Sirg‘ali tumani              <- Sergeli district / Сергилийский район / Sergeli tumani" in out
    assert "Dry run: nothing installed." in out


def test_install__two_files_merge_and_stay_valid(samples):
    for name in ("tashkent_districts.geojson", "tashkent_region_districts.geojson"):
        assert importer.run(samples / name, out=lambda s: None, accept_repairs=True) == 0
    fc = store.layer_fc("district")
    from shapely.geometry import shape
    geoms = {f["id"]: shape(f["geometry"]) for f in fc["features"]}
    assert all(g.is_valid and not g.is_empty for g in geoms.values())
    official = {f["id"] for f in fc["features"] if f["properties"]["source"] == "official"}
    assert len(official) == 34
    assert len(json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode()) <= 300_000


def test_install__plot_copy_of_official_shapes_clockwise(samples):
    from shapely.geometry import shape

    assert importer.run(samples / "surkhandarya_region_districts.geojson", out=lambda s: None,
                        accept_repairs=True) == 0
    for region in (None, "1722"):
        feats, _ = views.view("district", region, store.stamp("district"))
        ccw = [k for k, f in feats.items()
               for p in getattr(shape(f["geometry"]), "geoms", [shape(f["geometry"])]) if p.exterior.is_ccw]
        assert ccw == []


def test_main__min_match_outside_0_1_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        importer.main(["any.geojson", "--min-match", "90"])
    assert exc.value.code == 2
    assert "--min-match 90: a share of the features is between 0 and 1, e.g. --min-match 0.9" in capsys.readouterr().err


# --------------------------------------------------------------------------- repairs made visible
def _layer_hashes(folder: Path) -> dict[str, str]:
    import hashlib
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*"))}


def _with_geometry(samples: Path, tmp_path: Path, index: int, make) -> Path:
    gdf = _variant(samples, "sirdaryo_region_districts.geojson")
    gdf.loc[index, "geometry"] = make(gdf.geometry.iloc[index])
    out = tmp_path / "edited.geojson"
    gdf.to_file(out, driver="GeoJSON")
    return out


def _bowtie(geom):
    """A figure-eight over the shape's bounding box: self-intersecting, its ring's area cancels out."""
    x0, y0, x1, y1 = geom.bounds
    return shapely.Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1), (x0, y0)])


def _spike(geom):
    """The largest part with a zero-width spike out of its first vertex (invalid, same area)."""
    poly = max(shapely.get_parts(shapely.get_parts(geom)), key=lambda p: p.area)
    c = list(poly.exterior.coords)
    x, y = c[0]
    far = (x + 0.05, y + 0.05)
    return shapely.Polygon([c[0], far, c[0], *c[1:]])


def test_run__self_intersecting_shape_is_refused_and_the_layer_unchanged(samples, tmp_path, layers_dir):
    assert importer.run(samples / "sirdaryo_region_districts.geojson", out=lambda s: None) == 0
    before = _layer_hashes(layers_dir)
    bad = _with_geometry(samples, tmp_path, 3, _bowtie)
    lines: list[str] = []
    assert importer.run(bad, out=lines.append) == 1
    text = "\n".join(lines)
    assert "Repaired geometries (invalid in the file, made valid): 1" in text
    assert "  #3 " in text and "Self-intersection" in text and "Polygon -> MultiPolygon" in text
    assert "REFUSED without --accept-repairs" in text
    assert "Not installed: making 1 geometry valid would change its area by more than 1 % or split it" in text
    assert "The installed layer is unchanged." in text
    assert _layer_hashes(layers_dir) == before


def test_main__self_intersecting_shape_refused_on_the_command_line(samples, tmp_path, capsys):
    bad = _with_geometry(samples, tmp_path, 3, _bowtie)
    assert importer.main([str(bad), "--quiet"]) == 1
    out = capsys.readouterr()
    assert "Not installed: making 1 geometry valid" in out.out and "Traceback" not in out.out + out.err


def test_run__accept_repairs_installs_and_records_them(samples, tmp_path, layers_dir):
    bad = _with_geometry(samples, tmp_path, 3, _bowtie)
    assert importer.run(bad, out=lambda s: None, accept_repairs=True) == 0
    prov = json.loads((layers_dir / "district.provenance.json").read_text(encoding="utf-8"))
    rec = prov["imports"][-1]
    assert rec["accept_repairs"] is True
    assert [(r["index"], r["kind_before"], r["kind_after"]) for r in rec["repairs"]] == [
        (3, "Polygon", "MultiPolygon")]


def test_run__repair_that_keeps_the_area_is_listed_and_installed(samples, tmp_path):
    spiked = _with_geometry(samples, tmp_path, 2, _spike)
    lines: list[str] = []
    assert importer.run(spiked, out=lines.append) == 0
    text = "\n".join(lines)
    assert "Repaired geometries (invalid in the file, made valid): 1" in text
    assert "(0.00 %)" in text and "REFUSED" not in text


def test_read__nested_shells_of_a_real_sample_are_listed_with_their_area_change(samples):
    src = importer.read(samples / "tashkent_region_districts.geojson")
    assert [r.index for r in src.repairs] == [0, 4, 11]
    assert all(r.reason.startswith("Nested shells") for r in src.repairs)
    assert all(0.01 < r.change < 0.1 for r in src.repairs)         # the inner shells become holes
    assert importer.run(samples / "tashkent_region_districts.geojson", out=lambda s: None, dry_run=True) == 1
