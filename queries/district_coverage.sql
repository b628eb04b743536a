-- Grain: one row per level: 'district' ($district), 'region' (its region),
--        'country' (all districts); figures of programme '_targeted' (households paid child
--        allowance or material assistance, the registry's targeted assistance) at the end of $end,
--        plus monthly averages over the period for the coverage rate.
-- Scope: profile (the district $district of the viewer's scope, its region and the country).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $district       VARCHAR         7-digit district SOATO of the profile
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
-- Purpose (district_coverage): coverage of targeted assistance for one district against its region
--  and the country (district profile).
WITH levels AS (
    SELECT * FROM profile_levels($district::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR)
)
SELECT l.level,
       COALESCE(SUM(c.eligible_households) FILTER (WHERE c.month = $end::DATE), 0)::BIGINT AS eligible_households,
       COALESCE(SUM(c.assisted_households) FILTER (WHERE c.month = $end::DATE), 0)::BIGINT AS assisted_households,
       COALESCE(SUM(c.assisted_eligible) FILTER (WHERE c.month = $end::DATE), 0)::BIGINT AS assisted_eligible,
       COALESCE(SUM(c.assisted_not_eligible) FILTER (WHERE c.month = $end::DATE), 0)::BIGINT AS assisted_not_eligible,
       COALESCE(SUM(c.exclusion_gap) FILTER (WHERE c.month = $end::DATE), 0)::BIGINT AS exclusion_gap,
       COALESCE(SUM(c.poor_households_est) FILTER (WHERE c.month = $end::DATE), 0)::BIGINT AS poor_households_est,
       COALESCE(SUM(c.assisted_eligible), 0)::BIGINT AS assisted_eligible_months,
       COALESCE(SUM(c.eligible_households), 0)::BIGINT AS eligible_households_months
FROM levels l
LEFT JOIN mart_coverage_dm c
       ON at_level(c.region_soato, c.district_soato, l.region_soato, l.district_soato)
      AND c.programme = targeted_key()
      AND c.month BETWEEN $start::DATE AND $end::DATE
      AND in_scope(c.region_soato, c.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
GROUP BY l.level, l.ord
ORDER BY l.ord
