-- Grain: one row per district of the selected area in the viewer's scope (areas('district', ...)),
--   with every ingredient of the need index (queries/lab/index.py) at the month $month:
--   residents, households, poor_households_est (mart_population_y, the population year of $month);
--   registry_households, children_under_18, single_elderly, members_disabled (mart_registry_dm, the
--   latest registry month not after $month, else the first); eligible_households, exclusion_gap
--   (targeted assistance at $month, mart_coverage_dm); daftar_open (daftar entries open at the end of
--   $month, every daftar); mahallas_total, workers_in_post (mart_workers_dm at $month); open_cases
--   (mart_cases_dm at $month); remoteness_km, rural_share and its source (ref_district_access).
--   Counts are 0 where a mart has no row.
-- Scope: inputs (district rows of the viewer's scope feeding the policy lab's models, which protect their own outputs).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit code or NULL),
--   $districts (VARCHAR[], empty = all) the area; $month (DATE, first day of a month).
WITH pop AS (
    SELECT district_soato, residents, households, poor_households_est
    FROM mart_population_y
    WHERE year = population_year($month::DATE)
      AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
), reg_month AS (
    SELECT coalesce(max(month) FILTER (WHERE month <= $month::DATE), min(month)) AS m FROM mart_registry_dm
    WHERE in_area(region_soato, district_soato, $region, $districts::VARCHAR[])
), registry AS (
    SELECT district_soato, households AS registry_households, children_under_18, single_elderly, members_disabled
    FROM mart_registry_dm, reg_month
    WHERE month = reg_month.m AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
), cov AS (
    SELECT district_soato, eligible_households, exclusion_gap
    FROM mart_coverage_dm
    WHERE programme = targeted_key() AND month = $month::DATE
      AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
), stocks AS (    -- month-end stocks of three marts, one row per district
    SELECT district_soato, SUM(COLUMNS(* EXCLUDE (district_soato))) FROM (
        SELECT district_soato, open_end AS daftar_open FROM mart_daftar_dm
        WHERE month = $month::DATE AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region,
                                               $districts::VARCHAR[])
        UNION ALL BY NAME
        SELECT district_soato, mahallas_total, workers_in_post FROM mart_workers_dm
        WHERE month = $month::DATE AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region,
                                               $districts::VARCHAR[])
        UNION ALL BY NAME
        SELECT district_soato, open_end AS open_cases FROM mart_cases_dm
        WHERE month = $month::DATE AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region,
                                               $districts::VARCHAR[]))
    GROUP BY district_soato
)
SELECT a.soato AS district_soato, a.region_soato, a.name_uz, a.name_ru, a.name_en,
       COALESCE(COLUMNS(['residents', 'households', 'poor_households_est', 'registry_households',
                         'children_under_18', 'single_elderly', 'members_disabled', 'eligible_households',
                         'exclusion_gap', 'daftar_open', 'mahallas_total', 'workers_in_post', 'open_cases']), 0)::BIGINT,
       x.remoteness_km, x.rural_share, x.rural_share_source
FROM areas('district', $scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR, $districts::VARCHAR[]) a
LEFT JOIN pop p ON p.district_soato = a.soato
LEFT JOIN registry r ON r.district_soato = a.soato
LEFT JOIN cov c ON c.district_soato = a.soato
LEFT JOIN stocks s ON s.district_soato = a.soato
LEFT JOIN ref_district_access x ON x.district_soato = a.soato
ORDER BY a.soato
