-- The Inson centres for the shared filters: staff (mart_workers_dm), cases (mart_cases_dm) and
-- days to close (mart_case_close_hist_all) in the viewer's scope (in_scope) and the selected area
-- (in_area); the bound values fold into table filters as in area.sql.

-- inson_pilot(scope_region, scope_district, region, districts): one row per district of the
-- selection with a centre: district_soato, is_pilot (its centre is flagged pilot in any month).
CREATE OR REPLACE MACRO inson_pilot(scope_region, scope_district, region, districts) AS TABLE
    SELECT district_soato, BOOL_OR(is_pilot) AS is_pilot
    FROM mart_workers_dm
    WHERE in_scope(region_soato, district_soato, scope_region, scope_district)
      AND in_area(region_soato, district_soato, region, districts)
    GROUP BY district_soato;

-- inson_group(is_pilot): the group a district's figures count in: 'pilot', or 'other' (also
-- when the district has no centre: is_pilot NULL).
CREATE OR REPLACE MACRO inson_group(is_pilot) AS
    CASE WHEN is_pilot THEN 'pilot' ELSE 'other' END;

-- inson_staff(scope_region, scope_district, region, districts, at_month): one row per district
-- of the selection with a centre, stocks at the end of at_month: region_soato, district_soato,
-- is_pilot, then the counts: centres, pilot_centres, workers_in_post, mahallas_total,
-- mahallas_with_worker. Sum the counts over any grouping of districts (a centre serves one
-- district; the mart holds one row per centre and month, so centres = COUNT(*)).
CREATE OR REPLACE MACRO inson_staff(scope_region, scope_district, region, districts, at_month) AS TABLE
    SELECT region_soato, district_soato, BOOL_OR(is_pilot) AS is_pilot,
           COUNT(*) AS centres,
           COUNT(*) FILTER (WHERE is_pilot) AS pilot_centres,
           SUM(workers_in_post) AS workers_in_post,
           SUM(mahallas_total) AS mahallas_total,
           SUM(mahallas_with_worker) AS mahallas_with_worker
    FROM mart_workers_dm
    WHERE in_scope(region_soato, district_soato, scope_region, scope_district)
      AND in_area(region_soato, district_soato, region, districts)
      AND month = at_month
    GROUP BY region_soato, district_soato;

-- inson_cases(scope_region, scope_district, region, districts, period_start, period_end): one row per
-- district of the selection with cases in the period: region_soato, district_soato, then the
-- counts: open_cases (at the end of period_end); opened, closed, days_to_close_sum (flows of the
-- period); backlog_0_30, backlog_31_90, backlog_90p (open at the end of period_end, by age). A count
-- is NULL where none of its months has a row. Sum them over any grouping of districts.
CREATE OR REPLACE MACRO inson_cases(scope_region, scope_district, region, districts,
                                    period_start, period_end) AS TABLE
    SELECT region_soato, district_soato,
           SUM(open_end) FILTER (WHERE month = period_end) AS open_cases,
           SUM(opened) FILTER (WHERE month >= period_start) AS opened,
           SUM(closed) FILTER (WHERE month >= period_start) AS closed,
           SUM(days_to_close_sum) FILTER (WHERE month >= period_start) AS days_to_close_sum,
           SUM(backlog_0_30) FILTER (WHERE month = period_end) AS backlog_0_30,
           SUM(backlog_31_90) FILTER (WHERE month = period_end) AS backlog_31_90,
           SUM(backlog_90p) FILTER (WHERE month = period_end) AS backlog_90p
    FROM mart_cases_dm
    WHERE in_scope(region_soato, district_soato, scope_region, scope_district)
      AND in_area(region_soato, district_soato, region, districts)
      AND month BETWEEN period_start AND period_end
    GROUP BY region_soato, district_soato;

-- case_closings(scope_region, scope_district, region, districts, period_start, period_end): the rows
-- of mart_case_close_hist_all (days to close, per district × month closed × days: cases) of the
-- selection closed in the period; for hist_median().
CREATE OR REPLACE MACRO case_closings(scope_region, scope_district, region, districts,
                                      period_start, period_end) AS TABLE
    SELECT *
    FROM mart_case_close_hist_all
    WHERE in_scope(region_soato, district_soato, scope_region, scope_district)
      AND in_area(region_soato, district_soato, region, districts)
      AND month BETWEEN period_start AND period_end;
