"""Tie the features of a boundary file to SOATO codes.

A column in which at least half of the values are reference SOATO codes of the
level is the key. Otherwise every text column in which at least a third of the
values resolve (:mod:`data.reference`, any spelling) is a name column, and a
feature matches when its names agree on one code; an ambiguous name narrowed by
another column, or by the region its polygon lies in, is accepted. Names
pointing to different units, two features claiming one code, or a match whose
reference centre lies more than :data:`MAX_CENTRE_KM` outside the polygon are
*ambiguous*, and are not installed.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd
import shapely
from shapely.geometry import Point

from data.reference import ResolveError, districts, regions, resolve_district, resolve_region
from geo import store
from geo.importer.read import ImportProblem, Source, name_score, text_columns

#: A matched feature whose reference centre lies farther than this outside its
#: polygon is not trusted (a name that resolved to the wrong unit).
MAX_CENTRE_KM = 25.0
#: Share of a column's values that must be reference codes for it to be the key.
CODE_COLUMN_SHARE = 0.5
#: Share of a text column's values that must resolve for it to be a name column.
NAME_COLUMN_SHARE = 1 / 3


@dataclass
class FeatureMatch:
    """What one feature of the file was matched to, or why not."""

    index: int
    label: str  # the feature's names, for the report
    soato: str | None = None
    status: str = "unmatched"  # matched / ambiguous / unmatched
    reason: str = ""
    candidates: list = field(default_factory=list)


@dataclass
class Report:
    """The match of every feature of ``source`` at ``level``."""

    level: str
    source: Source
    matched_by: str
    features: list[FeatureMatch]
    reference: pd.DataFrame  # the reference units of the level (soato, name_uz, region_soato, lon, lat)

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
        """Share of the file's features that matched (0 for an empty file)."""
        return len(self.matched) / len(self.features) if self.features else 0.0

    def missing(self) -> pd.DataFrame:
        """Reference units without a shape in the file."""
        got = {f.soato for f in self.matched}
        return self.reference[~self.reference["soato"].isin(got)]


def match(source: Source, level: str) -> Report:
    """Tie each feature of ``source`` to a SOATO code of ``level``.

    Parameters
    ----------
    source : Source
        The file as read by :func:`geo.importer.read.read`.
    level : {"district", "region"}

    Returns
    -------
    Report

    Raises
    ------
    ImportProblem
        No column holds codes or names of ``level``.
    """
    store.check_level(level)
    gdf = source.frame
    ref = _reference(level)
    valid = set(ref["soato"])
    code_col = _code_column(gdf, level, valid)
    text_cols = [c for c in text_columns(gdf) if c != code_col]
    name_cols = [c for c in text_cols if _resolving_share(gdf[c], level) >= NAME_COLUMN_SHARE]
    if code_col is None and not name_cols:
        raise _no_names(source, level, text_cols)
    region_polys = _region_polygons()
    by_code = ref.set_index("soato")
    out: list[FeatureMatch] = []
    for i, row in enumerate(gdf.itertuples(index=False)):
        rowd = row._asdict()
        names = [str(rowd[c]) for c in name_cols if rowd.get(c) not in (None, "") and not pd.isna(rowd.get(c))]
        label = " / ".join(dict.fromkeys(names)) or (str(rowd.get(code_col)) if code_col else f"feature {i}")
        fm = FeatureMatch(index=i, label=label)
        geom = rowd["geometry"]
        if geom is None:
            fm.reason = "no polygon geometry"
        elif code_col:
            fm.soato = _code_of(rowd.get(code_col), level, valid)
            if fm.soato is None:
                fm.reason = f"code {rowd.get(code_col)!r} is not a reference {level} code"
        else:
            _match_names(fm, names, level, geom, region_polys)
        if fm.soato:
            _check_centre(fm, geom, by_code.loc[fm.soato])
        out.append(fm)
    _distrust_shared_codes(out)
    matched_by = f"code column {code_col}" if code_col else f"names in columns {', '.join(name_cols)}"
    return Report(level=level, source=source, matched_by=matched_by, features=out, reference=ref)


def _reference(level: str) -> pd.DataFrame:
    """The reference units of ``level``: soato, name_uz, region_soato and a centre (lon, lat)."""
    if level == "district":
        d = districts()
        return pd.DataFrame({"soato": d["district_soato"], "name_uz": d["name_uz"], "region_soato": d["region_soato"],
                             "lon": d["center_lon"], "lat": d["center_lat"]})
    r = regions()
    base = _region_polygons()
    pts = [base[s].representative_point() for s in r["region_soato"]]
    return pd.DataFrame({"soato": r["region_soato"], "name_uz": r["name_uz"], "region_soato": r["region_soato"],
                         "lon": [p.x for p in pts], "lat": [p.y for p in pts]})


def _region_polygons() -> dict[str, shapely.Geometry]:
    """The base region outlines by region SOATO."""
    return {f["id"]: shapely.geometry.shape(f["geometry"]) for f in store.base("region")["features"]}


def _code_of(v, level: str, valid: set[str]) -> str | None:
    """The reference code ``v`` stands for (``1724401``, ``"17 24 401"``, ``1724401.0``,
    a 10-digit code whose first digits are one), or None."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    text = str(v).strip()
    s = text.split(".")[0] if re.fullmatch(r"\d+\.0+", text) else re.sub(r"[\s.\-]", "", text)
    if not s.isdigit():
        return None
    width = 7 if level == "district" else 4
    for cand in (s, s[:width]):
        if cand in valid:
            return cand
    return None


def _code_column(gdf: pd.DataFrame, level: str, valid: set[str]) -> str | None:
    """The column with the largest share of reference codes, when that share is high enough."""
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
    return best if best_share >= CODE_COLUMN_SHARE else None


def _resolve(text: str, level: str, region: str | None = None):
    """(code or None, ResolveError or None)."""
    try:
        if level == "district":
            return resolve_district(text, region=region), None
        return resolve_region(text), None
    except ResolveError as e:
        return None, e


def _resolving_share(values: pd.Series, level: str) -> float:
    """Share of ``values`` that are names of ``level`` (resolved, ambiguous or without a code)."""
    if not len(values):
        return 0.0
    ok = 0
    for v in values.astype("string").fillna(""):
        code, err = _resolve(v, level) if v else (None, None)
        ok += code is not None or (err is not None and err.kind != "unknown")
    return ok / len(values)


def _no_names(source: Source, level: str, text_cols: list[str]) -> ImportProblem:
    """The problem of a file without usable codes or names (with a --level hint when it fits)."""
    gdf = source.frame
    hint = ""
    if level == "district" and text_cols and name_score(gdf.head(50)):
        if any(_resolve(str(v), "region")[0] is not None for c in text_cols for v in gdf[c].dropna().head(50)):
            hint = " The names look like regions: try --level region."
    cols = [c for c in gdf.columns if c != "geometry"]
    return ImportProblem(
        f"{source.path.name}: no usable names or codes -- none of the attribute columns {cols} holds "
        f"{level} SOATO codes or {level} names the reference knows (Uzbek, Russian or English).{hint}")


def _match_names(fm: FeatureMatch, names: list[str], level: str, geom, region_polys: dict) -> None:
    """Set ``fm`` from the feature's ``names``: one code they agree on, or why not."""
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
        return
    if codes:
        fm.soato = codes.pop()
        return
    inter = set.intersection(*cand_sets) if cand_sets else set()
    if len(inter) == 1:
        fm.soato = inter.pop()
        return
    if level == "district":
        # let the region the polygon lies in decide ("Do‘stlik": Jizzax or Xorazm)
        rs = _region_of(geom, region_polys)
        got = {c for n in names for c in [_resolve(n, level, rs)[0]] if c} if rs else set()
        if len(got) == 1:
            fm.soato = got.pop()
            return
    if "ambiguous" in kinds:
        fm.status = "ambiguous"
        fm.candidates = sorted(set().union(*cand_sets)) if cand_sets else []
        fm.reason = "the name fits several units (add the kind word, e.g. tumani / shahri)"
    elif "no_code" in kinds:
        fm.reason = "a unit without a SOATO code (created after 2021)"
    else:
        fm.reason = "no reference unit has this name"


def _region_of(geom, region_polys: dict) -> str | None:
    """The region holding ``geom``'s representative point, else the one it overlaps most."""
    if geom is None:
        return None
    p = geom.representative_point()
    for rs, poly in region_polys.items():
        if poly.contains(p):
            return rs
    best = max(region_polys, key=lambda rs: region_polys[rs].intersection(geom).area)
    return best if region_polys[best].intersection(geom).area > 0 else None


def _check_centre(fm: FeatureMatch, geom, ref_row: pd.Series) -> None:
    """Accept the match of ``fm`` unless the unit's reference centre is far outside ``geom``."""
    d = geom.distance(Point(ref_row["lon"], ref_row["lat"]))  # degrees; fine for a threshold of tens of km
    km = d * 111.0 * max(math.cos(math.radians(ref_row["lat"])), 0.5)
    if km > MAX_CENTRE_KM:
        fm.status, fm.candidates = "ambiguous", [fm.soato]
        fm.reason = f"matched {fm.soato} {ref_row['name_uz']} by name, but its reference centre is {km:.0f} km away"
        fm.soato = None
    else:
        fm.status = "matched"


def _distrust_shared_codes(features: list[FeatureMatch]) -> None:
    """A code claimed by two features: neither is trusted."""
    seen: dict[str, list[FeatureMatch]] = {}
    for fm in features:
        if fm.status == "matched":
            seen.setdefault(fm.soato, []).append(fm)
    for code, fms in seen.items():
        if len(fms) > 1:
            for fm in fms:
                fm.status, fm.candidates, fm.soato = "ambiguous", [code], None
                fm.reason = f"{len(fms)} features match {code}"
