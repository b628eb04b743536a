"""Disclosure control: primary and complementary suppression on hand-made tables with literal
results, the LP audit, the audit of every table the pages publish (test scale; demo scale when
a demo warehouse is given), and differencing attempts across selections and periods."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

import settings
from kit_helpers import connect, last_month, month_add
from queries import disclosure as D, runner
from queries.runner import Scope
from test_queries import _params

MONTHS = ["2025-01-01", "2025-02-01", "2025-03-01"]
DAFTARS = {"temir": [40, 35, 30], "ayollar": [4, 22, 25], "yoshlar": [60, 18, 45], "nuroniylar": [15, 16, 70]}


def _districts(values):
    return pd.DataFrame({"region_soato": ["1703"] * len(values),
                         "district_soato": [f"17032{i:02d}" for i in range(len(values))],
                         "assisted_households": values})


def test_protect__one_small_district_gets_the_smallest_safe_complement():
    # 12 alone would leave 3 within 1..5 (3 + 12 = 15, and 12 is known to be >= 10): 50 is taken
    out = D.protect(_districts([3, 50, 12, 200]), "rows")
    assert out["_sdc_assisted_households"].tolist() == [D.PRIMARY, D.SECONDARY, D.PUBLISHED, D.PUBLISHED]
    assert D.audit_frame(out, "rows") == []


def test_protect__zero_is_published_and_never_a_complement():
    out = D.protect(_districts([0, 4, 0, 30, 41]), "rows")
    assert out["_sdc_assisted_households"].tolist() == [0, 1, 0, 2, 0]


def test_protect__two_way_table_hides_a_rectangle():
    rows = [(m, d, v[i]) for d, v in DAFTARS.items() for i, m in enumerate(MONTHS)]
    t = pd.DataFrame(rows, columns=["month", "daftar", "included"])
    out = D.protect(t, "totals")
    got = out.pivot(index="daftar", columns="month", values="_sdc_included").loc[list(DAFTARS)].values.tolist()
    assert got == [[0, 0, 0], [1, 2, 0], [0, 0, 0], [2, 2, 0]]  # ayollar Jan + its rectangle
    assert D.audit_frame(out, "totals") == []


def test_protect__counts_tied_in_a_row_hide_one_more():
    # eligible = assisted eligible + gap: a small gap with both others shown is their difference
    cov = pd.DataFrame({"eligible_households": [40], "assisted_households": [50], "assisted_eligible": [37],
                        "assisted_not_eligible": [13], "exclusion_gap": [3]})
    out = D.protect(cov, "totals")
    assert {c[len(D.STATUS):]: int(out[c].iloc[0]) for c in out if c.startswith(D.STATUS)} == {
        "eligible_households": 2, "assisted_households": 0, "assisted_eligible": 0,
        "assisted_not_eligible": 0, "exclusion_gap": 1}


def test_protect__a_total_row_in_the_table_is_a_margin():
    kp = pd.DataFrame({"daftar": ["_all", "temir", "ayollar", "yoshlar"], "assisted": [133, 70, 3, 60]})
    out = D.protect(kp, "totals")
    assert out["_sdc_assisted"].tolist() == [0, 0, 1, 2]  # the total is a cell; 60 is the smallest safe complement
    assert D.audit_frame(out, "totals") == []


def test_audit__a_lone_suppressed_cell_is_recomputed_exactly():
    bad = _districts([3, 50, 12, 200]).assign(_sdc_assisted_households=[1, 0, 0, 0])
    assert D.audit_frame(bad, "rows") == [{"row": 0, "column": "assisted_households", "low": 3.0, "high": 3.0}]


def test_audit__a_complement_too_small_narrows_the_interval():
    weak = _districts([3, 50, 12, 200]).assign(_sdc_assisted_households=[1, 0, 2, 0])
    [got] = D.audit_frame(weak, "rows", protection=8)
    assert (got["low"], got["high"]) == (1.0, 5.0)  # 3 + 12 = 15 and the complement is >= 10


def test_audit__4x3_with_margins_by_linear_programming():
    # the example the LP was checked on: rows and columns with known totals
    t = pd.DataFrame([(m, d, v[i]) for d, v in DAFTARS.items() for i, m in enumerate(MONTHS)],
                     columns=["month", "daftar", "included"])
    status = {("ayollar", "2025-01-01"): 1, ("ayollar", "2025-02-01"): 2,
              ("nuroniylar", "2025-01-01"): 2, ("nuroniylar", "2025-02-01"): 2}
    t["_sdc_included"] = [status.get((d, m), 0) for m, d in zip(t["month"], t["daftar"])]
    assert D.audit_frame(t, "totals") == []
    t.loc[(t["daftar"] == "nuroniylar") & (t["month"] == "2025-02-01"), "_sdc_included"] = 0
    [got] = D.audit_frame(t, "totals")  # a broken rectangle: nuroniylar Jan = 31 - 16, then ayollar Jan = 19 - 15
    assert (got["low"], got["high"]) == (4.0, 4.0)


def test_withheld__secondary_cells_and_amounts_never_leave_the_query_layer():
    df = _districts([3, 50, 12, 200]).rename(columns={"assisted_households": "households"})
    out = D.withheld(D.protect(df.assign(amount_uzs=[1, 2, 3, 4]), "rows"))
    assert out["households"].iloc[0] == 3 and pd.isna(out["households"].iloc[1])  # <10 stays a mark, 50 goes
    assert pd.isna(out["amount_uzs"]).tolist() == [True, True, False, False]  # amounts built on them go


# ---------------------------------------------------------------- published tables of the warehouse
def _selections(con) -> list[tuple[str, dict]]:
    """Every query with the parameters the pages publish it with: national, a region, a
    selection of districts, another period."""
    out = []
    end = last_month(con)
    for name, p in _params(con).items():
        out.append((name, p))
        kind = runner.scope_kind(name)
        if kind in ("totals",):
            out.append((name, {**p, "region": "1724"}))
            out.append((name, {**p, "region": "1724", "districts": ["1724235", "1724212"]}))
        if "start" in p and kind != "profile":
            out.append((name, {**p, "start": month_add(end, -5), "end": end}))
    return out


def _audit_all(con) -> list:
    failures = []
    for name, p in _selections(con):
        bad = runner.audit(con, name, Scope.national(), **p)
        failures += [(name, b) for b in bad]
    return failures


def test_audit__every_published_table_of_the_test_warehouse(warehouse):
    con = connect(warehouse)
    assert _audit_all(con) == []


def test_audit__every_published_table_of_the_demo_warehouse():
    path = settings.path("AUDIT_WAREHOUSE")
    if path is None or not Path(path).exists():
        pytest.skip("QAMROV_AUDIT_WAREHOUSE not set to a demo warehouse (make demo builds one)")
    assert _audit_all(connect(path)) == []


# ---------------------------------------------------------------- differencing attempts
def _published(wh, name, **params) -> pd.DataFrame:
    return runner.run(name, Scope.national(), **params)


def test_differencing__a_selection_total_with_a_small_district_is_hidden(wh):
    con = connect(wh)
    end = last_month(con)
    small, big = con.execute("""
        SELECT s.district_soato, b.district_soato FROM mart_coverage_dm s JOIN mart_coverage_dm b
          ON b.region_soato = s.region_soato AND b.month = s.month AND b.programme = s.programme
        WHERE s.programme = '_all' AND s.month = $m AND s.assisted_not_eligible BETWEEN 1 AND 9
          AND b.assisted_not_eligible >= 10 ORDER BY b.assisted_not_eligible DESC, 1, 2 LIMIT 1""",
                             {"m": end}).fetchone()
    base = dict(programme="_all", start=end, end=end, region=small[:4])
    both = _published(wh, "coverage_totals", **base, districts=[small, big]).iloc[0]
    alone = _published(wh, "coverage_totals", **base, districts=[big]).iloc[0]
    assert not pd.isna(alone["assisted_not_eligible"])          # A is published
    assert both["_sdc_assisted_not_eligible"] > 0 and pd.isna(both["assisted_not_eligible"])  # A+B is not
    # so (A+B) - A cannot be formed on any screen or export


def test_differencing__a_period_ending_in_a_small_month_is_hidden(wh):
    con = connect(wh)
    d, m = con.execute("""SELECT district_soato, month FROM (
            SELECT district_soato, month, sum(assisted) AS a FROM mart_daftar_dm GROUP BY ALL)
        WHERE a BETWEEN 1 AND 9 AND month >= DATE '2025-03-01' ORDER BY month DESC, 1 LIMIT 1""").fetchone()
    m = m if isinstance(m, dt.date) else m.date()
    p = dict(region=d[:4], districts=[d], daftar=None)
    to_m = _published(wh, "daftar_kpis", **p, start=month_add(m, -5), end=m)
    to_before = _published(wh, "daftar_kpis", **p, start=month_add(m, -5), end=month_add(m, -1))
    row = to_m[to_m["daftar"] == "_all"].iloc[0]
    assert row["_sdc_assisted"] > 0  # (Jan-Jun) hidden when June is small, whatever (Jan-May) shows
    assert len(to_before) and pd.isna(row["assisted"]) or row["_sdc_assisted"] == D.PRIMARY


def test_differencing__patterns_do_not_change_with_the_selection(wh):
    con = connect(wh)
    p = _params(con)["coverage_by_district"]
    whole = _published(wh, "coverage_by_district", **{**p, "region": "1724"}).set_index("district_soato")
    part = _published(wh, "coverage_by_district", **{**p, "region": "1724", "districts": ["1724235"]})
    st = [c for c in whole.columns if c.startswith(D.STATUS)]
    assert part.set_index("district_soato")[st].equals(whole.loc[["1724235"], st])


def test_differencing__a_complement_is_never_published_alone(wh):
    # a district withheld in its region's table to protect a neighbour (secondary) must not be
    # readable by selecting it alone: its total would give the neighbour's count by subtraction
    con = connect(wh)
    end = last_month(con)
    p = dict(programme="_all", month=end)
    table = _published(wh, "coverage_by_district", region=None, districts=[], **p)
    sec = table[table["_sdc_assisted_not_eligible"] == D.SECONDARY].iloc[0]
    d = str(sec["district_soato"])
    alone = _published(wh, "coverage_totals", programme="_all", start=end, end=end, region=d[:4],
                       districts=[d]).iloc[0]
    assert alone["_sdc_assisted_not_eligible"] > 0 and pd.isna(alone["assisted_not_eligible"])
