"""Invalid geometries made valid, visibly: each repair is listed with its area change.

A boundary file often holds geometries GEOS calls invalid. Two kinds differ:

* a MultiPolygon (or a collection) whose parts are each valid but overlap or
  nest ("Nested shells", common in OSM-derived files): merging the parts
  covers exactly the points they covered, so the area does not change; the
  repair is listed and accepted;
* a polygon whose own ring crosses itself (a "bow-tie", a spike): its area is
  whatever the shoelace formula makes of it, and ``make_valid`` may split it
  in two or drop a lobe. The repair is listed with the area it changes.

A repair that changes a shape's area by more than :data:`MAX_AREA_CHANGE`,
leaves nothing polygonal, or splits one polygon into several (it *turns it
into something else*): :func:`geo.importer.cli.run` refuses
the file unless the operator passes ``--accept-repairs``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import shapely

#: Largest relative area change a repair may make without ``--accept-repairs``.
MAX_AREA_CHANGE = 0.01
_KM2_PER_DEG2 = 111.32 ** 2


@dataclass(frozen=True)
class Repair:
    """One invalid geometry of the file and what making it valid did."""

    index: int             # feature index in the file
    reason: str            # GEOS's validity reason, e.g. "Self-intersection[67.1 40.2]"
    kind_before: str
    kind_after: str        # geometry type after, or "nothing" when no area is left
    area_before_km2: float
    area_after_km2: float
    dropped: bool          # lines or points of the repaired geometry were dropped

    @property
    def change(self) -> float:
        """Relative area change (inf when there was no area before)."""
        if self.area_before_km2 <= 0:
            return 0.0 if self.area_after_km2 <= 0 else math.inf
        return abs(self.area_after_km2 - self.area_before_km2) / self.area_before_km2

    @property
    def other_kind(self) -> bool:
        """Whether the repair turned the shape into something else: one polygon split in several, or
        nothing left (zero-area lines or points dropped from a polygon are listed, not refused)."""
        return self.kind_after == "nothing" or (self.kind_before == "Polygon" and self.kind_after == "MultiPolygon")

    @property
    def too_big(self) -> bool:
        """Whether installing it needs the operator's explicit ``--accept-repairs``."""
        return self.other_kind or self.change > MAX_AREA_CHANGE

    def line(self, label: str) -> str:
        """One line of the import report."""
        pct = "∞" if math.isinf(self.change) else f"{100 * self.change:.2f}"
        kind = (f"{self.kind_before} -> {self.kind_after}" if self.kind_before != self.kind_after
                else self.kind_after) + (", lines/points dropped" if self.dropped else "")
        flag = "  REFUSED without --accept-repairs" if self.too_big else ""
        return (f"  #{self.index} {label}: {self.reason}; area {self.area_before_km2:,.1f} -> "
                f"{self.area_after_km2:,.1f} km² ({pct} %), {kind}{flag}")

    def record(self) -> dict:
        """The repair as stored in the provenance."""
        return {"index": self.index, "reason": self.reason, "kind_before": self.kind_before,
                "kind_after": self.kind_after, "area_before_km2": round(self.area_before_km2, 3),
                "area_after_km2": round(self.area_after_km2, 3),
                "change": None if math.isinf(self.change) else round(self.change, 6)}


def _parts(geom) -> list:
    out, stack = [], [geom]
    while stack:
        g = stack.pop()
        if g.geom_type in ("MultiPolygon", "GeometryCollection"):
            stack.extend(g.geoms)
        elif g.geom_type == "Polygon" and not g.is_empty:
            out.append(g)
    return out


def _km2(area_deg2: float, lat: float) -> float:
    return area_deg2 * _KM2_PER_DEG2 * math.cos(math.radians(lat))


def make_valid(index: int, geom):
    """``(polygonal geometry or None, Repair or None)`` for the feature ``index`` of a file.

    A valid geometry comes back as its polygonal part with no repair.
    """
    if geom is None or geom.is_empty:
        return None, None
    parts = _parts(geom)
    if geom.is_valid and all(p.is_valid for p in parts):
        if not parts:
            return None, None
        return (shapely.union_all(parts) if len(parts) > 1 else parts[0]), None
    reason = shapely.is_valid_reason(geom)
    good = [p for p in parts if p.is_valid]
    bad = [p for p in parts if not p.is_valid]
    before = (shapely.union_all(good).area if good else 0.0) + sum(p.area for p in bad)
    fixed = shapely.make_valid(geom)
    dropped = any(g.geom_type not in ("Polygon", "MultiPolygon") and not g.is_empty
                  for g in getattr(fixed, "geoms", [fixed]))
    fixed_parts = [p for p in _parts(fixed) if p.area > 0]
    after = shapely.union_all(fixed_parts) if len(fixed_parts) > 1 else (fixed_parts[0] if fixed_parts else None)
    kind_before = parts[0].geom_type if len(parts) == 1 else "MultiPolygon"
    lat = geom.centroid.y if not geom.centroid.is_empty else 41.0
    rep = Repair(index, reason, kind_before, after.geom_type if after is not None else "nothing",
                 _km2(before, lat), _km2(after.area if after is not None else 0.0, lat), dropped)
    return after, rep
