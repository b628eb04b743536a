"""Independent figures for the policy lab's query and page tests: computed from the RAW tables of the
test warehouse (``households``, ``payments``, ``population``, ``daftar_entries``, ``inson_centres``,
``social_workers``, ``cases``, ``mahallas``) and the reference CSV, never from the marts or the
pages' SQL."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from data.reference.access import access_table
from raw_daftar_inson import month_end

TARGETED = ("child_allowance", "material_assistance")


def _region(region: str | None) -> str:
    return "TRUE" if region is None else f"d.district_soato LIKE '{region}%'"


def raw_need(con, month: dt.date, region: str | None = None) -> pd.DataFrame:
    """need_indicators.sql's columns per district, from the raw tables."""
    e, snap = month_end(month), con.execute("SELECT max(month) FROM payments").fetchone()[0]
    p = {"m": month, "e": e, "snap": month_end(snap)}
    df = con.execute(f"""
        WITH d AS (SELECT district_soato, region_soato, name_uz, name_ru, name_en FROM ref_districts),
        pop AS (SELECT district_soato, residents, households, poor_households_est FROM population
                WHERE year = (SELECT max(year) FROM population WHERE year <= year($m))),
        reg AS (SELECT district_soato, count(*) AS registry_households, sum(children_under_18) AS children_under_18,
                       count(*) FILTER (WHERE single_elderly) AS single_elderly,
                       sum(members_disabled) AS members_disabled
                FROM households WHERE registered_on <= $snap GROUP BY 1),
        el AS (SELECT household_id, district_soato FROM households
               WHERE eligible_from <= $e AND (eligible_to IS NULL OR eligible_to >= $m)),
        paid AS (SELECT DISTINCT household_id FROM payments WHERE month = $m AND programme IN {TARGETED}),
        cov AS (SELECT district_soato, count(*) AS eligible_households,
                       count(*) - count(paid.household_id) AS exclusion_gap
                FROM el LEFT JOIN paid USING (household_id) GROUP BY 1),
        daf AS (SELECT district_soato, count(*) AS daftar_open FROM daftar_entries
                WHERE included_on <= $e AND (assisted_on IS NULL OR assisted_on > $e)
                  AND (removed_on IS NULL OR removed_on > $e) GROUP BY 1),
        staff AS (SELECT ic.district_soato, count(*) AS workers_in_post FROM social_workers w
                  JOIN inson_centres ic USING (centre_id)
                  WHERE w.hired_on <= $e AND (w.left_on IS NULL OR w.left_on > $e) GROUP BY 1),
        mah AS (SELECT district_soato, count(*) AS mahallas_total FROM mahallas GROUP BY 1),
        cs AS (SELECT ic.district_soato, count(*) AS open_cases FROM cases c JOIN social_workers w USING (worker_id)
               JOIN inson_centres ic ON ic.centre_id = w.centre_id
               WHERE c.opened_on <= $e AND (c.closed_on IS NULL OR c.closed_on > $e) GROUP BY 1)
        SELECT d.*, coalesce(COLUMNS(['residents', 'households', 'poor_households_est', 'registry_households',
               'children_under_18', 'single_elderly', 'members_disabled', 'eligible_households', 'exclusion_gap',
               'daftar_open', 'mahallas_total', 'workers_in_post', 'open_cases']), 0)
        FROM d LEFT JOIN pop USING (district_soato) LEFT JOIN reg USING (district_soato)
        LEFT JOIN cov USING (district_soato) LEFT JOIN daf USING (district_soato)
        LEFT JOIN staff USING (district_soato) LEFT JOIN mah USING (district_soato) LEFT JOIN cs USING (district_soato)
        WHERE {_region(region)} ORDER BY district_soato""", p).df()
    acc = access_table()[["district_soato", "remoteness_km", "rural_share"]]
    return df.merge(acc, on="district_soato", how="left")


def raw_current(con, start: dt.date, end: dt.date, region: str | None = None) -> pd.DataFrame:
    """finance_districts.sql's current_uzs, residents and eligible households per district."""
    e = month_end(end)
    return con.execute(f"""
        WITH d AS (SELECT district_soato FROM ref_districts),
        paid AS (SELECT h.district_soato, sum(p.amount_uzs) AS current_uzs FROM payments p
                 JOIN households h USING (household_id)
                 WHERE p.month BETWEEN $s AND $m AND p.programme IN {TARGETED} GROUP BY 1),
        pop AS (SELECT district_soato, residents FROM population
                WHERE year = (SELECT max(year) FROM population WHERE year <= year($m))),
        el AS (SELECT district_soato, count(*) AS eligible_households FROM households
               WHERE eligible_from <= $e AND (eligible_to IS NULL OR eligible_to >= $m) GROUP BY 1)
        SELECT d.district_soato, coalesce(current_uzs, 0) AS current_uzs, coalesce(residents, 0) AS residents,
               coalesce(eligible_households, 0) AS eligible_households
        FROM d LEFT JOIN paid USING (district_soato) LEFT JOIN pop USING (district_soato)
        LEFT JOIN el USING (district_soato) WHERE {_region(region)} ORDER BY 1""",
                       {"s": start, "m": end, "e": e}).df()


def raw_pilot_panel(con, start: dt.date, end: dt.date) -> pd.DataFrame:
    """pilot_panel.sql's rows (district × month) from the raw tables."""
    return con.execute(f"""
        WITH m AS (SELECT CAST(g AS DATE) AS month, CAST(g + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS month_end
                   FROM generate_series($s::DATE, $e::DATE, INTERVAL 1 MONTH) t(g)),
        grid AS (SELECT d.district_soato, m.month, m.month_end FROM ref_districts d, m),
        el AS (SELECT grid.district_soato, grid.month, count(h.household_id) AS eligible_households,
                      list(h.household_id) AS ids
               FROM grid LEFT JOIN households h ON h.district_soato = grid.district_soato
                 AND h.eligible_from <= grid.month_end AND (h.eligible_to IS NULL OR h.eligible_to >= grid.month)
               GROUP BY 1, 2),
        paid AS (SELECT h.district_soato, p.month, p.household_id, sum(p.amount_uzs) AS amount
                 FROM payments p JOIN households h USING (household_id)
                 WHERE p.programme IN {TARGETED} AND p.month BETWEEN $s AND $e GROUP BY 1, 2, 3),
        pd AS (SELECT district_soato, month, count(*) AS assisted_households, sum(amount) AS targeted_amount_uzs,
                      list(household_id) AS paid_ids FROM paid GROUP BY 1, 2),
        daf AS (SELECT district_soato, CAST(date_trunc('month', assisted_on) AS DATE) AS month,
                       count(*) AS daftar_assisted, sum(assisted_on - included_on) AS days_to_help_sum
                FROM daftar_entries WHERE assisted_on IS NOT NULL GROUP BY 1, 2)
        SELECT el.district_soato, el.month, CAST(date_trunc('month', ic.opened_on) AS DATE) AS cohort,
               el.eligible_households,
               len(list_intersect(el.ids, coalesce(pd.paid_ids, []))) AS assisted_eligible,
               coalesce(pd.assisted_households, 0) AS assisted_households,
               coalesce(pd.targeted_amount_uzs, 0) AS targeted_amount_uzs,
               coalesce(daf.daftar_assisted, 0) AS daftar_assisted, coalesce(daf.days_to_help_sum, 0) AS days_to_help_sum
        FROM el LEFT JOIN pd USING (district_soato, month) LEFT JOIN daf USING (district_soato, month)
        LEFT JOIN inson_centres ic ON ic.district_soato = el.district_soato
        ORDER BY 1, 2""", {"s": start, "e": end}).df()
