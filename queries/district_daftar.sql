-- Grain: one row per level: 'district', 'region', 'country'.
-- Scope: profile (the district $district of the viewer's scope, its region and the country).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $district       VARCHAR         7-digit district SOATO of the profile
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
-- Same definitions as daftar_kpis: stocks at the end of $end, flows over the
-- period, lower median days to help from the histogram, residents of the latest
-- population year not after $end.
-- Purpose (district_daftar): daftar figures (all four registers together) for one district, its
--  region and the country (district profile).
WITH levels AS (
    SELECT * FROM profile_levels($district::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR)
), counts AS (
    SELECT l.level,
           SUM(m.open_end) FILTER (WHERE m.month = ($start::DATE - INTERVAL 1 MONTH)::DATE) AS open_start,
           SUM(m.included) FILTER (WHERE m.month >= $start::DATE) AS included,
           SUM(m.assisted) FILTER (WHERE m.month >= $start::DATE) AS assisted,
           SUM(m.open_end) FILTER (WHERE m.month = $end::DATE) AS on_register,
           SUM(m.waiting_90) FILTER (WHERE m.month = $end::DATE) AS waiting_90,
           SUM(m.waiting_180) FILTER (WHERE m.month = $end::DATE) AS waiting_180
    FROM mart_daftar_dm m
    JOIN levels l ON at_level(m.region_soato, m.district_soato, l.region_soato, l.district_soato)
    WHERE m.month BETWEEN ($start::DATE - INTERVAL 1 MONTH)::DATE AND $end::DATE
      AND in_scope(m.region_soato, m.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
    GROUP BY l.level
), hist AS (
    SELECT l.level, h.days, SUM(h.entries) AS n
    FROM daftar_waits($scope_region::VARCHAR, $scope_district::VARCHAR, NULL::VARCHAR, []::VARCHAR[],
                      NULL::VARCHAR, $start::DATE, $end::DATE) h
    JOIN levels l ON at_level(h.region_soato, h.district_soato, l.region_soato, l.district_soato)
    GROUP BY l.level, h.days
), med AS (
    SELECT level, hist_median(days, n) AS median_days_to_help FROM hist GROUP BY level
), pop AS (
    SELECT l.level, SUM(p.residents) AS residents
    FROM mart_population_y p
    JOIN levels l ON at_level(p.region_soato, p.district_soato, l.region_soato, l.district_soato)
    WHERE p.year = population_year($end::DATE)
      AND in_scope(p.region_soato, p.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
    GROUP BY l.level
)
SELECT l.level,
       COALESCE(COLUMNS(c.* EXCLUDE (level)), 0)::BIGINT,
       (COALESCE(c.open_start, 0) + COALESCE(c.included, 0))::BIGINT AS on_register_in_period,
       m.median_days_to_help,
       p.residents::BIGINT AS target_population,
       p.residents / 1000.0 AS target_population_k
FROM levels l
LEFT JOIN counts c USING (level) LEFT JOIN med m USING (level) LEFT JOIN pop p USING (level)
ORDER BY l.ord
