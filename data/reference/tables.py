"""The reference tables: the 14 regions and the district-level units (``regions.csv``, ``districts.csv``).

Provenance: ``../shared/reference/README.md``. 205 of the 210 district-level
units carry a SOATO code; the 5 created after the 2021 classifier have none.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REGIONS_CSV = HERE / "regions.csv"
DISTRICTS_CSV = HERE / "districts.csv"


@lru_cache(maxsize=None)
def region_table() -> pd.DataFrame:
    """``regions.csv`` as read once (shared: do not modify; :func:`regions` gives a copy)."""
    return pd.read_csv(REGIONS_CSV, dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def district_table() -> pd.DataFrame:
    """``districts.csv`` as read once, all 210 rows (shared: do not modify; :func:`districts` gives a copy)."""
    df = pd.read_csv(DISTRICTS_CSV, dtype={"district_soato": str, "region_soato": str},
                     keep_default_na=False, na_values={"center_lat": [""], "center_lon": [""]})
    return df


def regions() -> pd.DataFrame:
    """The 14 regions (``regions.csv``), ``region_soato`` as a 4-digit string.

    Returns
    -------
    pandas.DataFrame
        Columns ``region_soato, iso_3166_2, hasc, name_uz, name_uz_cyrl, name_ru, name_en``.
    """
    return region_table().copy()


def districts(with_code_only: bool = True) -> pd.DataFrame:
    """The district-level units (``districts.csv``), codes as strings.

    Parameters
    ----------
    with_code_only : bool, default True
        Keep only the 205 units that have a SOATO code (the 2021 classifier).
        With ``False`` all 210 rows come back; the 5 without a code have
        ``district_soato == ""``.

    Returns
    -------
    pandas.DataFrame
        Columns ``district_soato, region_soato, kind, name_uz, name_uz_cyrl, name_ru,
        name_en, center_lat, center_lon, center_source, notes``.
    """
    df = district_table()
    if with_code_only:
        df = df[df["district_soato"] != ""]
    return df.reset_index(drop=True).copy()

