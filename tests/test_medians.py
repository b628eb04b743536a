"""The medians stored at ingest (mart_daftar_wait_median, mart_case_close_median) for the
periods of the quick picks: they equal the medians of the histograms they summarise, and the
map queries give the same medians whether they read them or the histogram."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kit_helpers import connect, last_month, month_add
from queries import runner
from queries.runner import Scope

D = dt.date


@pytest.mark.parametrize("first, last, stored", [
    (D(2025, 12, 1), D(2025, 12, 1), True),     # a month
    (D(2025, 1, 1), D(2025, 12, 1), True),      # 12 months (a calendar year)
    (D(2024, 8, 1), D(2025, 7, 1), True),       # 12 months
    (D(2025, 1, 1), D(2025, 5, 1), True),       # a year to date
    (D(2025, 2, 1), D(2025, 5, 1), False),      # 4 months
    (D(2024, 6, 1), D(2025, 5, 1), True),       # 12 months across a year
    (D(2024, 1, 1), D(2025, 5, 1), False),      # 17 months from a January
    (D(2025, 5, 1), D(2025, 1, 1), False),      # reversed
])
def test_median_period__the_periods_of_the_quick_picks(wh, first, last, stored):
    con = connect(wh)
    assert con.execute("SELECT median_period($a, $b)", {"a": first, "b": last}).fetchone()[0] is stored


def _hist_medians(con, table, count, by, first, last, extra=""):
    return dict(con.execute(f"""
        WITH h AS (SELECT {by} AS soato, days, SUM({count}) AS n FROM {table}
                   WHERE month BETWEEN $a AND $b {extra} GROUP BY ALL)
        SELECT soato, hist_median(days, n) FROM h GROUP BY soato""", {"a": first, "b": last}).fetchall())


@pytest.mark.parametrize("months", [1, 12, "ytd"])
def test_mart_daftar_wait_median__equals_the_histogram(wh, months):
    con = connect(wh)
    last = month_add(last_month(con), -2)
    first = D(last.year, 1, 1) if months == "ytd" else month_add(last, -(months - 1))
    for level, by in (("district", "district_soato"), ("region", "region_soato")):
        for daftar in ("_all", "ayollar"):
            extra = "" if daftar == "_all" else f"AND daftar = '{daftar}'"
            want = _hist_medians(con, "mart_daftar_wait_hist", "entries", by, first, last, extra)
            got = dict(con.execute(
                "SELECT soato, median_days_to_help FROM mart_daftar_wait_median WHERE area_level = $l "
                "AND daftar = $d AND first_month = $a AND month = $b",
                {"l": level, "d": daftar, "a": first, "b": last}).fetchall())
            assert len(want) >= (5 if level == "region" else 20)
            assert got == want, (level, daftar)


@pytest.mark.parametrize("months", [1, 12, "ytd"])
def test_mart_case_close_median__equals_the_histogram(wh, months):
    con = connect(wh)
    last = last_month(con)
    first = D(last.year, 1, 1) if months == "ytd" else month_add(last, -(months - 1))
    for level, by in (("district", "district_soato"), ("region", "region_soato")):
        want = _hist_medians(con, "mart_case_close_hist_all", "cases", by, first, last)
        got = dict(con.execute(
            "SELECT soato, median_days_to_close FROM mart_case_close_median WHERE area_level = $l "
            "AND first_month = $a AND month = $b", {"l": level, "a": first, "b": last}).fetchall())
        assert len(want) >= 5 and got == want, level


def test_median_periods__a_period_running_past_the_data_is_stored(wh):
    # 12 months ending after the last month: the months it has (so the stored median and the
    # histogram agree for any period a query may be given)
    con = connect(wh)
    last = last_month(con)
    end = month_add(last, 5)
    n = con.execute("SELECT count(*) FROM mart_case_close_median WHERE first_month = $a AND month = $b",
                    {"a": month_add(end, -11), "b": end}).fetchone()[0]
    assert n > 0
    want = _hist_medians(con, "mart_case_close_hist_all", "cases", "district_soato", month_add(end, -11), end)
    got = dict(con.execute("SELECT soato, median_days_to_close FROM mart_case_close_median WHERE "
                           "area_level = 'district' AND first_month = $a AND month = $b",
                           {"a": month_add(end, -11), "b": end}).fetchall())
    assert got == want


@pytest.mark.parametrize("name, column, table, count", [
    ("daftar_by_area", "median_days_to_help", "mart_daftar_wait_hist", "entries"),
    ("inson_by_area", "median_days_to_close", "mart_case_close_hist_all", "cases"),
])
@pytest.mark.parametrize("months", [12, 1, "ytd", 5])
@pytest.mark.parametrize("level, region, districts", [
    ("district", None, []), ("region", None, []), ("district", "1703", []),
    ("region", "1703", ["1703202", "1703206"]),   # a region row of a selection: from the histogram
    ("district", "1703", ["1703202", "1703206"]),
])
def test_by_area__medians_stored_or_summed_agree(wh, name, column, table, count, months, level, region, districts):
    con = connect(wh)
    last = last_month(con)
    first = D(last.year, 1, 1) if months == "ytd" else month_add(last, -(months - 1))
    p = dict(level=level, region=region, districts=districts, start=first, end=last)
    if name == "daftar_by_area":
        p["daftar"] = None
    raw = runner.execute_unpublished(runner.open_warehouse(wh), name, Scope.national(), **p)
    by = "district_soato" if level == "district" else "region_soato"
    extra = ""
    if region:
        extra += f" AND region_soato = '{region}'"
    if districts:
        extra += " AND district_soato IN (" + ", ".join(f"'{d}'" for d in districts) + ")"
    want = _hist_medians(con, table, count, by, first, last, extra)
    got = {s: int(v) for s, v in zip(raw["soato"], raw[column]) if pd.notna(v)}
    assert got == {k: v for k, v in want.items()}
    assert len(got) >= 1


def test_by_area__reads_the_stored_medians_for_a_quick_pick_period(warehouse, tmp_path, monkeypatch):
    # the stored path is the one taken: medians moved by one day in a copy of the warehouse move
    # the query's medians for a stored period, and not for a period that is not stored
    import shutil

    import duckdb
    moved = tmp_path / "moved.duckdb"
    shutil.copy(warehouse, moved)
    with duckdb.connect(str(moved)) as con:
        con.execute("UPDATE mart_daftar_wait_median SET median_days_to_help = median_days_to_help + 1")
    last = last_month(connect(warehouse))
    for months, stored in ((12, True), (1, True), (5, False)):
        p = dict(level="district", region=None, districts=[], daftar=None,
                 start=month_add(last, -(months - 1)), end=last)
        a, b = (runner.execute_unpublished(runner.open_warehouse(w), "daftar_by_area", Scope.national(), **p)
                for w in (warehouse, moved))
        shown = a["median_days_to_help"].notna()
        assert shown.sum() >= 20
        diff = (b["median_days_to_help"][shown] - a["median_days_to_help"][shown]).unique().tolist()
        assert diff == ([1] if stored else [0]), months
