"""Import official boundaries: ``python -m geo.import FILE [--level district|region]``.

Reads GeoJSON (geometries wrapped in a GeometryCollection included), a Shapefile
(plain, or zipped; its ``.cpg`` codepage is honoured and, when it is missing, the
encoding is detected), or a GeoPackage, in any CRS (reprojected to WGS 84). Each
feature is tied to a SOATO code through a code column when the file has one, else
through its names (every text column, any spelling) with the reference resolver
(:mod:`data.reference`). Prints a match report and installs the matched features
into the ``GEO_LAYERS`` folder when the match is good enough (see
:data:`MIN_MATCH`), where they replace the schematic polygons of those units.

Exit codes: 0 installed (or ``--dry-run`` that would install), 1 match not good
enough / nothing usable in the file, 2 the file cannot be read.
"""
from __future__ import annotations

import argparse
import hashlib
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import Point

from data.reference import ResolveError, districts, regions, resolve_district, resolve_region
from geo import store

#: Share of the file's features that must match before anything is installed.
#: A real boundary file for the right level matches (nearly) completely -- every
#: sample in ../shared/geo-samples matches 100 %. Below 90 % the file is most likely
#: of another level, another country or an edition we do not understand; installing
#: its matched part would mix a few real borders into a map that looks trustworthy.
#: 90 % (not 100 %) lets a good file carry a few stray features (a lake, a
#: "disputed" polygon, a unit created after 2021 without a code) that are simply skipped.
MIN_MATCH = 0.90
#: A matched feature whose reference centre lies farther than this outside its
#: polygon is not trusted (a name that resolved to the wrong unit).
MAX_CENTRE_KM = 25.0
#: Coordinates are snapped to this grid (degrees, ~10 m) when stored.
GRID = 1e-4
FALLBACK_ENCODINGS = ("cp1251", "utf-8", "cp866", "latin1")


class ImportProblem(Exception):
    """A file the importer cannot use; the message says why and what to do."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- reading


@dataclass
class Source:
    path: Path
    frame: gpd.GeoDataFrame  # in EPSG:4326, geometry flattened to (Multi)Polygons
    driver: str
    layer: str | None
    crs: str
    encoding: str | None


def _dataset(path: Path, layer: str | None) -> tuple[str, str | None]:
    """GDAL dataset name and layer for ``path`` (handles zipped shapefiles)."""
    if not path.exists():
        raise ImportProblem(f"{path}: no such file", 2)
    if path.suffix.lower() == ".zip":
        try:
            names = zipfile.ZipFile(path).namelist()
        except zipfile.BadZipFile:
            raise ImportProblem(f"{path}: not a readable zip archive", 2) from None
        shp = [n for n in names if n.lower().endswith(".shp")]
        other = [n for n in names if n.lower().endswith((".gpkg", ".geojson", ".json"))]
        inner = (shp or other or [None])[0]
        if inner is None:
            raise ImportProblem(f"{path}: the zip holds no .shp, .gpkg or .geojson file", 2)
        if len(shp) > 1 and layer is None:
            raise ImportProblem(f"{path}: the zip holds several shapefiles {shp}; pick one with --layer NAME", 2)
        if layer is not None:
            match = [n for n in shp if Path(n).stem == layer]
            inner = match[0] if match else inner
            layer = None if match else layer
        return f"/vsizip/{path.resolve()}/{inner}", layer
    return str(path), layer


def _has_cpg(ds: str) -> bool:
    if ds.startswith("/vsizip/"):
        zpath, inner = re.match(r"/vsizip/(.+?\.zip)/(.+)$", ds, re.I).groups()
        names = {n.lower() for n in zipfile.ZipFile(zpath).namelist()}
        return str(Path(inner).with_suffix(".cpg")).lower() in names
    return Path(ds).with_suffix(".cpg").exists() or Path(ds).with_suffix(".CPG").exists()


def _polygonal(geom):
    """The polygonal part of a geometry (GeometryCollections unwrapped), made valid."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if g.geom_type in ("Polygon",):
            parts.append(g)
        elif g.geom_type in ("MultiPolygon", "GeometryCollection"):
            stack.extend(g.geoms)
    parts = [p for p in parts if not p.is_empty and p.area > 0]
    if not parts:
        return None
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def read(path: Path, layer: str | None = None, encoding: str | None = None) -> Source:
    """Read a boundary file into WGS 84 with polygonal geometries."""
    path = Path(path)
    ds, layer = _dataset(path, layer)
    try:
        layers = pyogrio.list_layers(ds)
    except Exception as e:  # GDAL's own message names the problem
        raise ImportProblem(f"{path}: cannot be read as GeoJSON, Shapefile or GeoPackage ({e})", 2) from None
    if layer is None:
        poly = [str(n) for n, t in layers if t is None or "Polygon" in str(t) or "Geometry" in str(t)
                or t == "Unknown"]
        if not poly:
            raise ImportProblem(f"{path}: no layer with polygons (layers: {[str(n) for n, _ in layers]})", 1)
        layer = poly[0]
    info = pyogrio.read_info(ds, layer=layer)
    driver = info.get("driver", "?")
    candidates = [encoding]
    if encoding is None and driver == "ESRI Shapefile" and not _has_cpg(ds):
        candidates += list(FALLBACK_ENCODINGS)  # best one chosen by how many names resolve
    frames = []
    for enc in dict.fromkeys(candidates):
        try:
            kw = {"encoding": enc} if enc else {}
            frames.append((enc, pyogrio.read_dataframe(ds, layer=layer, **kw)))
        except Exception as e:
            if enc is None:
                raise ImportProblem(f"{path}: cannot be read ({e})", 2) from None
    enc, gdf = frames[0]
    crs_in = gdf.crs.to_string() if gdf.crs is not None else None
    if gdf.crs is None:
        x0, y0, x1, y1 = gdf.total_bounds if len(gdf) else (0, 0, 0, 0)
        if -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90:
            crs_in = "EPSG:4326 (assumed: the file declares no CRS and its coordinates are degrees)"
            gdf = gdf.set_crs(4326)
            frames = [(e, f.set_crs(4326)) for e, f in frames]
        else:
            raise ImportProblem(f"{path}: the file declares no coordinate system (.prj missing?) and its "
                                "coordinates are not longitude/latitude degrees; add the .prj file", 1)
    if len(frames) > 1:
        enc, gdf = max(frames, key=lambda ef: _name_score(ef[1]))
    gdf = gdf.to_crs(4326) if gdf.crs.to_epsg() != 4326 else gdf
    gdf = gdf.copy()
    gdf["geometry"] = [_polygonal(g) for g in gdf.geometry]
    return Source(path=path, frame=gdf, driver=driver, layer=layer, crs=crs_in, encoding=enc or info.get("encoding"))


def _name_score(gdf: pd.DataFrame) -> int:
    """How many district or region names in ``gdf`` the resolver recognises."""
    n = 0
    for col in _text_columns(gdf):
        for v in gdf[col].dropna().astype(str).head(50):
            for fn in (resolve_district, resolve_region):
                try:
                    fn(v)
                    n += 1
                    break
                except ResolveError as e:
                    n += e.kind != "unknown"
                    if e.kind != "unknown":
                        break
    return n


def _text_columns(gdf: pd.DataFrame) -> list[str]:
    return [c for c in gdf.columns if c != "geometry" and (gdf[c].dtype == object or pd.api.types.is_string_dtype(gdf[c]))]


# --------------------------------------------------------------------------- matching


@dataclass
class FeatureMatch:
    index: int
    label: str  # the feature's names, for the report
    soato: str | None = None
    status: str = "unmatched"  # matched / ambiguous / unmatched
    reason: str = ""
    candidates: list = field(default_factory=list)


@dataclass
class Report:
    level: str
    source: Source
    matched_by: str
    features: list[FeatureMatch]
    reference: pd.DataFrame  # the reference units of the level (soato, name_uz, region_soato)

    @property
    def matched(self) -> list[FeatureMatch]:
        return [f for f in self.features if f.status == "matched"]

    @property
    def ambiguous(self) -> list[FeatureMatch]:
        return [f for f in self.features if f.status == "ambiguous"]

    @property
    def unmatched(self) -> list[FeatureMatch]:
        return [f for f in self.features if f.status == "unmatched"]

    @property
    def share(self) -> float:
        return len(self.matched) / len(self.features) if self.features else 0.0

    def missing(self) -> pd.DataFrame:
        """Reference units without a shape in the file."""
        got = {f.soato for f in self.matched}
        return self.reference[~self.reference["soato"].isin(got)]

    def good_enough(self, min_match: float = MIN_MATCH) -> bool:
        return bool(self.matched) and self.share >= min_match


def _reference(level: str) -> pd.DataFrame:
    if level == "district":
        d = districts()
        return pd.DataFrame({"soato": d["district_soato"], "name_uz": d["name_uz"], "region_soato": d["region_soato"],
                             "lon": d["center_lon"], "lat": d["center_lat"]})
    r = regions()
    base = {f["id"]: shapely.geometry.shape(f["geometry"]) for f in store.base("region")["features"]}
    pts = [base[s].representative_point() for s in r["region_soato"]]
    return pd.DataFrame({"soato": r["region_soato"], "name_uz": r["name_uz"], "region_soato": r["region_soato"],
                         "lon": [p.x for p in pts], "lat": [p.y for p in pts]})


def _code_of(v, level: str, valid: set[str]) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = re.sub(r"[\s.\-]", "", str(v))
    s = re.sub(r"0+$", "", s) if re.fullmatch(r"\d+\.0+", str(v).strip()) else s
    s = str(v).strip().split(".")[0] if re.fullmatch(r"\d+\.0+", str(v).strip()) else s
    if not s.isdigit():
        return None
    width = 7 if level == "district" else 4
    for cand in (s, s[:width]):
        if cand in valid:
            return cand
    return None


def _code_column(gdf: pd.DataFrame, level: str, valid: set[str]) -> str | None:
    best, best_share = None, 0.0
    for c in gdf.columns:
        if c == "geometry":
            continue
        vals = gdf[c].dropna()
        if vals.empty:
            continue
        share = sum(_code_of(v, level, valid) is not None for v in vals) / len(gdf)
        if share > best_share:
            best, best_share = c, share
    return best if best_share >= 0.5 else None


def _resolve(text: str, level: str, region: str | None = None):
    """(code or None, ResolveError or None)."""
    try:
        if level == "district":
            return resolve_district(text, region=region), None
        return resolve_region(text), None
    except ResolveError as e:
        return None, e


def _region_of(geom, region_polys: dict) -> str | None:
    if geom is None:
        return None
    p = geom.representative_point()
    for rs, poly in region_polys.items():
        if poly.contains(p):
            return rs
    best = max(region_polys, key=lambda rs: region_polys[rs].intersection(geom).area)
    return best if region_polys[best].intersection(geom).area > 0 else None


def _km_outside(geom, lon: float, lat: float) -> float:
    d = geom.distance(Point(lon, lat))  # degrees; fine for a threshold of tens of km
    return d * 111.0 * max(math.cos(math.radians(lat)), 0.5)


def match(source: Source, level: str) -> Report:
    """Tie each feature of ``source`` to a SOATO code of ``level``."""
    store.check_level(level)
    gdf = source.frame
    ref = _reference(level)
    valid = set(ref["soato"])
    region_polys = {f["id"]: shapely.geometry.shape(f["geometry"]) for f in store.base("region")["features"]}
    code_col = _code_column(gdf, level, valid)
    text_cols = [c for c in _text_columns(gdf) if c != code_col]
    # name columns: text columns in which at least a third of the values resolve
    name_cols = []
    for c in text_cols:
        vals = gdf[c].astype("string").fillna("")
        ok = 0
        for v in vals:
            code, err = _resolve(v, level) if v else (None, None)
            ok += code is not None or (err is not None and err.kind != "unknown")
        if len(gdf) and ok / len(gdf) >= 1 / 3:
            name_cols.append(c)
    if code_col is None and not name_cols:
        other = "region" if level == "district" else "district"
        hint = ""
        if text_cols and _name_score(gdf.head(50)) and level == "district":
            rs = sum(_resolve(str(v), "region")[0] is not None for c in text_cols for v in gdf[c].dropna().head(50))
            if rs:
                hint = f" The names look like {other}s: try --level {other}."
        cols = [c for c in gdf.columns if c != "geometry"]
        raise ImportProblem(
            f"{source.path.name}: no usable names or codes -- none of the attribute columns {cols} holds "
            f"{level} SOATO codes or {level} names the reference knows (Uzbek, Russian or English).{hint}")
    matched_by = f"code column {code_col}" if code_col else f"names in columns {', '.join(name_cols)}"
    out: list[FeatureMatch] = []
    for i, row in enumerate(gdf.itertuples(index=False)):
        rowd = row._asdict()
        names = [str(rowd[c]) for c in name_cols if rowd.get(c) not in (None, "") and not pd.isna(rowd.get(c))]
        label = " / ".join(dict.fromkeys(names)) or (str(rowd.get(code_col)) if code_col else f"feature {i}")
        fm = FeatureMatch(index=i, label=label)
        geom = rowd["geometry"]
        if geom is None:
            fm.reason = "no polygon geometry"
            out.append(fm)
            continue
        if code_col:
            fm.soato = _code_of(rowd.get(code_col), level, valid)
            if fm.soato is None:
                fm.reason = f"code {rowd.get(code_col)!r} is not a reference {level} code"
        else:
            codes, cand_sets, kinds = set(), [], set()
            for n in names:
                code, err = _resolve(n, level)
                if code:
                    codes.add(code)
                elif err is not None:
                    kinds.add(err.kind)
                    if err.kind == "ambiguous":
                        cand_sets.append({c for c, _ in err.candidates if c})
            if len(codes) > 1:
                fm.status, fm.reason = "ambiguous", "its names point to different units"
                fm.candidates = sorted(codes)
            elif codes:
                fm.soato = codes.pop()
            else:
                inter = set.intersection(*cand_sets) if cand_sets else set()
                if len(inter) == 1:
                    fm.soato = inter.pop()
                elif level == "district":
                    # let the region the polygon lies in decide ("Do‘stlik": Jizzax or Xorazm)
                    rs = _region_of(geom, region_polys)
                    got = {c for n in names for c in [_resolve(n, level, rs)[0]] if c} if rs else set()
                    if len(got) == 1:
                        fm.soato = got.pop()
                if fm.soato is None:
                    if "ambiguous" in kinds:
                        fm.status = "ambiguous"
                        fm.candidates = sorted(set().union(*cand_sets)) if cand_sets else []
                        fm.reason = "the name fits several units (add the kind word, e.g. tumani / shahri)"
                    elif "no_code" in kinds:
                        fm.reason = "a unit without a SOATO code (created after 2021)"
                    else:
                        fm.reason = "no reference unit has this name"
        if fm.soato:
            r = ref.set_index("soato").loc[fm.soato]
            km = _km_outside(geom, r["lon"], r["lat"])
            if km > MAX_CENTRE_KM:
                fm.status, fm.candidates = "ambiguous", [fm.soato]
                fm.reason = f"matched {fm.soato} {r['name_uz']} by name, but its reference centre is {km:.0f} km away"
                fm.soato = None
            else:
                fm.status = "matched"
        out.append(fm)
    # a code claimed by two features: neither is trusted
    seen: dict[str, list[FeatureMatch]] = {}
    for fm in out:
        if fm.status == "matched":
            seen.setdefault(fm.soato, []).append(fm)
    for code, fms in seen.items():
        if len(fms) > 1:
            for fm in fms:
                fm.status, fm.candidates, fm.soato = "ambiguous", [code], None
                fm.reason = f"{len(fms)} features match {code}"
    return Report(level=level, source=source, matched_by=matched_by, features=out, reference=ref)


# --------------------------------------------------------------------------- report / install


def format_report(rep: Report, min_match: float = MIN_MATCH) -> str:
    ref = rep.reference.set_index("soato")
    src = rep.source
    n = len(rep.features)
    lines = [f"File:      {src.path}",
             f"Format:    {src.driver}" + (f", layer {src.layer}" if src.layer else "")
             + (f", encoding {src.encoding}" if src.encoding else ""),
             f"CRS:       {src.crs} -> EPSG:4326",
             f"Level:     {rep.level}; matched by {rep.matched_by}",
             f"Features:  {n}",
             f"Matched:   {len(rep.matched)} of {n} ({100 * rep.share:.0f} %)"]
    for fm in sorted(rep.matched, key=lambda f: f.soato):
        lines.append(f"  {fm.soato}  {ref.loc[fm.soato, 'name_uz']:<28} <- {fm.label}")
    lines.append(f"Ambiguous: {len(rep.ambiguous)}")
    for fm in rep.ambiguous:
        cands = ", ".join(f"{c} {ref.loc[c, 'name_uz']}" for c in fm.candidates if c in ref.index)
        lines.append(f"  #{fm.index} {fm.label}: {fm.reason}" + (f" [{cands}]" if cands else ""))
    lines.append(f"Unmatched (file side): {len(rep.unmatched)}")
    for fm in rep.unmatched:
        lines.append(f"  #{fm.index} {fm.label}: {fm.reason}")
    miss = rep.missing()
    touched = {ref.loc[f.soato, "region_soato"] for f in rep.matched}
    lines.append(f"Reference units without a shape in this file: {len(miss)}")
    if rep.level == "district":
        inside = miss[miss["region_soato"].isin(touched)]
        for r in inside.itertuples(index=False):
            lines.append(f"  {r.soato}  {r.name_uz} (a region this file covers)")
        others = miss[~miss["region_soato"].isin(touched)]
        if len(others):
            lines.append(f"  ... and {len(others)} units of {others['region_soato'].nunique()} regions the file "
                         "does not cover (they keep their current shapes)")
    else:
        for r in miss.itertuples(index=False):
            lines.append(f"  {r.soato}  {r.name_uz}")
    return "\n".join(lines)


def install(rep: Report) -> list[str]:
    """Store the matched features as the installed layer (merged with earlier imports)."""
    level = rep.level
    features, prov = store.read_installed(level)
    ref = districts() if level == "district" else regions()
    key = "district_soato" if level == "district" else "region_soato"
    ref = ref.set_index(key)
    gdf = rep.source.frame
    geoms = np.array([gdf.geometry.iloc[fm.index] for fm in rep.matched], dtype=object)
    # cities drawn inside their district polygon: the overlap goes to the smaller unit
    try:
        geoms = shapely.coverage_clean(geoms, merge_strategy="min_area")
    except Exception:  # GEOS could not clean this coverage: keep the repaired shapes
        pass
    geoms = shapely.set_precision(shapely.make_valid(geoms), GRID)
    now = datetime.now().astimezone()
    codes = []
    for fm, g in zip(rep.matched, geoms):
        g = _polygonal(g)
        if g is None:
            continue
        r = ref.loc[fm.soato]
        props = {"soato": fm.soato, "region_soato": r["region_soato"] if level == "district" else fm.soato,
                 "kind": r["kind"] if level == "district" else ("shahar" if fm.soato == "1726" else "viloyat"),
                 "name_uz": r["name_uz"], "name_uz_cyrl": r["name_uz_cyrl"], "name_ru": r["name_ru"],
                 "name_en": r["name_en"], "source_file": rep.source.path.name, "source_name": fm.label}
        features[fm.soato] = {"type": "Feature", "id": fm.soato, "properties": props,
                              "geometry": store.geometry_json(g)}
        codes.append(fm.soato)
    prov.setdefault("imports", []).append({
        "file": rep.source.path.name, "path": str(rep.source.path.resolve()),
        "sha256": hashlib.sha256(rep.source.path.read_bytes()).hexdigest(),
        "imported_on": now.date().isoformat(), "imported_at": now.isoformat(timespec="seconds"),
        "crs": rep.source.crs, "driver": rep.source.driver, "encoding": rep.source.encoding,
        "level": level, "matched_by": rep.matched_by, "features": len(rep.features),
        "matched": len(rep.matched), "ambiguous": len(rep.ambiguous), "unmatched": len(rep.unmatched),
        "min_match": MIN_MATCH, "installed": sorted(codes)})
    store.write_installed(level, features, prov)
    store.rebuild(level)
    return codes


def importer_share(src: Source, level: str) -> float:
    """Share of the features of ``src`` that match at ``level``."""
    return match(src, level).share


def run(path, level: str = "district", layer: str | None = None, encoding: str | None = None,
        dry_run: bool = False, min_match: float = MIN_MATCH, out=print) -> int:
    """Read, match, report and (when good enough) install; returns the exit code."""
    try:
        src = read(Path(path), layer=layer, encoding=encoding)
        rep = match(src, level)
    except ImportProblem as e:
        out(f"Not imported: {e}")
        return e.code
    out(format_report(rep, min_match))
    if not rep.good_enough(min_match):
        hint = ""
        if level == "district":
            try:
                if importer_share(src, "region") >= 0.5:
                    hint = " The names look like regions: try --level region."
            except ImportProblem:
                pass
        out(f"Not installed: {len(rep.matched)} of {len(rep.features)} features matched "
            f"({100 * rep.share:.0f} %), the threshold is {100 * min_match:.0f} %.{hint}")
        return 1
    if dry_run:
        out("Dry run: nothing installed.")
        return 0
    codes = install(rep)
    feats_path, _ = store.installed_paths(level)
    out(f"Installed {len(codes)} {level} shapes into {feats_path}; the map now draws them "
        "(the other units keep their current shapes).")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo.import", description=(
        "Import official district or region boundaries (GeoJSON, Shapefile or zipped Shapefile, GeoPackage; "
        "any CRS) and match them to SOATO codes."))
    ap.add_argument("file", help="boundary file")
    ap.add_argument("--level", choices=store.LEVELS, default="district", help="district (default) or region")
    ap.add_argument("--layer", help="layer name in a GeoPackage or zip with several layers")
    ap.add_argument("--encoding", help="attribute encoding of a Shapefile without .cpg (e.g. cp1251)")
    ap.add_argument("--dry-run", action="store_true", help="report only, install nothing")
    ap.add_argument("--min-match", type=float, default=MIN_MATCH,
                    help=f"share of features that must match before installing (default {MIN_MATCH})")
    a = ap.parse_args(argv)
    try:
        return run(a.file, a.level, a.layer, a.encoding, a.dry_run, a.min_match)
    except Exception as e:  # no traceback for the operator; the message names the file
        print(f"Not imported: {a.file}: unexpected error ({type(e).__name__}: {e})")
        return 2
