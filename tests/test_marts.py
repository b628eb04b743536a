"""Every mart reconciles exactly with the raw tables.

Runs on the session ``warehouse`` fixture (generated ``test`` scale, ingested by
``data.ingest``). Each expected result is computed with independent SQL on the
raw tables, written differently from the mart SQL (stocks by expanding entries
over months instead of running sums of events, distinct counts straight from
payments), and the whole result is compared. A last test computes the headline
numbers from the extract files themselves, bypassing the warehouse.
"""
from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(warehouse):
    c = duckdb.connect(str(warehouse), read_only=True)
    yield c
    c.close()


def rows(con, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall(), key=lambda r: tuple((x is None, x) for x in r))


def same(con, mart_sql: str, expected_sql: str) -> None:
    got, want = rows(con, mart_sql), rows(con, expected_sql)
    assert want, "the expected result is empty: the test would prove nothing"
    assert got == want


CAL = """(SELECT CAST(m AS DATE) AS month, CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS month_end
          FROM range(CAST((SELECT min(month) FROM mart_workers_dm) AS TIMESTAMP),
                     CAST((SELECT max(month) FROM mart_workers_dm) AS TIMESTAMP) + INTERVAL 1 DAY,
                     INTERVAL 1 MONTH) r(m))"""


def test_marts__calendar_runs_to_the_snapshot_month(con):
    snap = con.execute("SELECT CAST(value AS DATE) FROM meta WHERE key = 'snapshot_date'").fetchone()[0]
    first = con.execute("SELECT least((SELECT min(month) FROM payments), "
                        "(SELECT min(date_trunc('month', included_on)) FROM daftar_entries), "
                        "(SELECT min(date_trunc('month', opened_on)) FROM cases))").fetchone()[0]
    months = con.execute("SELECT min(month), max(month), count(DISTINCT month) FROM mart_coverage_dm").fetchone()
    assert months[0] == first.date() if hasattr(first, "date") else first
    assert months[1] == snap.replace(day=1)
    assert months[2] == (snap.year - months[0].year) * 12 + snap.month - months[0].month + 1


def test_marts__payments_dm(con):
    same(con,
         "SELECT region_soato, district_soato, month, programme, channel, payments, amount_uzs, households "
         "FROM mart_payments_dm",
         "SELECT left(h.district_soato, 4), h.district_soato, p.month, p.programme, p.channel, count(*), "
         "sum(p.amount_uzs), count(DISTINCT p.household_id) "
         "FROM payments p, households h WHERE h.household_id = p.household_id GROUP BY ALL")
    assert con.execute("SELECT sum(amount_uzs), sum(payments) FROM mart_payments_dm").fetchone() == \
        con.execute("SELECT sum(amount_uzs), count(*) FROM payments").fetchone()


def test_marts__recipients_dm(con):
    same(con, "SELECT district_soato, month, programme, households, amount_uzs FROM mart_recipients_dm",
         """SELECT h.district_soato, p.month, p.programme, count(DISTINCT p.household_id), sum(p.amount_uzs)
            FROM payments p JOIN households h ON h.household_id = p.household_id GROUP BY ALL
            UNION ALL
            SELECT h.district_soato, p.month, '_all', count(DISTINCT p.household_id), sum(p.amount_uzs)
            FROM payments p JOIN households h ON h.household_id = p.household_id GROUP BY ALL""")


def test_marts__recipients_dy(con):
    same(con, "SELECT district_soato, year, programme, households, amount_uzs FROM mart_recipients_dy",
         """SELECT h.district_soato, year(p.month), p.programme, count(DISTINCT p.household_id), sum(p.amount_uzs)
            FROM payments p JOIN households h ON h.household_id = p.household_id GROUP BY ALL
            UNION ALL
            SELECT h.district_soato, year(p.month), '_all', count(DISTINCT p.household_id), sum(p.amount_uzs)
            FROM payments p JOIN households h ON h.household_id = p.household_id GROUP BY ALL""")


def test_marts__coverage_dm(con):
    n_months = con.execute("SELECT count(DISTINCT month) FROM mart_coverage_dm").fetchone()[0]
    assert con.execute("SELECT count(*) FROM mart_coverage_dm").fetchone()[0] == 205 * n_months * 4
    same(con,
         "SELECT district_soato, month, programme, eligible_households, assisted_households, assisted_eligible, "
         "assisted_not_eligible, exclusion_gap, poor_households_est FROM mart_coverage_dm",
         f"""WITH cal AS {CAL},
            elig AS (  -- household x month it was eligible on some day of
                SELECT h.household_id, h.district_soato, c.month FROM households h JOIN cal c
                  ON h.eligible_from <= c.month_end AND (h.eligible_to IS NULL OR h.eligible_to >= c.month)),
            paid AS (
                SELECT DISTINCT p.household_id, h.district_soato, p.month, g.programme
                FROM payments p JOIN households h ON h.household_id = p.household_id,
                     (SELECT unnest(['_targeted', '_all', 'child_allowance', 'material_assistance']) AS programme) g
                WHERE g.programme = '_all' OR g.programme = p.programme
                   OR (g.programme = '_targeted' AND p.programme IN ('child_allowance', 'material_assistance'))),
            grid AS (SELECT d.district_soato, c.month, g.programme FROM ref_districts d, cal c,
                     (SELECT unnest(['_targeted', '_all', 'child_allowance', 'material_assistance']) AS programme) g)
            SELECT g.district_soato, g.month, g.programme,
              (SELECT count(*) FROM elig e WHERE e.district_soato = g.district_soato AND e.month = g.month),
              (SELECT count(*) FROM paid p WHERE p.district_soato = g.district_soato AND p.month = g.month
                 AND p.programme = g.programme),
              (SELECT count(*) FROM paid p SEMI JOIN elig e ON e.household_id = p.household_id AND e.month = p.month
                 WHERE p.district_soato = g.district_soato AND p.month = g.month AND p.programme = g.programme),
              (SELECT count(*) FROM paid p ANTI JOIN elig e ON e.household_id = p.household_id AND e.month = p.month
                 WHERE p.district_soato = g.district_soato AND p.month = g.month AND p.programme = g.programme),
              (SELECT count(*) FROM elig e ANTI JOIN paid p ON p.household_id = e.household_id AND p.month = e.month
                 AND p.programme = g.programme
                 WHERE e.district_soato = g.district_soato AND e.month = g.month),
              (SELECT poor_households_est FROM population p WHERE p.district_soato = g.district_soato
                 AND p.year <= year(g.month) ORDER BY p.year DESC LIMIT 1)
            FROM grid g""")


def test_marts__daftar_dm_flows_and_stocks(con):
    same(con,
         "SELECT district_soato, month, daftar, need_type, included, assessed, assisted, removed, open_end, "
         "waiting_90, waiting_180, days_to_help_sum FROM mart_daftar_dm",
         f"""WITH cal AS {CAL},
            e AS (SELECT *, coalesce(least(assisted_on, removed_on), DATE '9999-12-31') AS close_on
                  FROM daftar_entries),
            cells AS (
              SELECT e.district_soato, c.month, e.daftar, e.need_type,
                count(*) FILTER (WHERE date_trunc('month', included_on) = c.month) AS included,
                count(*) FILTER (WHERE date_trunc('month', assessed_on) = c.month) AS assessed,
                count(*) FILTER (WHERE date_trunc('month', assisted_on) = c.month) AS assisted,
                count(*) FILTER (WHERE date_trunc('month', removed_on) = c.month) AS removed,
                count(*) FILTER (WHERE included_on <= c.month_end AND close_on > c.month_end) AS open_end,
                count(*) FILTER (WHERE included_on <= c.month_end AND close_on > c.month_end
                                   AND c.month_end - included_on > 90) AS waiting_90,
                count(*) FILTER (WHERE included_on <= c.month_end AND close_on > c.month_end
                                   AND c.month_end - included_on > 180) AS waiting_180,
                coalesce(sum(assisted_on - included_on) FILTER (WHERE date_trunc('month', assisted_on) = c.month), 0)
                  AS days_to_help_sum
              FROM e JOIN cal c ON e.included_on <= c.month_end
              GROUP BY ALL)
            SELECT * FROM cells
            WHERE included + assessed + assisted + removed + open_end + waiting_90 + waiting_180 > 0""")


def test_marts__daftar_help_and_wait_hist(con):
    same(con, "SELECT district_soato, month, daftar, need_type, assistance_type, assisted, amount_uzs, "
              "days_to_help_sum FROM mart_daftar_help_dm",
         "SELECT district_soato, CAST(date_trunc('month', assisted_on) AS DATE), daftar, need_type, assistance_type, count(*), "
         "coalesce(sum(amount_uzs), 0), sum(assisted_on - included_on) FROM daftar_entries "
         "WHERE assisted_on IS NOT NULL GROUP BY ALL")
    same(con, "SELECT district_soato, month, daftar, days, entries FROM mart_daftar_wait_hist",
         "SELECT district_soato, CAST(date_trunc('month', assisted_on) AS DATE), daftar, "
         "CASE WHEN assisted_on - included_on >= 366 THEN 366 ELSE assisted_on - included_on END, count(*) "
         "FROM daftar_entries WHERE assisted_on IS NOT NULL GROUP BY ALL")


def test_marts__daftar_cohort_dm_follows_each_inclusion_month(con):
    """Written per entry with a CASE for the end state, against the mart's FILTER counts."""
    same(con, """SELECT district_soato, month, daftar, included, assessed, helped, removed, waiting
                 FROM mart_daftar_cohort_dm""",
         """WITH e AS (
                SELECT district_soato, daftar, strftime(included_on, '%Y-%m-01')::DATE AS month,
                       CASE WHEN assisted_on IS NOT NULL THEN 'helped'
                            WHEN removed_on IS NOT NULL THEN 'removed' ELSE 'waiting' END AS state,
                       (assessed_on IS NOT NULL OR assisted_on IS NOT NULL)::INT AS assessed
                FROM daftar_entries)
            SELECT district_soato, month, daftar, count(*), sum(assessed),
                   count(*) FILTER (WHERE state = 'helped'), count(*) FILTER (WHERE state = 'removed'),
                   count(*) FILTER (WHERE state = 'waiting')
            FROM e GROUP BY ALL""")
    # a cohort never grows from stage to stage, and its end states add up to it
    bad = con.execute("""SELECT count(*) FROM mart_daftar_cohort_dm WHERE NOT (included >= assessed
                         AND assessed >= helped AND included = helped + removed + waiting)""").fetchone()[0]
    assert bad == 0


def test_marts__cases_dm_flows_and_backlog(con):
    same(con,
         "SELECT centre_id, district_soato, month, service_type, opened, closed, days_to_close_sum, open_end, "
         "backlog_0_30, backlog_31_90, backlog_90p FROM mart_cases_dm",
         f"""WITH cal AS {CAL},
            c AS (SELECT w.centre_id, ic.district_soato, cs.service_type, cs.opened_on,
                         coalesce(cs.closed_on, DATE '9999-12-31') AS close_on, cs.closed_on
                  FROM cases cs, social_workers w, inson_centres ic
                  WHERE w.worker_id = cs.worker_id AND ic.centre_id = w.centre_id),
            cells AS (
              SELECT c.centre_id, c.district_soato, k.month, c.service_type,
                count(*) FILTER (WHERE date_trunc('month', opened_on) = k.month) AS opened,
                count(*) FILTER (WHERE date_trunc('month', closed_on) = k.month) AS closed,
                coalesce(sum(closed_on - opened_on) FILTER (WHERE date_trunc('month', closed_on) = k.month), 0) AS dsum,
                count(*) FILTER (WHERE close_on > k.month_end) AS open_end,
                count(*) FILTER (WHERE close_on > k.month_end AND k.month_end - opened_on <= 30) AS b0,
                count(*) FILTER (WHERE close_on > k.month_end AND k.month_end - opened_on BETWEEN 31 AND 90) AS b1,
                count(*) FILTER (WHERE close_on > k.month_end AND k.month_end - opened_on > 90) AS b2
              FROM c JOIN cal k ON c.opened_on <= k.month_end
              GROUP BY ALL)
            SELECT * FROM cells WHERE opened + closed + open_end > 0""")
    assert con.execute("SELECT sum(opened), sum(closed) FROM mart_cases_dm").fetchone() == \
        con.execute("SELECT count(*), count(closed_on) FROM cases").fetchone()


def test_marts__case_close_hist(con):
    same(con, "SELECT district_soato, month, service_type, days, cases FROM mart_case_close_hist",
         "SELECT ic.district_soato, CAST(date_trunc('month', cs.closed_on) AS DATE), cs.service_type, "
         "CASE WHEN cs.closed_on - cs.opened_on >= 366 THEN 366 ELSE cs.closed_on - cs.opened_on END, count(*) "
         "FROM cases cs JOIN social_workers w USING (worker_id) JOIN inson_centres ic ON ic.centre_id = w.centre_id "
         "WHERE cs.closed_on IS NOT NULL GROUP BY ALL")


def test_marts__case_close_hist_all(con):
    same(con, "SELECT region_soato, district_soato, month, days, cases FROM mart_case_close_hist_all",
         "SELECT left(ic.district_soato, 4), ic.district_soato, CAST(date_trunc('month', cs.closed_on) AS DATE), "
         "CASE WHEN cs.closed_on - cs.opened_on >= 366 THEN 366 ELSE cs.closed_on - cs.opened_on END, count(*) "
         "FROM cases cs JOIN social_workers w USING (worker_id) JOIN inson_centres ic ON ic.centre_id = w.centre_id "
         "WHERE cs.closed_on IS NOT NULL GROUP BY ALL")


@pytest.mark.parametrize("mart", ["mart_payments_dm", "mart_coverage_dm", "mart_daftar_dm", "mart_daftar_wait_hist",
                                  "mart_case_close_hist", "mart_case_close_hist_all", "mart_cases_dm",
                                  "mart_recipients_dy"])
def test_marts__stored_in_time_then_place_order(con, mart):
    """Rows are physically ordered by month (or year), region, district, so zone maps skip
    the row groups outside a selected period (data.ingest.sort_marts)."""
    time_col = "year" if mart.endswith("_dy") else "month"
    out_of_order = con.execute(
        f"SELECT count(*) FROM (SELECT {time_col} AS t, region_soato, district_soato, "
        f"lag({time_col}) OVER (ORDER BY rowid) AS t0, lag(region_soato) OVER (ORDER BY rowid) AS r0, "
        f"lag(district_soato) OVER (ORDER BY rowid) AS d0 FROM {mart}) "
        f"WHERE t0 IS NOT NULL AND (t0, r0, d0) > (t, region_soato, district_soato)").fetchone()[0]
    assert con.execute(f"SELECT count(DISTINCT {time_col}) FROM {mart}").fetchone()[0] > 1
    assert out_of_order == 0


def test_marts__every_district_is_a_reference_district_of_its_region(con):
    # the differencing rules read a region as the sum of its reference districts
    # (queries/publish._own_figures): a mart row under another code would escape them
    marts = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_columns() WHERE column_name = 'district_soato' "
        "AND table_name LIKE 'mart\\_%' ESCAPE '\\' GROUP BY ALL").fetchall()]
    assert len(marts) >= 10
    for mart in marts:
        cols = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = $t",
                                          {"t": mart}).fetchall()}
        region = " OR d.region_soato <> m.region_soato" if "region_soato" in cols else ""
        stray = con.execute(
            f"SELECT count(*) FROM {mart} m LEFT JOIN ref_districts d USING (district_soato) "
            f"WHERE m.district_soato IS NOT NULL AND (d.district_soato IS NULL{region})").fetchone()[0]
        assert stray == 0, mart


def test_marts__workers_dm(con):
    same(con, "SELECT centre_id, month, is_pilot, workers_in_post, mahallas_total, mahallas_with_worker "
              "FROM mart_workers_dm",
         f"""WITH cal AS {CAL}
            SELECT ic.centre_id, c.month, ic.is_pilot,
              (SELECT count(*) FROM social_workers w WHERE w.centre_id = ic.centre_id AND w.hired_on <= c.month_end
                 AND coalesce(w.left_on, DATE '9999-12-31') > c.month_end),
              (SELECT count(*) FROM mahallas m WHERE m.district_soato = ic.district_soato),
              (SELECT count(DISTINCT m.mahalla_id) FROM social_workers w, unnest(string_split(w.mahalla_ids, ';')) u(x),
                      mahallas m
               WHERE w.centre_id = ic.centre_id AND w.hired_on <= c.month_end
                 AND coalesce(w.left_on, DATE '9999-12-31') > c.month_end
                 AND m.mahalla_id = trim(u.x) AND m.district_soato = ic.district_soato)
            FROM inson_centres ic, cal c""")


def test_marts__population_y(con):
    same(con, "SELECT district_soato, year, residents, women, youth, elderly, households, poor_households_est "
              "FROM mart_population_y",
         "SELECT district_soato, year, residents, women, youth, elderly, households, poor_households_est "
         "FROM population")


def test_marts__headline_numbers_equal_the_extract_files(con, extracts_dir):
    """Assisted households and total paid, from the Parquet extract itself (no warehouse)."""
    raw = duckdb.connect()
    pay = f"read_parquet('{extracts_dir / 'payments.parquet'}')"
    want_total, want_rows = raw.execute(f"SELECT sum(amount_uzs), count(*) FROM {pay}").fetchone()
    want_hh = raw.execute(f"SELECT count(DISTINCT household_id) FROM {pay}").fetchone()[0]
    want_2025 = raw.execute(f"SELECT count(DISTINCT household_id) FROM {pay} "
                            "WHERE year(CAST(month AS DATE)) = 2025").fetchone()[0]
    raw.close()
    assert con.execute("SELECT sum(amount_uzs), sum(payments) FROM mart_payments_dm").fetchone() == \
        (want_total, want_rows)
    # the generated extract is clean, so every household paid is in the warehouse
    assert con.execute("SELECT count(DISTINCT household_id) FROM payments").fetchone()[0] == want_hh
    assert con.execute("SELECT sum(households) FROM mart_recipients_dy WHERE programme = '_all' "
                       "AND year = 2025").fetchone()[0] == want_2025
    assert con.execute("SELECT value FROM meta WHERE key = 'rows_rejected'").fetchone() == ("0",)


def test_marts__coverage_dm_targeted_counts_a_household_paid_from_both_once(con):
    month = con.execute("SELECT max(month) FROM mart_coverage_dm").fetchone()[0]
    got = con.execute("""SELECT programme, sum(assisted_households) FROM mart_coverage_dm
                         WHERE month = ? GROUP BY programme ORDER BY programme""", [month]).fetchall()
    raw = con.execute("""
        SELECT count(DISTINCT household_id) FILTER (WHERE programme IN ('child_allowance', 'material_assistance')),
               count(DISTINCT household_id),
               count(DISTINCT household_id) FILTER (WHERE programme = 'child_allowance'),
               count(DISTINCT household_id) FILTER (WHERE programme = 'material_assistance')
        FROM payments WHERE month = ?""", [month]).fetchone()
    assert got == [("_all", raw[1]), ("_targeted", raw[0]), ("child_allowance", raw[2]),
                   ("material_assistance", raw[3])]
    assert raw[0] < raw[2] + raw[3]  # some households get both: '_targeted' is not a sum
