-- Grain: one row per level: 'district', 'region', 'country'.
-- Scope: profile (the district $district of the viewer's scope, its region and the country).
-- Parameters:
--   $scope_region   VARCHAR | NULL  viewer's scope: 4-digit region SOATO (NULL = not restricted)
--   $scope_district VARCHAR | NULL  viewer's scope: 7-digit district SOATO (NULL = not restricted)
--   $district       VARCHAR         7-digit district SOATO of the profile
--   $start     DATE            first month of the period
--   $end       DATE            last month of the period
-- households_end = distinct households paid in $end (all programmes, '_all');
-- households_end_prev = the same one year before; amount_uzs / amount_uzs_prev = so'm paid
-- over the period / over the same months one year before.
-- Purpose (district_growth): recipients and money paid in the period against the same months one
--  year earlier, for one district, its region and the country (district profile).
WITH levels AS (
    SELECT * FROM profile_levels($district::VARCHAR, $scope_region::VARCHAR, $scope_district::VARCHAR)
)
SELECT l.level,
       COALESCE(SUM(r.households) FILTER (WHERE r.month = $end::DATE), 0)::BIGINT AS households_end,
       COALESCE(SUM(r.households) FILTER (WHERE r.month = ($end::DATE - INTERVAL 1 YEAR)::DATE), 0)::BIGINT
           AS households_end_prev,
       COALESCE(SUM(r.amount_uzs) FILTER (WHERE r.month >= $start::DATE), 0)::BIGINT AS amount_uzs,
       COALESCE(SUM(r.amount_uzs) FILTER (WHERE r.month < $start::DATE), 0)::BIGINT AS amount_uzs_prev
FROM levels l
LEFT JOIN mart_recipients_dm r
       ON at_level(r.region_soato, r.district_soato, l.region_soato, l.district_soato)
      AND r.programme = all_key()
      AND (r.month BETWEEN $start::DATE AND $end::DATE
           OR r.month BETWEEN ($start::DATE - INTERVAL 1 YEAR)::DATE
                          AND ($end::DATE - INTERVAL 1 YEAR)::DATE)
      AND in_scope(r.region_soato, r.district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
GROUP BY l.level, l.ord
ORDER BY l.ord
