-- Grain: one row per month in [$start, $end]: coverage stocks summed over the selected area.
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit or NULL = all),
--   $districts (VARCHAR[]; empty = all of the area); $programme ('_targeted' = either targeted programme, '_all' = any, or one targeted programme);
--   $start, $end (DATE, first days of months, inclusive).
SELECT month,
       sum(eligible_households)::BIGINT   AS eligible_households,
       sum(assisted_households)::BIGINT   AS assisted_households,
       sum(assisted_eligible)::BIGINT     AS assisted_eligible,
       sum(assisted_not_eligible)::BIGINT AS assisted_not_eligible,
       sum(exclusion_gap)::BIGINT         AS exclusion_gap,
       sum(poor_households_est)::BIGINT   AS poor_households_est,
       count(DISTINCT district_soato)     AS districts
FROM mart_coverage_dm
WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
  AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
  AND programme = $programme::VARCHAR
  AND month BETWEEN $start::DATE AND $end::DATE
GROUP BY month
ORDER BY month
