-- Grain: one row per level: 'district', 'region', 'country'.
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $district       VARCHAR         7-digit district SOATO of the profile
--   $month_from     DATE            first month of the period
--   $month_to       DATE            last month of the period
-- Same definitions as daftar_kpis: stocks at the end of $month_to, flows over the
-- period, lower median days to help from the histogram, residents of the latest
-- population year not after $month_to.
-- Purpose (profile_daftar): daftar figures (all four registers together) for one district, its
--  region and the country (district profile).
WITH tgt AS (
    SELECT district_soato, region_soato FROM ref_districts
    WHERE district_soato = $district::VARCHAR
      AND in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
), levels AS (
    SELECT level, ord FROM (VALUES ('district', 1), ('region', 2), ('country', 3)) v(level, ord)
), d AS (
    SELECT l.level,
           SUM(m.open_end) FILTER (WHERE m.month = ($month_from::DATE - INTERVAL 1 MONTH)::DATE) AS open_start,
           SUM(m.included) FILTER (WHERE m.month >= $month_from::DATE) AS included,
           SUM(m.assisted) FILTER (WHERE m.month >= $month_from::DATE) AS assisted,
           SUM(m.open_end) FILTER (WHERE m.month = $month_to::DATE) AS on_register,
           SUM(m.waiting_90) FILTER (WHERE m.month = $month_to::DATE) AS waiting_90,
           SUM(m.waiting_180) FILTER (WHERE m.month = $month_to::DATE) AS waiting_180
    FROM mart_daftar_dm m CROSS JOIN tgt CROSS JOIN levels l
    WHERE m.month BETWEEN ($month_from::DATE - INTERVAL 1 MONTH)::DATE AND $month_to::DATE
      AND in_scope(m.region_soato, m.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND m.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND m.district_soato = tgt.district_soato))
    GROUP BY l.level
), hist AS (
    SELECT l.level, h.days, SUM(h.entries) AS n
    FROM mart_daftar_wait_hist h CROSS JOIN tgt CROSS JOIN levels l
    WHERE h.month BETWEEN $month_from::DATE AND $month_to::DATE
      AND in_scope(h.region_soato, h.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND h.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND h.district_soato = tgt.district_soato))
    GROUP BY l.level, h.days
), med AS (
    SELECT level, MIN(days) FILTER (WHERE cum_n >= total_n / 2.0) AS median_days_to_help
    FROM (SELECT level, days,
                 SUM(n) OVER (PARTITION BY level ORDER BY days) AS cum_n,
                 SUM(n) OVER (PARTITION BY level) AS total_n
          FROM hist)
    GROUP BY level
), pop AS (
    SELECT l.level, SUM(p.residents) AS residents
    FROM mart_population_y p CROSS JOIN tgt CROSS JOIN levels l
    WHERE p.year = (SELECT COALESCE(MAX(year) FILTER (WHERE year <= year($month_to::DATE)), MAX(year))
                    FROM mart_population_y)
      AND in_scope(p.region_soato, p.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
      AND (l.level = 'country'
           OR (l.level = 'region' AND p.region_soato = tgt.region_soato)
           OR (l.level = 'district' AND p.district_soato = tgt.district_soato))
    GROUP BY l.level
)
SELECT l.level,
       COALESCE(d.open_start, 0)::BIGINT AS open_start,
       COALESCE(d.included, 0)::BIGINT AS included,
       COALESCE(d.assisted, 0)::BIGINT AS assisted,
       COALESCE(d.on_register, 0)::BIGINT AS on_register,
       COALESCE(d.waiting_90, 0)::BIGINT AS waiting_90,
       COALESCE(d.waiting_180, 0)::BIGINT AS waiting_180,
       (COALESCE(d.open_start, 0) + COALESCE(d.included, 0))::BIGINT AS on_register_in_period,
       m.median_days_to_help,
       p.residents::BIGINT AS target_population,
       p.residents / 1000.0 AS target_population_k
FROM levels l CROSS JOIN tgt
LEFT JOIN d USING (level) LEFT JOIN med m USING (level) LEFT JOIN pop p USING (level)
ORDER BY l.ord
