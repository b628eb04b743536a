"""The match report, the threshold rule and installing matched features.

Installed features go to the folder of the ``GEO_LAYERS`` setting
(:mod:`geo.store`): ``<level>.geojson`` (merged across imports, one feature per
SOATO), ``<level>.provenance.json`` (one record per import) and the prebuilt map
layer ``<level>.layer.geojson``.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

import numpy as np
import shapely

from data.reference import districts, regions
from geo import store
from geo.importer.match import Report
from geo.importer.read import polygonal

#: Share of the file's features that must match before anything is installed.
#: A real boundary file for the right level matches (nearly) completely -- every
#: sample in ../shared/geo-samples matches 100 %. Below 90 % the file is most likely
#: of another level, another country or an edition we do not understand; installing
#: its matched part would mix a few real borders into a map that looks trustworthy.
#: 90 % (not 100 %) lets a good file carry a few stray features (a lake, a
#: "disputed" polygon, a unit created after 2021 without a code) that are simply skipped.
MIN_MATCH = 0.90
#: Coordinates are snapped to this grid (degrees, ~10 m) when stored.
GRID = store.GRID


def good_enough(rep: Report, min_match: float = MIN_MATCH) -> bool:
    """Whether ``rep`` may be installed: something matched and at least ``min_match`` of the features."""
    return bool(rep.matched) and rep.share >= min_match


def format_report(rep: Report) -> str:
    """The match report printed by ``python -m qamrov import-boundaries``.

    Format, CRS, the columns used, every matched feature with its names,
    ambiguous features with candidates and reason, unmatched features, and the
    reference units the file has no shape for.
    """
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
    return "\n".join(lines + _missing_lines(rep, ref))


def _missing_lines(rep: Report, ref) -> list[str]:
    """The report's last part: reference units without a shape in the file."""
    miss = rep.missing()
    lines = [f"Reference units without a shape in this file: {len(miss)}"]
    if rep.level != "district":
        return lines + [f"  {r.soato}  {r.name_uz}" for r in miss.itertuples(index=False)]
    touched = {ref.loc[f.soato, "region_soato"] for f in rep.matched}
    inside = miss[miss["region_soato"].isin(touched)]
    lines += [f"  {r.soato}  {r.name_uz} (a region this file covers)" for r in inside.itertuples(index=False)]
    others = miss[~miss["region_soato"].isin(touched)]
    if len(others):
        lines.append(f"  ... and {len(others)} units of {others['region_soato'].nunique()} regions the file "
                     "does not cover (they keep their current shapes)")
    return lines


def install(rep: Report, min_match: float = MIN_MATCH, accept_repairs: bool = False) -> list[str]:
    """Store the matched features as the installed layer (merged with earlier imports).

    Parameters
    ----------
    rep : Report
        A report that is :func:`good_enough`.
    min_match : float
        The threshold the import was accepted with (recorded in the provenance).
    accept_repairs : bool
        Whether the operator accepted repairs above 1 % (recorded in the provenance).

    Returns
    -------
    list of str
        The SOATO codes installed.
    """
    level = rep.level
    features, prov = store.read_installed(level)
    ref = districts() if level == "district" else regions()
    ref = ref.set_index("district_soato" if level == "district" else "region_soato")
    gdf = rep.source.frame
    geoms = np.array([gdf.geometry.iloc[fm.index] for fm in rep.matched], dtype=object)
    # cities drawn inside their district polygon: the overlap goes to the smaller unit
    try:
        geoms = shapely.coverage_clean(geoms, merge_strategy="min_area")
    except Exception:  # GEOS could not clean this coverage: keep the repaired shapes
        pass
    geoms = shapely.set_precision(shapely.make_valid(geoms), GRID)
    codes = []
    for fm, g in zip(rep.matched, geoms):
        g = polygonal(g)
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
    record = provenance(rep, codes, min_match)
    record["repairs"] = [r.record() for r in rep.source.repairs]
    record["accept_repairs"] = accept_repairs
    prov.setdefault("imports", []).append(record)
    store.write_installed(level, features, prov)
    store.rebuild(level)
    return codes


def provenance(rep: Report, codes: list[str], min_match: float = MIN_MATCH) -> dict:
    """The provenance record of one import: the file, when, how it was read and matched, what was installed."""
    src = rep.source
    now = datetime.now().astimezone()
    return {"file": src.path.name, "path": str(src.path.resolve()),
            "sha256": hashlib.sha256(src.path.read_bytes()).hexdigest(),
            "imported_on": now.date().isoformat(), "imported_at": now.isoformat(timespec="seconds"),
            "crs": src.crs, "driver": src.driver, "encoding": src.encoding,
            "level": rep.level, "matched_by": rep.matched_by, "features": len(rep.features),
            "matched": len(rep.matched), "ambiguous": len(rep.ambiguous), "unmatched": len(rep.unmatched),
            "min_match": min_match, "installed": sorted(codes)}
