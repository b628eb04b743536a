"""Read a boundary file into WGS 84 with polygonal geometries.

GeoJSON (geometries wrapped in a GeometryCollection are unwrapped), Shapefile
(plain, or zipped; its ``.cpg`` codepage is honoured and, when it is missing, the
encoding among GDAL's default and :data:`FALLBACK_ENCODINGS` that lets the most
names resolve wins) and GeoPackage (first polygon layer, or ``layer``), in any
CRS. A file without a CRS is taken as WGS 84 when its coordinates are degrees
and refused otherwise.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from data.reference import ResolveError, resolve_district, resolve_region
from geo.importer.repair import make_valid

#: Encodings tried for a Shapefile without ``.cpg`` (after GDAL's own default).
FALLBACK_ENCODINGS = ("cp1251", "utf-8", "cp866", "latin1")


class ImportProblem(Exception):
    """A file the importer cannot use; the message says why and what to do.

    Parameters
    ----------
    message : str
        What is wrong, naming the file.
    code : int
        Exit code of the command line: 1 nothing usable / match not good
        enough, 2 the file cannot be read.
    """

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class Source:
    """A boundary file as read: its features in EPSG:4326 and how they were read."""

    path: Path
    frame: gpd.GeoDataFrame  # in EPSG:4326, geometry flattened to (Multi)Polygons
    driver: str
    layer: str | None
    crs: str
    encoding: str | None
    #: Invalid geometries of the file and what making them valid did (:mod:`geo.importer.repair`).
    repairs: list = field(default_factory=list)


def read(path: Path, layer: str | None = None, encoding: str | None = None) -> Source:
    """Read a boundary file into WGS 84 with polygonal geometries.

    Parameters
    ----------
    path : Path
        GeoJSON, Shapefile (``.shp`` or ``.zip``) or GeoPackage.
    layer : str, optional
        Layer of a GeoPackage, or shapefile stem inside a zip with several.
    encoding : str, optional
        Attribute encoding of a Shapefile without ``.cpg`` (default: detected).

    Returns
    -------
    Source

    Raises
    ------
    ImportProblem
        The file is missing, unreadable, holds no polygon layer, or has no CRS
        and projected coordinates.
    """
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
    crs_in, frames = _declared_crs(path, frames)
    enc, gdf = max(frames, key=lambda ef: name_score(ef[1])) if len(frames) > 1 else frames[0]
    gdf = gdf.to_crs(4326) if gdf.crs.to_epsg() != 4326 else gdf
    gdf = gdf.copy()
    fixed = [make_valid(i, g) for i, g in enumerate(gdf.geometry)]
    gdf["geometry"] = [g for g, _ in fixed]
    return Source(path=path, frame=gdf, driver=driver, layer=layer, crs=crs_in, encoding=enc or info.get("encoding"),
                  repairs=[r for _, r in fixed if r is not None])


def _dataset(path: Path, layer: str | None) -> tuple[str, str | None]:
    """GDAL dataset name and layer for ``path`` (handles zipped shapefiles)."""
    if not path.exists():
        raise ImportProblem(f"{path}: no such file", 2)
    if path.suffix.lower() != ".zip":
        return str(path), layer
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


def _has_cpg(ds: str) -> bool:
    """Whether the shapefile ``ds`` (plain or ``/vsizip/``) has a ``.cpg`` beside it."""
    if ds.startswith("/vsizip/"):
        zpath, inner = re.match(r"/vsizip/(.+?\.zip)/(.+)$", ds, re.I).groups()
        names = {n.lower() for n in zipfile.ZipFile(zpath).namelist()}
        return str(Path(inner).with_suffix(".cpg")).lower() in names
    return Path(ds).with_suffix(".cpg").exists() or Path(ds).with_suffix(".CPG").exists()


def _declared_crs(path: Path, frames: list[tuple]) -> tuple[str, list[tuple]]:
    """The CRS the file declares (text for the report) and the frames with a CRS set.

    A file without a CRS whose coordinates are degrees is taken as WGS 84 (and
    the report says so); one with projected coordinates is refused.
    """
    gdf = frames[0][1]
    if gdf.crs is not None:
        return gdf.crs.to_string(), frames
    x0, y0, x1, y1 = gdf.total_bounds if len(gdf) else (0, 0, 0, 0)
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise ImportProblem(f"{path}: the file declares no coordinate system (.prj missing?) and its "
                            "coordinates are not longitude/latitude degrees; add the .prj file", 1)
    return ("EPSG:4326 (assumed: the file declares no CRS and its coordinates are degrees)",
            [(e, f.set_crs(4326)) for e, f in frames])


def polygonal(geom):
    """The polygonal part of a geometry (GeometryCollections unwrapped), made valid.

    Returns
    -------
    shapely.Geometry or None
        A Polygon or MultiPolygon, or None when nothing polygonal with an area is left.
    """
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    parts = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if g.geom_type == "Polygon":
            parts.append(g)
        elif g.geom_type in ("MultiPolygon", "GeometryCollection"):
            stack.extend(g.geoms)
    parts = [p for p in parts if not p.is_empty and p.area > 0]
    if not parts:
        return None
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def text_columns(gdf: pd.DataFrame) -> list[str]:
    """The attribute columns of ``gdf`` that hold text."""
    return [c for c in gdf.columns if c != "geometry" and (gdf[c].dtype == object or pd.api.types.is_string_dtype(gdf[c]))]


def name_score(gdf: pd.DataFrame) -> int:
    """How many district or region names in ``gdf`` the resolver recognises.

    The first 50 values of every text column count; a name the resolver finds
    ambiguous or without a code counts as recognised too (it is a real name).
    """
    n = 0
    for col in text_columns(gdf):
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
