-- Grain: one row per area of the scope ($level = 'district': every district of
--        ref_districts in scope; $level = 'region': every region in scope), areas with
--        no activity included with zeros.
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $region         VARCHAR | NULL  selected region (NULL = all regions)
--   $districts      VARCHAR[]       selected districts (empty = all of the area)
--   $month_from     DATE            first month of the period
--   $month_to       DATE            last month of the period
--   $daftar         VARCHAR | NULL  one daftar, or NULL for all four
--   $level          VARCHAR         'district' or 'region'
-- Columns as in daftar_kpis (stocks at the end of $month_to, flows over the period,
-- lower median from the cumulative histogram, target_population of the daftar and
-- target_population_k = the same in thousands).
-- Purpose (daftar_by_area): daftar figures per district (or per region) for the map and the
--  ranking.
WITH d AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato, *
    FROM mart_daftar_dm
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND ($daftar::VARCHAR IS NULL OR daftar = $daftar::VARCHAR)
      AND month BETWEEN ($month_from::DATE - INTERVAL 1 MONTH)::DATE AND $month_to::DATE
), agg AS (
    SELECT soato,
           SUM(open_end) FILTER (WHERE month = ($month_from::DATE - INTERVAL 1 MONTH)::DATE) AS open_start,
           SUM(included) FILTER (WHERE month >= $month_from::DATE) AS included,
           SUM(assessed) FILTER (WHERE month >= $month_from::DATE) AS assessed,
           SUM(assisted) FILTER (WHERE month >= $month_from::DATE) AS assisted,
           SUM(removed) FILTER (WHERE month >= $month_from::DATE) AS removed,
           SUM(days_to_help_sum) FILTER (WHERE month >= $month_from::DATE) AS days_to_help_sum,
           SUM(open_end) FILTER (WHERE month = $month_to::DATE) AS on_register,
           SUM(waiting_90) FILTER (WHERE month = $month_to::DATE) AS waiting_90,
           SUM(waiting_180) FILTER (WHERE month = $month_to::DATE) AS waiting_180
    FROM d GROUP BY soato
), hist AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           days, SUM(entries) AS n
    FROM mart_daftar_wait_hist
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND ($daftar::VARCHAR IS NULL OR daftar = $daftar::VARCHAR)
      AND month BETWEEN $month_from::DATE AND $month_to::DATE
    GROUP BY ALL
), med AS (
    SELECT soato, MIN(days) FILTER (WHERE cum_n >= total_n / 2.0) AS median_days_to_help
    FROM (SELECT soato, days,
                 SUM(n) OVER (PARTITION BY soato ORDER BY days) AS cum_n,
                 SUM(n) OVER (PARTITION BY soato) AS total_n
          FROM hist)
    GROUP BY soato
), pop AS (
    SELECT area_key($level::VARCHAR, region_soato, district_soato) AS soato,
           SUM(CASE COALESCE($daftar::VARCHAR, '_all') WHEN 'ayollar' THEN women WHEN 'yoshlar' THEN youth
                    WHEN 'nuroniylar' THEN elderly ELSE residents END) AS target_population
    FROM mart_population_y
    WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
      AND year = (SELECT COALESCE(MAX(year) FILTER (WHERE year <= year($month_to::DATE)), MAX(year))
                  FROM mart_population_y)
    GROUP BY ALL
)
SELECT a.soato, a.region_soato, a.name_uz, a.name_ru, a.name_en,
       COALESCE(g.open_start, 0)::BIGINT AS open_start,
       COALESCE(g.included, 0)::BIGINT AS included,
       COALESCE(g.assessed, 0)::BIGINT AS assessed,
       COALESCE(g.assisted, 0)::BIGINT AS assisted,
       COALESCE(g.removed, 0)::BIGINT AS removed,
       COALESCE(g.on_register, 0)::BIGINT AS on_register,
       COALESCE(g.waiting_90, 0)::BIGINT AS waiting_90,
       COALESCE(g.waiting_180, 0)::BIGINT AS waiting_180,
       COALESCE(g.days_to_help_sum, 0)::BIGINT AS days_to_help_sum,
       m.median_days_to_help,
       (COALESCE(g.open_start, 0) + COALESCE(g.included, 0))::BIGINT AS on_register_in_period,
       p.target_population::BIGINT AS target_population,
       p.target_population / 1000.0 AS target_population_k
FROM areas($level::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR,
           $districts::VARCHAR[]) a
LEFT JOIN agg g USING (soato)
LEFT JOIN med m USING (soato)
LEFT JOIN pop p USING (soato)
ORDER BY a.soato
