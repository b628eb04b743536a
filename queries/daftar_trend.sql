-- Grain: one row per month of [$start, $end] and daftar (only the daftars
--        selected; months with no activity are present with zeros).
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month shown
--   $end       DATE            last month shown
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
-- on_register / waiting_* are stocks at each month end; the others are flows of the
-- month; median_days_to_help is the lower median of days to help of people helped in the
-- month (cumulative histogram, days capped at 366).
-- Purpose (daftar_trend): monthly daftar figures for the trend chart.
WITH chosen AS (
    SELECT daftar FROM unnest(daftars()) AS k(daftar)
    WHERE in_choice(daftar, $daftar::VARCHAR)
), agg AS (
    SELECT month, daftar,
           SUM(included) AS included, SUM(assessed) AS assessed, SUM(assisted) AS assisted,
           SUM(removed) AS removed, SUM(open_end) AS on_register,
           SUM(waiting_90) AS waiting_90, SUM(waiting_180) AS waiting_180
    FROM mart_daftar_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND in_choice(daftar, $daftar::VARCHAR)
      AND month BETWEEN $start::DATE AND $end::DATE
    GROUP BY month, daftar
), hist AS (
    SELECT month, daftar, days, SUM(entries) AS n
    FROM daftar_waits($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                      $districts::VARCHAR[], $daftar::VARCHAR, $start::DATE, $end::DATE)
    GROUP BY month, daftar, days
), med AS (
    SELECT month, daftar, hist_median(days, n) AS median_days_to_help FROM hist GROUP BY month, daftar
)
SELECT m.month, d.daftar,
       COALESCE(COLUMNS(a.* EXCLUDE (month, daftar)), 0)::BIGINT,
       md.median_days_to_help
FROM period_months($start::DATE, $end::DATE) m CROSS JOIN chosen d
LEFT JOIN agg a ON a.month = m.month AND a.daftar = d.daftar
LEFT JOIN med md ON md.month = m.month AND md.daftar = d.daftar
ORDER BY m.month, d.daftar
