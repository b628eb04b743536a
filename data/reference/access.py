"""Access indicators of the 205 coded districts: remoteness and rural share (``district_access.csv``).

* ``remoteness_km`` — great-circle distance (km, one decimal) from the district's centre
  point (``districts.csv`` ``center_lat`` / ``center_lon``, provenance in
  ``../shared/reference/README.md``) to its region's administrative centre
  (:data:`REGION_CENTRES`: the centre point of the region's capital city; for Toshkent
  shahri, Amir Temur square). Derived from the reference centres: as accurate as they are
  (a few km; up to ~20 km for the ``knowledge`` centres). Source column: ``derived``.
* ``rural_share`` — share of residents living in rural settlements. **Synthetic**: no
  per-district figure was available offline, so it is modelled (cities and Toshkent
  shahri 0; tumans 0.55 + 0.002 per km of remoteness + noise σ 0.12, clipped to
  0.25–0.95, drawn with :data:`SEED`); the ``rural_share_source`` column says
  ``synthetic``. Replace it with the statistics agency's figures when they are at hand.

``python -m data.reference.access`` rewrites the CSV; ``tests/test_reference_access.py``
checks that the file is what this module computes.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from data.reference.tables import DISTRICTS_CSV, HERE

ACCESS_CSV = HERE / "district_access.csv"
COLUMNS = ("district_soato", "region_soato", "admin_centre", "remoteness_km", "remoteness_source",
           "rural_share", "rural_share_source")
SEED = 20241
#: Administrative centre of each region: the SOATO code of its capital city, or a point (lat, lon).
REGION_CENTRES: dict[str, str | tuple[float, float]] = {
    "1703": "1703401", "1706": "1706401", "1708": "1708401", "1710": "1710401", "1712": "1712401",
    "1714": "1714401", "1718": "1718401", "1722": "1722401", "1724": "1724401",
    "1726": (41.3111, 69.2797),     # Toshkent shahri: Amir Temur square
    "1727": "1727401",              # Toshkent viloyati: Nurafshon
    "1730": "1730401", "1733": "1733401", "1735": "1735401",
}
EARTH_KM = 6371.0


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (arrays or scalars, degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(a))


def compute() -> pd.DataFrame:
    """The table of :data:`COLUMNS`, one row per coded district in code order."""
    d = pd.read_csv(DISTRICTS_CSV, dtype=str, keep_default_na=False)
    d = d[d["district_soato"] != ""].sort_values("district_soato").reset_index(drop=True)
    lat, lon = d["center_lat"].astype(float), d["center_lon"].astype(float)
    pos = dict(zip(d["district_soato"], zip(lat, lon)))
    centre = [REGION_CENTRES[r] for r in d["region_soato"]]
    clat = np.array([pos[c][0] if isinstance(c, str) else c[0] for c in centre])
    clon = np.array([pos[c][1] if isinstance(c, str) else c[1] for c in centre])
    km = np.round(haversine_km(lat.to_numpy(), lon.to_numpy(), clat, clon), 1)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([SEED, 99])))
    noise = rng.standard_normal(len(d))
    urban = (d["kind"] == "shahar") | (d["region_soato"] == "1726")
    rural = np.where(urban, 0.0, np.clip(0.55 + 0.002 * km + 0.12 * noise, 0.25, 0.95))
    return pd.DataFrame({
        "district_soato": d["district_soato"], "region_soato": d["region_soato"],
        "admin_centre": [c if isinstance(c, str) else f"{c[0]:.4f} {c[1]:.4f}" for c in centre],
        "remoteness_km": km, "remoteness_source": "derived",
        "rural_share": np.round(rural, 3), "rural_share_source": "synthetic"})


@lru_cache(maxsize=None)
def access_table() -> pd.DataFrame:
    """``district_access.csv`` as read once (shared: do not modify)."""
    return pd.read_csv(ACCESS_CSV, dtype={"district_soato": str, "region_soato": str, "admin_centre": str},
                       keep_default_na=False)


def write(path: Path = ACCESS_CSV) -> None:
    """Write :func:`compute` to ``path``."""
    df = compute()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in df.itertuples(index=False):
            w.writerow([r.district_soato, r.region_soato, r.admin_centre, f"{r.remoteness_km:.1f}",
                        r.remoteness_source, f"{r.rural_share:.3f}", r.rural_share_source])


if __name__ == "__main__":  # python -m data.reference.access
    write()
    print(f"wrote {ACCESS_CSV}")
