"""The query runner and every named query (``queries/*.sql``).

Each .sql file is exercised here (``CASES`` must name every file), applies the
viewer's scope, and returns what an independent query on the raw tables says.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil

import duckdb
import pandas as pd
import pytest

from kit_helpers import connect, last_month, month_add, raw_coverage, raw_payments
from queries import indicators, runner
from queries.runner import QueryError, Scope, WarehouseUnavailable


def run(name: str, scope: Scope, /, **params) -> pd.DataFrame:
    """The SQL's own result (no disclosure control): these tests check the SQL against the raw
    tables; what is published is checked by tests/test_disclosure.py."""
    return runner.execute_unpublished(runner.connection(), name, scope, **params)

REGION = "1724"  # Sirdaryo: the smallest region (11 districts)


@pytest.fixture
def wh(warehouse, monkeypatch):
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(warehouse))
    return warehouse


@pytest.fixture(scope="module")
def con(warehouse):
    c = connect(warehouse)
    yield c
    c.close()


def _params(con) -> dict[str, dict]:
    end = last_month(con)
    start = month_add(end, -11)
    period = dict(start=start, end=end)
    cmp = dict(cmp_start=month_add(start, -12), cmp_end=month_add(end, -12))
    area = dict(region=None, districts=[])
    return {
        "provenance": {}, "geo_regions": {}, "geo_districts": {}, "months": {},
        "coverage_totals": dict(**area, programme="_all", **period),
        "coverage_by_district": dict(**area, programme="_all", month=end),
        "coverage_by_region": dict(programme="_all", month=end),
        "growth_monthly": dict(**area, programme="_all", **period),
        "growth_programmes": dict(**area, programme="_all", **period),
        "growth_channels": dict(**area, programme="_all", **period),
        "growth_yearly": dict(**area, programme="_all"),
        "growth_by_district": dict(**area, programme="_all", **period, **cmp),
        "growth_by_region": dict(programme="_all", **period, **cmp),
        **_pages2_params(area, end),
        **_lab_params(area, end),
    }


def _lab_params(area: dict, end: dt.date) -> dict[str, dict]:
    """The policy lab's queries (checked in depth by tests/test_lab_queries.py)."""
    return {"need_indicators": dict(**area, month=end),
            "finance_districts": dict(**area, start=month_add(end, -11), end=end),
            "pilot_panel": dict(**area, start=month_add(end, -35), end=end),
            "publish_district_month": dict(start=month_add(end, -11), end=end)}


def _pages2_params(area: dict, end: dt.date) -> dict[str, dict]:
    """Daftar, Inson and district-profile queries (checked in depth by
    tests/test_queries_daftar_inson.py)."""
    period = dict(start=month_add(end, -11), end=end)
    daftar = dict(**area, **period, daftar=None)
    inson = dict(**area, **period)
    profile = dict(district="1724235", **period)
    return {"daftar_kpis": daftar, "daftar_by_area": dict(**daftar, level="district"),
            "daftar_trend": daftar, "daftar_needs": daftar, "daftar_assistance": daftar, "daftar_cohort": daftar,
            "inson_kpis": inson, "inson_by_area": dict(**inson, level="district"),
            "inson_trend": inson, "inson_services": inson,
            **{f"district_{k}": profile for k in ("coverage", "growth", "daftar", "inson", "trend")}}


def test_cases__cover_every_sql_file(con):
    assert sorted(_params(con)) == runner.names()


@pytest.mark.parametrize("name", runner.names())
def test_sql__header_states_grain_and_parameters(name):
    head = runner.sql(name).split("\n\n")[0]
    assert head.startswith("-- Grain:"), name
    assert "Parameters:" in head, name
    for p in runner.parameters(name):
        assert f"${p}" in head, f"{name}: header does not document ${p}"


@pytest.mark.parametrize("name", runner.names())
def test_sql__applies_viewer_scope(name):
    assert {"scope_region", "scope_district"} <= runner.parameters(name)
    assert not re.search(r"\{[a-z_]*\}|%s|\.format\(", runner.sql(name)), "SQL must bind, never format"


@pytest.mark.parametrize("name", runner.names())
def test_run__region_scope_restricts_every_query(wh, con, name):
    """Per the query's Scope kind: district rows only of the region; region rows of every
    region; totals of the country or of any region; never a district outside it."""
    params = _params(con)[name]
    national = run(name, Scope.national(), **params)
    scoped = run(name, Scope("region", REGION), **params)
    assert not national.empty
    kind = runner.scope_kind(name)
    if kind == "level":
        kind = "rows" if params.get("level") == "district" else "regions"
    if kind in ("rows", "inputs") and name != "months":
        key = "district_soato" if "district_soato" in scoped.columns else "soato"
        if key in scoped.columns:
            assert scoped[key].str.startswith(REGION).all() and len(scoped) < len(national)
        else:  # provenance: how many districts the scope holds
            assert int(scoped["districts_in_scope"].iloc[0]) < int(national["districts_in_scope"].iloc[0])
    elif kind == "regions":
        assert len(scoped) == len(national) == 14  # other regions as region totals
        district = run(name, Scope("district", "1724235"), **params)
        assert set(district["region_soato"]) == {REGION}
    elif kind == "totals":  # the country total is published to a region viewer ...
        pd.testing.assert_frame_equal(scoped, national)
        with pytest.raises(runner.OutOfScope):  # ... a district of another region is not
            run(name, Scope("region", REGION), **{**params, "districts": ["1703202"]})
    elif kind == "profile":
        assert set(scoped["level"]) == {"district", "region", "country"}
        with pytest.raises(runner.OutOfScope):
            run(name, Scope("region", "1703"), **params)


def test_run__district_scope_restricts(wh, con):
    d = "1724235"
    out = run("coverage_by_district", Scope("district", d), **_params(con)["coverage_by_district"])
    assert list(out["district_soato"]) == [d]
    assert run("provenance", Scope("district", d))["districts_in_scope"].tolist() == [1]
    with pytest.raises(runner.OutOfScope):  # its region's total: yes; another region's: no
        run("coverage_totals", Scope("district", d), **{**_params(con)["coverage_totals"], "region": "1703"})
    assert not run("coverage_totals", Scope("district", d), **{**_params(con)["coverage_totals"],
                                                                "region": REGION}).empty


def test_coverage_totals__equals_raw_tables(wh, con):
    end = last_month(con)
    got = run("coverage_totals", Scope.national(), region=REGION, districts=[], programme="_all",
              start=end, end=end).iloc[0]
    want = raw_coverage(con, end, region=REGION)
    assert {k: int(got[k]) for k in want} == want


def test_coverage_totals__either_targeted_programme_equals_raw_tables(wh, con):
    end = last_month(con)
    got = run("coverage_totals", Scope.national(), region=REGION, districts=[], programme="_targeted",
              start=end, end=end).iloc[0]
    want = raw_coverage(con, end, region=REGION, programmes=("child_allowance", "material_assistance"))
    assert {k: int(got[k]) for k in want} == want
    assert want["assisted_households"] < raw_coverage(con, end, region=REGION)["assisted_households"]


def test_coverage_totals__targeted_programme_equals_raw_tables(wh, con):
    end = last_month(con)
    got = run("coverage_totals", Scope.national(), region=None, districts=["1724235", "1724212"],
              programme="child_allowance", start=end, end=end).iloc[0]
    want = raw_coverage(con, end, districts=["1724235", "1724212"], programmes=("child_allowance",))
    assert {k: int(got[k]) for k in want if k != "poor_households_est"} == \
        {k: v for k, v in want.items() if k != "poor_households_est"}


def test_coverage_by_district__sums_to_totals(wh, con):
    p = _params(con)
    by = run("coverage_by_district", Scope.national(), **p["coverage_by_district"])
    tot = run("coverage_totals", Scope.national(), **p["coverage_totals"]).iloc[-1]
    cols = ["eligible_households", "assisted_households", "assisted_eligible", "exclusion_gap"]
    assert by[cols].sum().astype(int).to_dict() == {c: int(tot[c]) for c in cols}
    assert len(by) == 205


def test_coverage_by_region__sums_to_totals(wh, con):
    p = _params(con)
    by = run("coverage_by_region", Scope.national(), **p["coverage_by_region"])
    tot = run("coverage_totals", Scope.national(), **p["coverage_totals"]).iloc[-1]
    assert len(by) == 14
    assert int(by["assisted_households"].sum()) == int(tot["assisted_households"])


def test_growth_monthly__equals_raw_payments(wh, con):
    end = last_month(con)
    start = month_add(end, -11)
    got = run("growth_monthly", Scope.national(), region=REGION, districts=[], programme="_all",
              start=start, end=end)
    want = raw_payments(con, start, end, region=REGION)
    assert int(got["amount_uzs"].sum()) == want["amount_uzs"]
    assert int(got["households"].sum()) == want["recipient_months"]
    assert int(got.iloc[-1]["households"]) == want["households"]


def test_growth_programmes__sum_to_amount_and_filter(wh, con):
    p = _params(con)
    gp = run("growth_programmes", Scope.national(), **p["growth_programmes"])
    gm = run("growth_monthly", Scope.national(), **p["growth_monthly"])
    assert int(gp["amount_uzs"].sum()) == int(gm["amount_uzs"].sum())
    one = run("growth_programmes", Scope.national(), **{**p["growth_programmes"], "programme": "age_benefit"})
    assert set(one["programme"]) == {"age_benefit"}
    raw = raw_payments(con, p["growth_monthly"]["start"], p["growth_monthly"]["end"], programme="age_benefit")
    assert int(one["amount_uzs"].sum()) == raw["amount_uzs"]


def test_growth_channels__sum_to_amount(wh, con):
    p = _params(con)
    ch = run("growth_channels", Scope.national(), **p["growth_channels"])
    gm = run("growth_monthly", Scope.national(), **p["growth_monthly"])
    assert int(ch["amount_uzs"].sum()) == int(gm["amount_uzs"].sum())
    assert set(ch["channel"]) <= {"social_card", "bank_card", "post_cash"}


def test_growth_yearly__equals_raw_payments(wh, con):
    got = run("growth_yearly", Scope.national(), region=None, districts=[], programme="_all")
    want = con.execute("""SELECT year(month) AS year, sum(amount_uzs) AS amount_uzs,
                                 count(DISTINCT household_id) AS households
                          FROM payments GROUP BY 1 ORDER BY 1""").df()
    assert got[["year", "amount_uzs", "households"]].astype("int64").values.tolist() == \
        want.astype("int64").values.tolist()
    assert int(got["year"].min()) == 2019


def test_growth_by_district__equals_raw_payments(wh, con):
    p = _params(con)["growth_by_district"]
    got = run("growth_by_district", Scope.national(), **{**p, "region": REGION})
    assert len(got) == 11
    row = got[got["district_soato"] == "1724235"].iloc[0]
    cur = raw_payments(con, p["start"], p["end"], districts=["1724235"])
    old = raw_payments(con, p["cmp_start"], p["cmp_end"], districts=["1724235"])
    assert [int(row[c]) for c in ("amount_uzs", "recipient_months", "households",
                                  "amount_uzs_cmp", "recipient_months_cmp", "households_cmp")] == \
        [cur["amount_uzs"], cur["recipient_months"], cur["households"],
         old["amount_uzs"], old["recipient_months"], old["households"]]


def test_growth_by_region__sums_to_districts(wh, con):
    p = _params(con)
    reg = run("growth_by_region", Scope.national(), **p["growth_by_region"])
    dis = run("growth_by_district", Scope.national(), **p["growth_by_district"])
    assert len(reg) == 14
    assert int(reg["amount_uzs"].sum()) == int(dis["amount_uzs"].sum())
    assert int(reg["amount_uzs_cmp"].sum()) == int(dis["amount_uzs_cmp"].sum())


def test_months_provenance_geo__values(wh, con):
    m = run("months", Scope.national()).iloc[0]
    assert (pd.Timestamp(m["first_month"]).date(), pd.Timestamp(m["last_month"]).date()) == \
        (dt.date(2019, 1, 1), last_month(con))
    p = run("provenance", Scope.national()).iloc[0]
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    assert (p["snapshot_date"], p["source"], int(p["rows_rejected"]), int(p["districts_in_scope"])) == \
        (meta["snapshot_date"], meta["source"], int(meta["rows_rejected"]), 205)
    assert len(run("geo_regions", Scope.national())) == 14
    assert len(run("geo_districts", Scope("region", REGION))) == 11


def test_run__missing_parameter_is_an_error(wh):
    with pytest.raises(QueryError, match=r"missing \['month'\]"):
        run("coverage_by_region", Scope.national(), programme="_all")


def test_run__unused_parameter_is_an_error(wh):
    with pytest.raises(QueryError, match=r"unused \['region'\]"):
        run("months", Scope.national(), region="1724")


def test_run__scope_parameters_cannot_be_passed(wh):
    with pytest.raises(QueryError, match="come from the scope"):
        run("months", Scope.national(), scope_region="1724")


def test_run__unknown_query_is_an_error(wh):
    with pytest.raises(QueryError, match="unknown query"):
        run("../etc/passwd", Scope.national())


def test_run__missing_warehouse_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(tmp_path / "none.duckdb"))
    with pytest.raises(WarehouseUnavailable, match=r"does not exist.*make run.*data\.ingest"):
        run("months", Scope.national())


def test_run__unreadable_warehouse_names_the_fix(tmp_path, monkeypatch):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(bad))
    with pytest.raises(WarehouseUnavailable, match="cannot be opened.*make run"):
        runner.check()


def test_check__a_warehouse_of_an_older_version_names_the_missing_mart(warehouse, tmp_path, monkeypatch):
    # a warehouse built before a mart was added (here: the stored medians dropped from a copy)
    old = tmp_path / "old.duckdb"
    shutil.copy(warehouse, old)
    with duckdb.connect(str(old)) as con:
        con.execute("DROP TABLE mart_daftar_wait_median")
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(old))
    with pytest.raises(WarehouseUnavailable, match=r"lacks the tables mart_daftar_wait_median \(built by an "
                                                   r"older version.*qamrov ingest <extract folder>.*make clean run"):
        runner.check()
    assert "mart_case_close_median" in runner.required() and "meta" in runner.required()


def test_run__swapped_warehouse_is_picked_up(warehouse, tmp_path, monkeypatch):
    path = tmp_path / "wh.duckdb"
    shutil.copy(warehouse, path)
    monkeypatch.setenv("QAMROV_WAREHOUSE", str(path))
    assert run("provenance", Scope.national())["source"].tolist() == [
        connect(warehouse).execute("SELECT value FROM meta WHERE key='source'").fetchone()[0]]
    new = tmp_path / "new.duckdb"
    shutil.copy(warehouse, new)
    c = duckdb.connect(str(new))
    c.execute("UPDATE meta SET value = 'swapped extract' WHERE key = 'source'")
    c.close()
    os.replace(new, path)
    assert run("provenance", Scope.national())["source"].tolist() == ["swapped extract"]


def test_scope__rejects_bad_codes():
    for level, code in (("region", "17"), ("district", "1724"), ("national", "1724"), ("city", None)):
        with pytest.raises(ValueError):
            Scope(level, code)
    assert Scope("district", "1724235").params == {"scope_region": "1724", "scope_district": "1724235"}


def test_indicators__value_is_sum_over_sum():
    df = pd.DataFrame({"assisted_eligible": [1, 9], "eligible_households": [2, 18]})
    ind = indicators.get("coverage_registry")
    assert ind.total(df) == 0.5
    assert ind.value(df).tolist() == [0.5, 0.5]
    assert ind.hidden(df, min_cell=10).tolist() == [True, True]


def test_indicators__every_page_pick_exists():
    for iid in indicators.COVERAGE_PICK + indicators.GROWTH_PICK:
        assert indicators.get(iid).unit in indicators.UNITS


def test_macros__bound_area_folds_into_a_table_filter(con):
    """The shared macros must not cost the zone-map pruning of the hand-written filters:
    with a region bound, the scan of the mart carries it as a table filter."""
    plan = "\n".join(r[1] for r in con.execute(
        "EXPLAIN SELECT count(*) FROM mart_coverage_dm "
        "WHERE in_scope(region_soato, district_soato, $sr::VARCHAR, $sd::VARCHAR) "
        "AND in_area(region_soato, district_soato, $r::VARCHAR, $ds::VARCHAR[])",
        {"sr": None, "sd": None, "r": REGION, "ds": []}).fetchall())
    assert re.search(rf"Filters:\s*region_soato\s*=\s*'{REGION}'", plan), plan
    assert "IS NULL" not in plan


def test_macros__areas_lists_every_district_of_the_region(con):
    got = con.execute("SELECT soato FROM areas('district', NULL, NULL, $r, []::VARCHAR[]) ORDER BY 1",
                      {"r": REGION}).fetchall()
    want = con.execute("SELECT district_soato FROM ref_districts WHERE region_soato = $r ORDER BY 1",
                       {"r": REGION}).fetchall()
    assert got == want and len(want) == 11
    assert con.execute("SELECT count(*) FROM areas('region', NULL, NULL, NULL, []::VARCHAR[])").fetchone()[0] == 14
