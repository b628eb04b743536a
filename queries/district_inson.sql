-- Grain: one row per level: 'district', 'region', 'country'.
-- Scope: profile (the district $district of the viewer's scope, its region and the country).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $district       VARCHAR         7-digit district SOATO of the profile
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
-- Same definitions as inson_kpis: stocks at the end of $end, flows over the period,
-- lower median days to close from the histogram.
-- Purpose (district_inson): Inson centre workload for one district, its region and the country
--  (district profile).
WITH levels AS (
    SELECT * FROM profile_levels($district::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR)
), staff AS (
    SELECT l.level, BOOL_OR(s.is_pilot) AS is_pilot,
           SUM(COLUMNS(s.* EXCLUDE (region_soato, district_soato, is_pilot, centres, pilot_centres)))
    FROM inson_staff($scope_region::VARCHAR, $scope_district::VARCHAR, NULL::VARCHAR, []::VARCHAR[],
                     $end::DATE) s
    JOIN levels l ON at_level(s.region_soato, s.district_soato, l.region_soato, l.district_soato)
    GROUP BY l.level
), caseload AS (
    SELECT l.level,
           SUM(c.open_end) FILTER (WHERE c.month = $end::DATE) AS open_cases,
           SUM(c.opened) FILTER (WHERE c.month >= $start::DATE) AS opened,
           SUM(c.closed) FILTER (WHERE c.month >= $start::DATE) AS closed,
           SUM(c.backlog_90p) FILTER (WHERE c.month = $end::DATE) AS backlog_90p
    FROM mart_cases_dm c
    JOIN levels l ON at_level(c.region_soato, c.district_soato, l.region_soato, l.district_soato)
    WHERE c.month BETWEEN $start::DATE AND $end::DATE
      AND in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
    GROUP BY l.level
), hist AS (
    SELECT l.level, h.days, SUM(h.cases) AS n
    FROM case_closings($scope_region::VARCHAR, $scope_district::VARCHAR, NULL::VARCHAR, []::VARCHAR[],
                       $start::DATE, $end::DATE) h
    JOIN levels l ON at_level(h.region_soato, h.district_soato, l.region_soato, l.district_soato)
    GROUP BY l.level, h.days
), med AS (
    SELECT level, hist_median(days, n) AS median_days_to_close FROM hist GROUP BY level
)
SELECT l.level,
       COALESCE(s.is_pilot, FALSE) AS is_pilot,
       COALESCE(COLUMNS(s.* EXCLUDE (level, is_pilot)), 0)::BIGINT,
       (COALESCE(s.mahallas_total, 0) - COALESCE(s.mahallas_with_worker, 0))::BIGINT AS mahallas_no_worker,
       COALESCE(COLUMNS(['open_cases', 'opened', 'closed', 'backlog_90p']), 0)::BIGINT,
       m.median_days_to_close
FROM levels l
LEFT JOIN staff s USING (level) LEFT JOIN caseload c USING (level) LEFT JOIN med m USING (level)
ORDER BY l.ord
