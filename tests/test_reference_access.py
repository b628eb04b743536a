"""District access reference data (data/reference/district_access.csv): the file is what
data.reference.access computes; remoteness is derived from the centres, the rural share is labelled
synthetic; the warehouse holds it as ref_district_access."""
from __future__ import annotations

import pandas as pd
import pytest

from data.reference import access


def test_access_csv__is_what_the_module_computes():
    got = access.access_table()
    want = access.compute()
    assert list(got.columns) == list(access.COLUMNS)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False,
                                  atol=1e-3)


def test_access_csv__remoteness_derived_rural_share_synthetic():
    a = access.access_table().set_index("district_soato")
    assert len(a) == 205 and set(a["remoteness_source"]) == {"derived"} and set(a["rural_share_source"]) == {"synthetic"}
    assert a.loc["1703401", "remoteness_km"] == 0.0                         # Andijon shahri is its region's centre
    # Xonobod shahri lies ~53 km east of Andijon shahri
    assert a.loc["1703408", "remoteness_km"] == pytest.approx(52.8, abs=1.0)
    assert (a.loc[a.index.str.startswith("1726"), "rural_share"] == 0).all()
    assert a["remoteness_km"].max() < 300 and a["rural_share"].between(0, 0.95).all()


def test_haversine_km__one_degree_of_latitude():
    assert access.haversine_km(40.0, 70.0, 41.0, 70.0) == pytest.approx(111.19, abs=0.01)


def test_ingest__loads_ref_district_access(warehouse):
    import duckdb
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*), count(DISTINCT rural_share_source) FROM ref_district_access").fetchone() \
            == (205, 1)
    finally:
        con.close()
