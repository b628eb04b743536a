-- Grain: one row per month of [$month_from, $month_to] and daftar (only the daftars
--        selected; months with no activity are present with zeros).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $month_from     DATE            first month shown
--   $month_to       DATE            last month shown
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
-- on_register / waiting_* are stocks at each month end; the others are flows of the
-- month; median_days_to_help is the lower median of days to help of people helped in the
-- month (cumulative histogram, days capped at 366).
-- Purpose (daftar_trend): monthly daftar figures for the trend chart.
WITH months AS (
    SELECT CAST(m AS DATE) AS month
    FROM generate_series($month_from::DATE, $month_to::DATE, INTERVAL 1 MONTH) g(m)
), daftars AS (
    SELECT daftar FROM (VALUES ('temir'), ('ayollar'), ('yoshlar'), ('nuroniylar')) v(daftar)
    WHERE $daftar::VARCHAR IS NULL OR daftar = $daftar::VARCHAR
), agg AS (
    SELECT month, daftar,
           SUM(included) AS included, SUM(assessed) AS assessed, SUM(assisted) AS assisted,
           SUM(removed) AS removed, SUM(open_end) AS on_register,
           SUM(waiting_90) AS waiting_90, SUM(waiting_180) AS waiting_180
    FROM mart_daftar_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND ($daftar::VARCHAR IS NULL OR daftar = $daftar::VARCHAR)
      AND month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY month, daftar
), hist AS (
    SELECT month, daftar, days, SUM(entries) AS n
    FROM mart_daftar_wait_hist
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND ($daftar::VARCHAR IS NULL OR daftar = $daftar::VARCHAR)
      AND month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY month, daftar, days
), med AS (
    SELECT month, daftar, MIN(days) FILTER (WHERE cum_n >= total_n / 2.0) AS median_days_to_help
    FROM (SELECT month, daftar, days,
                 SUM(n) OVER (PARTITION BY month, daftar ORDER BY days) AS cum_n,
                 SUM(n) OVER (PARTITION BY month, daftar) AS total_n
          FROM hist)
    GROUP BY month, daftar
)
SELECT m.month, d.daftar,
       COALESCE(a.included, 0)::BIGINT AS included,
       COALESCE(a.assessed, 0)::BIGINT AS assessed,
       COALESCE(a.assisted, 0)::BIGINT AS assisted,
       COALESCE(a.removed, 0)::BIGINT AS removed,
       COALESCE(a.on_register, 0)::BIGINT AS on_register,
       COALESCE(a.waiting_90, 0)::BIGINT AS waiting_90,
       COALESCE(a.waiting_180, 0)::BIGINT AS waiting_180,
       md.median_days_to_help
FROM months m CROSS JOIN daftars d
LEFT JOIN agg a ON a.month = m.month AND a.daftar = d.daftar
LEFT JOIN med md ON md.month = m.month AND md.daftar = d.daftar
ORDER BY m.month, d.daftar
