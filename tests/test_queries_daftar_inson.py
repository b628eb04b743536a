"""The daftar, Inson and district-profile queries against independent queries.

Every ``queries/daftar_*.sql``, ``inson_*.sql`` and ``profile_*.sql`` runs on
the test warehouse (tests/conftest.py) and its figures are compared with the
same figures computed straight from the raw tables (``daftar_entries``,
``cases``, ``social_workers`` ...) — or, for coverage and growth, from the marts
the Coverage/Growth pages own — by SQL written independently here.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb

from queries import runner
import pandas as pd
import pytest

QUERIES = Path(__file__).resolve().parents[1] / "queries"
OURS = sorted(p.stem for p in QUERIES.glob("*.sql") if p.stem.split("_")[0] in ("daftar", "inson", "district"))
START, END = dt.date(2024, 7, 1), dt.date(2025, 6, 1)
E = "DATE '2025-06-30'"          # end of END
S0 = "DATE '2024-06-30'"         # end of the month before START
PERIOD = "BETWEEN DATE '2024-07-01' AND DATE '2025-06-30'"


@pytest.fixture(scope="module")
def con(warehouse):
    c = runner.open_warehouse(warehouse)
    yield c
    c.close()


def run(con, name: str, **params) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with the national scope and ``params``."""
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    wanted = set(re.findall(r"(?<![\w$:])\$([a-z_][a-z0-9_]*)", re.sub(r"--[^\n]*", "", text)))
    base = {"scope_region": None, "scope_district": None, "region": None, "districts": [],
            "start": START, "end": END}
    base.update(params)
    return con.execute(text, {k: v for k, v in base.items() if k in wanted}).df()


def rows(con, sql: str) -> pd.DataFrame:
    return con.execute(sql).df()


OPEN_AT = "(included_on <= {e} AND (assisted_on IS NULL OR assisted_on > {e}) " \
          "AND (removed_on IS NULL OR removed_on > {e}))"


def _district_with_most_entries(con) -> str:
    return con.execute("SELECT district_soato FROM daftar_entries GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
                       ).fetchone()[0]


# --------------------------------------------------------------------------
# Every file: header comment, scope parameters, runs
# --------------------------------------------------------------------------
@pytest.mark.parametrize("name", OURS)
def test_query_file__has_grain_header_and_scope_params(name):
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    header = text.split("\n\n")[0]
    assert text.startswith("-- Grain:") and "Parameters:" in header and f"Purpose ({name}):" in header
    body = re.sub(r"--[^\n]*", "", text)
    assert "$scope_region" in body and "$scope_district" in body
    assert "{" not in body  # no string formatting placeholders


def test_our_queries__all_present():
    assert OURS == ["daftar_assistance", "daftar_by_area", "daftar_cohort", "daftar_kpis", "daftar_needs", "daftar_trend",
                    "district_coverage", "district_daftar", "district_growth", "district_inson", "district_trend",
                    "inson_by_area", "inson_kpis", "inson_services", "inson_trend"]


# --------------------------------------------------------------------------
# Daftar
# --------------------------------------------------------------------------
def _daftar_expected(con, where: str = "TRUE") -> pd.DataFrame:
    """daftar_kpis computed from daftar_entries, per daftar and for all."""
    sql = f"""
    WITH e AS (SELECT * FROM daftar_entries WHERE {where})
    SELECT COALESCE(daftar, '_all') AS daftar,
           count(*) FILTER (WHERE {OPEN_AT.format(e=S0)}) AS open_start,
           count(*) FILTER (WHERE included_on {PERIOD}) AS included,
           count(*) FILTER (WHERE assessed_on {PERIOD}) AS assessed,
           count(*) FILTER (WHERE assisted_on {PERIOD}) AS assisted,
           count(*) FILTER (WHERE removed_on {PERIOD}) AS removed,
           count(*) FILTER (WHERE {OPEN_AT.format(e=E)}) AS on_register,
           count(*) FILTER (WHERE {OPEN_AT.format(e=E)} AND {E} - included_on > 90) AS waiting_90,
           count(*) FILTER (WHERE {OPEN_AT.format(e=E)} AND {E} - included_on > 180) AS waiting_180,
           COALESCE(sum(assisted_on - included_on) FILTER (WHERE assisted_on {PERIOD}), 0) AS days_to_help_sum,
           quantile_disc(least(assisted_on - included_on, 366), 0.5) FILTER (WHERE assisted_on {PERIOD})
               AS median_days_to_help
    FROM e GROUP BY GROUPING SETS ((daftar), ())
    """
    return rows(con, sql)


def test_daftar_kpis__all_daftars_match_raw_entries(con):
    got = run(con, "daftar_kpis", daftar=None)
    exp = _daftar_expected(con)
    cols = list(exp.columns)
    got = got[cols].set_index("daftar").sort_index()
    exp = exp.set_index("daftar").sort_index()
    assert list(got.index) == ["_all", "ayollar", "nuroniylar", "temir", "yoshlar"]
    exp = exp.reindex(got.index)
    pd.testing.assert_frame_equal(got.astype("float64"), exp.astype("float64"))
    assert got.loc["_all", "on_register"] > 0 and got.loc["ayollar", "assisted"] > 0


def test_daftar_kpis__single_daftar_and_district(con):
    d = _district_with_most_entries(con)
    got = run(con, "daftar_kpis", daftar="ayollar", districts=[d])
    exp = _daftar_expected(con, f"district_soato = '{d}' AND daftar = 'ayollar'")
    assert list(got["daftar"]) == ["ayollar", "_all"]
    for _, r in exp.iterrows():
        g = got[got["daftar"] == r["daftar"]].iloc[0]
        for c in ("included", "assisted", "removed", "on_register", "waiting_90", "open_start"):
            assert g[c] == r[c], (r["daftar"], c)
        assert g["median_days_to_help"] == r["median_days_to_help"]
    women = con.execute(f"SELECT women FROM population WHERE district_soato = '{d}' AND year = 2025").fetchone()[0]
    assert list(got["target_population"]) == [women, women]
    assert got["target_population_k"].tolist() == pytest.approx([women / 1000, women / 1000])


def test_daftar_cohort__the_people_included_in_the_period_followed_to_the_end_of_the_data(con):
    d = _district_with_most_entries(con)
    for daftar, districts, where in ((None, [], "TRUE"), ("ayollar", [d], f"district_soato = '{d}' AND daftar = 'ayollar'")):
        got = run(con, "daftar_cohort", daftar=daftar, districts=districts).set_index("daftar")
        want = rows(con, f"""SELECT count(*) AS included,
                                   count(*) FILTER (WHERE assessed_on IS NOT NULL OR assisted_on IS NOT NULL) AS assessed,
                                   count(assisted_on) AS helped,
                                   count(*) FILTER (WHERE assisted_on IS NULL AND removed_on IS NOT NULL) AS removed,
                                   count(*) FILTER (WHERE assisted_on IS NULL AND removed_on IS NULL) AS waiting
                            FROM daftar_entries WHERE {where}
                              AND included_on BETWEEN DATE '{START}' AND DATE '{END:%Y-%m}-30'""").iloc[0]
        row = got.loc["_all"]
        assert [int(row[c]) for c in want.index] == [int(v) for v in want]
        assert row["included"] >= row["assessed"] >= row["helped"] > 0  # a cohort never grows
        assert row["included"] == row["helped"] + row["removed"] + row["waiting"]
    assert list(run(con, "daftar_cohort", daftar=None)["daftar"]) == ["temir", "ayollar", "yoshlar", "nuroniylar",
                                                                       "_all"]


def test_daftar_kpis__empty_period_gives_zero_rows_not_nothing(con):
    got = run(con, "daftar_kpis", daftar="temir", start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 1))
    assert list(got["daftar"]) == ["temir", "_all"]
    assert got[["included", "assisted", "removed", "on_register", "waiting_90"]].to_numpy().sum() == 0
    assert got["median_days_to_help"].isna().all()


def test_daftar_kpis__region_filter_and_scope_agree(con):
    a = run(con, "daftar_kpis", daftar=None, region="1703")
    b = run(con, "daftar_kpis", daftar=None, scope_region="1703")
    exp = _daftar_expected(con, "district_soato LIKE '1703%'")
    pd.testing.assert_frame_equal(a, b)
    assert a.set_index("daftar").loc["_all", "on_register"] == exp.set_index("daftar").loc["_all", "on_register"]


def test_daftar_by_area__districts_match_raw_entries(con):
    got = run(con, "daftar_by_area", daftar="yoshlar", level="district", region="1726")
    exp = rows(con, f"""
        SELECT d.district_soato AS soato,
               count(e.entry_id) FILTER (WHERE e.assisted_on {PERIOD}) AS assisted,
               count(e.entry_id) FILTER (WHERE {OPEN_AT.format(e=E)}) AS on_register,
               count(e.entry_id) FILTER (WHERE {OPEN_AT.format(e=E)} AND {E} - e.included_on > 90) AS waiting_90,
               quantile_disc(least(e.assisted_on - e.included_on, 366), 0.5) FILTER (WHERE e.assisted_on {PERIOD})
                   AS median_days_to_help,
               any_value(p.youth) AS target_population
        FROM ref_districts d
        LEFT JOIN daftar_entries e ON e.district_soato = d.district_soato AND e.daftar = 'yoshlar'
        LEFT JOIN population p ON p.district_soato = d.district_soato AND p.year = 2025
        WHERE d.region_soato = '1726' GROUP BY 1 ORDER BY 1""")
    cols = list(exp.columns)
    pd.testing.assert_frame_equal(got[cols].astype({"median_days_to_help": "float64"}),
                                  exp.astype({"median_days_to_help": "float64"}), check_dtype=False)
    assert len(got) == con.execute("SELECT count(*) FROM ref_districts WHERE region_soato = '1726'").fetchone()[0]


def test_daftar_by_area__regions_sum_to_country(con):
    reg = run(con, "daftar_by_area", daftar=None, level="region")
    kp = run(con, "daftar_kpis", daftar=None).set_index("daftar").loc["_all"]
    assert len(reg) == 14 and reg["soato"].str.len().eq(4).all()
    for c in ("included", "assisted", "removed", "on_register", "waiting_90", "waiting_180", "open_start"):
        assert reg[c].sum() == kp[c], c


def test_daftar_trend__months_match_raw_entries(con):
    got = run(con, "daftar_trend", daftar="ayollar")
    assert len(got) == 12 and set(got["daftar"]) == {"ayollar"}
    exp = rows(con, f"""
        WITH m AS (SELECT CAST(x AS DATE) AS month, CAST(x + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS e
                   FROM generate_series(DATE '2024-07-01', DATE '2025-06-01', INTERVAL 1 MONTH) g(x))
        SELECT m.month,
               count(*) FILTER (WHERE date_trunc('month', included_on) = m.month) AS included,
               count(*) FILTER (WHERE date_trunc('month', assisted_on) = m.month) AS assisted,
               count(*) FILTER (WHERE included_on <= m.e AND (assisted_on IS NULL OR assisted_on > m.e)
                                AND (removed_on IS NULL OR removed_on > m.e)) AS on_register,
               quantile_disc(least(assisted_on - included_on, 366), 0.5)
                   FILTER (WHERE date_trunc('month', assisted_on) = m.month) AS median_days_to_help
        FROM m, daftar_entries WHERE daftar = 'ayollar' GROUP BY 1 ORDER BY 1""")
    pd.testing.assert_frame_equal(got[list(exp.columns)].astype({"median_days_to_help": "float64"}),
                                  exp.astype({"median_days_to_help": "float64"}), check_dtype=False)


def test_daftar_needs__match_raw_entries(con):
    got = run(con, "daftar_needs", daftar=None).set_index("need_type").sort_index()
    exp = rows(con, f"""
        SELECT need_type, count(*) FILTER (WHERE included_on {PERIOD}) AS included,
               count(*) FILTER (WHERE {OPEN_AT.format(e=E)}) AS on_register,
               count(*) FILTER (WHERE {OPEN_AT.format(e=E)} AND {E} - included_on > 90) AS waiting_90
        FROM daftar_entries GROUP BY 1""").set_index("need_type")
    assert sorted(got.index) == sorted(["employment", "entrepreneurship", "health", "housing", "education",
                                        "rent", "other"])
    exp = exp.reindex(got.index).fillna(0)
    for c in exp.columns:
        assert got[c].tolist() == exp[c].astype(int).tolist(), c


def test_daftar_assistance__match_raw_entries(con):
    got = run(con, "daftar_assistance", daftar="nuroniylar").set_index("assistance_type").sort_index()
    exp = rows(con, f"""
        SELECT assistance_type, count(*) AS assisted, COALESCE(sum(amount_uzs), 0) AS amount_uzs
        FROM daftar_entries WHERE daftar = 'nuroniylar' AND assisted_on {PERIOD} GROUP BY 1""")
    exp = exp.set_index("assistance_type").reindex(got.index).fillna(0)
    assert len(got) == 8
    assert got["assisted"].tolist() == exp["assisted"].astype(int).tolist()
    assert got["amount_uzs"].tolist() == exp["amount_uzs"].astype(int).tolist()
    assert got["assisted"].sum() > 0


# --------------------------------------------------------------------------
# Inson
# --------------------------------------------------------------------------
CASES = """(SELECT cs.*, ic.district_soato AS centre_district, ic.is_pilot
            FROM cases cs JOIN social_workers w USING (worker_id) JOIN inson_centres ic ON ic.centre_id = w.centre_id)"""


def _inson_expected(con, where: str = "TRUE") -> pd.DataFrame:
    return rows(con, f"""
    WITH c AS (SELECT * FROM {CASES} WHERE {where}),
    w AS (SELECT w.*, ic.is_pilot, ic.district_soato AS centre_district FROM social_workers w
          JOIN inson_centres ic USING (centre_id) WHERE {where.replace('district_soato', 'ic.district_soato')}),
    inpost AS (SELECT * FROM w WHERE hired_on <= {E} AND (left_on IS NULL OR left_on > {E})),
    cov AS (SELECT ip.is_pilot, count(DISTINCT wm.mahalla_id) AS mahallas_with_worker
            FROM inpost ip JOIN worker_mahallas wm USING (worker_id) JOIN mahallas m USING (mahalla_id)
            WHERE m.district_soato = ip.centre_district GROUP BY 1),
    mt AS (SELECT ic.is_pilot, count(m.mahalla_id) AS mahallas_total FROM inson_centres ic
           JOIN mahallas m USING (district_soato)
           WHERE {where.replace('district_soato', 'ic.district_soato')} GROUP BY 1),
    cc AS (SELECT is_pilot,
                  count(*) FILTER (WHERE opened_on {PERIOD}) AS opened,
                  count(*) FILTER (WHERE closed_on {PERIOD}) AS closed,
                  count(*) FILTER (WHERE opened_on <= {E} AND (closed_on IS NULL OR closed_on > {E})) AS open_cases,
                  count(*) FILTER (WHERE opened_on <= {E} AND (closed_on IS NULL OR closed_on > {E})
                                   AND {E} - opened_on <= 30) AS backlog_0_30,
                  count(*) FILTER (WHERE opened_on <= {E} AND (closed_on IS NULL OR closed_on > {E})
                                   AND {E} - opened_on BETWEEN 31 AND 90) AS backlog_31_90,
                  count(*) FILTER (WHERE opened_on <= {E} AND (closed_on IS NULL OR closed_on > {E})
                                   AND {E} - opened_on > 90) AS backlog_90p,
                  quantile_disc(least(closed_on - opened_on, 366), 0.5) FILTER (WHERE closed_on {PERIOD})
                      AS median_days_to_close
           FROM c GROUP BY 1),
    wk AS (SELECT is_pilot, count(*) AS workers_in_post FROM inpost GROUP BY 1)
    SELECT CASE WHEN mt.is_pilot THEN 'pilot' ELSE 'other' END AS grp, wk.workers_in_post, mt.mahallas_total,
           cov.mahallas_with_worker, cc.opened, cc.closed, cc.open_cases, cc.backlog_0_30, cc.backlog_31_90,
           cc.backlog_90p, cc.median_days_to_close
    FROM mt LEFT JOIN wk USING (is_pilot) LEFT JOIN cov USING (is_pilot) LEFT JOIN cc USING (is_pilot)
    """).set_index("grp")


def test_inson_kpis__pilot_and_other_match_raw_tables(con):
    got = run(con, "inson_kpis").set_index("grp")
    exp = _inson_expected(con)
    assert list(got.index) == ["pilot", "other", "_all"]
    for g in ("pilot", "other"):
        for c in exp.columns:
            assert got.loc[g, c] == exp.loc[g, c], (g, c)
    assert got.loc["pilot", "centres"] == 28
    assert got.loc["_all", "open_cases"] == got.loc["pilot", "open_cases"] + got.loc["other", "open_cases"]
    assert got.loc["_all", "mahallas_no_worker"] == got.loc["_all", "mahallas_total"] - got.loc["_all", "mahallas_with_worker"]
    all_med = con.execute(f"SELECT quantile_disc(least(closed_on - opened_on, 366), 0.5) FROM cases "
                          f"WHERE closed_on {PERIOD}").fetchone()[0]
    assert got.loc["_all", "median_days_to_close"] == all_med


def test_inson_kpis__single_district(con):
    d = con.execute("SELECT district_soato FROM inson_centres WHERE is_pilot ORDER BY 1 LIMIT 1").fetchone()[0]
    got = run(con, "inson_kpis", districts=[d]).set_index("grp")
    exp = _inson_expected(con, f"district_soato = '{d}'")
    for c in exp.columns:
        assert got.loc["pilot", c] == exp.loc["pilot", c], c
    assert got.loc["other", "workers_in_post"] == 0 and got.loc["other", "open_cases"] == 0


def test_inson_kpis__empty_period_before_the_pilot(con):
    got = run(con, "inson_kpis", start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 1))
    assert got[["open_cases", "opened", "closed", "backlog_90p"]].to_numpy().sum() == 0
    assert got["median_days_to_close"].isna().all()


def test_inson_by_area__districts_match_kpis_and_raw(con):
    got = run(con, "inson_by_area", level="district", region="1703")
    kp = run(con, "inson_kpis", region="1703").set_index("grp").loc["_all"]
    for c in ("workers_in_post", "mahallas_total", "mahallas_with_worker", "open_cases", "opened", "closed",
              "backlog_0_30", "backlog_31_90", "backlog_90p"):
        assert got[c].sum() == kp[c], c
    exp = rows(con, f"""SELECT centre_district AS soato,
                  quantile_disc(least(closed_on - opened_on, 366), 0.5) FILTER (WHERE closed_on {PERIOD}) AS m
                  FROM {CASES} WHERE centre_district LIKE '1703%' GROUP BY 1""").set_index("soato")["m"]
    g = got.set_index("soato")["median_days_to_close"].dropna()
    assert g.to_dict() == exp.dropna().astype(int).to_dict()


def test_inson_by_area__regions_count_pilots(con):
    reg = run(con, "inson_by_area", level="region")
    assert len(reg) == 14 and reg["pilot_centres"].sum() == 28 and reg["centres"].sum() == 205


def test_inson_trend__months_match_raw(con):
    got = run(con, "inson_trend")
    assert len(got) == 24
    s = got.groupby("month")[["opened", "closed", "open_cases", "workers_in_post"]].sum()
    exp = rows(con, """
        WITH m AS (SELECT CAST(x AS DATE) AS month, CAST(x + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS e
                   FROM generate_series(DATE '2024-07-01', DATE '2025-06-01', INTERVAL 1 MONTH) g(x))
        SELECT m.month,
               (SELECT count(*) FROM cases WHERE date_trunc('month', opened_on) = m.month) AS opened,
               (SELECT count(*) FROM cases WHERE date_trunc('month', closed_on) = m.month) AS closed,
               (SELECT count(*) FROM cases WHERE opened_on <= m.e AND (closed_on IS NULL OR closed_on > m.e)) AS open_cases,
               (SELECT count(*) FROM social_workers WHERE hired_on <= m.e AND (left_on IS NULL OR left_on > m.e))
                   AS workers_in_post
        FROM m ORDER BY 1""").set_index("month")
    s.index = pd.to_datetime(s.index)
    exp.index = pd.to_datetime(exp.index)
    pd.testing.assert_frame_equal(s, exp, check_dtype=False)


def test_inson_services__match_raw(con):
    got = run(con, "inson_services", region="1735").set_index("service_type").sort_index()
    exp = rows(con, f"""SELECT service_type, count(*) FILTER (WHERE opened_on {PERIOD}) AS opened,
                   count(*) FILTER (WHERE closed_on {PERIOD}) AS closed,
                   count(*) FILTER (WHERE opened_on <= {E} AND (closed_on IS NULL OR closed_on > {E})) AS open_cases
                   FROM {CASES} WHERE centre_district LIKE '1735%' GROUP BY 1""").set_index("service_type")
    exp = exp.reindex(got.index).fillna(0).astype(int)
    assert len(got) == 8
    for c in exp.columns:
        assert got[c].tolist() == exp[c].tolist(), c


# --------------------------------------------------------------------------
# District profile
# --------------------------------------------------------------------------
def test_district_daftar__levels_equal_the_page_queries(con):
    d = _district_with_most_entries(con)
    got = run(con, "district_daftar", district=d).set_index("level")
    assert list(got.index) == ["district", "region", "country"]
    for level, area in (("district", {"districts": [d]}), ("region", {"region": d[:4]}), ("country", {})):
        kp = run(con, "daftar_kpis", daftar=None, **area).set_index("daftar").loc["_all"]
        for c in ("open_start", "included", "assisted", "on_register", "waiting_90", "waiting_180",
                  "median_days_to_help", "target_population"):
            assert got.loc[level, c] == kp[c], (level, c)


def test_district_inson__levels_equal_the_page_queries(con):
    d = con.execute("SELECT district_soato FROM inson_centres WHERE NOT is_pilot ORDER BY 1 LIMIT 1").fetchone()[0]
    got = run(con, "district_inson", district=d).set_index("level")
    assert not got.loc["district", "is_pilot"]
    for level, area in (("district", {"districts": [d]}), ("region", {"region": d[:4]}), ("country", {})):
        kp = run(con, "inson_kpis", **area).set_index("grp").loc["_all"]
        for c in ("workers_in_post", "mahallas_total", "mahallas_no_worker", "open_cases", "opened", "closed",
                  "backlog_90p", "median_days_to_close"):
            assert got.loc[level, c] == kp[c], (level, c)


def test_district_coverage__levels_equal_raw_tables_for_targeted_assistance(con):
    from data.contract import TARGETED_PROGRAMMES
    from kit_helpers import raw_coverage
    d = "1703202"
    got = run(con, "district_coverage", district=d).set_index("level")
    month = dt.date(2025, 6, 1)
    exp = {"district": raw_coverage(con, month, districts=[d], programmes=TARGETED_PROGRAMMES),
           "region": raw_coverage(con, month, region="1703", programmes=TARGETED_PROGRAMMES),
           "country": raw_coverage(con, month, programmes=TARGETED_PROGRAMMES)}
    cols = ["eligible_households", "assisted_households", "assisted_eligible", "assisted_not_eligible",
            "exclusion_gap"]
    for level, want in exp.items():
        assert got.loc[level, cols].tolist() == [want[c] for c in cols], level
    anyp = raw_coverage(con, month, districts=[d])
    assert got.loc["district", "assisted_households"] < anyp["assisted_households"]  # not '_all'
    assert exp["country"]["eligible_households"] > exp["region"]["eligible_households"] \
        > exp["district"]["eligible_households"] > 0


def test_district_growth__year_on_year_from_payments(con):
    d = "1703202"
    got = run(con, "district_growth", district=d).set_index("level")
    exp = rows(con, """
        SELECT count(DISTINCT p.household_id) FILTER (WHERE p.month = DATE '2025-06-01') AS hh,
               count(DISTINCT p.household_id) FILTER (WHERE p.month = DATE '2024-06-01') AS hh_prev,
               sum(p.amount_uzs) FILTER (WHERE p.month BETWEEN DATE '2024-07-01' AND DATE '2025-06-01') AS amt,
               sum(p.amount_uzs) FILTER (WHERE p.month BETWEEN DATE '2023-07-01' AND DATE '2024-06-01') AS amt_prev
        FROM payments p JOIN households h USING (household_id) WHERE h.district_soato = '1703202'""").iloc[0]
    assert got.loc["district", "households_end"] == exp["hh"]
    assert got.loc["district", "households_end_prev"] == exp["hh_prev"]
    assert got.loc["district", "amount_uzs"] == exp["amt"]
    assert got.loc["district", "amount_uzs_prev"] == exp["amt_prev"]


def test_district_trend__district_rows_equal_the_page_trends(con):
    d = _district_with_most_entries(con)
    got = run(con, "district_trend", district=d)
    assert len(got) == 36
    dist = got[got["level"] == "district"].set_index("month")
    tr = run(con, "daftar_trend", daftar=None, districts=[d]).groupby("month")[["on_register", "waiting_90"]].sum()
    assert dist["on_register"].tolist() == tr["on_register"].tolist()
    assert dist["waiting_90"].tolist() == tr["waiting_90"].tolist()


def test_profile_queries__district_outside_scope_returns_nothing(con):
    for name in ("district_coverage", "district_growth", "district_daftar", "district_inson", "district_trend"):
        assert run(con, name, district="1703202", scope_region="1726").empty, name
        assert len(run(con, name, district="1703202", scope_region="1703")) > 0, name


def test_profile_queries__region_scope_limits_the_country_row(con):
    got = run(con, "district_daftar", district="1703202", scope_region="1703").set_index("level")
    assert got.loc["country", "on_register"] == got.loc["region", "on_register"]
