-- Grain: one row per calendar year with payments: amount paid and distinct households paid
-- over the year (mart_recipients_dy) in the selected area — the "growth since 2019" series.
-- Parameters: $scope_region, $scope_district (viewer's scope); $region (4-digit or NULL = all),
--   $districts (VARCHAR[]; empty = all); $programme ('_all' = any programme, or one).
SELECT year,
       sum(amount_uzs)::BIGINT AS amount_uzs,
       sum(households)::BIGINT  AS households
FROM mart_recipients_dy
WHERE ($scope_region::VARCHAR IS NULL OR region_soato = $scope_region::VARCHAR)
  AND ($scope_district::VARCHAR IS NULL OR district_soato = $scope_district::VARCHAR)
  AND ($region::VARCHAR IS NULL OR region_soato = $region::VARCHAR)
  AND (len($districts::VARCHAR[]) = 0 OR list_contains($districts::VARCHAR[], district_soato))
  AND programme = $programme::VARCHAR
GROUP BY year
ORDER BY year
