-- Grain: one row per month of [$month_from, $month_to] and level ('district', 'region',
--        'country').
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $district       VARCHAR         7-digit district SOATO of the profile
--   $month_from     DATE            first month shown
--   $month_to       DATE            last month shown
-- Returns numerators and denominators; the page divides (indicator registry).
-- Coverage is of programme '_targeted' (child allowance or material assistance).
-- Purpose (profile_trend): monthly coverage rate, daftar waiting list and open cases per worker of
--  one district against its region and the country (district profile trend).
WITH tgt AS (
    SELECT district_soato, region_soato FROM ref_districts
    WHERE district_soato = $district::VARCHAR
      AND in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
), levels AS (
    SELECT level, ord FROM (VALUES ('district', 1), ('region', 2), ('country', 3)) v(level, ord)
), months AS (
    SELECT CAST(m AS DATE) AS month
    FROM generate_series($month_from::DATE, $month_to::DATE, INTERVAL 1 MONTH) g(m)
), cov AS (
    SELECT l.level, c.month, SUM(c.assisted_eligible) AS assisted_eligible,
           SUM(c.eligible_households) AS eligible_households
    FROM mart_coverage_dm c CROSS JOIN tgt CROSS JOIN levels l
    WHERE c.programme = '_targeted' AND c.month BETWEEN $month_from::DATE AND $month_to::DATE
      AND in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND c.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND c.district_soato = tgt.district_soato))
    GROUP BY ALL
), daf AS (
    SELECT l.level, m.month, SUM(m.open_end) AS on_register, SUM(m.waiting_90) AS waiting_90
    FROM mart_daftar_dm m CROSS JOIN tgt CROSS JOIN levels l
    WHERE m.month BETWEEN $month_from::DATE AND $month_to::DATE
      AND in_scope(m.region_soato, m.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND m.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND m.district_soato = tgt.district_soato))
    GROUP BY ALL
), cs AS (
    SELECT l.level, c.month, SUM(c.open_end) AS open_cases
    FROM mart_cases_dm c CROSS JOIN tgt CROSS JOIN levels l
    WHERE c.month BETWEEN $month_from::DATE AND $month_to::DATE
      AND in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND c.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND c.district_soato = tgt.district_soato))
    GROUP BY ALL
), wk AS (
    SELECT l.level, w.month, SUM(w.workers_in_post) AS workers_in_post
    FROM mart_workers_dm w CROSS JOIN tgt CROSS JOIN levels l
    WHERE w.month BETWEEN $month_from::DATE AND $month_to::DATE
      AND in_scope(w.region_soato, w.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND w.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND w.district_soato = tgt.district_soato))
    GROUP BY ALL
)
SELECT mo.month, l.level,
       COALESCE(cov.assisted_eligible, 0)::BIGINT AS assisted_eligible,
       COALESCE(cov.eligible_households, 0)::BIGINT AS eligible_households,
       COALESCE(daf.on_register, 0)::BIGINT AS on_register,
       COALESCE(daf.waiting_90, 0)::BIGINT AS waiting_90,
       COALESCE(cs.open_cases, 0)::BIGINT AS open_cases,
       COALESCE(wk.workers_in_post, 0)::BIGINT AS workers_in_post
FROM months mo CROSS JOIN levels l CROSS JOIN tgt
LEFT JOIN cov ON cov.level = l.level AND cov.month = mo.month
LEFT JOIN daf ON daf.level = l.level AND daf.month = mo.month
LEFT JOIN cs ON cs.level = l.level AND cs.month = mo.month
LEFT JOIN wk ON wk.level = l.level AND wk.month = mo.month
ORDER BY mo.month, l.ord
