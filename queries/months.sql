-- Grain: one row: the first and last month the coverage mart holds within the viewer's scope.
-- Scope: rows (district rows: only those of the viewer's scope).
-- Parameters: $scope_region, $scope_district (viewer's scope; NULL = not restricted).
SELECT min(month) AS first_month, max(month) AS last_month
FROM mart_coverage_dm
WHERE in_scope(region_soato, district_soato, $scope_region::VARCHAR, $scope_district::VARCHAR)
