"""The shared macros of the page queries (``queries/macros/*.sql`` and the domain facts of
``data.domain.sql_macros``), as ``runner.open_warehouse`` installs them.

The page queries themselves are checked against the raw tables in tests/test_queries.py and
tests/test_queries_daftar_inson.py; here: each macro's own contract, and that the table macros
keep the zone-map pruning of a bound region.
"""
from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from data import domain
from kit_helpers import connect
from queries import runner
from test_queries import REGION, _params


@pytest.fixture(scope="module")
def con(warehouse):
    c = connect(warehouse)
    yield c
    c.close()


def one(con, sql: str, params: dict | None = None):
    return con.execute(sql, params or {}).fetchone()[0]


def test_domain_macros__are_installed(con):
    assert one(con, "SELECT all_key()") == domain.ALL
    assert one(con, "SELECT targeted_key()") == domain.TARGETED
    assert one(con, "SELECT daftars()") == list(domain.DAFTARS)
    assert one(con, "SELECT days_cap()") == domain.DAYS_CAP
    assert [one(con, "SELECT daftar_order($d)", {"d": d}) for d in (*domain.DAFTARS, domain.ALL)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", range(12))
def test_hist_median__is_the_lower_median_of_the_entries(con, seed):
    """hist_median(days, n) over a histogram = quantile_disc(days, 0.5) over the entries it counts."""
    rnd = random.Random(seed)
    rows = []
    for key in range(rnd.randint(1, 6)):
        days = rnd.sample(range(domain.DAYS_CAP + 1), rnd.randint(1, 40))
        rows += [(key, d, rnd.choice([1, 1, 2, 3, 50, 10_000])) for d in days]
    values = ", ".join(f"({k}, {d}, {n})" for k, d, n in rows)
    hist = f"(VALUES {values}) h(k, days, n)"
    got = con.execute(f"SELECT k, hist_median(days, n) FROM {hist} GROUP BY k ORDER BY k").fetchall()
    want = con.execute(f"SELECT k, quantile_disc(days, 0.5) FROM {hist}, range(n) GROUP BY k ORDER BY k").fetchall()
    assert got == want


def test_hist_median__edge_cases(con):
    assert one(con, "SELECT hist_median(days, n) FROM (VALUES (7, 3)) h(days, n)") == 7
    # exactly half reached at a day: that day (the lower median)
    assert one(con, "SELECT hist_median(days, n) FROM (VALUES (9, 2), (1, 2)) h(days, n)") == 1
    # rows in any order; the same day may come more than once (unsummed rows)
    assert one(con, "SELECT hist_median(days, n) FROM (VALUES (5, 1), (2, 1), (5, 4), (2, 1)) h(days, n)") == 5
    assert one(con, "SELECT hist_median(days, n) FROM (VALUES (5, 1)) h(days, n) WHERE false") is None


def test_profile_levels__three_levels_or_none_outside_the_scope(con):
    got = con.execute("SELECT * FROM profile_levels('1724235', NULL, NULL) ORDER BY ord").fetchall()
    assert got == [("district", 1, "1724", "1724235"), ("region", 2, "1724", None), ("country", 3, None, None)]
    assert con.execute("SELECT * FROM profile_levels('1724235', '1703', NULL)").fetchall() == []
    assert con.execute("SELECT * FROM profile_levels('1724235', '1724', '1724212')").fetchall() == []
    assert [r[0] for r in con.execute(
        "SELECT l.level FROM profile_levels('1724235', NULL, NULL) l "
        "WHERE at_level('1724', '1724401', l.region_soato, l.district_soato) ORDER BY l.ord").fetchall()] == \
        ["region", "country"]


def test_filter_macros__truth_tables(con):
    assert one(con, "SELECT [in_choice('temir', NULL), in_choice('temir', 'temir'), in_choice('temir', 'ayollar')]") \
        == [True, True, False]
    assert one(con, "SELECT [in_region_scope('1724', NULL, NULL), in_region_scope('1724', '1724', NULL), "
                    "in_region_scope('1724', '1703', NULL), in_region_scope('1724', '1724', '1724235'), "
                    "in_region_scope('1703', NULL, '1724235')]") == [True, True, False, True, False]


def test_population_year__latest_year_not_after_the_month(con):
    years = [r[0] for r in con.execute("SELECT DISTINCT year FROM mart_population_y ORDER BY 1").fetchall()]
    first, last = years[0], years[-1]
    assert one(con, "SELECT population_year($m)", {"m": dt.date(first + 1, 6, 1)}) == first + 1
    assert one(con, "SELECT population_year($m)", {"m": dt.date(last + 3, 1, 1)}) == last
    # before the first population year: the latest one (as the page queries always read it)
    assert one(con, "SELECT population_year($m)", {"m": dt.date(first - 1, 1, 1)}) == last


def test_daftar_population__the_group_each_daftar_serves(con):
    got = [one(con, "SELECT daftar_population($d::VARCHAR, 1, 2, 3, 4)", {"d": d})
           for d in ("temir", "ayollar", "yoshlar", "nuroniylar", domain.ALL, None)]
    assert got == [1, 2, 3, 4, 1, 1]


def _scans(con, sql: str, params: dict) -> list[dict]:
    plan = json.loads(con.execute("EXPLAIN (FORMAT JSON) " + sql, params).fetchall()[0][1])
    out, todo = [], list(plan)
    while todo:
        node = todo.pop()
        todo += node.get("children", [])
        if node.get("name") == "SEQ_SCAN":
            out.append(node["extra_info"])
    return out


@pytest.mark.parametrize("name", runner.names())
def test_macros__a_bound_region_still_prunes_every_mart_scan(con, name):
    """Through the table macros (daftar_counts, inson_cases, ...) a chosen region (or a region
    scope, for the queries without a region filter) still reaches every scan of a mart as the
    table filter ``region_soato = '<region>'`` (zone maps skip the other regions' row groups)."""
    params = dict(_params(con)[name], scope_region=None, scope_district=None)
    if "region" in params:
        params["region"] = REGION
    else:
        params["scope_region"] = REGION
    marts = [s for s in _scans(con, runner.sql(name), params) if ".mart_" in s["Table"]
             and s.get("Projections") != "year"]  # (but population_year(): the years held)
    for scan in marts:
        filters = scan.get("Filters", [])
        filters = [filters] if isinstance(filters, str) else filters
        assert f"(region_soato = '{REGION}')" in filters, (name, scan)
