-- Grain: one row per area of the scope ($level = 'district': every district of
--        ref_districts in scope; $level = 'region': every region in scope), areas with
--        no activity included with zeros.
-- Scope: level (district rows as `rows`, region rows as `regions`, by $level).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
--   $level          VARCHAR         'district' or 'region'
-- Columns as in daftar_kpis (stocks at the end of $end, flows over the period,
-- lower median from the cumulative histogram (stored at ingest for a month, 12 months or a
-- year to date: mart_daftar_wait_median), target_population of the daftar and
-- target_population_k = the same in thousands).
-- Purpose (daftar_by_area): daftar figures per district (or per region) for the map and the
--  ranking.
WITH counts AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           SUM(COLUMNS(* EXCLUDE (region_soato, district_soato, daftar)))
    FROM daftar_counts($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                       $districts::VARCHAR[], $daftar::VARCHAR, $start::DATE, $end::DATE)
    GROUP BY soato
), hist AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato, days, SUM(entries) AS n
    FROM daftar_waits($scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
                      $districts::VARCHAR[], $daftar::VARCHAR, $start::DATE, $end::DATE)
    WHERE NOT stored_median($level::VARCHAR, $districts::VARCHAR[], $start::DATE, $end::DATE)
    GROUP BY ALL
), med AS (
    -- a period of the quick picks: the medians stored at ingest; any other: the histogram
    SELECT soato, median_days_to_help
    FROM daftar_wait_medians($level::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR,
                             $region::VARCHAR, $districts::VARCHAR[], $daftar::VARCHAR, $start::DATE, $end::DATE)
    UNION ALL
    SELECT soato, hist_median(days, n) AS median_days_to_help FROM hist GROUP BY soato
), pop AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           SUM(daftar_population($daftar::VARCHAR, residents, women, youth, elderly)) AS target_population
    FROM mart_population_y
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND year = population_year($end::DATE)
    GROUP BY ALL
)
SELECT a.*,
       COALESCE(COLUMNS(c.* EXCLUDE (soato)), 0)::BIGINT,
       m.median_days_to_help,
       (COALESCE(c.open_start, 0) + COALESCE(c.included, 0))::BIGINT AS on_register_in_period,
       p.target_population::BIGINT AS target_population,
       p.target_population / 1000.0 AS target_population_k
FROM areas($level::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
           $districts::VARCHAR[]) a
LEFT JOIN counts c USING (soato) LEFT JOIN med m USING (soato) LEFT JOIN pop p USING (soato)
ORDER BY a.soato
