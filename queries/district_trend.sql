-- Grain: one row per month of [$start, $end] and level ('district', 'region',
--        'country').
-- Scope: profile (the district $district of the viewer's scope, its region and the country).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $district       VARCHAR         7-digit district SOATO of the profile
--   $start     DATE            first month shown
--   $end       DATE            last month shown
-- Returns numerators and denominators; the page divides (indicator registry).
-- Coverage is of programme '_targeted' (child allowance or material assistance).
-- Purpose (district_trend): monthly coverage rate, daftar waiting list and open cases per worker of
--  one district against its region and the country (district profile trend).
WITH levels AS (
    SELECT * FROM profile_levels($district::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR)
), dm AS (
    -- the four monthly figures of each district, one source mart each (absent = no row)
    SELECT region_soato, district_soato, month, assisted_eligible, eligible_households
    FROM mart_coverage_dm WHERE programme = targeted_key()
    UNION ALL BY NAME
    SELECT region_soato, district_soato, month, open_end AS on_register, waiting_90 FROM mart_daftar_dm
    UNION ALL BY NAME
    SELECT region_soato, district_soato, month, open_end AS open_cases FROM mart_cases_dm
    UNION ALL BY NAME
    SELECT region_soato, district_soato, month, workers_in_post FROM mart_workers_dm
), at_levels AS (
    SELECT l.level, d.month,
           SUM(d.assisted_eligible) AS assisted_eligible, SUM(d.eligible_households) AS eligible_households,
           SUM(d.on_register) AS on_register, SUM(d.waiting_90) AS waiting_90,
           SUM(d.open_cases) AS open_cases, SUM(d.workers_in_post) AS workers_in_post
    FROM dm d
    JOIN levels l ON at_level(d.region_soato, d.district_soato, l.region_soato, l.district_soato)
    WHERE d.month BETWEEN $start::DATE AND $end::DATE
      AND in_scope(d.region_soato, d.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
    GROUP BY l.level, d.month
)
SELECT mo.month, l.level, COALESCE(COLUMNS(v.* EXCLUDE (level, month)), 0)::BIGINT
FROM period_months($start::DATE, $end::DATE) mo CROSS JOIN levels l
LEFT JOIN at_levels v ON v.level = l.level AND v.month = mo.month
ORDER BY mo.month, l.ord
