-- Grain: one row per district of the selected area in the viewer's scope (areas('district', ...)):
--   current_uzs, the so'm paid by the targeted programmes (child allowance, material assistance:
--   targeted_programmes()) over [$start, $end] (mart_recipients_dm; the current allocation the
--   simulator compares with); residents (mart_population_y, the population year of $end);
--   eligible_households (targeted, at $end, mart_coverage_dm). 0 where a mart has no row.
-- Scope: inputs (district rows of the viewer's scope feeding the policy lab's models, which protect their own outputs).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit code or NULL),
--   $districts (VARCHAR[], empty = all) the area; $start, $end (DATE, first days of months) the
--   year whose payments are the current allocation.
WITH paid AS (
    SELECT district_soato, SUM(amount_uzs) AS current_uzs
    FROM mart_recipients_dm
    WHERE list_contains(targeted_programmes(), programme) AND month BETWEEN $start::DATE AND $end::DATE
      AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
    GROUP BY ALL
), pop AS (
    SELECT district_soato, residents FROM mart_population_y
    WHERE year = population_year($end::DATE) AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
), cov AS (
    SELECT district_soato, eligible_households FROM mart_coverage_dm
    WHERE programme = targeted_key() AND month = $end::DATE
      AND in_view(region_soato, district_soato, $scope_region, $scope_district, $region, $districts::VARCHAR[])
)
SELECT a.soato AS district_soato, a.region_soato, a.name_uz, a.name_ru, a.name_en,
       COALESCE(p.current_uzs, 0)::BIGINT AS current_uzs, COALESCE(pop.residents, 0)::BIGINT AS residents,
       COALESCE(c.eligible_households, 0)::BIGINT AS eligible_households
FROM areas('district', $scope_region::VARCHAR, $scope_district::VARCHAR, $region::VARCHAR, $districts::VARCHAR[]) a
LEFT JOIN paid p ON p.district_soato = a.soato
LEFT JOIN pop ON pop.district_soato = a.soato
LEFT JOIN cov c ON c.district_soato = a.soato
ORDER BY a.soato
