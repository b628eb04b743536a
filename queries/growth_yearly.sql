-- Grain: one row per calendar year with payments: amount paid and distinct households paid
-- over the year (mart_recipients_dy) in the selected area — the "growth since 2019" series.
-- Scope: totals (sums over the selected area: the country, a region, or districts of the viewer's scope).
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit or NULL = all),
--   $districts (VARCHAR[]; empty = all); $programme ('_all' = any programme, or one).
SELECT year,
       sum(amount_uzs)::BIGINT AS amount_uzs,
       sum(households)::BIGINT  AS households
FROM mart_recipients_dy
WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
  AND in_area(region_soato, district_soato, $region::VARCHAR, $districts::VARCHAR[])
  AND programme = $programme::VARCHAR
GROUP BY year
ORDER BY year
