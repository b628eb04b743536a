"""The map component: figures hold every unit with the right value, offline-safe."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.reference import districts, regions
from geo import views
from ui import choropleth as maps
from ui import maplabels
from ui import fmt


@pytest.fixture(autouse=True)
def no_installed_layers(tmp_path, monkeypatch):
    monkeypatch.setenv("QAMROV_GEO_LAYERS", str(tmp_path / "layers"))


def _region_values() -> pd.DataFrame:
    codes = regions()["region_soato"].tolist()
    return pd.DataFrame({"soato": codes[1:], "v": [float(i) for i in range(13)]})  # 1703 missing, 1706 = 0


def _traces(fig, kind: str, geo: str = "geo"):
    return [t for t in fig.data if t.type == kind and t.geo == geo]


def test_choropleth__region_values_no_data_and_zero():
    fig = maps.choropleth(_region_values(), level="region", value="v", title="Qamrov, 2024", lang="uz")
    data, nodata = _traces(fig, "choropleth")
    codes = regions()["region_soato"].tolist()
    assert list(data.locations) == codes[1:]
    assert list(data.z) == [float(i) for i in range(13)]  # 1706 holds a real 0
    assert list(nodata.locations) == ["1703"]
    assert list(nodata.customdata[0]) == ["1703", "Andijon viloyati", "Ma’lumot yo‘q", ""]
    assert list(data.customdata[0]) == ["1706", "Buxoro viloyati", "0", "O‘rin: 13 / 13"]
    assert list(data.customdata[-1]) == ["1735", "Qoraqalpog‘iston Respublikasi", "12", "O‘rin: 1 / 13"]
    legend = [t for t in fig.data if t.showlegend]
    assert [t.name for t in legend] == ["Ma’lumot yo‘q"]
    assert fig.layout.coloraxis.colorbar.title.text == "Qamrov, 2024"


def test_choropleth__every_district_once_with_its_value():
    d = districts()
    vals = pd.DataFrame({"soato": d["district_soato"], "v": np.arange(len(d), dtype=float)})
    fig = maps.choropleth(vals, level="district", value="v", title="t", lang="en")
    polys = _traces(fig, "choropleth")
    assert len(polys) == 1  # everybody has data: no "no data" trace
    got = dict(zip(polys[0].locations, polys[0].z))
    assert got == dict(zip(d["district_soato"], np.arange(len(d), dtype=float)))
    assert [c[0] for c in polys[0].customdata] == list(polys[0].locations)
    assert {f["id"] for f in polys[0].geojson["features"]} == set(d["district_soato"])


def test_choropleth__country_view_has_tashkent_inset_and_city_markers():
    d = districts()
    vals = pd.DataFrame({"soato": d["district_soato"], "v": 1.0})
    fig = maps.choropleth(vals, level="district", value="v", title="t", lang="uz")
    inset = _traces(fig, "choropleth", "geo2")
    tk = d.loc[d["region_soato"] == "1726", "district_soato"].tolist()
    assert sorted(inset[0].locations) == sorted(tk)
    markers = [t for t in fig.data if t.name == "cities"]
    cities = d[(d["kind"] == "shahar") & (d["region_soato"] != "1726")]["district_soato"]
    assert sorted(c[0] for c in markers[0].customdata) == sorted(cities)
    assert markers[0].marker.coloraxis == "coloraxis"


def test_choropleth__drilldown_only_region_districts_with_labels():
    d = districts()
    vals = pd.DataFrame({"soato": d["district_soato"], "v": 2.5})
    fig = maps.choropleth(vals, level="district", value="v", title="t", region_soato="1724", lang="uz")
    polys = _traces(fig, "choropleth")
    sirdaryo = d.loc[d["region_soato"] == "1724", "district_soato"].tolist()
    assert list(polys[0].locations) == sirdaryo
    labels = [t for t in fig.data if t.name == "labels"][0]
    shown = [x.replace("\u2010<br>", "").replace("<br>", " ") for x in labels.text]
    short = ["Oqoltin", "Boyovut", "Sayxunobod", "Guliston", "Sardoba", "Mirzaobod", "Sirdaryo", "Xovos",
             "Guliston sh.", "Shirin sh.", "Yangiyer sh."]
    # the short names, in order; a unit too small for its name is left to the hover
    assert shown == [x for x in short if x in shown] and len(shown) >= 8
    assert "geo2" not in fig.layout.to_plotly_json()


def test_choropleth__first_trace_of_each_geo_has_no_locationmode():
    """plotly.js fetches world topojson from a CDN when it does (offline rule)."""
    d = districts()
    fig = maps.choropleth(pd.DataFrame({"soato": d["district_soato"], "v": 1.0}), level="district", value="v",
                          title="t", lang="uz")
    for geo in ("geo", "geo2"):
        first = [t for t in fig.data if t.geo == geo][0]
        assert first.type == "scattergeo" and first.locationmode is None and first.locations is None
    assert fig.layout.geo.visible is False and fig.layout.geo2.visible is False


def test_choropleth__diverging_centres_on_zero_and_formats_with_unit():
    vals = pd.DataFrame({"soato": ["1703", "1706", "1708"], "v": [-0.02, 0.05, 0.0]})
    fig = maps.choropleth(vals, level="region", value="v", title="O‘zgarish", scale="diverging", lang="uz",
                          fmt=fmt.signed_pct, unit="p.p.")
    ax = fig.layout.coloraxis
    assert (ax.cmin, ax.cmid, ax.cmax) == (-0.05, 0, 0.05)
    data = _traces(fig, "choropleth")[0]
    assert [c[2] for c in data.customdata] == ["−2,0\u00a0% p.p.", "+5,0\u00a0% p.p.", "0,0\u00a0% p.p."]
    assert [c[3] for c in data.customdata] == ["O‘rin: 3 / 3", "O‘rin: 1 / 3", "O‘rin: 2 / 3"]


def test_choropleth__hover_names_follow_language():
    vals = pd.DataFrame({"soato": ["1726"], "v": [1.0]})
    names = {lang: _traces(maps.choropleth(vals, level="region", value="v", title="t", lang=lang),
                           "choropleth")[0].customdata[0][1] for lang in ("uz", "ru", "en")}
    assert names == {"uz": "Toshkent shahri", "ru": "город Ташкент", "en": "Tashkent city"}


def test_choropleth__schematic_notice_on_the_map():
    fig = maps.choropleth(pd.DataFrame({"soato": ["1703202"], "v": [1]}), level="district", value="v",
                          title="t", region_soato="1703", lang="en")
    notes = [a.text for a in fig.layout.annotations]
    assert "Schematic district borders (approximate)" in notes
    assert not any("python" in n or "geo.import" in n for n in notes)  # no command line in a leader's footnote
    assert maps.layer_info("district", "en") == {
        "schematic": True, "source": "schematic (Voronoi of reference centres)", "imported_on": None,
        "matched": None, "notice": notes[0], "last_import": None}


def test_choropleth__bad_arguments():
    v = pd.DataFrame({"soato": ["1703"], "v": [1]})
    with pytest.raises(ValueError):
        maps.choropleth(v, level="mahalla", value="v", title="t")
    with pytest.raises(ValueError):
        maps.choropleth(v, level="region", value="v", title="t", scale="rainbow")
    with pytest.raises(ValueError):
        maps.choropleth(v, level="region", value="v", title="t", region_soato="1703")


def test_clicked_soato__event_shapes():
    assert maps.clicked_soato({"selection": {"points": [{"customdata": ["1703202", "x", "1", ""]}]}}) == "1703202"
    assert maps.clicked_soato({"selection": {"points": [{"location": "1706"}]}}) == "1706"
    assert maps.clicked_soato({"selection": {"points": [{"text": "label only"}]}}) is None
    assert maps.clicked_soato({"selection": {"points": []}}) is None
    assert maps.clicked_soato(None) is None


def test_layer__ids_are_soato_and_payload_small():
    import json

    fc = maps.layer("district")
    assert len(fc["features"]) == 205
    assert {f["properties"]["source"] for f in fc["features"]} == {"schematic"}
    assert len(json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode()) < 300_000
    assert [f["id"] for f in maps.layer("region")["features"]] == regions()["region_soato"].tolist()


@pytest.mark.parametrize("level, region", [("region", None), ("district", None), ("district", "1726")])
def test_view__outer_rings_clockwise_for_d3(level, region):
    """A counter-clockwise outer ring is drawn by plotly.js as the whole globe minus it."""
    from shapely.geometry import shape

    from geo import store

    feats, _ = views.view(level, region, store.stamp(level))
    ccw = [k for k, f in feats.items()
           for p in getattr(shape(f["geometry"]), "geoms", [shape(f["geometry"])]) if p.exterior.is_ccw]
    assert ccw == []


def test_choropleth__region_map_names_every_region_and_calls_out_tashkent():
    vals = pd.DataFrame({"soato": ["1722", "1726", "1727"], "v": [0.5, 0.9, 0.7]})
    fig = maps.choropleth(vals, level="region", value="v", title="t", lang="uz")
    labels = next(tr for tr in fig.data if tr.name == "labels")
    assert "Surxondaryo" in labels.text and len(labels.text) == 13  # every region but the called-out city
    callout = next(tr for tr in fig.data if tr.name == "callout")
    assert callout.customdata[0][0] == "1726" and callout.text == ("Toshkent shahri",)
    assert callout.marker.size >= 24 and list(callout.marker.color) == [0.9]
    assert maps.clicked_soato({"selection": {"points": [{"customdata": list(callout.customdata[0])}]}}) == "1726"


@pytest.mark.parametrize("region", ["1722", "1726"])  # Surxondaryo, Toshkent city
@pytest.mark.parametrize("lang", ["ru", "uz", "uz_Cyrl", "en"])
def test_map_labels__never_spill_into_a_neighbour(region, lang):
    """Every label drawn on a region's district map lies inside its own district at the size
    the map is drawn (the fit is checked for the narrowest column a page gives the map)."""
    from shapely.geometry import shape
    from geo import store, views

    stamp = store.stamp("district")
    feats, meta = views.view("district", region, stamp)
    d = districts()
    fig = maps.choropleth(pd.DataFrame({"soato": d["district_soato"], "v": 1.0}), level="district", value="v",
                          title="t", region_soato=region, lang=lang)
    drawn = [t for t in fig.data if t.name == "labels"][0]
    rng = views.ranges("district", region, None, stamp)
    (x0, x1), (y0, y1) = rng["lonaxis"]["range"], rng["lataxis"]["range"]
    scale = min(maplabels.FIT_WIDTH / (x1 - x0), maplabels.FIT_HEIGHT / (y1 - y0))
    polygons = {s: shape(feats[s]["geometry"]) for s in meta.index}
    by_point = {(round(r["text_lon"], 4), round(r["text_lat"], 4)): s for s, r in meta.iterrows()}
    assert len(drawn.text) >= len(meta) // 2  # most districts keep a label
    for text, size, lon, lat in zip(drawn.text, drawn.textfont.size, drawn.lon, drawn.lat):
        own = by_point[(round(lon, 4), round(lat, 4))]
        box = maplabels.text_box(text, size, scale, (lon, lat))
        assert polygons[own].contains(box), (own, text)
        assert not any(box.intersects(p) and not box.touches(p) for s, p in polygons.items() if s != own), text
        if lang == "ru":
            assert "район" not in text and "город" not in text  # shortened by rule


def test_map_labels__shortened_by_rule_and_broken_at_syllables():
    row = pd.Series({"name_uz": "Termiz shahri", "name_uz_cyrl": "Термиз шаҳри", "name_ru": "город Термез",
                     "name_en": "Termez city"})
    assert [maplabels.label(row, lang) for lang in ("uz", "uz_Cyrl", "ru", "en")] == [
        "Termiz sh.", "Термиз ш.", "г. Термез", "Termez city"]
    row = pd.Series({"name_uz": "Jarqo‘rg‘on tumani", "name_ru": "Джаркурганский район"})
    assert maplabels.label(row, "ru") == "Джаркурганский"
    assert maplabels.label_forms("Джаркурганский") == ["Джаркурганский", "Джаркур\u2010<br>ганский"]
    assert maplabels.label_forms("Мирзо-Улугбекский") == ["Мирзо-Улугбекский", "Мирзо-<br>Улугбекский"]
    assert maplabels.hyphenate("Шурчинский") == "Шурчин\u2010<br>ский" and maplabels.hyphenate("Денов") is None


def test_ticks__a_narrow_range_never_repeats_a_label():
    vals, texts = maps._ticks(0.9260, 0.9262, fmt.pct)
    assert len(texts) == len(set(texts)) >= 1 and vals[0] == 0.9260
    vals, texts = maps._ticks(0.5, 0.9, fmt.pct)
    assert len(texts) == 5
