-- Grain: one row per region the viewer may see (ref_regions).
-- Parameters: $scope_region, $scope_district (viewer's scope; NULL = not restricted).
SELECT r.region_soato, r.name_uz, r.name_ru, r.name_en
FROM ref_regions r
WHERE ($scope_region::VARCHAR IS NULL OR r.region_soato = $scope_region::VARCHAR)
  AND ($scope_district::VARCHAR IS NULL OR r.region_soato = left($scope_district::VARCHAR, 4))
ORDER BY r.region_soato
