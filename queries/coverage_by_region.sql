-- Grain: one row per region the viewer may see at one month (stocks of mart_coverage_dm summed
-- over the region's districts). Used for the region map and the regional averages.
-- Scope: regions (region rows: every region for a national or region viewer, its own for a district viewer).
-- Parameters: $scope_region, $scope_district (viewer's scope); $programme ('_targeted', '_all' or a targeted
--   programme); $month (DATE, first day of the month).
SELECT c.region_soato, r.name_uz, r.name_uz_cyrl, r.name_ru, r.name_en,
       sum(c.eligible_households)::BIGINT   AS eligible_households,
       sum(c.assisted_households)::BIGINT   AS assisted_households,
       sum(c.assisted_eligible)::BIGINT     AS assisted_eligible,
       sum(c.assisted_not_eligible)::BIGINT AS assisted_not_eligible,
       sum(c.exclusion_gap)::BIGINT         AS exclusion_gap,
       sum(c.poor_households_est)::BIGINT   AS poor_households_est
FROM mart_coverage_dm c
JOIN ref_regions r ON r.region_soato = c.region_soato
WHERE in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
  AND c.programme = $programme::VARCHAR
  AND c.month = $month::DATE
GROUP BY ALL
ORDER BY c.region_soato
