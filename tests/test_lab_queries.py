"""The policy lab's queries (need_indicators, finance_districts, pilot_panel, publish_district_month)
against independent queries on the raw tables of the test warehouse."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from kit_helpers import connect, last_month, month_add
from queries import runner
from queries.runner import Scope
from raw_lab import raw_current, raw_need, raw_pilot_panel

REGION = "1724"


@pytest.fixture(scope="module")
def con(warehouse):
    c = connect(warehouse)
    yield c
    c.close()


def _run(con, name, **params):
    return runner.execute(con, name, Scope.national(), **params)


@pytest.mark.parametrize("region", [None, REGION])
def test_need_indicators__equals_raw_tables(con, region):
    end = last_month(con)
    got = _run(con, "need_indicators", region=region, districts=[], month=end)
    want = raw_need(con, end, region)
    assert len(got) == (205 if region is None else 11)
    cols = [c for c in want.columns if c not in ("name_uz", "name_ru", "name_en")]
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), want[cols].reset_index(drop=True),
                                  check_dtype=False)
    assert set(got["rural_share_source"]) == {"synthetic"}


def test_need_indicators__an_earlier_month_reads_its_own_stocks(con):
    m = month_add(last_month(con), -18)
    got = _run(con, "need_indicators", region=REGION, districts=[], month=m).set_index("district_soato")
    want = raw_need(con, m, REGION).set_index("district_soato")
    for c in ("eligible_households", "exclusion_gap", "daftar_open", "workers_in_post", "open_cases", "residents"):
        assert got[c].tolist() == want[c].tolist(), c


def test_finance_districts__current_payments_equal_raw_payments(con):
    end = last_month(con)
    start = month_add(end, -11)
    got = _run(con, "finance_districts", region=None, districts=[], start=start, end=end)
    want = raw_current(con, start, end)
    pd.testing.assert_frame_equal(got[list(want.columns)], want, check_dtype=False)
    assert got["current_uzs"].sum() > 0


def test_pilot_panel__equals_raw_tables(con):
    s, e = dt.date(2023, 6, 1), dt.date(2024, 3, 1)
    got = _run(con, "pilot_panel", region=None, districts=[], start=s, end=e)
    want = raw_pilot_panel(con, s, e)
    cols = list(want.columns)
    got = got[cols].assign(month=pd.to_datetime(got["month"]), cohort=pd.to_datetime(got["cohort"]))
    want = want.assign(month=pd.to_datetime(want["month"]), cohort=pd.to_datetime(want["cohort"]))
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)
    assert got["cohort"].min() == pd.Timestamp("2023-10-01") and len(got) == 205 * 10


def test_publish_district_month__equals_raw_tables(con):
    m = last_month(con)
    got = _run(con, "publish_district_month", start=m, end=m).set_index("district_soato")
    assert len(got) == 205
    raw = con.execute("""
        SELECT h.district_soato, sum(p.amount_uzs) AS amount_uzs, count(DISTINCT p.household_id) AS assisted_households
        FROM payments p JOIN households h USING (household_id) WHERE p.month = ? GROUP BY 1""", [m]).df() \
        .set_index("district_soato")
    assert got["amount_uzs"].to_dict() == raw["amount_uzs"].astype(int).to_dict()
    assert got["assisted_households"].to_dict() == raw["assisted_households"].to_dict()
    helped = con.execute("""SELECT district_soato, count(*) FROM daftar_entries
                            WHERE date_trunc('month', assisted_on) = ? GROUP BY 1""", [m]).fetchall()
    assert {d: n for d, n in helped} == {d: n for d, n in got["daftar_assisted"].items() if n}
    need = raw_need(con, m).set_index("district_soato")
    for c in ("eligible_households", "daftar_open", "workers_in_post", "open_cases"):
        assert got[c].to_dict() == need[c].to_dict(), c
    assert (got["assisted_eligible"] == need["eligible_households"] - need["exclusion_gap"]).all()
